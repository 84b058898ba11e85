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


def canonical(content: dict) -> bytes:
    """The bytes an entry's digest is taken over. `at` must be an aware datetime."""
    values = {field: content[field] for field in CONTENT_FIELDS}
    at: datetime = values["at"]
    values["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(content: dict) -> str:
    return hashlib.sha256(canonical(content)).hexdigest()


def link(previous_chain_hash: str, entry_digest: str) -> str:
    return hashlib.sha256((previous_chain_hash + entry_digest).encode()).hexdigest()
