"""Redis down: degrade, never lie. A private redis-server is stopped under the request."""

import logging
import subprocess
import sys
from datetime import timedelta

import pytest
import redis
import time_machine
from django.core.cache import cache
from django.utils import timezone

from jury.models import ResultsExport
from jury.services import results_exports
from kvinnofrid import ratelimit
from kvinnofrid.celery import app as celery_app
from nominations import services as nominations
from nominations.models import Nomination
from outbox.models import OutboxMessage
from tests.factories import ChairFactory, EditionFactory, NominationFactory, UserFactory
from tests.kvinnofrid.test_configuration import ROOT
from tests.kvinnofrid.test_healthz import private_redis  # noqa: F401 (a fixture)
from tests.nominations.test_nominator_views import complete_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_on(monkeypatch, private_redis):  # noqa: F811
    """Celery publishes to the private Redis; its connection pools start afresh."""
    monkeypatch.setitem(celery_app.conf, "broker_url", private_redis["url"])
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    yield private_redis
    for pool in (celery_app._pool, celery_app.amqp._producer_pool):
        if pool is not None:
            pool.force_close_all()


@pytest.fixture
def cache_on(settings, private_redis):  # noqa: F811
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": private_redis["url"],
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    ratelimit.reset_outage()
    yield private_redis
    ratelimit.reset_outage()


def test_submitting_with_the_broker_down_says_received_and_the_sweep_delivers_later(
    client, broker_on, django_capture_on_commit_callbacks, caplog
):
    nominator = UserFactory()
    nomination = NominationFactory(edition=EditionFactory(), nominator=nominator)
    client.force_login(nominator)
    broker_on["stop"]()

    with (
        caplog.at_level(logging.ERROR, logger="nominations.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            f"/nominations/{nomination.pk}/edit/", complete_form(submit="1"), follow=True
        )

    assert response.status_code == 200
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SUBMITTED
    assert f"Din nominering är inskickad med referensnummer {nomination.reference_number}" in (
        response.content.decode()
    )
    # The receipt is owed on the committed row, and the log says why it waits.
    assert nomination.receipt_due == "submitted"
    assert "could not be handed to the broker" in caplog.text

    broker_on["start"]()
    # The next sweep queues it, and hands the e-mail to the worker.
    with django_capture_on_commit_callbacks(execute=True):
        assert nominations.catch_up_after_saves(now=timezone.now() + timedelta(minutes=2)) == [
            nomination.pk
        ]
    receipt = OutboxMessage.objects.get(template="nomination_receipt")
    assert receipt.recipient == nominator.email
    queued = redis.Redis.from_url(broker_on["url"]).llen("celery")
    assert queued == 1


def test_asking_for_the_results_workbook_with_the_broker_down_waits_for_the_sweep(
    client, broker_on, django_capture_on_commit_callbacks, caplog
):
    chair = ChairFactory()
    client.force_login(chair.user)
    broker_on["stop"]()

    with (
        caplog.at_level(logging.ERROR, logger="jury.services.results_exports"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(f"/jury/{chair.edition.year}/results/exports/new/", follow=True)

    assert response.status_code == 200
    assert "Excelfilen förbereds." in response.content.decode()
    export = ResultsExport.objects.get()
    assert export.status == ResultsExport.Status.PENDING
    assert "could not be handed to the broker" in caplog.text

    broker_on["start"]()
    # The next sweep hands it to the worker.
    with django_capture_on_commit_callbacks(execute=True):
        assert results_exports.catch_up_exports(now=timezone.now() + timedelta(minutes=2)) == [
            export.pk
        ]
    assert redis.Redis.from_url(broker_on["url"]).llen("celery") == 1


def test_sign_in_works_with_the_cache_down_and_says_so_in_the_log(client, cache_on, caplog):
    cache_on["stop"]()

    with caplog.at_level(logging.ERROR, logger="kvinnofrid.ratelimit"):
        response = client.post("/signin/", {"email": "person@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/signin/sent/"
    assert OutboxMessage.objects.filter(recipient="person@example.org").count() == 1
    assert "cache is unreachable" in caplog.text


def test_with_the_cache_down_the_limit_still_counts_in_the_process(client, cache_on):
    cache_on["stop"]()

    answers = [client.post("/signin/", {"email": "spam@example.org"}) for _ in range(4)]

    assert [a.status_code for a in answers] == [302, 302, 302, 200]
    assert OutboxMessage.objects.filter(recipient="spam@example.org").count() == 3


def test_a_long_cache_outage_stops_failing_open(client, cache_on, settings, caplog):
    cache_on["stop"]()
    assert client.post("/signin/", {"email": "a@example.org"}).status_code == 302

    with time_machine.travel(timedelta(seconds=settings.RATELIMIT_FAIL_OPEN_SECONDS + 1)):
        refused = client.post("/signin/", {"email": "b@example.org"})

    assert refused.status_code == 200
    assert "för många inloggningslänkar" in refused.content.decode()
    assert not OutboxMessage.objects.filter(recipient="b@example.org").exists()


def test_the_cache_coming_back_ends_the_outage(client, cache_on):
    cache_on["stop"]()
    client.post("/signin/", {"email": "a@example.org"})
    cache_on["start"]()

    assert client.post("/signin/", {"email": "b@example.org"}).status_code == 302
    assert ratelimit.outage_started_at() is None
    assert cache.get("ratelimit:signin:email:b@example.org") == 1


def _settings_value(expression: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {expression}"],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "kvinnofrid.settings", "PATH": "/usr/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("redis_url", "cache_url", "expected"),
    [
        ("redis://redis:6379/0", "", "redis://redis:6379/1"),
        ("redis://redis:6379/15", "", "redis://redis:6379/14"),
        ("redis://redis:6379", "", "redis://redis:6379/1"),
        ("redis://redis:6379/0", "redis://cache:6379/3", "redis://cache:6379/3"),
        ("", "", "locmem"),
    ],
)
def test_cache_and_broker_are_kept_apart(redis_url, cache_url, expected):
    env = {"SECRET_KEY": "x", "DEBUG": "true", "REDIS_URL": redis_url, "CACHE_URL": cache_url}
    code = (
        "from django.conf import settings; c = settings.CACHES['default'];"
        "print(c.get('LOCATION') if 'redis' in c['BACKEND'] else 'locmem')"
    )
    assert _settings_value(code, env) == expected
