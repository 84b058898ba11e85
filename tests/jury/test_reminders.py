"""Scoring reminders: due and not yet done, once per juror and offset, never two at once."""

import re
import socket
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from jury.models import Assignment, ReminderSent, Score
from jury.services.reminders import reminder_due_at, send_due_reminders
from jury.tasks import send_reminders
from outbox.emails import render_email
from outbox.models import OutboxMessage
from tests.factories import (
    CriterionFactory,
    EditionFactory,
    JurorFactory,
    ScoreFactory,
    UserFactory,
    eligible_nominee,
)
from tests.helpers import DEADLINE_IN_SUMMER_TIME as DEADLINE
from tests.helpers import STOCKHOLM, wait_for

pytestmark = pytest.mark.django_db


def make_edition(deadline: datetime, *, opened: datetime, **fields):
    edition = EditionFactory(
        nominations_open_at=deadline - timedelta(days=90),
        nominations_close_at=deadline - timedelta(days=60),
        screening_completed_at=deadline - timedelta(days=50),
        scoring_opened_at=opened,
        scoring_deadline=deadline,
        **fields,
    )
    criteria = [CriterionFactory(edition=edition), CriterionFactory(edition=edition)]
    nominees = [eligible_nominee(edition) for _ in range(2)]
    return edition, criteria, nominees


def make_jury(edition, criteria, nominees):
    """Three jurors: one has not started, one is halfway, one has submitted."""
    idle = JurorFactory(edition=edition, user=UserFactory(language="en"))
    halfway = JurorFactory(edition=edition)
    done = JurorFactory(edition=edition, scores_submitted_at=edition.scoring_opened_at)
    for juror in (idle, halfway, done):
        for nominee in nominees:
            Assignment.objects.create(juror=juror, nominee=nominee)
    for criterion in criteria:
        ScoreFactory(juror=halfway, nominee=nominees[0], criterion=criterion)
    return idle, halfway, done


@pytest.fixture
def edition_and_jury():
    edition, criteria, nominees = make_edition(DEADLINE, opened=DEADLINE - timedelta(days=30))
    return edition, make_jury(edition, criteria, nominees)


def reminders() -> set[tuple[int, int]]:
    return set(ReminderSent.objects.values_list("juror_id", "days_before"))


def emails() -> dict[str, dict]:
    return {
        message.idempotency_key: message.context
        for message in OutboxMessage.objects.filter(template="jury_reminder")
    }


def test_the_due_time_keeps_the_local_time_of_day_across_summer_time():
    assert reminder_due_at(DEADLINE, 7) == datetime(2041, 3, 27, 17, 0, tzinfo=STOCKHOLM)
    # Six days and 23 hours in real time: the clocks went forward in between.
    assert DEADLINE.astimezone(UTC) - reminder_due_at(DEADLINE, 7).astimezone(UTC) == timedelta(
        days=6, hours=23
    )
    assert reminder_due_at(DEADLINE, 2) == datetime(2041, 4, 1, 17, 0, tzinfo=STOCKHOLM)


