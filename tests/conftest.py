"""Shared fixtures: real PostgreSQL, real Redis, a real Celery worker, a real Chromium."""

import importlib
import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest
import redis
from django.apps import apps as django_apps
from django.conf import settings
from django.core.files.storage import InMemoryStorage
from django.db import connection
from django.db.models.signals import post_migrate
from django.test import Client
from django.test.utils import override_settings

from kvinnofrid.mailsink import read_messages
from tests.helpers import force_login_both_factors, stop, wait_for

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

# The production settings that ask for HTTPS: each is False for the tests' live server.
PLAIN_HTTP_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
)


def pytest_report_header(config):
    """Say which real services this run uses, so a green run on SQLite cannot pass unseen."""
    database = settings.DATABASES["default"]
    lines = [f"database: {database['ENGINE'].rsplit('.', 1)[-1]} at {database.get('HOST')}"]
    if settings.REDIS_URL:
        info = redis.Redis.from_url(settings.REDIS_URL).info("server")
        lines.append(f"redis: {info['redis_version']} at {settings.REDIS_URL}")
    return lines


@pytest.fixture(scope="session", autouse=True)
def _real_services():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.exit("The tests run on PostgreSQL: use `make test` or set DATABASE_URL.", 2)
    if not settings.REDIS_URL:
        pytest.exit("The tests run on Redis: use `make test` or set REDIS_URL.", 2)
    # The test Redis database is ours: start from an empty queue every run.
    redis.Redis.from_url(settings.REDIS_URL).flushdb()


@pytest.fixture(scope="session", autouse=True)
def _plain_static_files():
    # Hashed file names need `collectstatic`; the tests serve static files from the source.
    with override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        # Factories give every user a password; the real hasher would take most of the run.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        WHITENOISE_USE_FINDERS=True,
        WHITENOISE_AUTOREFRESH=True,
        # The live server speaks plain HTTP; production settings stay otherwise as they are.
        **dict.fromkeys(PLAIN_HTTP_SETTINGS, False),
    ):
        yield


@pytest.fixture(autouse=True)
def _force_login_gives_both_factors(monkeypatch):
    # `force_login` stands for "signed in": for staff and chairs that includes the second
    # factor. Tests of the second factor itself use helpers.force_login_first_factor_only.
    monkeypatch.setattr(Client, "force_login", force_login_both_factors)


@pytest.fixture
def edition(request):
    """The test's edition, made with the EditionFactory fields or traits its `edition` marker
    gives (`screened=True`, …); with no marker, an edition open for nominations."""
    from tests.factories import EditionFactory

    marker = request.node.get_closest_marker("edition")
    return EditionFactory(**(marker.kwargs if marker else {}))


@pytest.fixture
def secretariat():
    """Sara of the secretariat, who screens the nominations and runs the jury's edition."""
    from tests.factories import SecretariatFactory

    return SecretariatFactory(first_name="Sara", last_name="Kansli")


@pytest.fixture
def outsider():
    """Signed in, with no part in any edition: no nomination, no seat, no permission."""
    from tests.factories import UserFactory

    return UserFactory()


# The data migrations' rows: areas, municipalities, partners, the 2023 edition, the audit
# chain's head; each migration and the function that writes them.
DATA_MIGRATIONS = (
    ("nominations.migrations.0001_squashed_0009_after_commit_work", "load"),
    ("jury.migrations.0001_squashed_0008_results_export", "load"),
    ("publication.migrations.0001_squashed_0005_announcement_photo_private_storage", "load"),
    ("audit.migrations.0001_squashed_0004_chain_head", "create_chain_head"),
)


def _reload_reference_data(sender, **kwargs) -> None:
    # Sent once per app, the last of ours last: every table exists and is empty by then.
    if sender.label == "publication":
        for module, function in DATA_MIGRATIONS:
            getattr(importlib.import_module(module), function)(django_apps, None)


@pytest.fixture(scope="session", autouse=True)
def _reference_data_after_every_flush():
    # A transactional test empties every table when it ends, the migrations' data included,
    # and pytest may run any test after it (its fixture-scope reordering mixes the groups).
    # The flush ends with post_migrate, as a migration does: the data is loaded again there,
    # so every test finds it whatever ran before. (`serialized_rollback` cannot: once
    # Playwright runs its event loop, the test code gets another connection object than the
    # one that holds the serialised data.)
    post_migrate.connect(_reload_reference_data, dispatch_uid="tests-reference-data")
    yield
    post_migrate.disconnect(dispatch_uid="tests-reference-data")


