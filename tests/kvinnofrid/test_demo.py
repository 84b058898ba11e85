from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from jury.models import Juror, Score
from jury.reports import load_results
from kvinnofrid.management.commands.load_demo import JURY, NOMINATOR, PAST_WINNER
from nominations.models import Edition, Nomination
from outbox.models import OutboxMessage
from publication import services as publication
from publication.models import Announcement

pytestmark = pytest.mark.django_db


def test_demo_loads_each_stage_of_the_year_once(capsys):
    call_command("load_demo")
    call_command("load_demo")

    year = timezone.localtime().year
    phases = {edition.year: edition.phase for edition in Edition.objects.filter(year__gte=year - 1)}
    assert phases == {
        year - 1: Edition.Phase.DECIDED,
        year: Edition.Phase.JURY,
        year + 1: Edition.Phase.SCREENING,
        year + 2: Edition.Phase.OPEN,
    }
    assert Edition.objects.for_the_call().year == year + 2
    jury_edition = Edition.objects.get(year=year)
    assert Juror.objects.filter(edition=jury_edition).count() == 5
    assert (
        Juror.objects.filter(edition=jury_edition, scores_submitted_at__isnull=False).count() == 4
    )
    # One juror has not declared conflicts yet: the step shows when signing in as them.
    undeclared = Juror.objects.get(edition=jury_edition, user__email=JURY[-1][0])
    assert not undeclared.conflicts.exists()
    assert Score.objects.filter(juror__edition=jury_edition).exists()
    # The ballot deadline: planned after scoring this year, passed before last year's decision.
    assert jury_edition.scoring_deadline < jury_edition.ballot_deadline
    past = Edition.objects.get(year=year - 1)
    assert past.ballot_deadline < past.decided_at
    assert Nomination.objects.filter(edition__year=year + 1, status="submitted").count() == 3
    assert all(
        name.startswith("Demo:")
        for name in Nomination.objects.values_list("nominee_name", flat=True)
    )
    # The demo sends nothing while it sets up: no invitations, receipts or workflow mails.
    assert not OutboxMessage.objects.exists()
    assert Announcement.objects.count() == 2  # 2023's from the migrations, and the demo's
    output = capsys.readouterr().out
    assert "Watch the worker publish the winner of" in output


def test_demo_results_rank_differently_raw_and_normalised():
    call_command("load_demo", stdout=None)

    report = load_results(Edition.objects.get(year=timezone.localtime().year))

    rows = report.computed.nominees
    assert len({row.raw_mean for row in rows}) == len(rows)
    assert [row.raw_rank for row in rows] != [row.normalised_rank for row in rows]


def test_demo_announcement_is_approved_and_published_by_the_worker_minutes_later(
    client, capsys, django_capture_on_commit_callbacks
):
    before = timezone.now()
    call_command("load_demo")

    announcement = Announcement.objects.get(edition__year=timezone.localtime().year - 1)
    assert publication.is_approved(announcement)
    assert before + timedelta(minutes=2) < announcement.scheduled_at < before + timedelta(minutes=4)
    for text in (announcement.lead, announcement.citation, announcement.press_release):
        assert "Demo" in text
    when = timezone.localtime(announcement.scheduled_at).strftime("%H:%M")
    assert f"at {when} (in about 3 minutes)" in capsys.readouterr().out
    assert PAST_WINNER not in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # as the worker's would commit
        published = publication.publish_due_announcements(
            now=announcement.scheduled_at + timedelta(seconds=30)
        )

    assert published == [announcement.pk]
    assert PAST_WINNER in client.get("/").content.decode()
    assert PAST_WINNER in client.get("/prize/").content.decode()
    assert OutboxMessage.objects.filter(recipient=NOMINATOR).exists()


def test_demo_admin_and_chair_can_give_a_second_factor(capsys):
    from django_otp.plugins.otp_static.models import StaticToken

    from accounts import two_factor
    from accounts.models import User
    from kvinnofrid.management.commands.load_demo import ADMIN, DEMO_RECOVERY_CODES

    call_command("load_demo")
    admin = User.objects.get(email=ADMIN)
    assert two_factor.consume_recovery_code(admin, DEMO_RECOVERY_CODES[0]) is not None
    call_command("load_demo")

    output = capsys.readouterr().out
    assert DEMO_RECOVERY_CODES[0] in output
    for email in (ADMIN, JURY[0][0]):
        user = User.objects.get(email=email)
        assert two_factor.required_for(user)
        assert two_factor.has_device(user)
    assert StaticToken.objects.filter(device__user=admin).count() == 10