def test_reminders_are_sent_once_per_offset_to_jurors_who_have_not_submitted(edition_and_jury):
    edition, (idle, halfway, done) = edition_and_jury
    seven_days_before = datetime(2041, 3, 27, 17, 0, tzinfo=STOCKHOLM)

    # Half an hour early (and an hour after the deadline minus 7 × 24 hours): nothing yet.
    with time_machine.travel(seven_days_before - timedelta(minutes=30), tick=False):
        assert send_due_reminders() == 0
    assert reminders() == set()

    with time_machine.travel(seven_days_before, tick=False):
        assert send_due_reminders() == 2
        assert send_due_reminders() == 0
    assert reminders() == {(idle.pk, 7), (halfway.pk, 7)}
    assert emails() == {
        f"jury-reminder:{idle.pk}:7": {
            "edition": str(edition),
            "deadline": "April 3, 2041, 5 p.m.",
            "days_before": 7,
            "scored": 0,
            "total": 2,
            "url": f"/en/jury/{edition.year}/nominees/",
        },
        f"jury-reminder:{halfway.pk}:7": {
            "edition": str(edition),
            "deadline": "3 april 2041 17:00",
            "days_before": 7,
            "scored": 1,
            "total": 2,
            "url": f"/jury/{edition.year}/nominees/",
        },
    }

    # Five days later, still before the 2-day mark: nothing new.
    with time_machine.travel(DEADLINE - timedelta(days=2, minutes=1), tick=False):
        assert send_reminders() == 0

    with time_machine.travel(DEADLINE - timedelta(days=2), tick=False):
        assert send_reminders() == 2
        assert send_reminders() == 0
    assert reminders() == {(idle.pk, 7), (halfway.pk, 7), (idle.pk, 2), (halfway.pk, 2)}
    assert {key: context["days_before"] for key, context in emails().items()} == {
        f"jury-reminder:{idle.pk}:7": 7,
        f"jury-reminder:{halfway.pk}:7": 7,
        f"jury-reminder:{idle.pk}:2": 2,
        f"jury-reminder:{halfway.pk}:2": 2,
    }
    assert not ReminderSent.objects.filter(juror=done).exists()

    with time_machine.travel(DEADLINE + timedelta(minutes=1), tick=False):
        assert send_due_reminders() == 0
    assert len(emails()) == 4


def test_the_reminder_email_in_both_languages(edition_and_jury):
    edition, (idle, halfway, _done) = edition_and_jury

    send_due_reminders(now=DEADLINE - timedelta(days=3))

    english = OutboxMessage.objects.get(idempotency_key=f"jury-reminder:{idle.pk}:7")
    rendered = render_email(english.template, english.context, english.language)
    assert (english.recipient, english.language) == (idle.user.email, "en")
    assert rendered.subject == f"Reminder: scoring for {edition} closes April 3, 2041, 5 p.m."
    assert (
        f"You have scored 0 of 2 nominees for {edition}. Scoring closes April 3, 2041, 5 p.m.;"
        in rendered.text
    )
    assert f"http://127.0.0.1:8000/en/jury/{edition.year}/nominees/" in rendered.text
    assert f'href="http://127.0.0.1:8000/en/jury/{edition.year}/nominees/"' in rendered.html
    swedish = OutboxMessage.objects.get(idempotency_key=f"jury-reminder:{halfway.pk}:7")
    rendered = render_email(swedish.template, swedish.context, swedish.language)
    assert swedish.language == "sv"
    assert f'href="http://127.0.0.1:8000/jury/{edition.year}/nominees/"' in rendered.html


def test_a_late_start_sends_one_reminder_and_records_both_offsets():
    edition, criteria, nominees = make_edition(DEADLINE, opened=DEADLINE - timedelta(days=1))
    idle, halfway, _done = make_jury(edition, criteria, nominees)

    with time_machine.travel(DEADLINE - timedelta(days=1), tick=False):
        assert send_due_reminders() == 2
        assert send_due_reminders() == 0

    assert reminders() == {(idle.pk, 7), (idle.pk, 2), (halfway.pk, 7), (halfway.pk, 2)}
    assert set(emails()) == {f"jury-reminder:{idle.pk}:2", f"jury-reminder:{halfway.pk}:2"}


def test_a_juror_with_nothing_assigned_gets_no_reminder_until_there_is(edition_and_jury):
    edition, _jurors = edition_and_jury
    late = JurorFactory(edition=edition)

    assert send_due_reminders(now=DEADLINE - timedelta(days=3)) == 2
    assert not ReminderSent.objects.filter(juror=late).exists()

    Assignment.objects.create(juror=late, nominee=edition.nominees.first())
    assert send_due_reminders(now=DEADLINE - timedelta(days=3)) == 1
    assert emails()[f"jury-reminder:{late.pk}:7"]["total"] == 1


