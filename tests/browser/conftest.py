import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from kvinnofrid.mailsink import read_messages
from tests.helpers import wait_for

ROOT = Path(__file__).resolve().parents[2]

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    return page


@pytest.fixture(scope="session")
def base_url():
    # Replaces pytest-playwright's fallback, a session fixture written as a method, which
    # pytest 9 deprecates (warnings are errors here). Pages are opened from live_server.url.
    return None


# --- Real e-mail: an SMTP sink process, and a Celery worker that sends to it -----------------


@dataclass(frozen=True)
class MailSink:
    """The SMTP sink as the tests see it: where it listens and where it keeps the mail."""

    port: int
    directory: Path

    def messages(self) -> list[EmailMessage]:
        if not self.directory.exists():
            return []
        return read_messages(self.directory)

    def wait_for(self, *, to: str, subject_contains: str = "", timeout: float = 20) -> EmailMessage:
        """The first complete message to `to` whose subject contains `subject_contains`."""

        def message_in_the_sink():
            for message in self.messages():
                complete = not any(part.defects for part in message.walk())
                if complete and to in message["to"] and subject_contains in str(message["subject"]):
                    return message
            return None

        return wait_for(message_in_the_sink, timeout=timeout)


@pytest.fixture
def mail_sink(tmp_path):
    """A real SMTP server (`python -m aiosmtpd` with kvinnofrid.mailsink.MailSink) that keeps
    every message it receives as an .eml file."""
    directory = tmp_path / "mail"
    port = _free_port()
    log_path = tmp_path / "mailsink.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{port}",
                "-c",
                "kvinnofrid.mailsink.MailSink",
                str(directory),
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_listening(process, port, log_path)
        yield MailSink(port=port, directory=directory)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def site_url(settings, live_server):
    """Links in e-mails point at the live server. The web process builds some of them (the
    sign-in link), the worker the others (the receipt): both must agree."""
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def celery_worker_env(mail_sink, site_url):
    # Overrides tests/conftest.py's: the worker sends its mail to this test's sink.
    return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(mail_sink.port), "SITE_URL": site_url}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_listening(
    process: subprocess.Popen, port: int, log_path: Path, timeout: float = 15
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The SMTP sink exited:\n{log_path.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"The SMTP sink did not listen in time:\n{log_path.read_text()}")


# --- Signing in without the e-mail round trip ---------------------------------------------


@pytest.fixture
def sign_in(page, live_server):
    """Sign a user in to the browser directly: a session made with `Client.force_login`,
    its cookie handed to the browser. For journeys that are not about signing in."""

    def sign_in(user):
        client = Client()
        client.force_login(user)
        page.context.add_cookies(
            [
                {
                    "name": django_settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        return user

    return sign_in


# The data migrations' reference data: the prize's areas, Stockholms läns municipalities, the
# jury's partner organisations and the 2023 edition with its winner. Add new ones here.
