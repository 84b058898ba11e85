"""Writing the audit log (`record`) and checking it (`verify`)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils import timezone

from audit import chain
from audit.models import Action, AuditEntry, ChainHead

MAX_LABEL = 200
# Small facts only: ids, counts, formats, flags. Long strings are a sign of content.
MAX_DATA_STRING = 100
MAX_DATA_KEYS = 20


def _person_label(user) -> str:
    # A name and a role, never the e-mail address: the pk identifies the person.
    name = user.get_full_name().strip() or f"#{user.pk}"
    # Stored words, not translated ones: the digest covers them. Swedish, as the interface.
    if user.is_superuser:
        role = "administratör"
    elif user.is_staff:
        role = "kansliet"
    else:
        role = ""
    return f"{name} ({role})" if role else name


def _target_label(target: models.Model) -> str:
    user_model = get_user_model()
    if isinstance(target, user_model):
        return _person_label(target)
    if isinstance(getattr(target, "user", None), user_model):
        # A juror is named like a person (getattr above checked that it has a user).
        return _person_label(target.user)  # type: ignore[attr-defined]
    return str(target)


def _checked_data(data: dict | None) -> dict:
    data = dict(data or {})
    if len(data) > MAX_DATA_KEYS:
        raise ValueError("Audit data holds small facts, not records.")
    for key, value in data.items():
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if isinstance(item, float) or not isinstance(item, str | int | bool | type(None)):
                # Floats do not survive a JSON round trip byte for byte; the digest would.
                raise TypeError(f"Audit data {key!r}: only strings, integers, booleans, None.")
            if isinstance(item, str) and len(item) > MAX_DATA_STRING:
                raise ValueError(f"Audit data {key!r} is too long to be a small fact.")
        if isinstance(value, tuple):
            data[key] = list(value)
    return data


def record(
    action: str,
    *,
    actor,
    target: models.Model | None = None,
    edition=None,
    data: dict | None = None,
) -> AuditEntry:
    """Append one entry to the audit log and return it.

    Call it inside the transaction of the action it records, as its last step: the entry
    then exists exactly when the action does (a rolled-back action leaves no entry), and the
    chain head's lock, which every writer takes, is held only until that commit. It also
    works alone, in autocommit (for a page opened or a file downloaded, which change nothing
    else): on PostgreSQL it is one statement, elsewhere it opens its own transaction.

    `actor` is a user or None (the system); `target` any saved model instance; `edition`
    an Edition (or its year), else the target's edition if it has one. `data` holds small
    facts (ids, counts, formats), never personal content nor what a ballot or a score says.

    Side effects: one AuditEntry row; the ChainHead row's count and hash move on.
    Raises ValueError for an unregistered action.
    """
    if action not in Action.values:
        raise ValueError(f"Unregistered audit action: {action!r}")
    data = _checked_data(data)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if edition is None and target is not None:
        # By name, not by import: the audit app sits below the apps it records.
        is_edition = target._meta.label_lower == "nominations.edition"
        edition = target if is_edition else getattr(target, "edition", None)
    edition_year = getattr(edition, "year", edition)
    entry = AuditEntry(
        at=timezone.now(),
        actor=actor,
        actor_label=_person_label(actor)[:MAX_LABEL] if actor is not None else "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=_target_label(target)[:MAX_LABEL] if target is not None else "",
        edition_year=edition_year,
        data=data,
    )
    if connection.vendor == "postgresql":
        append_in_one_statement(entry)
    else:
        append_under_lock(entry)
    return entry


def append_under_lock(entry: AuditEntry) -> None:
    """Chain `entry` (not yet saved) after the head and save it: lock the head, read it,
    insert, move the head on (three statements). For databases other than PostgreSQL."""
    with transaction.atomic():
        # Locked: writers queue here, so no two entries ever follow the same predecessor.
        head = ChainHead.objects.select_for_update().filter(id=1).first()
        if head is None:
            _create_chain_head()
            head = ChainHead.objects.select_for_update().get(id=1)
        entry.position = head.count + 1
        entry.digest = chain.digest(_content(entry))
        entry.chain_hash = chain.link(head.head_hash or chain.GENESIS, entry.digest)
        entry.save(force_insert=True)
        head.count = entry.position
        head.head_hash = entry.chain_hash
        head.save(update_fields=["count", "head_hash"])


def _create_chain_head() -> None:
    # Race-free: a flushed test database has no head yet, and two writers may find that out.
    ChainHead.objects.bulk_create([ChainHead(id=1)], ignore_conflicts=True)


# The chain of `append_under_lock` in one round trip instead of three (every page a juror or
# the secretariat opens writes an entry). The UPDATE takes the head's row lock, held until the
# caller's transaction ends, and moves the head on; PostgreSQL hashes the canonical bytes made
# in Python with the new position's digits in between (see `canonical_around_position`) and
# inserts the entry with that digest and chain hash.
_DIGEST = (
    "encode(sha256(%(opening)s || convert_to(({position})::text, 'UTF8') || %(closing)s), 'hex')"
)
_APPEND = """
    WITH head AS (
        UPDATE {head_table}
        SET count = count + 1,
            head_hash = encode(sha256(convert_to(
                COALESCE(NULLIF(head_hash, ''), %(genesis)s) || {digest_of_next}, 'UTF8'
            )), 'hex')
        WHERE id = 1
        RETURNING count, head_hash
    )
    INSERT INTO {entry_table} ({columns}, position, digest, chain_hash)
    SELECT {values}, count, {digest_of_count}, head_hash FROM head
    RETURNING id, position, digest, chain_hash