def test_a_reminder_claimed_by_another_run_is_not_sent_again(edition_and_jury):
    _edition, (idle, halfway, _done) = edition_and_jury
    ReminderSent.objects.create(juror=idle, days_before=7)

    assert send_due_reminders(now=DEADLINE - timedelta(days=3)) == 1

    assert set(emails()) == {f"jury-reminder:{halfway.pk}:7"}


def test_the_editions_own_offsets_count(edition_and_jury):
    edition, (idle, halfway, _done) = edition_and_jury
    edition.reminder_days = [1, "3", 0, -2, True]
    edition.save()

    assert send_due_reminders(now=DEADLINE - timedelta(days=3)) == 0
    assert send_due_reminders(now=DEADLINE - timedelta(hours=23)) == 2
    assert reminders() == {(idle.pk, 1), (halfway.pk, 1)}

    edition.reminder_days = []
    edition.save()
    ReminderSent.objects.all().delete()
    assert send_due_reminders(now=DEADLINE - timedelta(hours=1)) == 0


@pytest.mark.parametrize("state", ["not_opened", "decided", "past_deadline", "no_deadline"])
def test_no_reminders_outside_open_scoring(edition_and_jury, state):
    edition, _jurors = edition_and_jury
    now = DEADLINE - timedelta(days=1)
    if state == "not_opened":
        edition.scoring_opened_at = None
    elif state == "decided":
        edition.decided_at = now - timedelta(hours=1)
    elif state == "past_deadline":
        now = DEADLINE + timedelta(seconds=1)
    else:
        edition.scoring_deadline = None
    edition.save()

    assert send_due_reminders(now=now) == 0
    assert reminders() == set()
    assert emails() == {}


# --- With a real worker -----------------------------------------------------------------------


@pytest.fixture
def celery_worker_env():
    # No SMTP server: the reminders stay queued in the outbox, which is all we look at.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "EMAIL_TIMEOUT": "2"}


def _task_results(log_path) -> list[str]:
    return re.findall(
        r"Task jury\.send_reminders\[[^\]]+\] succeeded in [^:]+: (\d+)", log_path.read_text()
    )


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_exactly_one_reminder_per_offset(celery_worker, tmp_path):
    now = timezone.now()
    # The worker's clock is the real one: only the 7-day offset is due five days before.
    edition, criteria, nominees = make_edition(
        now + timedelta(days=5), opened=now - timedelta(days=10)
    )
    idle, halfway, done = make_jury(edition, criteria, nominees)
    log_path = celery_worker.log_path

    send_reminders.delay()
    send_reminders.delay()

    def ran(times: int):
        def done_running():
            return len(_task_results(log_path)) >= times

        return done_running

    wait_for(ran(2), timeout=30)
    assert _task_results(log_path) == ["2", "0"]
    assert reminders() == {(idle.pk, 7), (halfway.pk, 7)}
    assert set(emails()) == {f"jury-reminder:{idle.pk}:7", f"jury-reminder:{halfway.pk}:7"}

    # A day and a bit before the deadline: the 2-day offset is due.
    edition.scoring_deadline = timezone.now() + timedelta(days=1, hours=12)
    edition.save(update_fields=["scoring_deadline"])

    send_reminders.delay()
    send_reminders.delay()

    wait_for(ran(4), timeout=30)
    assert _task_results(log_path) == ["2", "0", "2", "0"]
    assert reminders() == {(idle.pk, 7), (halfway.pk, 7), (idle.pk, 2), (halfway.pk, 2)}
    assert sorted(emails()) == sorted(
        [
            f"jury-reminder:{idle.pk}:7",
            f"jury-reminder:{halfway.pk}:7",
            f"jury-reminder:{idle.pk}:2",
            f"jury-reminder:{halfway.pk}:2",
        ]
    )
    assert OutboxMessage.objects.filter(recipient=done.user.email).count() == 0
    assert Score.objects.filter(juror=halfway).count() == 2
