"""How long a session lasts, and what the page is told about it (WCAG 2.2.1, timing).

Each request extends a session by SESSION_COOKIE_AGE (SESSION_SAVE_EVERY_REQUEST), so the
sign-in lasts as long as the person is active. Staff, whose sessions reach the jury's and
the secretariat's records, are also signed out SESSION_ABSOLUTE_MAX_AGE after they signed
in, whatever they do. Pages learn the end from `session_expiry` and warn before it
(static/js/session.js); the nomination form keeps what is typed if the session ends anyway.
"""

import time

from django.conf import settings
from django.contrib.auth import logout

SIGNED_IN_AT = "kvinnofrid_signed_in_at"


def _is_capped(user) -> bool:
    return user.is_staff or user.is_superuser


def seconds_left(request) -> int | None:
    """Seconds until the session ends if nothing more happens; None when nobody is signed in."""
    if not request.user.is_authenticated:
        return None
    left = settings.SESSION_COOKIE_AGE
    signed_in_at = request.session.get(SIGNED_IN_AT)
    if signed_in_at is not None and _is_capped(request.user):
        left = min(left, int(signed_in_at + settings.SESSION_ABSOLUTE_MAX_AGE - time.time()))
    return max(left, 0)


class SessionLimitMiddleware:
    """Remembers when a session signed in, and ends a staff session at the absolute cap."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            signed_in_at = request.session.setdefault(SIGNED_IN_AT, time.time())
            if (
                _is_capped(request.user)
                and time.time() - signed_in_at >= settings.SESSION_ABSOLUTE_MAX_AGE
            ):
                logout(request)
        return self.get_response(request)


def session_expiry(request):
    """Context processor: the seconds left, for the warning before the session ends."""
    return {
        "session_seconds_left": seconds_left(request),
        "session_warning_seconds": settings.SESSION_WARNING_MINUTES * 60,
    }
