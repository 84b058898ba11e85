"""The Celery application: every background job of the platform runs through it."""

import logging
import os

from celery import Celery
from celery.signals import task_failure

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvinnofrid.settings")

app = Celery("kvinnofrid")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger("kvinnofrid.tasks")


@task_failure.connect
def log_task_failure(sender=None, task_id=None, exception=None, args=None, kwargs=None, **_):
    # A failed background job is someone's missing e-mail or unpublished citation:
    # say so loudly, with enough to find the row again.
    logger.error(
        "Task %s (%s) failed with kwargs=%r: %r",
        getattr(sender, "name", sender),
        task_id,
        kwargs,
        exception,
    )
