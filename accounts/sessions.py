"""How long a session lasts, and what the page is told about it (WCAG 2.2.1, timing).

A request extends a signed-in session by SESSION_COOKIE_AGE, so the sign-in lasts as long as
the person is active. Not by writing the session on every request (a query each, and the
session row updated under every click): the new expiry is written when the last one is at
least SESSION_EXTEND_STEP_SECONDS old, when the end is near (the page warns of it), or when
the request changed the session anyway. An
idle session so ends at most SESSION_COOKIE_AGE after the last request, and never later
than that; by at most one step earlier, which the page is told. Staff, whose sessions reach
the jury's and the secretariat's records, are also signed out SESSION_ABSOLUTE_MAX_AGE after
they signed in, whatever they do. Pages learn the end from `session_expiry` and warn before it
(static/js/session.js); the nomination form keeps what is typed if the session ends anyway.
"""

import time

from django.conf import settings
from django.contrib.auth import logout

SIGNED_IN_AT = "kvinnofrid_signed_in_at"
# When the session's expiry was last written: it ends SESSION_COOKIE_AGE after this.
EXTENDED_AT = "kvinnofrid_extended_at"


def _is_capped(user) -> bool:
    return user.is_staff or user.is_superuser


def seconds_left(request) -> int | None:
    """Seconds until the session ends if nothing more happens; None when nobody is signed in."""
    if not request.user.is_authenticated:
        return None
    now = time.time()
    left = int(_expiry_written_at(request.session, now) + settings.SESSION_COOKIE_AGE - now)
    signed_in_at = request.session.get(SIGNED_IN_AT)
    if signed_in_at is not None and _is_capped(request.user):
        left = min(left, int(signed_in_at + settings.SESSION_ABSOLUTE_MAX_AGE - now))
    return max(left, 0)


def signed_in(sender, request, user, **kwargs) -> None:
    """On `user_logged_in`: the sign-in's time, and its expiry written now (login saves the
    session), so that the next request has nothing to write."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[EXTENDED_AT] = now


class SessionLimitMiddleware:
    """Remembers when a session signed in, ends a staff session at the absolute cap, and
    slides a signed-in session's expiry by steps (see above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            # Set at sign-in (`signed_in`); a session from before that was set up has none.
            signed_in_at = request.session.setdefault(SIGNED_IN_AT, time.time())
            if (
                _is_capped(request.user)
                and time.time() - signed_in_at >= settings.SESSION_ABSOLUTE_MAX_AGE
            ):
                logout(request)
        response = self.get_response(request)
        extend(request.session)
        return response


def extend(session) -> None:
    """Have SessionMiddleware write the session (and so its new expiry) if the one written
    is a step old, or if it is written anyway; a session not signed in is left alone."""
    if SIGNED_IN_AT not in session:
        return
    now = time.time()
    if _expiry_written_at(session, now) == now:
        session[EXTENDED_AT] = now


def _expiry_written_at(session, now: float) -> float:
    """When the expiry that will stand after this request was written: now if this request
    writes the session, else the last write. Near the end (the warning, and a step before it
    for the page's clock), every request writes: "stay signed in" always extends, however
    short the session."""
    extended_at = session.get(EXTENDED_AT)
    step = settings.SESSION_EXTEND_STEP_SECONDS
    near_the_end = settings.SESSION_WARNING_MINUTES * 60 + step
    if (
        session.modified
        or extended_at is None
        or now - extended_at >= step
        or extended_at + settings.SESSION_COOKIE_AGE - now <= near_the_end
    ):
        return now
    return extended_at


def session_expiry(request):
    """Context processor: the seconds left, for the warning before the session ends."""
    return {
        "session_seconds_left": seconds_left(request),
        "session_warning_seconds": settings.SESSION_WARNING_MINUTES * 60,
    }
