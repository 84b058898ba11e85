"""The outbox: every e-mail is a row first, then a Celery task delivers it.

`enqueue_email` is what the rest of the platform calls. Requests never talk to SMTP.
"""

import logging
import smtplib
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from kvinnofrid.broker import hand_over
from outbox.emails import render_email
from outbox.models import OutboxMessage

logger = logging.getLogger(__name__)


def is_transient(exc: Exception) -> bool:
    """Worth another try? SMTP says so by its reply code: 4xx is "later", 5xx is "never".

    Every smtplib error is an OSError, so the codes must be asked before the socket errors
    (refused, reset, timed out, disconnected), which are all worth a retry.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return False
    return isinstance(exc, OSError)


# Context keys naming the keys that are secrets, and those that were removed once sent.
SECRET_KEYS = "_secret_keys"  # noqa: S105 (a key name, not a secret)
SECRETS_REMOVED = "_secrets_removed"


def enqueue_email(
    *,
    recipient: str,
    template: str,
    context: dict,
    language: str,
    key: str,
    headers: dict[str, str] | None = None,
    secret_keys: Iterable[str] = (),
) -> OutboxMessage:
    """Queue one e-mail; it is sent after the surrounding transaction commits.

    `headers` are added to the message as they are (e.g. `List-Unsubscribe`).
    `secret_keys` name the context values that are secrets (a one-time link): they stay in
    the row only until the message is sent or has failed for good, then they are removed.

    Side effects: one OutboxMessage row (none if `key` was used before) and, on commit,
    one `outbox.send_message` task. Calling it twice with the same key sends once.
    """
    context = dict(context)
    if secret_keys := sorted(secret_keys):
        context[SECRET_KEYS] = secret_keys
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "recipient": recipient,
            "template": template,
            "context": context,
            "language": language,
            "headers": headers or {},
            "next_attempt_at": timezone.now(),
        },
    )
    if created:
        _send_after_commit(message.pk)
    return message


def enqueue_email_in_language(
    *, language: str, context: Callable[[], dict], **message
) -> OutboxMessage:
    """Queue one e-mail whose context is built in the recipient's language: `context` is
    called inside `translation.override(language)`, so names of choices, dates and reversed
    URLs come out in it (the message itself is rendered in it at send time). The rest of
    `message` is `enqueue_email`'s: recipient, template, key, secret_keys.

    Side effects: those of `enqueue_email`.
    """
    with translation.override(language):
        built = context()
    return enqueue_email(language=language, context=built, **message)


def _send_after_commit(message_id: int) -> None:
    transaction.on_commit(lambda: hand_to_worker(message_id))


def hand_to_worker(message_id: int) -> bool:
    """Publish the send task; False (and an error in the log) if the broker is down.

    The row is committed and stays queued, so `requeue_stuck` hands it over again once the
    broker is back: what the user was told (that it was received) stays true.
    """
    from outbox.tasks import send_message

    if not hand_over(
        send_message, what=f"E-mail {message_id}", logger=logger, message_id=message_id
    ):
        # Overdue at once: the first sweep after the broker is back sends it, not one
        # OUTBOX_STUCK_AFTER_SECONDS later.
        overdue = timezone.now() - timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS + 1)
        OutboxMessage.objects.filter(
            pk=message_id, status=OutboxMessage.Status.QUEUED, next_attempt_at__gt=overdue
        ).update(next_attempt_at=overdue)
        return False
    return True


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off: base, 2×base, 4×base … after the 1st, 2nd, 3rd failure."""
    return timedelta(seconds=settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))


class TransientSendError(Exception):
    """Delivery failed for a reason that may pass; the message is queued again."""

    def __init__(self, error: str, delay: timedelta):
        # Plain arguments, so that Celery can pickle the exception with a retry.
        super().__init__(error, delay)
        self.delay = delay

    def __str__(self) -> str:
        return self.args[0]


