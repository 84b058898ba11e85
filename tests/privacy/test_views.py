"""The pages: a person's own extract, the secretariat's extracts and erasures, the notice."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts.models import SignInToken, User
from audit.models import Action, AuditEntry
from jury.models import ConflictEvent, Score, ScoringNote
from nominations import page_cache
from nominations.models import Nomination
from outbox.models import OutboxMessage
from subscriptions.models import Subscriber
from tests.factories import (
    NominationFactory,
    OutboxMessageFactory,
    SecretariatFactory,
    SubscriberFactory,
    UserFactory,
    juror_who_wrote,
)
from tests.helpers import force_login_both_factors, page_in_both_languages

pytestmark = pytest.mark.django_db

EMAIL = "nina.nominerar@example.org"


@pytest.fixture
def privacy_officer():
    user = SecretariatFactory()
    user.user_permissions.add(Permission.objects.get(codename="manage_personal_data"))
    return User.objects.get(pk=user.pk)


def test_a_signed_in_person_downloads_their_own_extract(client):
    user = UserFactory(email=EMAIL)
    NominationFactory(nominator=user, motivation="Ninas motivering")
    force_login_both_factors(client, user)

    page = client.get("/privacy/my-data/").content.decode()
    response = client.get("/privacy/my-data/extract.json")

    assert "/privacy/my-data/extract.pdf" in page
    assert "allmänna handlingar" in page
    assert response["Content-Disposition"] == 'attachment; filename="registerutdrag.json"'
    data = json.loads(response.content)
    assert data["email"] == EMAIL
    assert "Ninas motivering" in response.content.decode()
    pdf = client.get("/privacy/my-data/extract.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    entries = AuditEntry.objects.filter(action=Action.REGISTER_EXTRACT)
    assert [e.data for e in entries.order_by("position")] == [
        {"format": "json", "own": True},
        {"format": "pdf", "own": True},
    ]


def test_my_nominations_links_to_the_data_we_hold(client):
    force_login_both_factors(client, UserFactory())

    assert "/privacy/my-data/" in client.get("/nominations/").content.decode()


def test_the_notice_leads_the_secretariat_to_its_page(client, privacy_officer):
    assert "/privacy/personal-data/" not in client.get("/privacy/").content.decode()
    force_login_both_factors(client, privacy_officer)

    assert "/privacy/personal-data/" in client.get("/privacy/").content.decode()


def test_staff_without_the_permission_get_no_extract(client):
    force_login_both_factors(client, SecretariatFactory())

    response = client.post("/privacy/personal-data/", {"extract-email": EMAIL, "format": "json"})

    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action=Action.REGISTER_EXTRACT).exists()


def test_the_secretariat_produces_an_extract_on_request(client, privacy_officer):
    UserFactory(email=EMAIL)
    force_login_both_factors(client, privacy_officer)

    response = client.post("/privacy/personal-data/", {"extract-email": EMAIL, "format": "json"})

    assert json.loads(response.content)["email"] == EMAIL
    entry = AuditEntry.objects.get(action=Action.REGISTER_EXTRACT)
    assert entry.actor_id == privacy_officer.pk
    assert entry.data == {"format": "json", "own": False}


@pytest.fixture
def nina():
    """Nina nominated, is someone else's contact, sat on a jury and subscribes."""
    user = UserFactory(email=EMAIL, first_name="Nina", last_name="Nominerar")
    own = NominationFactory(nominator=user, submitted=True, contact_name="Nina Nominerar")
    NominationFactory(nominator=user, motivation="Ninas utkast")
    as_contact = NominationFactory(submitted=True, contact_email=EMAIL, contact_name="Nina N")
    juror_who_wrote(user, comment="Bra", note="Privat", conflict="Tidigare anställd")
    OutboxMessageFactory(recipient=EMAIL, status=OutboxMessage.Status.SENT, subject="Kvitto")
    SubscriberFactory(email=EMAIL)
    SignInToken.objects.create(email=EMAIL, token_hash="c" * 64, expires_at=timezone.now())
    return {"user": user, "own": own, "as_contact": as_contact}


def test_erasure_on_request_erases_what_it_may_and_keeps_the_public_record(
    client, privacy_officer, nina
):
    force_login_both_factors(client, privacy_officer)

    response = client.post(
        "/privacy/personal-data/",
        {"erase-email": EMAIL, "erase-reason": "request", "erase-confirm": "on"},
        follow=True,
    )

    assert "Det som är en allmän handling finns kvar" in response.content.decode()
    user = User.objects.get(pk=nina["user"].pk)
    assert (user.email, user.first_name, user.is_active) == (
        f"erased-{user.pk}@erased.invalid",
        "",
        False,
    )
    own = Nomination.objects.get(pk=nina["own"].pk)
    contact = Nomination.objects.get(pk=nina["as_contact"].pk)
    assert own.contact_name == ""
    assert contact.contact_email == ""
    # The public record stays: the nominations with their nominee and texts, the jury's work.
    assert own.reference_number
    assert own.nominee_id
    assert own.motivation
    assert not Nomination.objects.filter(motivation="Ninas utkast").exists()
    assert Score.objects.filter(juror__user=user, comment="Bra").exists()
    assert ConflictEvent.objects.filter(by=user).exists()
    assert not ScoringNote.objects.exists()
    assert not Subscriber.objects.exists()
    assert not SignInToken.objects.exists()
    assert not OutboxMessage.objects.filter(recipient=EMAIL).exists()
    # The audit log keeps that it happened and why, not what.
    entry = AuditEntry.objects.get(action=Action.PERSONAL_DATA_ERASED)
    assert entry.actor_id == privacy_officer.pk
    assert entry.data["reason"] == "request"
    assert entry.data["nominations"] == 2
    recorded = json.dumps([entry.target_label, entry.actor_label, entry.data])
    assert "Nina" not in recorded
    assert EMAIL not in recorded


def test_an_erasure_needs_the_confirmation(client, privacy_officer, nina):
    force_login_both_factors(client, privacy_officer)

    client.post("/privacy/personal-data/", {"erase-email": EMAIL, "erase-reason": "request"})

    assert User.objects.get(pk=nina["user"].pk).email == EMAIL
    assert not AuditEntry.objects.filter(action=Action.PERSONAL_DATA_ERASED).exists()


def test_the_privacy_notice_names_the_controller_and_the_periods_from_the_settings(
    client, settings
):
    settings.PRIVACY_CONTROLLER = "Exempelmyndigheten"
    settings.PRIVACY_DPO_EMAIL = "dso@exempel.se"
    settings.RETENTION_DRAFT_DAYS = 45
    settings.RETENTION_NOMINATION_DAYS = 1000

    swedish, english = page_in_both_languages(client, "/privacy/")

    assert "45 dagar efter att nomineringen stänger" in swedish
    assert "1000 dagar efter att årets vinnare tillkännages" in swedish
    assert "45 days after the call for nominations closes" in english
    assert "1000 days after the winner of the year is announced" in english
    for html in (swedish, english):
        assert "Exempelmyndigheten" in html
        assert "dso@exempel.se" in html
    assert "Samtycke" in swedish or "samtycke" in swedish
    settings.RETENTION_DRAFT_DAYS = 30
    # A changed setting comes with a restart, and a starting web process retires the cached
    # public pages (kvinnofrid/wsgi.py).
    page_cache.bump_version()
    assert "30 dagar efter att nomineringen stänger" in client.get("/privacy/").content.decode()
