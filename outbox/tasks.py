from celery import shared_task

from outbox import services


@shared_task(bind=True, name="outbox.send_message", max_retries=None)
def send_message(self, *, message_id: int) -> str:
    """Deliver one outbox message; transient SMTP errors retry with exponential back-off.

    The bound on retries is the row's attempt count (OUTBOX_MAX_ATTEMPTS), kept in the
    database so that it survives a lost task.
    """
    try:
        message = services.deliver(message_id)
    except services.TransientSendError as exc:
        raise self.retry(countdown=exc.delay.total_seconds(), exc=exc) from exc
    return message.status if message else "skipped"


@shared_task(name="outbox.requeue_stuck")
def requeue_stuck() -> int:
    """Beat runs this every minute so no message waits forever on a lost task."""
    return len(services.requeue_stuck())
