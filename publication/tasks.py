from celery import shared_task

from publication import services


@shared_task(name="publication.publish_due_announcements")
def publish_due_announcements() -> int:
    """Beat runs this every minute; it publishes what is due and not yet published."""
    return len(services.publish_due_announcements())


# Acknowledged late and rejected when the worker dies, so a worker killed mid-way hands the
# message back; the publication's transaction died with it, and the next run starts afresh.
@shared_task(name="publication.publish_announcement", acks_late=True, reject_on_worker_lost=True)
def publish_announcement(*, announcement_id: int) -> bool:
    """Publish one announcement if it is due (the secretariat's "publish now")."""
    return services.publish_announcement(announcement_id=announcement_id)