class StreamOnlyStorage(InMemoryStorage):
    """Django's in-memory storage, with no URL to give: a view that sent the browser to the
    storage (as a bucket's address) instead of streaming the file would fail on it."""

    def url(self, name, *args, **kwargs):
        raise AssertionError(f"{name}: a file is streamed by a view, never linked to")


@pytest.fixture
def object_storage(monkeypatch, settings, tmp_path) -> InMemoryStorage:
    """Attachments and photos in a storage that is not this machine's disk, as the S3
    backend is in production; MEDIA_ROOT moves to an empty folder that must stay empty."""
    from nominations.models import Attachment
    from publication.models import Announcement

    storage = StreamOnlyStorage()
    for model, name in ((Attachment, "file"), (Announcement, "photo")):
        monkeypatch.setattr(model._meta.get_field(name), "storage", storage)
    settings.MEDIA_ROOT = tmp_path / "media"
    return storage


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def celery_worker_env():
    """Extra environment for the `celery_worker` process; a test module overrides it."""
    return {}


@pytest.fixture
def celery_worker(django_db_setup, django_db_blocker, tmp_path, celery_worker_env):
    """A real `celery worker` process on the test Redis and the test database.

    Tests using it must commit their data: mark them `django_db(transaction=True)`.
    """
    with django_db_blocker.unblock(), start_celery_worker(tmp_path, celery_worker_env) as worker:
        yield worker


@contextmanager
def start_celery_worker(directory: Path, extra_env: dict | None = None):
    """Start one worker process and stop it afterwards (a test may also kill it first)."""
    test_database = connection.settings_dict["NAME"]
    hostname = f"test-{uuid.uuid4().hex[:8]}@%h"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(test_database),
        "REDIS_URL": settings.REDIS_URL,
        "VAR_DIR": str(directory),
        **(extra_env or {}),
    }
    log_path = directory / f"worker-{hostname.split('@')[0]}.log"
    worker = ["celery", "-A", "kvinnofrid", "worker", "--pool", "solo", "--loglevel", "INFO"]
    process = _run_module(
        [*worker, "--hostname", hostname, "--without-gossip", "--without-mingle"],
        log_path=log_path,
        env=env,
    )
    process.log_path = log_path
    try:
        _wait_until_ready(process, log_path)
        yield process
    finally:
        if process.poll() is None:
            stop(process, timeout=15)


def _run_module(args: list[str], *, log_path: Path, env: dict | None = None) -> subprocess.Popen:
    """`python -m …` in the project's folder, its output written to `log_path`."""
    with log_path.open("w") as log:
        return subprocess.Popen(
            [sys.executable, "-m", *args], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )


def _database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def _wait_until_ready(process: subprocess.Popen, log_path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The Celery worker exited:\n{log_path.read_text()}")
        if " ready." in log_path.read_text():
            return
        time.sleep(0.2)
    raise RuntimeError(f"The Celery worker did not start in time:\n{log_path.read_text()}")


# --- Real e-mail: an SMTP sink process ----------------------------------------------------


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
    listen = ["-l", f"127.0.0.1:{port}"]
    process = _run_module(
        ["aiosmtpd", "-n", *listen, "-c", "kvinnofrid.mailsink.MailSink", str(directory)],
        log_path=log_path,
    )
    try:
        _wait_until_listening(process, port, log_path)
        yield MailSink(port=port, directory=directory)
    finally:
        stop(process, timeout=10)


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


@pytest.fixture(autouse=True)
def _empty_cache():
    # The public pages and the rate limits live in the shared cache: no test sees another's.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def worker_runs_after_saves(monkeypatch):
    """The nominations' after-save task runs in this process when its commit's callbacks
    run (wrap the request in `django_capture_on_commit_callbacks(execute=True)`), as a
    worker would run it; the outbox's own hand-over stays as it is."""
    from nominations import tasks

    monkeypatch.setattr(
        tasks.after_nomination_saved,
        "delay",
        lambda **kwargs: tasks.after_nomination_saved(**kwargs),
    )
