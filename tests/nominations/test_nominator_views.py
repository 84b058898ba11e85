import re
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nominations import services
from nominations.models import Area, Attachment, Municipality, Nomination
from outbox.models import OutboxMessage
from tests.factories import (
    AttachmentFactory,
    EditionFactory,
    NominationFactory,
    OrganisationFactory,
    UserFactory,
    valid_organisation_number,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def closing_edition():
    """Closes in five minutes: a signed-in session outlives the deadline."""
    return EditionFactory(nominations_close_at=timezone.now() + timedelta(minutes=5))


@pytest.fixture
def nominator():
    return UserFactory(email="nominator@example.org")


@pytest.fixture
def outsider():
    return UserFactory(email="outsider@example.org")


@pytest.fixture
def draft(edition, nominator):
    return NominationFactory(edition=edition, nominator=nominator)


def complete_form(**overrides):
    data = {
        "nominee_name": "Våldsenheten i Exempelkommun",
        "nominee_kind": "municipality",
        "nominee_organisation_number": "",
        "municipalities": [Municipality.objects.get(code="0180").pk],
        "areas": [Area.objects.get(slug="vald-i-nara-relationer").pk],
        "motivation": "De arbetar långsiktigt och i bred samverkan.",
        "long_term_work": "",
        "collaboration": "",
        "results": "",
        "nominator_organisation_name": "Exempelföreningen",
        "nominator_organisation_number": valid_organisation_number(1),
        "contact_name": "Kim Kontakt",
        "contact_email": "kim@example.org",
        "contact_phone": "08-123 456 78",
        "consent": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "path", ["/nominations/", "/nominations/1/", "/nominations/1/edit/", "/nominations/1/withdraw/"]
)
def test_anonymous_is_sent_to_sign_in(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/signin/?next={path}"


@pytest.mark.parametrize("suffix", ["", "edit/", "withdraw/"])
def test_another_nominators_nomination_is_not_found(client, outsider, draft, suffix):
    client.force_login(outsider)

    response = client.get(f"/nominations/{draft.pk}/{suffix}")

    assert response.status_code == 404


def test_outsider_cannot_change_or_autosave_anothers_nomination(client, outsider, draft):
    client.force_login(outsider)

    edit = client.post(f"/nominations/{draft.pk}/edit/", complete_form(nominee_name="Kapat"))
    autosave = client.post(
        f"/nominations/{draft.pk}/autosave/", complete_form(nominee_name="Kapat")
    )
    withdraw = client.post(f"/nominations/{draft.pk}/withdraw/")

    assert (edit.status_code, autosave.status_code, withdraw.status_code) == (404, 404, 404)
    draft.refresh_from_db()
    assert draft.nominee_name != "Kapat"
    assert draft.status == Nomination.Status.DRAFT


def test_my_nominations_lists_only_mine(client, nominator, draft, edition):
    other = NominationFactory(edition=edition, nominee_name="Någon annans nominerade")
    client.force_login(nominator)

    html = client.get("/nominations/").content.decode()

    assert draft.nominee_name in html
    assert other.nominee_name not in html
    assert "Utkast" in html


def test_my_nominations_query_count_does_not_grow(client, nominator, edition):
    client.force_login(nominator)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/nominations/").status_code == 200
        return len(queries)

    NominationFactory.create_batch(2, edition=edition, nominator=nominator)
    few = count()
    NominationFactory.create_batch(20, edition=edition, nominator=nominator, submitted=True)
    assert count() == few


def test_starting_a_nomination_creates_a_prefilled_draft(client, nominator, edition):
    NominationFactory(
        edition=edition, nominator=nominator, contact_name="Kim Kontakt", contact_phone="070-111"
    )
    client.force_login(nominator)

    response = client.post("/nominations/new/")

    draft = Nomination.objects.of(nominator).latest("created_at")
    assert response["Location"] == f"/nominations/{draft.pk}/edit/"
    assert (draft.status, draft.contact_name, draft.contact_phone) == (
        "draft",
        "Kim Kontakt",
        "070-111",
    )


def test_no_draft_can_be_started_when_the_call_is_closed(client, nominator):
    EditionFactory(nominations_close_at=timezone.now() - timedelta(minutes=1))
    client.force_login(nominator)

    response = client.post("/nominations/new/", follow=True)

    assert Nomination.objects.of(nominator).count() == 0
    assert "Nomineringsperioden har stängt" in response.content.decode()


def test_saving_an_incomplete_draft_keeps_it(client, nominator, draft):
    client.force_login(nominator)

    response = client.post(
        f"/nominations/{draft.pk}/edit/",
        {"save": "1", "nominee_name": "Halvfärdig", "motivation": ""},
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.nominee_name, draft.motivation, draft.status) == ("Halvfärdig", "", "draft")


def test_incomplete_submission_shows_errors_beside_fields_and_keeps_the_text(
    client, nominator, draft
):
    client.force_login(nominator)

    response = client.post(
        f"/nominations/{draft.pk}/edit/",
        complete_form(submit="1", motivation="", nominee_name="Kvar efter felet"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error_1_id_motivation"' in html
    assert "Detta fält måste fyllas i." in html
    assert 'value="Kvar efter felet"' in html
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert draft.nominee_name == "Kvar efter felet"  # the progress was saved as a draft


def test_wrong_check_digit_is_reported_beside_the_organisation_number(client, nominator, draft):
    client.force_login(nominator)
    wrong = valid_organisation_number(1)[:-1] + str(
        (int(valid_organisation_number(1)[-1]) + 1) % 10
    )

    response = client.post(
        f"/nominations/{draft.pk}/edit/",
        complete_form(submit="1", nominator_organisation_number=wrong),
    )

    html = response.content.decode()
    assert 'id="error_1_id_nominator_organisation_number"' in html
    assert "Organisationsnumret är inte giltigt: kontrollera den sista siffran." in html
    assert f'value="{wrong}"' in html
    assert Nomination.objects.get(pk=draft.pk).status == "draft"


def test_submission_gives_a_reference_number_and_queues_one_receipt_after_commit(
    client, nominator, draft, edition, django_capture_on_commit_callbacks, worker_runs_after_saves
):
    client.force_login(nominator)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(f"/nominations/{draft.pk}/edit/", complete_form(submit="1"))

    draft.refresh_from_db()
    assert response["Location"] == f"/nominations/{draft.pk}/"
    assert draft.status == "submitted"
    assert draft.reference_number == f"KFP-{edition.year}-0001"
    assert draft.nominator_organisation.organisation_number == valid_organisation_number(1)
    assert draft.nominee.name == "Våldsenheten i Exempelkommun"
    # Nothing is mailed in the request: the row says a receipt is owed, the task pays it.
    assert draft.receipt_due == "submitted"
    assert not OutboxMessage.objects.exists()
    assert len(callbacks) == 1  # the after-save task, enqueued after commit

    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()

    receipt = OutboxMessage.objects.get(template="nomination_receipt")
    assert receipt.recipient == nominator.email
    assert receipt.context["reference_number"] == draft.reference_number
    assert receipt.context["motivation"] == "De arbetar långsiktigt och i bred samverkan."
    draft.refresh_from_db()
    assert draft.receipt_due == ""


def test_the_after_save_task_sends_one_receipt_however_often_it_runs(
    client, nominator, draft, django_capture_on_commit_callbacks, worker_runs_after_saves
):
    client.force_login(nominator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/nominations/{draft.pk}/edit/", complete_form(submit="1"))

    assert services.after_nomination_saved(nomination_id=draft.pk) is True
    assert services.catch_up_after_saves(now=timezone.now() + timedelta(hours=1)) == []

    assert OutboxMessage.objects.filter(template="nomination_receipt").count() == 1
    assert services.after_nomination_saved(nomination_id=draft.pk + 1000) is False


def test_the_sweep_pays_a_receipt_whose_task_never_ran(client, nominator, draft):
    client.force_login(nominator)
    client.post(f"/nominations/{draft.pk}/edit/", complete_form(submit="1"))  # no commit: no task
    assert not OutboxMessage.objects.exists()

    assert services.catch_up_after_saves(now=timezone.now()) == []  # not a minute old yet
    assert services.catch_up_after_saves(now=timezone.now() + timedelta(minutes=2)) == [draft.pk]

    assert OutboxMessage.objects.get(template="nomination_receipt").recipient == nominator.email


def test_a_receipt_is_not_sent_for_a_nomination_withdrawn_before_the_task_ran(
    client, nominator, draft
):
    client.force_login(nominator)
    client.post(f"/nominations/{draft.pk}/edit/", complete_form(submit="1"))
    client.post(f"/nominations/{draft.pk}/withdraw/")

    services.after_nomination_saved(nomination_id=draft.pk)

    assert list(OutboxMessage.objects.values_list("template", flat=True)) == [
        "nomination_withdrawn"
    ]


@pytest.fixture(params=["small", "large"])
def prior_data(request, edition, nominator):
    """The draft to submit and what was there before it, at two sizes: a first nomination
    in an empty edition, one area and municipality chosen; or an edition with 30 submissions
    of others, the nominator's own 3 earlier ones, two attachments on the draft, and 3 areas
    and 5 municipalities chosen."""
    areas, municipalities = (1, 1) if request.param == "small" else (3, 5)
    if request.param == "large":
        NominationFactory.create_batch(30, edition=edition, submitted=True)
        NominationFactory.create_batch(3, edition=edition, nominator=nominator, submitted=True)
    draft = NominationFactory(edition=edition, nominator=nominator)
    if request.param == "large":
        AttachmentFactory.create_batch(2, nomination=draft)
    return draft, complete_form(
        submit="1",
        areas=list(Area.objects.values_list("pk", flat=True)[:areas]),
        municipalities=list(Municipality.objects.values_list("pk", flat=True)[:municipalities]),
    )


@pytest.mark.parametrize("organisation", ["known", "new"])
@pytest.mark.parametrize("nominee_organisation", [False, True])
def test_a_submission_takes_the_same_queries_whatever_there_was_before(
    client, nominator, django_assert_num_queries, prior_data, organisation, nominee_organisation
):
    draft, form = prior_data
    client.force_login(nominator)
    if nominee_organisation:
        form["nominee_organisation_number"] = valid_organisation_number(2)
    if organisation == "known":
        # As most nominating organisations are after their first year (and the nominee's).
        for number in (form["nominator_organisation_number"], valid_organisation_number(2)):
            OrganisationFactory(organisation_number=number)

    # Session, user, the second-factor rule (3); the nomination with its attachment count
    # and the ids of its stored choices (1); the two choices checked (2); the lock, the
    # organisation (one statement, new or known), the nominee, the two choices, the
    # reference number, the row (7); the session is not written (its expiry was, at the
    # sign-in a moment ago): 13, and 14 with the nominee's organisation; and the 2
    # savepoints of the test's own transaction (production has none).
    with django_assert_num_queries(16 if nominee_organisation else 15):
        response = client.post(f"/nominations/{draft.pk}/edit/", form)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.nominator_organisation.organisation_number == form["nominator_organisation_number"]
    assert sorted(draft.areas.values_list("pk", flat=True)) == sorted(form["areas"])
    assert sorted(draft.municipalities.values_list("pk", flat=True)) == sorted(
        form["municipalities"]
    )
    if nominee_organisation:
        assert draft.nominee.organisation.organisation_number == valid_organisation_number(2)


def test_a_submission_takes_its_reference_number_last_of_all_it_writes(client, nominator, edition):
    """The number locks the edition's row until the commit, and every other submission of the
    edition waits for it: nothing but the nomination's own row may be written after it."""
    draft = NominationFactory(edition=edition, nominator=nominator)
    client.force_login(nominator)
    form = complete_form(
        submit="1",
        areas=list(Area.objects.values_list("pk", flat=True)[:2]),
        municipalities=list(Municipality.objects.values_list("pk", flat=True)[:2]),
    )

    with CaptureQueriesContext(connection) as queries:
        client.post(f"/nominations/{draft.pk}/edit/", form)

    statements = [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    numbered = next(
        i for i, sql in enumerate(statements) if sql.startswith("UPDATE nominations_edition")
    )
    assert len(statements) == numbered + 2
    assert statements[-1].startswith('UPDATE "nominations_nomination" SET')
    draft.refresh_from_db()
    assert draft.reference_number == f"KFP-{edition.year}-0001"


def test_double_click_submits_once(
    client, nominator, draft, edition, django_capture_on_commit_callbacks, worker_runs_after_saves
):
    client.force_login(nominator)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/nominations/{draft.pk}/edit/", complete_form(submit="1"))
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(f"/nominations/{draft.pk}/edit/", complete_form(submit="1"))

    assert first["Location"] == second["Location"] == f"/nominations/{draft.pk}/"
    assert Nomination.objects.get(pk=draft.pk).reference_number == f"KFP-{edition.year}-0001"
    assert OutboxMessage.objects.filter(template="nomination_receipt").count() == 1
    edition.refresh_from_db()
    assert edition.last_reference_sequence == 1


def test_reference_numbers_count_up_per_edition(client, edition):
    references = []
    for n in range(3):
        nomination = NominationFactory(edition=edition)
        client.force_login(nomination.nominator)
        client.post(
            f"/nominations/{nomination.pk}/edit/",
            complete_form(submit="1", nominee_name=f"Team {n}"),
        )
        nomination.refresh_from_db()
        references.append(nomination.reference_number)

    year = edition.year
    assert references == [f"KFP-{year}-0001", f"KFP-{year}-0002", f"KFP-{year}-0003"]


# At the deadline itself the call is closed already: 17:00 means 16:59:59 is the last moment.
@pytest.mark.parametrize("late", [timedelta(0), timedelta(seconds=1)], ids=["at", "after"])
def test_submission_after_the_deadline_is_refused_even_with_the_form_open(
    client, nominator, closing_edition, late
):
    draft = NominationFactory(edition=closing_edition, nominator=nominator)
    client.force_login(nominator)
    assert client.get(f"/nominations/{draft.pk}/edit/").status_code == 200

    with time_machine.travel(draft.edition.nominations_close_at + late, tick=False):
        response = client.post(
            f"/nominations/{draft.pk}/edit/", complete_form(submit="1"), follow=True
        )

    draft.refresh_from_db()
    assert draft.status == "draft"
    assert draft.reference_number is None
    assert not OutboxMessage.objects.exists()
    assert "kan inte längre ändras" in response.content.decode()


def test_submitted_nomination_is_read_only_after_the_deadline(client, nominator, closing_edition):
    edition = closing_edition
    nomination = NominationFactory(edition=edition, nominator=nominator, submitted=True)
    client.force_login(nominator)

    with time_machine.travel(edition.nominations_close_at + timedelta(hours=1)):
        edit = client.post(
            f"/nominations/{nomination.pk}/edit/", complete_form(save="1", nominee_name="Sent")
        )
        detail = client.get(f"/nominations/{nomination.pk}/").content.decode()

    assert edit.status_code == 302
    nomination.refresh_from_db()
    assert nomination.nominee_name != "Sent"
    assert "kan inte längre ändras" in detail


def test_submitted_nomination_can_be_edited_before_the_deadline(client, nominator, edition):
    nomination = NominationFactory(edition=edition, nominator=nominator, submitted=True)
    client.force_login(nominator)

    client.post(
        f"/nominations/{nomination.pk}/edit/",
        complete_form(save="1", motivation="En bättre motivering."),
    )

    nomination.refresh_from_db()
    assert (nomination.status, nomination.motivation) == ("submitted", "En bättre motivering.")


def test_withdrawing_a_submission_keeps_it_as_withdrawn(client, nominator, edition):
    nomination = NominationFactory(edition=edition, nominator=nominator, submitted=True)
    client.force_login(nominator)

    client.post(f"/nominations/{nomination.pk}/withdraw/")

    nomination.refresh_from_db()
    assert nomination.status == "withdrawn"
    assert nomination.withdrawn_at is not None


def test_personal_identity_number_is_warned_about_and_flagged(client, nominator, draft):
    client.force_login(nominator)

    response = client.post(
        f"/nominations/{draft.pk}/edit/",
        complete_form(save="1", motivation="Hon (811218-9876) fick stöd."),
        follow=True,
    )

    draft.refresh_from_db()
    assert draft.contains_personal_identity_number is True
    assert "personnummer" in response.content.decode()


def test_autosave_saves_the_draft_and_answers_json(client, nominator, draft):
    client.force_login(nominator)

    response = client.post(
        f"/nominations/{draft.pk}/autosave/", {"nominee_name": "Sparad medan jag skrev"}
    )

    assert response.status_code == 200
    assert response.json()["saved"] is True
    draft.refresh_from_db()
    assert draft.nominee_name == "Sparad medan jag skrev"


def test_autosave_reports_errors_without_saving(client, nominator, draft):
    client.force_login(nominator)

    response = client.post(
        f"/nominations/{draft.pk}/autosave/",
        {"nominee_name": "Nytt namn", "nominator_organisation_number": "123"},
    )

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["nominator_organisation_number"]
    draft.refresh_from_db()
    assert draft.nominee_name != "Nytt namn"


def _checked(html: str, name: str) -> list[int]:
    boxes = re.findall(rf'<input[^>]*type="checkbox"[^>]*name="{name}"[^>]*>', html)
    return sorted(int(re.search(r'value="(\d+)"', box)[1]) for box in boxes if " checked" in box)


def test_the_form_shows_the_stored_choices_checked(client, nominator, edition):
    areas = list(Area.objects.all()[:2])
    municipality = Municipality.objects.get(code="0180")
    draft = NominationFactory(
        edition=edition, nominator=nominator, areas=areas, municipalities=[municipality]
    )
    client.force_login(nominator)

    html = client.get(f"/nominations/{draft.pk}/edit/").content.decode()

    assert _checked(html, "areas") == sorted(area.pk for area in areas)
    assert _checked(html, "municipalities") == [municipality.pk]


def test_autosave_writes_a_changed_choice_by_its_difference_and_an_unchanged_one_not_at_all(
    client, nominator, edition
):
    first, second, third = Area.objects.all()[:3]
    municipalities = list(Municipality.objects.all()[:2])
    draft = NominationFactory(
        edition=edition,
        nominator=nominator,
        areas=[first, second],
        municipalities=municipalities,
    )
    client.force_login(nominator)

    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/nominations/{draft.pk}/autosave/",
            {
                "nominee_name": draft.nominee_name,
                "areas": [second.pk, third.pk],
                "municipalities": [m.pk for m in municipalities],
            },
        )

    assert response.json()["saved"] is True
    assert sorted(draft.areas.values_list("pk", flat=True)) == [second.pk, third.pk]
    assert list(draft.municipalities.all()) == sorted(municipalities, key=lambda m: m.name)
    written = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "DELETE"))]
    assert [sql.split(" WHERE ")[0].split(" (")[0] for sql in written] == [
        'DELETE FROM "nominations_nomination_areas"',
        'INSERT INTO "nominations_nomination_areas"',
    ]


def test_attachment_checked_by_content_and_served_only_to_its_owner(
    client, nominator, outsider, draft
):
    client.force_login(nominator)
    disguised = SimpleUploadedFile("rapport.pdf", b"\x89PNG\r\n\x1a\nnot a pdf")
    real = SimpleUploadedFile("rapport.pdf", b"%PDF-1.4\n%%EOF\n")

    refused = client.post(
        f"/nominations/{draft.pk}/edit/", complete_form(save="1", new_attachments=[disguised])
    )
    assert "rapport.pdf innehåller inte det som namnet säger" in refused.content.decode()
    assert not Attachment.objects.exists()

    client.post(f"/nominations/{draft.pk}/edit/", complete_form(save="1", new_attachments=[real]))
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type) == ("rapport.pdf", "application/pdf")

    url = f"/nominations/{draft.pk}/attachments/{attachment.pk}/"
    download = client.get(url)
    assert b"".join(download.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    client.force_login(outsider)
    assert client.get(url).status_code == 404
