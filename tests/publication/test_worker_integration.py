"""Publication across real processes: Celery workers on Redis, the real PostgreSQL, and an
SMTP sink. One publication and one e-mail per recipient, whatever the workers do."""

import os
import signal
from collections import Counter

import pytest
from django.utils import timezone

from outbox.models import OutboxMessage
from publication.models import Announcement, AnnouncementEvent
from publication.tasks import publish_announcement, publish_due_announcements
from tests.conftest import start_celery_worker
from tests.helpers import wait_for
from tests.publication.conftest import approve_both, make_decided_edition

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

RECIPIENTS = 6  # two nominators of the winner, two other nominators, two jurors


def _due_announcement(year: int) -> Announcement:
    decided = make_decided_edition(year=year)
    announcement = approve_both(decided)
    # Due now: its time has come while no worker was running.
    Announcement.objects.filter(pk=announcement.pk).update(scheduled_at=timezone.now())
    # The decision's own mail to the jury went before; these tests count the publication's.
    OutboxMessage.objects.filter(template="jury_decision_recorded").delete()
    return announcement


def _delivered(mail_sink) -> Counter:
    return Counter(message["to"] for message in mail_sink.messages())


def _wait_until_all_are_mailed(mail_sink) -> None:
    wait_for(lambda: sum(_delivered(mail_sink).values()) >= RECIPIENTS, timeout=60)
    # Time for a duplicate, had there been one, to arrive.
    wait_for(
        lambda: (
            OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() == RECIPIENTS
        ),
        timeout=30,
    )


def _published_and_mailed_once(announcement: Announcement, mail_sink) -> None:
    announcement.refresh_from_db()
    assert announcement.published_at is not None
    assert announcement.events.filter(kind=AnnouncementEvent.Kind.PUBLISHED).count() == 1
    delivered = _delivered(mail_sink)
    assert len(delivered) == RECIPIENTS
    assert set(delivered.values()) == {1}


def test_two_workers_given_the_task_at_once_publish_once_and_mail_once(tmp_path, mail_sink):
    announcement = _due_announcement(2044)
    env = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(mail_sink.port)}

    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    with start_celery_worker(tmp_path / "a", env), start_celery_worker(tmp_path / "b", env):
        publish_announcement.delay(announcement_id=announcement.pk)
        publish_announcement.delay(announcement_id=announcement.pk)
        publish_due_announcements.delay()
        _wait_until_all_are_mailed(mail_sink)

    _published_and_mailed_once(announcement, mail_sink)


def test_a_worker_killed_inside_the_publication_leaves_it_to_the_next_run(tmp_path, mail_sink):
    announcement = _due_announcement(2045)
    armed = tmp_path / "pause"
    armed.touch()
    env = {
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mail_sink.port),
        "DJANGO_SETTINGS_MODULE": "tests.publication.pause.settings",
        "PUBLICATION_PAUSE_FILE": str(armed),
    }
    (tmp_path / "killed").mkdir()
    with start_celery_worker(tmp_path / "killed", env) as worker:
        publish_announcement.delay(announcement_id=announcement.pk)
        wait_for(armed.with_suffix(".inside").exists, timeout=30)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)

    # The claim died with the worker's transaction: nothing published, nothing queued.
    announcement.refresh_from_db()
    assert announcement.published_at is None
    assert not OutboxMessage.objects.exists()

    armed.unlink()
    (tmp_path / "next").mkdir()
    with start_celery_worker(tmp_path / "next", env):
        # What beat does every minute: publish what is due and not yet published.
        publish_due_announcements.delay()
        publish_due_announcements.delay()
        _wait_until_all_are_mailed(mail_sink)

    _published_and_mailed_once(announcement, mail_sink)
