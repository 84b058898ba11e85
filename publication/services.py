"""State changes of the announcement: publishing the citation."""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from publication.models import Announcement

logger = logging.getLogger(__name__)


def publish_due_announcements(*, now: datetime | None = None) -> list[Announcement]:
    """Publish every announcement whose time has come and that is not yet published.

    Side effects: sets `published_at`. Safe to run twice or concurrently: each row is
    claimed by a conditional UPDATE, so only one run publishes it.
    """
    now = now or timezone.now()
    published = []
    for announcement_id in Announcement.objects.due(now).values_list("pk", flat=True):
        with transaction.atomic():
            claimed = Announcement.objects.filter(
                pk=announcement_id, published_at__isnull=True
            ).update(published_at=now)
            if claimed:
                announcement = Announcement.objects.select_related("edition").get(
                    pk=announcement_id
                )
                logger.info("Published the citation of %s", announcement.edition)
                published.append(announcement)
    return published
