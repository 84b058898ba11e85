"""Writing the audit log (`record`) and checking it (`verify`)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import models, transaction
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
    chain head's lock, which every writer takes, is held only until that commit. It opens
    its own `transaction.atomic()`, so it also works alone (for a page opened or a file
    downloaded, which change nothing else).

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
    with transaction.atomic():
        # Locked: writers queue here, so no two entries ever follow the same predecessor.
        # Created once, race-free, when missing (a flushed test database has no row yet).
        head = ChainHead.objects.select_for_update().filter(id=1).first()
        if head is None:
            ChainHead.objects.bulk_create([ChainHead(id=1)], ignore_conflicts=True)
            head = ChainHead.objects.select_for_update().get(id=1)
        entry = AuditEntry(
            position=head.count + 1,
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
        entry.digest = chain.digest(_content(entry))
        entry.chain_hash = chain.link(head.head_hash or chain.GENESIS, entry.digest)
        entry.save(force_insert=True)
        head.count = entry.position
        head.head_hash = entry.chain_hash
        head.save(update_fields=["count", "head_hash"])
    return entry


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
