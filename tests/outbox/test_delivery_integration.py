"""The outbox across real processes: a Celery worker on Redis, an aiosmtpd server we stop and start.

Requirement: with the SMTP server down, receipts stay queued; when it is back each is
delivered exactly once.
"""

import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from kvinnofrid.mailsink import read_messages
from nominations.models import Area, Municipality
from nominations.services import submit_nomination
from outbox.models import OutboxMessage
from outbox.tasks import requeue_stuck
from tests.factories import EditionFactory, NominationFactory, OutboxMessageFactory
from tests.helpers import stop, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
RETRY_BASE_SECONDS = 1
Status = OutboxMessage.Status


class SmtpServerProcess:
    """`python -m aiosmtpd` with the MailSink handler, in a process of its own."""

    def __init__(self, port: int, directory: Path, log_path: Path):
        self.port = port
        self.directory = directory
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self._log = None

    def start(self) -> None:
        self._log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{self.port}",
                "-c",
                "kvinnofrid.mailsink.MailSink",
                str(self.directory),
            ],
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        wait_for(self._listening, timeout=15)

    def _listening(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"The SMTP server exited:\n{self.log_path.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.recv(1024)  # the 220 greeting: the server is serving, not just bound
        except OSError:
            return False
        return True

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process, timeout=10)
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def messages(self):
        return read_messages(self.directory)


@pytest.fixture
def celery_worker_env(unused_port):
    return {
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(unused_port),
        "EMAIL_TIMEOUT": "5",
        "OUTBOX_RETRY_BASE_SECONDS": str(RETRY_BASE_SECONDS),
        "OUTBOX_MAX_ATTEMPTS": "10",
    }


@pytest.fixture
def smtp_server(unused_port, tmp_path):
    """Not started: the test decides when the server comes up."""
    server = SmtpServerProcess(unused_port, tmp_path / "mail", tmp_path / "smtp.log")
    yield server
    server.stop()


def test_receipts_stay_queued_while_smtp_is_down_and_are_delivered_once_when_it_is_back(
    celery_worker, smtp_server
):
    edition = EditionFactory()
    areas = list(Area.objects.order_by("pk")[:1])
    municipalities = list(Municipality.objects.filter(code__in=["0180", "0114"]))
    assert (len(areas), len(municipalities)) == (1, 2)
    nominations = [
        NominationFactory(edition=edition, areas=areas, municipalities=municipalities)
        for _ in range(3)
    ]

    for nomination in nominations:
        assert submit_nomination(nomination, by=nomination.nominator) is True

    receipts = OutboxMessage.objects.filter(
        idempotency_key__in=[f"nomination-receipt:{n.pk}" for n in nominations]
    )

    def all_queued_after_a_failed_retry():
        rows = list(receipts.values_list("status", "attempts", "last_error"))
        return len(rows) == 3 and all(
            status == Status.QUEUED and attempts >= 2 and error.startswith("ConnectionRefused")
            for status, attempts, error in rows
        )

    # Not only the first attempt: a retry after the back-off fails too, and the row waits.
    wait_for(all_queued_after_a_failed_retry, timeout=30)
    assert smtp_server.messages() == []

    smtp_server.start()

    def all_sent():
        return list(receipts.values_list("status", flat=True)) == [Status.SENT] * 3

    wait_for(all_sent, timeout=60)
    # Longer than the next back-off: a late or duplicate task would have sent by now.
    time.sleep(4 * RETRY_BASE_SECONDS)

    assert [n.reference_number for n in nominations] == [
        f"KFP-{edition.year}-0001",
        f"KFP-{edition.year}-0002",
        f"KFP-{edition.year}-0003",
    ]
    messages = smtp_server.messages()
    assert len(messages) == 3
    assert {message["To"]: message["Subject"] for message in messages} == {
        n.nominator.email: f"Kvitto: din nominering {n.reference_number} till {edition}"
        for n in nominations
    }
    for status, attempts, last_error in receipts.values_list("status", "attempts", "last_error"):
        assert (status, last_error) == (Status.SENT, "")
        assert attempts >= 3


def test_requeue_stuck_task_hands_a_lost_message_to_the_worker_once(celery_worker, smtp_server):
    smtp_server.start()
    long_ago = timezone.now() - timedelta(minutes=10)
    stuck = OutboxMessageFactory(
        status=Status.SENDING, claimed_at=long_ago, next_attempt_at=long_ago, attempts=1
    )
    fresh = OutboxMessageFactory(
        status=Status.SENDING, claimed_at=timezone.now(), next_attempt_at=long_ago, attempts=1
    )

    requeue_stuck.delay()

    def stuck_is_sent():
        stuck.refresh_from_db()
        return stuck.status == Status.SENT

    wait_for(stuck_is_sent, timeout=30)
    time.sleep(2)

    assert [message["To"] for message in smtp_server.messages()] == [stuck.recipient]
    assert smtp_server.messages()[0]["Subject"] == "Din inloggningslänk till Kvinnofridspriset"
    assert stuck.attempts == 2
    fresh.refresh_from_db()
    assert (fresh.status, fresh.attempts) == (Status.SENDING, 1)
