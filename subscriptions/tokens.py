"""Signed links: nothing is stored, the signature is the proof.

A confirmation link expires (SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS); an unsubscribe link never
does, because it must still work in a mail read years later. Each has its own salt, so one
can never be passed off as the other.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "subscriptions.confirm"
UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"


def confirm_token(subscriber_id: int) -> str:
    return signing.dumps(subscriber_id, salt=CONFIRM_SALT)


def read_confirm_token(token: str) -> int | None:
    """The subscriber's id, or None for a forged, damaged or expired link."""
    max_age = timedelta(days=settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS)
    return _load(token, salt=CONFIRM_SALT, max_age=max_age)


def unsubscribe_token(subscriber_id: int) -> str:
    return signing.dumps(subscriber_id, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> int | None:
    """The subscriber's id, or None for a forged or damaged link. No expiry."""
    return _load(token, salt=UNSUBSCRIBE_SALT, max_age=None)


def _load(token: str, *, salt: str, max_age: timedelta | None) -> int | None:
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
