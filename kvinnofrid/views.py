"""The few site-wide pages: the home page, signing in and out, and the health check."""

import logging
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.db import connection
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kvinnofrid import sessions, signin
from kvinnofrid.celery import app as celery_app
from kvinnofrid.forms import SignInRequestForm
from nominations.models import Area, Edition
from publication.selectors import latest_published_announcement

logger = logging.getLogger(__name__)


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


@require_GET
def privacy(request):
    return render(request, "privacy.html")


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
@require_GET
def session_status(request):
    """For the page's script: is the session alive, how long is left, and the CSRF token a
    form needs after signing in again (signing in rotates it). Like any request it extends
    the session: it is what the "stay signed in" button asks."""
    return JsonResponse(
        {
            "authenticated": request.user.is_authenticated,
            "seconds_left": sessions.seconds_left(request),
            "csrf_token": get_token(request),
        }
    )


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@require_http_methods(["GET", "POST"])
def sign_in(request):
    next_path = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = SignInRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = signin.request_sign_in_link(
            email=form.cleaned_data["email"],
            next_path=next_path,
            language=get_language(),
            client_ip=request.META.get("REMOTE_ADDR", ""),
        )
        if not sent:
            form.add_error(
                None, _("Too many sign-in links were asked for. Please wait a while and try again.")
            )
        else:
            return redirect("sign_in_sent")
    return render(request, "registration/sign_in.html", {"form": form, "next": next_path})


@require_GET
def sign_in_sent(request):
    return render(request, "registration/sign_in_sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_confirm(request, token: str):
    # Opening the link only shows a button: mail scanners that fetch links must not use it up.
    if request.method == "GET":
        usable = signin.find_usable_token(token) is not None
        return render(request, "registration/sign_in_confirm.html", {"usable": usable})
    result = signin.redeem_sign_in_token(raw_token=token, language=get_language())
    if result is None:
        return render(request, "registration/sign_in_confirm.html", {"usable": False}, status=410)
    user, next_path = result
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("You are signed in."))
    return redirect(_safe_next(request, next_path) or "nominations:mine")


@require_POST
def sign_out(request):
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("home")


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
