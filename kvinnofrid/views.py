"""The few site-wide pages: the home page, where each role starts, and the health check."""

import logging
from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kvinnofrid.celery import app as celery_app
from nominations.models import Area, Edition
from nominations.page_cache import public_page
from privacy.retention import CATEGORIES
from publication import rules as publication_rules
from publication.selectors import latest_published_announcement

logger = logging.getLogger(__name__)


@public_page
@require_GET
def home(request):
    return render(
        request,
        "home.html",
        {
            "edition": Edition.objects.for_the_call(),
            "areas": Area.objects.all(),
            "announcement": latest_published_announcement(),
        },
    )


@public_page
@require_GET
def privacy(request):
    # The periods come from the settings gallring applies (privacy/retention.py).
    return render(
        request,
        "privacy.html",
        {
            "controller": settings.PRIVACY_CONTROLLER,
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "dpo_email": settings.PRIVACY_DPO_EMAIL,
            "categories": CATEGORIES,
        },
    )


@public_page
@require_GET
def accessibility(request):
    """The accessibility statement (tillgänglighetsredogörelse) in DIGG's model."""
    return render(
        request,
        "accessibility.html",
        {
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "contact_phone": settings.ACCESSIBILITY_CONTACT_PHONE,
            "response_days": settings.ACCESSIBILITY_RESPONSE_DAYS,
            "assessed_on": date.fromisoformat(settings.ACCESSIBILITY_ASSESSED_ON),
        },
    )


@never_cache
@login_required
@require_GET
def landing(request):
    """Where a person's work is, and where signing in ends (LOGIN_REDIRECT_URL): a juror on
    the jury's start page, the secretariat on the year's overview, everyone else on their own
    nominations. It lives here, above every app, because only the project knows them all."""
    if request.user.juror_roles.exists():
        return redirect("jury:home")
    if publication_rules.is_secretariat(request.user):
        return redirect("publication:current_year_overview")
    return redirect("nominations:mine")


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
