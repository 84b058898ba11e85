from celery import shared_task

from publication import services


@shared_task(name="publication.publish_due_announcements")
def publish_due_announcements() -> int:
    """Beat runs this every minute; it publishes what is due and not yet published."""
    return len(services.publish_due_announcements())
