"""The public pages, kept whole in the shared cache for anonymous visitors.

A page is stored under its path and language together with the *public content version*
it was rendered at: one counter in the cache that `content_changed` bumps after any commit
that changes what a public page shows (publication's receivers list those models; the
publication of an announcement bumps it itself). A stored page counts only while its
version is the current one, so a bump retires every page at once and nothing has to know
which pages showed what. The version is read before the page is rendered and stored with
it: a page rendered from data that a commit has since changed carries the old version and
is never served.

Some pages change by the clock alone: a call opens or closes at its hour, the winner's page
speaks of the presentation in the past tense from the day after the conference. A stored
page lasts until the next such moment (an edition's opening or closing, the next midnight
on the prize's clock) and never longer than PUBLIC_PAGE_CACHE_SECONDS.

Never cached: a signed-in visitor's page, a request with a query string, a page with a
message to show, and any response that sets a cookie, asks for a CSRF token, touches the
session, is not a 200 or says it is private. It lives in `nominations` because editions
hold the clock it follows; every app above may use it.
"""

import logging
import time
from datetime import datetime, timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from redis.exceptions import RedisError

from nominations.models import Edition

logger = logging.getLogger(__name__)

VERSION_KEY = "public-pages:version"
CACHE_ERRORS = (RedisError, OSError)


# --- The version ---------------------------------------------------------------------------


def _new_version() -> int:
    # Nanoseconds: a version lost with the cache (eviction, a flush) never comes back, so
    # a page stored under it can never count again.
    return time.time_ns()


def bump_version() -> None:
    """Retire every stored public page now."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, _new_version(), timeout=None)
    except CACHE_ERRORS:
        logger.exception("The page cache is unreachable: public pages were not retired.")


def content_changed(**kwargs) -> None:
    """A receiver for any signal whose commit changes a public page: bumps on commit, so
    that no page is rendered from the data before it and stored under the version after."""
    transaction.on_commit(bump_version)


# --- The clock -------------------------------------------------------------------------------


def next_change_by_the_clock(now: datetime) -> datetime:
    """The first moment after `now` when a public page may read differently although no
    data changed: an edition's call opening or closing, or the next midnight in TIME_ZONE
    (the day of the conference, a new year)."""
    local = timezone.localtime(now)
    midnight = timezone.make_aware(
        datetime.combine(local.date() + timedelta(days=1), datetime.min.time())
    )
    moments = [midnight]
    for opens, closes in Edition.objects.filter(
        Q(nominations_open_at__gt=now) | Q(nominations_close_at__gt=now)
    ).values_list("nominations_open_at", "nominations_close_at"):
        moments += [moment for moment in (opens, closes) if moment and moment > now]
    return min(moments)


# --- The decorator -------------------------------------------------------------------------


def _cacheable_request(request) -> bool:
    if request.method != "GET" or request.META.get("QUERY_STRING"):
        return False
    if request.user.is_authenticated:
        return False
    # Shown once and then gone: a page with a message is this visitor's alone.
    return len(messages.get_messages(request)) == 0


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.session.modified
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def _key(request) -> str:
    return f"public-pages:page:{get_language()}:{request.path}"


def _store(key: str, version: int, response) -> None:
    now = timezone.now()
    expires = min(
        next_change_by_the_clock(now),
        now + timedelta(seconds=settings.PUBLIC_PAGE_CACHE_SECONDS),
    )
    entry = {
        "version": version,
        "expires": expires.timestamp(),
        "content": response.content,
        "headers": dict(response.items()),
    }
    cache.set(key, entry, timeout=max(1, int((expires - now).total_seconds())))


def _response_from(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"])
    for header, value in entry["headers"].items():
        response[header] = value
    return response


def public_page(view):
    """Serve `view`'s page from the cache to anonymous visitors (see the module's doc)."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        try:
            # One round trip: the current version and the stored page together.
            found = cache.get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY)
            if version is None:
                version = _new_version()
                if not cache.add(VERSION_KEY, version, timeout=None):
                    version = cache.get(VERSION_KEY)
        except CACHE_ERRORS:
            logger.exception("The page cache is unreachable: rendering %s.", request.path)
            return view(request, *args, **kwargs)
        entry = found.get(key)
        if entry and entry["version"] == version and entry["expires"] > time.time():
            return _response_from(entry)
        response = view(request, *args, **kwargs)
        if _storable(request, response):
            try:
                _store(key, version, response)
            except CACHE_ERRORS:
                logger.exception("The page cache is unreachable: %s not stored.", request.path)
        return response

    return cached_view
