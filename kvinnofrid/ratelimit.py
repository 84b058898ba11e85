"""A fixed-window rate limit on the shared cache (Redis in production).

When the cache is unreachable, signing in must still work: the limit then counts in this
process's memory (each web process keeps its own, so an attacker gets a few times more
tries), for RATELIMIT_FAIL_OPEN_SECONDS at most. An outage longer than that refuses every
limited request, because a limit nobody shares is no limit for long. Both are logged as
errors, every time, so that the outage is seen.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_local = LocMemCache("ratelimit-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
_outage: dict[str, float | None] = {"started_at": None}


def _count(store, cache_key: str, window_seconds: int) -> int:
    store.add(cache_key, 0, timeout=window_seconds)
    try:
        return store.incr(cache_key)
    except ValueError:
        # The window expired between add and incr: this hit opens a new one.
        store.set(cache_key, 1, timeout=window_seconds)
        return 1


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit on `key`; False once more than `limit` hits fall in the window."""
    cache_key = f"ratelimit:{key}"
    try:
        hits = _count(cache, cache_key, window_seconds)
    except (RedisError, OSError):
        return _allow_without_the_cache(cache_key, limit=limit, window_seconds=window_seconds)
    if _outage["started_at"] is not None:
        logger.warning("The rate limit's cache is reachable again.")
        _outage["started_at"] = None
    return hits <= limit


def _allow_without_the_cache(cache_key: str, *, limit: int, window_seconds: int) -> bool:
    now = time.time()
    started_at = _outage["started_at"]
    if started_at is None:
        _outage["started_at"] = started_at = now
    if now - started_at > settings.RATELIMIT_FAIL_OPEN_SECONDS:
        logger.error(
            "The rate limit's cache is unreachable since %.0f s: refusing %s.",
            now - started_at,
            cache_key,
        )
        return False
    logger.error(
        "The rate limit's cache is unreachable: counting %s in this process only.",
        cache_key,
        exc_info=True,
    )
    return _count(_local, cache_key, window_seconds) <= limit


def outage_started_at() -> float | None:
    """When this process last found the cache unreachable (a time.time()), or None."""
    return _outage["started_at"]


def reset_outage() -> None:
    """Forget an outage and the counts kept meanwhile (for tests)."""
    _outage["started_at"] = None
    _local.clear()
