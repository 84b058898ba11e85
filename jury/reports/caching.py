"""Computed results kept until what they are computed from changes.

Every edition has a version token in the shared cache; anything that changes a score, a
conflict of interest, a criterion, a juror or a nominee's candidacy replaces it (see
jury/receivers.py). Each web process keeps the last few reports it computed, keyed by the
edition, its token and the reader's hidden nominees: a page that finds its token unchanged
uses the report as it is, with no query and no unpickling.

The token is replaced at once, for the process that made the change and for a test's own
transaction, and again after commit, so that a report another process computed from the
rows before the commit is not kept under the new token. With the cache down there is no
token and every request computes afresh.
"""

import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

# Enough for the chair, a conflicted reader or two and the secretariat, in a few editions.
KEPT_REPORTS = 8
_kept: OrderedDict = OrderedDict()
_lock = threading.Lock()


def _key(edition_id: int) -> str:
    return f"jury:results-version:{edition_id}"


def results_version(edition_id: int) -> str | None:
    """The edition's current token; None when the cache cannot be reached."""
    try:
        token = cache.get(_key(edition_id))
        if token is None:
            cache.add(_key(edition_id), uuid.uuid4().hex, timeout=None)
            token = cache.get(_key(edition_id))
    except Exception:
        logger.warning("No results version for edition %s: the cache is unreachable", edition_id)
        return None
    return token


def _replace(edition_id: int) -> None:
    try:
        cache.set(_key(edition_id), uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("Could not replace the results version of edition %s", edition_id)


def results_changed(edition_id: int, *, after_commit: bool = True) -> None:
    """The edition's results must be computed again: now and (unless `after_commit` is
    False) after commit. Without the second replacement a report computed by another process
    between the two, from the rows before the commit, could be kept until the next change:
    nominations and nominees (screening, a submission) take that small risk rather than add
    an on-commit callback to every save of a nomination."""
    _replace(edition_id)
    if after_commit:
        transaction.on_commit(lambda: _replace(edition_id))


def kept(edition_id: int, hidden: frozenset[int], compute: Callable):
    """The report computed by `compute()`, or the one kept for the same token and reader."""
    token = results_version(edition_id)
    if token is None:
        return compute()
    key = (edition_id, token, tuple(sorted(hidden)))
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    report = compute()
    with _lock:
        _kept[key] = report
        while len(_kept) > KEPT_REPORTS:
            _kept.popitem(last=False)
    return report
