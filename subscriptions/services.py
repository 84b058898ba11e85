"""Subscribing, confirming, unsubscribing, and sending news to every subscriber.

`queue_news` is what other apps call (publication, for the winner); beat calls
`announce_calls` for the call opening and the deadline approaching.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse, translate_url
from django.utils import timezone, translation

from kvinnofrid import ratelimit
from nominations.models import Edition
from outbox.services import enqueue_email
from subscriptions import tokens
from subscriptions.models import News, Subscriber
from subscriptions.selectors import Confirmation

logger = logging.getLogger(__name__)

CALL_OPENED = "call_opened"
DEADLINE = "deadline"


def _absolute(view_name: str, language: str, *args) -> str:
    # Links in e-mails come from SITE_URL, never from a request's Host header.
    with translation.override(language):
        return settings.SITE_URL + reverse(view_name, args=args)


def _in_language(url: str, language: str) -> str:
    """One of our own URLs in `language` (the winner's page under /en/ for English readers);
    any other URL as it is."""
    if not url.startswith(settings.SITE_URL + "/"):
        return url
    for code, _name in settings.LANGUAGES:
        # The path resolves only in the language it is written in.
        with translation.override(code):
            translated = translate_url(url, language)
        if translated != url:
            return translated
    return url


# --- Subscribing ---------------------------------------------------------------------------


def subscribe(*, email: str, language: str, client_ip: str) -> None:
    """Ask for news at `email`; the answer to the visitor is the same whatever happens here.

    Side effects: a new address gets an unconfirmed Subscriber row (in `language`) and a
    confirmation e-mail; an unconfirmed one gets the e-mail again (rate limited); a confirmed
    one gets nothing, and nothing about an existing row changes.
    """
    email = email.strip()
    if not (
        ratelimit.allow(f"subscribe:email:{email.lower()}", limit=3, window_seconds=60 * 60)
        and ratelimit.allow(f"subscribe:ip:{client_ip}", limit=20, window_seconds=60 * 60)
    ):
        logger.info("Subscription request rate limited")
        return
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().with_email(email).first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(email=email, language=language)
            except IntegrityError:
                # Another request created it a moment ago; that one sends the e-mail.
                return
        if subscriber.confirmed_at is not None:
            return
        token = tokens.confirm_token(subscriber.pk)
        enqueue_email(
            recipient=subscriber.email,
            template="subscription_confirm",
            context={
                "url": _absolute("subscriptions:confirm", subscriber.language, token),
                "valid_days": settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS,
            },
            language=subscriber.language,
            key=f"subscription-confirm:{subscriber.pk}:{token.rsplit(':', 1)[-1]}",
        )


def confirm_subscription(*, token: str) -> Confirmation:
    """Confirm the address a confirmation link was sent to.

    Side effects: sets `confirmed_at`, once. A forged or expired link, or one whose
    subscriber is gone, changes nothing (INVALID); a second use changes nothing (ALREADY).
    """
    subscriber_id = tokens.read_confirm_token(token)
    if subscriber_id is None:
        return Confirmation.INVALID
    confirmed = Subscriber.objects.filter(pk=subscriber_id, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    if confirmed:
        return Confirmation.CONFIRMED
    if Subscriber.objects.filter(pk=subscriber_id).exists():
        return Confirmation.ALREADY
    return Confirmation.INVALID


def unsubscribe(*, subscriber_id: int) -> None:
    """Stop all news to this subscriber. Side effect: the row is deleted, nothing is kept.

    Safe to repeat: an unknown or already removed subscriber is simply not there.
    """
    Subscriber.objects.filter(pk=subscriber_id).delete()


def forget_unconfirmed(*, now: datetime | None = None) -> int:
    """Delete addresses never confirmed while their link could still be used; return how many.

    Side effect: deletes Subscriber rows unconfirmed for longer than the link's lifetime, so
    an address someone typed in but never confirmed is not kept.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS)
    deleted, _ = Subscriber.objects.unconfirmed_since_before(cutoff).delete()
    return deleted


# --- News ---------------------------------------------------------------------------------


def queue_news(*, kind: str, edition_id: int, template: str, context: dict) -> None:
    """Send one piece of news to every confirmed subscriber, each in their own language.

    `template` names `templates/emails/<template>_*`; `context` (JSON-serialisable) is
    given to it, with `unsubscribe_url` added per subscriber.

    Side effects: one News row and, after commit, a `subscriptions.fan_out_news` task that
    writes the outbox rows batch by batch. A second call for the same kind and edition
    does nothing: each piece of news goes out once.
    """
    _queue(kind=kind, edition_id=edition_id, offset_days=0, template=template, context=context)


def _queue(
    *, kind: str, edition_id: int, offset_days: int, template: str, context: dict
) -> News | None:
    with transaction.atomic():
        try:
            with transaction.atomic():
                news = News.objects.create(
                    kind=kind,
                    edition_id=edition_id,
                    offset_days=offset_days,
                    template=template,
                    context=context,
                )
        except IntegrityError:
            logger.info("News %s for edition %s was already queued", kind, edition_id)
            return None
        _fan_out_after_commit(news.pk, after_pk=0)
    return news


