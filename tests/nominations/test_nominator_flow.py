"""The gaps of the nominator's flow: identity numbers in mails, receipts after a change, a
confirmation of a withdrawal, resubmitting, and a screening decision that is corrected."""

from datetime import timedelta

import pytest
from django.utils import timezone

from nominations import services
from nominations.models import Area, Nomination
from outbox.emails import render_email
from outbox.models import OutboxMessage
from tests.factories import EditionFactory, NominationFactory, SecretariatFactory, UserFactory
from tests.nominations.test_nominator_views import complete_form

pytestmark = pytest.mark.django_db

PIN = "19811218-9876"


@pytest.fixture
def committed(django_capture_on_commit_callbacks, worker_runs_after_saves):
    """Wrap a request: its commit runs the after-save task, as the worker would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def nominator():
    return UserFactory(email="nominator@example.org")


def receipts(nomination) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(recipient=nomination.nominator.email).order_by("pk"))


def text_of(message: OutboxMessage) -> str:
    rendered = render_email(message.template, message.context, message.language)
    return rendered.subject + rendered.text + rendered.html


def test_submitting_straight_away_warns_and_the_receipt_masks_the_number(
    client, nominator, edition, committed
):
    draft = NominationFactory(edition=edition, nominator=nominator)
    client.force_login(nominator)

    with committed():
        response = client.post(
            f"/nominations/{draft.pk}/edit/",
            complete_form(submit="1", motivation=f"Hon ({PIN}) fick stöd."),
            follow=True,
        )

    page = response.content.decode()
    assert "personnummer" in page
    assert page.count("Det ser ut som att du har skrivit ett personnummer") == 1
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.contains_personal_identity_number is True
    (receipt,) = receipts(draft)
    mail = text_of(receipt)
    assert PIN not in mail
    assert "811218" not in mail
    assert "Hon (XXXXXXXX-XXXX) fick stöd." in mail


def test_a_saved_draft_warns_once(client, nominator, edition):
    draft = NominationFactory(edition=edition, nominator=nominator)
    client.force_login(nominator)

    response = client.post(
        f"/nominations/{draft.pk}/edit/",
        complete_form(save="1", motivation=f"Hon ({PIN}) fick stöd."),
        follow=True,
    )

    assert (
        response.content.decode().count("Det ser ut som att du har skrivit ett personnummer") == 1
    )


def test_the_receipt_capitalises_the_area_names(client, nominator, edition, committed):
    draft = NominationFactory(edition=edition, nominator=nominator)
    client.force_login(nominator)

    with committed():
        client.post(f"/nominations/{draft.pk}/edit/", complete_form(submit="1"))

    area = Area.objects.get(slug="vald-i-nara-relationer").display_name
    (receipt,) = receipts(draft)
    assert receipt.context["areas"] == [area[0].upper() + area[1:]]


def test_editing_a_submitted_nomination_sends_an_updated_receipt(
    client, nominator, edition, committed
):
    nomination = NominationFactory(edition=edition, nominator=nominator, submitted=True)
    client.force_login(nominator)

    with committed():
        client.post(
            f"/nominations/{nomination.pk}/edit/",
            complete_form(save="1", motivation="En bättre motivering."),
        )

    (receipt,) = receipts(nomination)
    assert receipt.template == "nomination_receipt"
    mail = text_of(receipt)
    assert mail.startswith(f"Uppdaterat kvitto: din nominering {nomination.reference_number}")
    assert "En bättre motivering." in mail


def test_withdrawing_is_confirmed_and_the_nomination_can_be_submitted_again(
    client, nominator, edition, committed
):
    nomination = NominationFactory(edition=edition, nominator=nominator, submitted=True)
    reference = nomination.reference_number
    client.force_login(nominator)

    with committed():
        client.post(f"/nominations/{nomination.pk}/withdraw/")

    (confirmation,) = receipts(nomination)
    assert confirmation.template == "nomination_withdrawn"
    assert f"Din nominering {reference} är återkallad" in text_of(confirmation)
    detail = client.get(f"/nominations/{nomination.pk}/").content.decode()
    assert "Skicka in den igen" in detail

    with committed():
        response = client.post(f"/nominations/{nomination.pk}/edit/", complete_form(submit="1"))

    nomination.refresh_from_db()
    assert response["Location"] == f"/nominations/{nomination.pk}/"
    assert nomination.status == "submitted"
    assert nomination.reference_number == reference
    assert nomination.withdrawn_at is None
    assert [message.template for message in receipts(nomination)] == [
        "nomination_withdrawn",
        "nomination_receipt",
    ]


def test_a_withdrawn_nomination_cannot_be_resubmitted_after_the_deadline(nominator):
    now = timezone.now()
    edition = EditionFactory(
        nominations_open_at=now - timedelta(days=30), nominations_close_at=now - timedelta(days=1)
    )
    nomination = NominationFactory(
        edition=edition, nominator=nominator, submitted=True, status=Nomination.Status.WITHDRAWN
    )

    with pytest.raises(services.NominationClosed):
        services.submit_nomination(nomination, by=nominator)


# --- Screening ---------------------------------------------------------------------------------


@pytest.fixture
def in_screening():
    now = timezone.now()
    return EditionFactory(
        nominations_open_at=now - timedelta(days=30), nominations_close_at=now - timedelta(days=1)
    )


def test_a_corrected_screening_decision_is_mailed(in_screening):
    nomination = NominationFactory(edition=in_screening, submitted=True)
    secretariat = SecretariatFactory()

    services.screen_nomination(nomination, eligible=False, reason="Fel år.", by=secretariat)
    services.screen_nomination(nomination, eligible=True, reason="", by=secretariat)

    assert [message.template for message in receipts(nomination)] == [
        "nomination_not_eligible",
        "nomination_screening_corrected",
    ]
    correction = text_of(receipts(nomination)[1])
    assert f"En rättelse om din nominering {nomination.reference_number}" in correction
    assert "Behörig" in correction


def test_the_nominator_sees_the_decision_and_its_reason(client, in_screening):
    nomination = NominationFactory(edition=in_screening, submitted=True)
    services.screen_nomination(
        nomination,
        eligible=False,
        reason="Arbetet har inte pågått länge nog.",
        by=SecretariatFactory(),
    )
    client.force_login(nomination.nominator)

    page = client.get(f"/nominations/{nomination.pk}/").content.decode()

    assert "Kansliets beslut:" in page
    assert "Ej behörig" in page
    assert "Arbetet har inte pågått länge nog." in page


def test_the_screening_form_appears_only_when_screening_is_possible(client, edition, in_screening):
    open_call = NominationFactory(edition=edition, submitted=True)
    closed = NominationFactory(edition=in_screening, submitted=True)
    client.force_login(SecretariatFactory())

    during_call = client.get(f"/screening/{open_call.pk}/").content.decode()
    during_screening = client.get(f"/screening/{closed.pk}/").content.decode()

    assert 'name="screen"' not in during_call
    assert "screening-closed" in during_call
    assert 'name="screen"' in during_screening


def test_a_resubmission_after_a_withdrawal_gets_a_receipt_of_its_own(
    client, nominator, edition, committed
):
    draft = NominationFactory(edition=edition, nominator=nominator)
    client.force_login(nominator)
    with committed():
        client.post(f"/nominations/{draft.pk}/edit/", complete_form(submit="1"))
    client.post(f"/nominations/{draft.pk}/withdraw/")

    with committed():
        client.post(f"/nominations/{draft.pk}/edit/", complete_form(submit="1"))

    assert [message.template for message in receipts(draft)] == [
        "nomination_receipt",
        "nomination_withdrawn",
        "nomination_receipt",
    ]


def test_taking_the_number_out_of_the_text_lifts_the_flag_after_commit(
    client, nominator, edition, committed
):
    draft = NominationFactory(edition=edition, nominator=nominator)
    client.force_login(nominator)
    with committed():
        client.post(
            f"/nominations/{draft.pk}/edit/",
            complete_form(save="1", motivation=f"Hon ({PIN}) fick stöd."),
        )
    draft.refresh_from_db()
    assert draft.contains_personal_identity_number is True

    with committed():
        client.post(f"/nominations/{draft.pk}/edit/", complete_form(save="1"))

    draft.refresh_from_db()
    assert draft.contains_personal_identity_number is False
