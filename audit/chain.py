"""The hash chain, as pure functions: an entry's digest and how digests are chained.

digest = SHA-256 of the entry's canonical content (sorted-key JSON, UTC time);
chain_hash = SHA-256 of the previous chain hash followed by the digest. The chain covers
digests, not content: a later redaction could replace an entry's content and keep its
digest, and the chain after it would still verify.
"""

import hashlib
import json
from datetime import UTC, datetime

GENESIS = "0" * 64
CONTENT_FIELDS = (
    "position",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "edition_year",
    "data",
)


def _dumps(values: dict) -> bytes:
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def canonical_around_position(content: dict) -> tuple[bytes, bytes]:
    """The canonical bytes before and after the position's digits. The position is known
    only once the chain head has moved on, inside the database's statement
    (`audit.services`), which puts the digits between the two and hashes. `content` need not
    hold the position; `at` must be an aware datetime."""
    values = {field: content[field] for field in CONTENT_FIELDS if field != "position"}
    at: datetime = values["at"]
    values["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    # Sorted keys: those before "position" come before it, the rest after.
    before = {key: value for key, value in values.items() if key < "position"}
    after = {key: value for key, value in values.items() if key > "position"}
    opening = _dumps(before)[:-1] + (b"," if before else b"") + b'"position":'
    closing = (b"," + _dumps(after)[1:]) if after else b"}"
    return opening, closing


def canonical(content: dict) -> bytes:
    """The bytes an entry's digest is taken over: sorted-key JSON, `at` in UTC."""
    opening, closing = canonical_around_position(content)
    return opening + json.dumps(content["position"]).encode() + closing


def digest(content: dict) -> str:
    return hashlib.sha256(canonical(content)).hexdigest()


def link(previous_chain_hash: str, entry_digest: str) -> str:
    return hashlib.sha256((previous_chain_hash + entry_digest).encode()).hexdigest()