def _fan_out_after_commit(news_id: int, *, after_pk: int) -> None:
    from subscriptions.tasks import fan_out_news

    transaction.on_commit(lambda: fan_out_news.delay(news_id=news_id, after_pk=after_pk))


def fan_out_batch(*, news_id: int, after_pk: int) -> int:
    """Queue the news for the next batch of confirmed subscribers (pk > `after_pk`).

    Side effects: one outbox e-mail per subscriber in the batch, in the subscriber's
    language, with an unsubscribe link and the List-Unsubscribe headers (RFC 8058); when the
    batch is full, a task for the next one after commit. Safe to run twice: the outbox key
    `news:<kind>:<edition>:<subscriber>` never sends twice. Returns the batch's size.
    """
    news = News.objects.filter(pk=news_id).first()
    if news is None:
        return 0
    size = settings.SUBSCRIPTIONS_BATCH_SIZE
    with transaction.atomic():
        batch = list(Subscriber.objects.confirmed().filter(pk__gt=after_pk).order_by("pk")[:size])
        for subscriber in batch:
            unsubscribe_url = _absolute(
                "subscriptions:unsubscribe",
                subscriber.language,
                tokens.unsubscribe_token(subscriber.pk),
            )
            context = {**news.context, "unsubscribe_url": unsubscribe_url}
            if isinstance(context.get("url"), str):
                context["url"] = _in_language(context["url"], subscriber.language)
            enqueue_email(
                recipient=subscriber.email,
                template=news.template,
                context=context,
                language=subscriber.language,
                key=f"news:{news.key_kind}:{news.edition_id}:{subscriber.pk}",
                headers={
                    # The angle brackets are part of the header's syntax (RFC 2369).
                    "List-Unsubscribe": f"<{unsubscribe_url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
        if len(batch) == size:
            _fan_out_after_commit(news.pk, after_pk=batch[-1].pk)
    return len(batch)


# --- Beat: the call opening and the deadline approaching ----------------------------------


def deadline_news_due_at(deadline: datetime, days: int) -> datetime:
    """`days` calendar days before the deadline, at the same local time of day (so a change
    to or from daylight saving time in between does not move it by an hour)."""
    local = timezone.localtime(deadline)
    return timezone.make_aware(local.replace(tzinfo=None) - timedelta(days=days))


def announce_calls(*, now: datetime | None = None) -> int:
    """Queue the call-opening and deadline news that are due and not yet done; return how
    many were queued.

    A call opened within SUBSCRIPTIONS_CALL_NEWS_WITHIN_DAYS and still open gets its opening
    news (older ones are let be, so a fresh install does not write about past years). Each
    offset in SUBSCRIPTIONS_DEADLINE_NEWS_DAYS gets its news once, while the call is open.
    When several offsets are due at once (beat was down), only the nearest is sent and the
    others are recorded as done; an offset due before the call opened is only recorded.

    Side effects: News rows and, through `_queue`, fan-out tasks after commit.
    """
    now = now or timezone.now()
    queued = 0
    open_calls = Edition.objects.filter(
        nominations_open_at__lte=now, nominations_close_at__gt=now
    ).order_by("year")
    recent = now - timedelta(days=settings.SUBSCRIPTIONS_CALL_NEWS_WITHIN_DAYS)
    for edition in open_calls.filter(nominations_open_at__gt=recent).exclude(
        news__kind=CALL_OPENED
    ):
        if _queue(
            kind=CALL_OPENED,
            edition_id=edition.pk,
            offset_days=0,
            template="news_call_opened",
            context=_call_context(edition),
        ):
            queued += 1
    for edition in open_calls:
        queued += _announce_deadline(edition, now)
    return queued


def _announce_deadline(edition: Edition, now: datetime) -> int:
    # Only open calls come here (the caller filters on both dates), so neither is None.
    closes_at: datetime = edition.nominations_close_at  # type: ignore[assignment]
    opens_at: datetime = edition.nominations_open_at  # type: ignore[assignment]
    done = set(edition.news.filter(kind=DEADLINE).values_list("offset_days", flat=True))
    offsets = {
        days for days in settings.SUBSCRIPTIONS_DEADLINE_NEWS_DAYS if days > 0 and days not in done
    }
    due = sorted(days for days in offsets if now >= deadline_news_due_at(closes_at, days))
    if not due:
        return 0
    nearest, moot = due[0], due[1:]
    with transaction.atomic():
        for days in moot:
            News.objects.get_or_create(
                kind=DEADLINE, edition=edition, offset_days=days, defaults={"fanned_out": False}
            )
        if deadline_news_due_at(closes_at, nearest) <= opens_at:
            # The call opened after this warning's time: the opening news says it all.
            News.objects.get_or_create(
                kind=DEADLINE, edition=edition, offset_days=nearest, defaults={"fanned_out": False}
            )
            return 0
        news = _queue(
            kind=DEADLINE,
            edition_id=edition.pk,
            offset_days=nearest,
            template="news_deadline",
            context={**_call_context(edition), "days": nearest},
        )
    return 1 if news else 0


def _call_context(edition: Edition) -> dict:
    # Called for open calls only, whose closing time is set.
    closes_at = edition.nominations_close_at.isoformat()  # type: ignore[union-attr]
    return {"year": edition.year, "closes_at": closes_at}
