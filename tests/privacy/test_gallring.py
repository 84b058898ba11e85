"""Gallring: an edition's year passes, the beat task runs, exactly what the rules name goes."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from axes.models import AccessLog
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from accounts.models import SignInToken
from audit.models import Action, AuditEntry
from jury.models import Juror, ResultsExport, ScoringNote
from nominations.models import Attachment, Nomination
from outbox.models import OutboxMessage
from privacy import services
from privacy.tasks import gallring
from publication.services import publish_due_announcements
from subscriptions.models import Subscriber
from tests.factories import (
    AttachmentFactory,
    ChairFactory,
    EditionFactory,
    NominationFactory,
    OutboxMessageFactory,
    SubscriberFactory,
)
from tests.publication.conftest import WINNER, approve_both, make_decided_edition

pytestmark = pytest.mark.django_db


def _attachment(nomination, media, name: str) -> tuple[Attachment, object]:
    path = media / "nominations" / "test" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4 test")
    return AttachmentFactory(nomination=nomination, file=f"nominations/test/{name}"), path


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def year(media):
    """A decided, published edition with every category of data in it, and some controls."""
    decided = make_decided_edition()
    edition = decided.edition
    approve_both(decided)
    publish_due_announcements(now=edition.announcement_at)
    winner_nomination = Nomination.objects.filter(nominee=decided.winner).first()
    lost = Nomination.objects.get(nominee=decided.runner_up)
    draft = Nomination.objects.get(edition=edition, status=Nomination.Status.DRAFT)
    withdrawn = NominationFactory(
        edition=edition,
        status=Nomination.Status.WITHDRAWN,
        reference_number="KFP-2041-0900",
        withdrawn_at=timezone.now(),
        contact_name="Wera Withdrawn",
    )
    files = {
        "winner": _attachment(winner_nomination, media, "winner.pdf")[1],
        "lost": _attachment(lost, media, "lost.pdf")[1],
        "draft": _attachment(draft, media, "draft.pdf")[1],
        "withdrawn": _attachment(withdrawn, media, "withdrawn.pdf")[1],
    }
    juror = Juror.objects.get(edition=edition, user=decided.member)
    ScoringNote.objects.create(juror=juror, nominee=decided.winner, text="Privat anteckning")
    OutboxMessageFactory(
        recipient="sent@example.org", status=OutboxMessage.Status.SENT, subject="Kvitto"
    )
    queued = OutboxMessageFactory(recipient="queued@example.org")
    SignInToken.objects.create(
        email="link@example.org", token_hash="a" * 64, expires_at=timezone.now()
    )
    Session.objects.create(
        session_key="s" * 32, session_data="", expire_date=timezone.now() + timedelta(hours=8)
    )
    AccessLog.objects.create(username="admin@example.org", ip_address="10.0.0.1", user_agent="x")
    SubscriberFactory(email="unconfirmed@example.org", confirmed_at=None)
    confirmed = SubscriberFactory(email="confirmed@example.org", confirmed_at=timezone.now())
    workbook = media / "exports" / "results" / "resultat.xlsx"
    workbook.parent.mkdir(parents=True)
    workbook.write_bytes(b"PK workbook")
    ResultsExport.objects.create(
        edition=edition,
        requested_by=decided.chair,
        language="sv",
        status=ResultsExport.Status.READY,
        file="exports/results/resultat.xlsx",
    )
    files["results_export"] = workbook
    # Next year's call: nothing of it is due.
    later = EditionFactory(year=2042, ordinal=2042 - 2015)
    later_nomination = NominationFactory(edition=later, submitted=True)
    return {
        "decided": decided,
        "winner_nomination": winner_nomination,
        "lost": lost,
        "draft": draft,
        "withdrawn": withdrawn,
        "files": files,
        "queued": queued,
        "confirmed": confirmed,
        "later_nomination": later_nomination,
    }


EXPECTED_COUNTS = {
    # The runner-up's and the ineligible nomination (the winner's two stay).
    "nominations": 2,
    "drafts": 1,
    "withdrawn": 1,
    "outbox": 1,
    "sign_in_links": 1,
    "sessions": 1,
    "access_log": 1,
    "juror_notes": 1,
    "results_exports": 1,
    "unconfirmed_subscribers": 1,
}


def test_two_years_after_the_announcement_gallring_erases_exactly_what_the_rules_name(
    year, client, django_capture_on_commit_callbacks
):
    edition = year["decided"].edition
    moment = edition.announcement_at + timedelta(days=2 * 365 + 1)

    with (
        time_machine.travel(moment, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        counts = gallring()

    assert counts == EXPECTED_COUNTS
    # The nomination that did not win: the archive's part stays, the personal data is gone.
    lost = Nomination.objects.get(pk=year["lost"].pk)
    assert lost.reference_number
    assert lost.nominee.name == year["decided"].runner_up.name
    assert lost.status == Nomination.Status.ELIGIBLE
    assert lost.nominator_organisation_name == "Exempelföreningen"
    assert (lost.contact_name, lost.contact_email, lost.contact_phone) == ("", "", "")
    assert (lost.motivation, lost.long_term_work, lost.collaboration, lost.results) == ("",) * 4
    assert lost.personal_data_erased_at == moment
    assert not lost.attachments.exists()
    # Drafts go whole, withdrawn nominations keep their reference number only.
    assert not Nomination.objects.filter(pk=year["draft"].pk).exists()
    withdrawn = Nomination.objects.get(pk=year["withdrawn"].pk)
    assert withdrawn.contact_name == ""
    assert withdrawn.reference_number == "KFP-2041-0900"
    # The files are gone from storage, the winner's stays.
    assert not year["files"]["lost"].exists()
    assert not year["files"]["draft"].exists()
    assert not year["files"]["withdrawn"].exists()
    assert year["files"]["winner"].exists()
    # The winner's nomination is the archive: untouched.
    winner = Nomination.objects.get(pk=year["winner_nomination"].pk)
    assert winner.contact_name == "Kim Kontakt"
    assert winner.motivation
    assert winner.personal_data_erased_at is None
    # The rest of the categories.
    assert not OutboxMessage.objects.filter(recipient="sent@example.org").exists()
    assert OutboxMessage.objects.filter(recipient="", context={}).count() == 1
    assert OutboxMessage.objects.get(pk=year["queued"].pk).recipient == "queued@example.org"
    assert not SignInToken.objects.exists()
    assert not Session.objects.exists()
    assert not AccessLog.objects.exists()
    assert not ScoringNote.objects.exists()
    assert not ResultsExport.objects.exists()
    assert not year["files"]["results_export"].exists()
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["confirmed@example.org"]
    # Next year's nomination is not due.
    later = Nomination.objects.get(pk=year["later_nomination"].pk)
    assert later.contact_name == "Kim Kontakt"
    # The archive still shows the winner and the citation.
    html = client.get(f"/prize/{edition.year}/").content.decode()
    assert WINNER in html
    assert "Demo: en motivering." in html
    # The audit log holds the run's counts, and nothing else.
    entry = AuditEntry.objects.filter(action=Action.GALLRING_RUN).get()
    assert entry.data == EXPECTED_COUNTS
    assert entry.actor_id is None
    assert entry.target_label == ""


def test_a_second_run_erases_nothing_more(year, django_capture_on_commit_callbacks):
    moment = year["decided"].edition.announcement_at + timedelta(days=2 * 365 + 1)
    with time_machine.travel(moment, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            gallring()
        second = gallring()

    assert set(second.values()) == {0}
    assert AuditEntry.objects.filter(action=Action.GALLRING_RUN).count() == 2


def test_before_the_period_ends_the_nominations_stay(year, django_capture_on_commit_callbacks):
    moment = year["decided"].edition.announcement_at + timedelta(days=2 * 365 - 1)
    with time_machine.travel(moment, tick=False):
        counts = gallring()

    assert counts["nominations"] == 0
    assert Nomination.objects.get(pk=year["lost"].pk).contact_name == "Kim Kontakt"
    assert year["files"]["lost"].exists()


def test_the_periods_come_from_the_settings(year, settings):
    settings.RETENTION_NOMINATION_DAYS = 3 * 365
    moment = year["decided"].edition.announcement_at + timedelta(days=2 * 365 + 1)
    with time_machine.travel(moment, tick=False):
        assert services.due_counts()["nominations"] == 0
        settings.RETENTION_NOMINATION_DAYS = 365
        # Next year's nomination too: its announcement is more than a year past by then.
        assert services.due_counts()["nominations"] == 3


def test_a_rolled_back_run_keeps_the_files(year, monkeypatch):
    moment = year["decided"].edition.announcement_at + timedelta(days=2 * 365 + 1)

    def broken(*args, **kwargs):
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr(services, "record", broken)
    with time_machine.travel(moment, tick=False), pytest.raises(RuntimeError):
        services.run_gallring()

    assert Nomination.objects.get(pk=year["lost"].pk).contact_name == "Kim Kontakt"
    assert year["files"]["lost"].exists()


def test_the_dry_run_prints_what_is_due_and_changes_nothing(year):
    moment = year["decided"].edition.announcement_at + timedelta(days=2 * 365 + 1)
    out = StringIO()
    with time_machine.travel(moment, tick=False):
        call_command("gallring", "--dry-run", stdout=out)

    text = out.getvalue()
    assert "Would erase today (dry run):" in text
    assert "nominations: 2 (RETENTION_NOMINATION_DAYS = 730 days)" in text
    assert "drafts: 1 (RETENTION_DRAFT_DAYS = 90 days)" in text
    assert Nomination.objects.get(pk=year["lost"].pk).contact_name == "Kim Kontakt"
    assert year["files"]["draft"].exists()
    assert not AuditEntry.objects.filter(action=Action.GALLRING_RUN).exists()


def test_the_command_without_dry_run_erases(year, django_capture_on_commit_callbacks):
    moment = year["decided"].edition.announcement_at + timedelta(days=2 * 365 + 1)
    out = StringIO()
    with (
        time_machine.travel(moment, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("gallring", stdout=out)

    assert "Erased:" in out.getvalue()
    assert not year["files"]["draft"].exists()


def test_beat_runs_gallring_daily_and_no_longer_the_subscribers_own_job(settings):
    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert schedule["privacy.gallring"] == 24 * 60 * 60.0
    assert "subscriptions.forget_unconfirmed" not in schedule


def test_a_results_workbook_goes_after_a_week_with_its_file(
    media, django_capture_on_commit_callbacks
):
    chair = ChairFactory()
    path = media / "exports" / "results" / "old.xlsx"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"PK workbook")
    now = timezone.now()
    old = ResultsExport.objects.create(
        edition=chair.edition,
        requested_by=chair.user,
        language="sv",
        status=ResultsExport.Status.READY,
        file="exports/results/old.xlsx",
        created_at=now - timedelta(days=7, minutes=1),
    )
    fresh = ResultsExport.objects.create(
        edition=chair.edition,
        requested_by=chair.user,
        language="sv",
        created_at=now - timedelta(days=6, hours=23),
    )

    with django_capture_on_commit_callbacks(execute=True):
        counts = services.run_gallring(now=now)

    assert counts["results_exports"] == 1
    assert list(ResultsExport.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not ResultsExport.objects.filter(pk=old.pk).exists()
    assert not path.exists()
