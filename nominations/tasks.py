from celery import shared_task

from nominations import services


# Acknowledged late: a worker that dies mid-way hands the message back, and a second run
# reads no file twice and queues no second receipt (the claim on the row).
@shared_task(name="nominations.after_nomination_saved", acks_late=True, reject_on_worker_lost=True)
def after_nomination_saved(*, nomination_id: int) -> bool:
    """After a save or a submission commits: read the new attachments, flag the nomination,
    queue the receipt owed."""
    return services.after_nomination_saved(nomination_id=nomination_id)


@shared_task(name="nominations.catch_up_after_saves")
def catch_up_after_saves() -> int:
    """Beat runs this every minute: the after-save work whose task never ran."""
    return len(services.catch_up_after_saves())
