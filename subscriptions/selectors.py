"""Reads for the subscription pages."""

import enum

from subscriptions import tokens
from subscriptions.models import Subscriber


class Confirmation(enum.Enum):
    """What a confirmation link did, or would do."""

    CONFIRMED = "confirmed"
    ALREADY = "already"
    INVALID = "invalid"


def confirmation_state(token: str) -> Confirmation | None:
    """What a confirmation link would do: None if it would confirm, else why it would not."""
    subscriber_id = tokens.read_confirm_token(token)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first() if subscriber_id else None
    if subscriber is None:
        return Confirmation.INVALID
    if subscriber.confirmed_at is not None:
        return Confirmation.ALREADY
    return None


def is_subscribed(subscriber_id: int) -> bool:
    return Subscriber.objects.filter(pk=subscriber_id).exists()
