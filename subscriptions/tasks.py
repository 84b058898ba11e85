from celery import shared_task

from subscriptions import services


@shared_task(name="subscriptions.fan_out_news")
def fan_out_news(*, news_id: int, after_pk: int = 0) -> int:
    """Queue one batch of a piece of news, then enqueue the next batch.

    Side effects: see `subscriptions.services.fan_out_batch`. Returns quietly (0) if the
    news is gone; safe to run twice (the outbox keys are per news and subscriber).
    """
    return services.fan_out_batch(news_id=news_id, after_pk=after_pk)


@shared_task(name="subscriptions.announce_calls")
def announce_calls() -> int:
    """Beat runs this every few minutes: the call-opening and deadline news that are due.

    Side effects: see `subscriptions.services.announce_calls`. Safe to run twice and at the
    same time: each piece of news is a row with a unique constraint, claimed before sending.
    """
    return services.announce_calls()


@shared_task(name="subscriptions.forget_unconfirmed")
def forget_unconfirmed() -> int:
    """Beat runs this daily: addresses never confirmed are deleted once their link expired."""
    return services.forget_unconfirmed()
