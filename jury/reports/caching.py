"""Computed results kept until what they are computed from changes.

Every edition has a version token in the shared cache; anything that changes a score, a
conflict of interest, a criterion, a juror or a nominee's candidacy replaces it (see
jury/receivers.py). Each web process keeps the last few reports it computed, keyed by the
edition, its token and the reader's hidden nominees: a page that finds its token unchanged
uses the report as it is, with no query and no unpickling. The results page's rendered
figures (its tables and chart for one page, filter and order) are kept the same way, and
in the shared cache too (`kept_fragment`): the first process to render them after a change
stores them there, and another process asking at the same time waits for them rather than
compute the same results again (the first request after a change costs one computation
for all the web processes, not one each).

The token is replaced at once, for the process that made the change and for a test's own
transaction, and again after commit, so that a report another process computed from the
rows before the commit is not kept under the new token. With the cache down there is no
token and every request computes afresh.
"""

import hashlib
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

# Enough for the chair, a conflicted reader or two and the secretariat, in a few editions.
KEPT_REPORTS = 8
# Rendered pages of figures: a few readers, each paging, filtering and ordering a little.
KEPT_FRAGMENTS = 32
# A new token makes the shared copies of the figures unreachable at once; this only bounds
# how long the abandoned ones take room in the cache.
SHARED_FRAGMENT_SECONDS = 60 * 60
# How long a process waits for the figures another is rendering before it renders them too
# (that one may have died): longer than the results take to compute at 2,000 nominees.
RENDER_WAIT_SECONDS = 10
RENDER_POLL_SECONDS = 0.01


class _Kept:
    """The last `size` values computed, by key; the least recently used goes first."""

    def __init__(self, size: int):
        self.size = size
        self.values: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, compute: Callable):
        with self.lock:
            if key in self.values:
                self.values.move_to_end(key)
                return self.values[key]
        value = compute()
        with self.lock:
            self.values[key] = value
            while len(self.values) > self.size:
                self.values.popitem(last=False)
        return value


_reports = _Kept(KEPT_REPORTS)
_fragments = _Kept(KEPT_FRAGMENTS)


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
    return _reports.get((edition_id, token, tuple(sorted(hidden))), compute)


def kept_fragment(edition_id: int, key: tuple, render: Callable[[], str]) -> str:
    """The markup `render()` makes of an edition's results, kept like the reports: until
    anything they rest on changes, in this process and in the shared cache for the others.
    `key` says everything else the markup depends on (the reader's hidden nominees and role,
    the language, the query string)."""
    token = results_version(edition_id)
    if token is None:
        return render()
    full_key = (edition_id, token, *key)
    return _fragments.get(full_key, lambda: _shared_fragment(full_key, render))


def _shared_fragment(key: tuple, render: Callable[[], str]) -> str:
    name = "jury:results-figures:" + hashlib.sha256(repr(key).encode()).hexdigest()
    rendering = name + ":rendering"
    try:
        markup = cache.get(name)
        if markup is not None:
            return markup
        owner = cache.add(rendering, 1, timeout=RENDER_WAIT_SECONDS)
        if not owner:
            # Another process is rendering them: two computations at once would only slow
            # each other down.
            deadline = time.monotonic() + RENDER_WAIT_SECONDS
            while time.monotonic() < deadline:
                time.sleep(RENDER_POLL_SECONDS)
                markup = cache.get(name)
                if markup is not None:
                    return markup
    except Exception:
        logger.warning("The results' figures are not shared: the cache is unreachable")
        return render()
    try:
        markup = render()
        _quietly(lambda: cache.set(name, markup, timeout=SHARED_FRAGMENT_SECONDS))
    finally:
        if owner:
            _quietly(lambda: cache.delete(rendering))
    return markup


def _quietly(write: Callable[[], object]) -> None:
    try:
        write()
    except Exception:
        logger.warning("Could not share the results' figures: the cache is unreachable")
