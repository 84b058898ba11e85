"""The few site-wide pages: the home page and the health check."""

import logging

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kvinnofrid.celery import app as celery_app
from nominations.models import Area, Edition
from publication.selectors import latest_published_announcement

logger = logging.getLogger(__name__)


@require_GET
def home(request):
    return render(
        request,
        "home.html",
        {
            "edition": Edition.objects.current(),
            "areas": Area.objects.all(),
            "announcement": latest_published_announcement(),
        },
    )


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database is unreachable")
        return "down"
    return "up"


def _broker_state() -> str:
    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception:
        logger.exception("Health check: the Celery broker is unreachable")
        return "down"
    return "up"


@never_cache
@require_GET
def healthz(request):
    """For load balancers and compose: 200 when the database and the broker answer."""
    checks = {"database": _database_state(), "broker": _broker_state()}
    healthy = all(state == "up" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
