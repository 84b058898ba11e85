"""A fixed-window rate limit on the shared cache (Redis in production)."""

from django.core.cache import cache


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit on `key`; False once more than `limit` hits fall in the window."""
    cache_key = f"ratelimit:{key}"
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        hits = cache.incr(cache_key)
    except ValueError:
        # The window expired between add and incr: this hit opens a new one.
        cache.set(cache_key, 1, timeout=window_seconds)
        hits = 1
    return hits <= limit