def claim(message_id: int) -> OutboxMessage | None:
    """Take a queued message for sending; None if another worker has it or it is done."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxMessage.Status.QUEUED
    ).update(status=OutboxMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return None
    return OutboxMessage.objects.get(pk=message_id)


def deliver(message_id: int) -> OutboxMessage | None:
    """Send one queued message over SMTP and record the outcome.

    Side effects: SMTP; the row moves to sent, back to queued (transient error, raises
    TransientSendError so the task retries later) or to failed (permanent error, or too
    many attempts). Safe to run twice: the second run finds nothing queued to claim.
    """
    message = claim(message_id)
    if message is None:
        return None
    try:
        rendered = render_email(message.template, message.context, message.language)
        email = EmailMultiAlternatives(
            subject=rendered.subject,
            body=rendered.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={**message.headers, "Message-ID": _message_id(message)},
        )
        email.attach_alternative(rendered.html, "text/html")
        message.subject = rendered.subject[:300]
        email.send()
    except Exception as exc:
        # A refused recipient or a broken template will not mend itself by waiting.
        return _record_failure(message, exc, transient=is_transient(exc))
    message.status = OutboxMessage.Status.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    _remove_secrets(message)
    message.save(update_fields=["status", "sent_at", "last_error", "subject", "context"])
    return message


def _remove_secrets(message: OutboxMessage) -> None:
    # Once delivered (or given up on), a one-time link has no business in the database.
    secret_keys = message.context.pop(SECRET_KEYS, None)
    if secret_keys:
        for name in secret_keys:
            message.context.pop(name, None)
        message.context[SECRETS_REMOVED] = secret_keys


def _message_id(message: OutboxMessage) -> str:
    # Stable per row: should a crash make us send twice, mail clients can tell.
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ")
    return f"<outbox-{message.pk}@{domain}>"


def _record_failure(message: OutboxMessage, exc: Exception, *, transient: bool) -> OutboxMessage:
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if transient and message.attempts < settings.OUTBOX_MAX_ATTEMPTS:
        delay = retry_delay(message.attempts)
        message.status = OutboxMessage.Status.QUEUED
        message.next_attempt_at = timezone.now() + delay
        message.save(update_fields=["status", "next_attempt_at", "last_error", "subject"])
        logger.warning("E-mail %s not sent, retrying in %s: %s", message.pk, delay, exc)
        raise TransientSendError(message.last_error, delay)
    message.status = OutboxMessage.Status.FAILED
    _remove_secrets(message)
    message.save(update_fields=["status", "last_error", "subject", "context"])
    logger.error(
        "E-mail %s failed for good after %s attempts: %s", message.pk, message.attempts, exc
    )
    return message


def requeue_stuck(*, now: datetime | None = None) -> list[int]:
    """Hand messages a lost task left behind to the worker again.

    Side effects: stuck `sending` rows go back to `queued`; one send task per message
    whose time has come. Sending stays safe to repeat, so an extra task costs nothing.
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS)
    ids = list(
        OutboxMessage.objects.stuck(sending_before=stale, queued_before=stale).values_list(
            "pk", flat=True
        )
    )
    OutboxMessage.objects.filter(
        pk__in=ids, status=OutboxMessage.Status.SENDING, claimed_at__lt=stale
    ).update(status=OutboxMessage.Status.QUEUED)
    for message_id in ids:
        _send_after_commit(message_id)
    return ids


def resend(message: OutboxMessage) -> bool:
    """Queue a failed message again, with a fresh count of attempts (secretariat's action).

    False for a message whose secret (a one-time link) was removed: without it the mail
    would be useless; ask for a new link or invitation instead.
    """
    updated = (
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.FAILED)
        .exclude(context__has_key=SECRETS_REMOVED)
        .update(
            status=OutboxMessage.Status.QUEUED,
            attempts=0,
            next_attempt_at=timezone.now(),
            last_error="",
        )
    )
    if updated:
        _send_after_commit(message.pk)
    return bool(updated)
