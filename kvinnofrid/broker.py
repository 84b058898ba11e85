"""Handing a task to the broker from a request, which must not fail when the broker is down.

Whoever calls this has written what is owed on a committed row first, so a task that could
not be published is done later by that app's sweep: the request answers as usual.
"""

import logging

from celery import Task
from kombu.exceptions import KombuError
from redis.exceptions import RedisError


def hand_over(task: Task, *, what: str, logger: logging.Logger, **kwargs) -> bool:
    """Publish `task` with `kwargs`; False, and an error naming `what` in the caller's
    `logger`, if the broker cannot be reached."""
    try:
        task.delay(**kwargs)
    except (KombuError, RedisError, OSError):
        logger.exception("%s could not be handed to the broker; the sweep will do it later.", what)
        return False
    return True