"""
# Written by the statement, not given to it.
_CHAINED = {"id", "position", "digest", "chain_hash"}


def append_in_one_statement(entry: AuditEntry) -> None:
    """Chain `entry` (not yet saved) after the head and save it, in one statement. The
    chain is the one `append_under_lock` makes, and `verify` checks. PostgreSQL only."""
    fields = [f for f in AuditEntry._meta.concrete_fields if f.attname not in _CHAINED]
    opening, closing = chain.canonical_around_position(_content(entry))
    params: dict[str, Any] = {
        "opening": opening,
        "closing": closing,
        "genesis": chain.GENESIS,
        **{f.attname: f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields},
    }
    quote = connection.ops.quote_name
    sql = _APPEND.format(
        head_table=quote(ChainHead._meta.db_table),
        entry_table=quote(AuditEntry._meta.db_table),
        columns=", ".join(quote(cast(str, f.column)) for f in fields),
        values=", ".join(f"%({f.attname})s" for f in fields),
        digest_of_next=_DIGEST.format(position="count + 1"),
        digest_of_count=_DIGEST.format(position="count"),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:  # no chain head yet
            _create_chain_head()
            cursor.execute(sql, params)
            row = cursor.fetchone()
    entry.pk, entry.position, entry.digest, entry.chain_hash = row
    entry._state.adding = False
    entry._state.db = connection.alias


def _content(entry: AuditEntry) -> dict:
    return {field: getattr(entry, field) for field in chain.CONTENT_FIELDS}


# --- Verification -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    """The first entry where the log stops being what was written, and why."""

    entry_id: int | None
    at: datetime | None
    action: str
    reason: str


@dataclass(frozen=True)
class Verification:
    count: int
    head_hash: str
    broken: Broken | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("position").iterator(chunk_size=2000)


def verify() -> Verification:
    """Recompute every digest and the chain in order, then compare with the chain head.

    Finds a changed entry (its digest), a removed or inserted one (the positions and the
    chain), and a cut-off tail (the head's count and hash). Reads only.
    """
    previous = chain.GENESIS
    count = 0
    for entry in _entries():
        count += 1
        reason = None
        if entry.position != count:
            reason = f"position {entry.position} where {count} was expected: an entry is missing"
        elif chain.digest(_content(entry)) != entry.digest:
            reason = "its content does not match its digest"
        elif chain.link(previous, entry.digest) != entry.chain_hash:
            reason = "its chain hash does not follow from the entry before it"
        if reason:
            broken = Broken(entry.pk, entry.at, entry.action, reason)
            return Verification(count - 1, previous, broken)
        previous = entry.chain_hash
    head = ChainHead.objects.filter(id=1).first()
    head_count, head_hash = (head.count, head.head_hash) if head else (0, "")
    if head_count != count or (count and head_hash != previous):
        reason = (
            f"the chain head records {head_count} entries ending in {head_hash or '–'}, "
            f"but {count} entries ending in {previous} are stored: the tail was cut off "
            "or the head was changed"
        )
        return Verification(count, previous, Broken(None, None, "", reason))
    return Verification(count, previous, None)
