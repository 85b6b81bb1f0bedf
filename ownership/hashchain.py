"""Hash chains for append-only logs (the custody log, the audit log).

Each entry's hash is the SHA-256 of its own fields, written as canonical JSON (``ownership.checksums``),
together with the hash of the entry before it. Changing any field of any entry, deleting an entry, or
reordering entries changes a hash that a later entry (or the stored hash itself) no longer matches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ownership.checksums import canonical_json

GENESIS = "0" * 64


def entry_hash(fields: dict[str, Any], previous_hash: str) -> str:
    return hashlib.sha256(previous_hash.encode() + b"\n" + canonical_json(fields)).hexdigest()


@dataclass(frozen=True)
class ChainEntry:
    """One stored entry as read back: its label for messages, its fields, and the hashes it carries."""

    label: str
    fields: dict[str, Any]
    previous_hash: str
    stored_hash: str


@dataclass(frozen=True)
class ChainBreak:
    label: str
    reason: str


def first_break(entries: Iterable[ChainEntry]) -> ChainBreak | None:
    """The first entry, in order, whose content or link does not match; None when the chain is intact."""
    previous = GENESIS
    for entry in entries:
        if entry.previous_hash != previous:
            return ChainBreak(entry.label, "does not follow the entry before it (an entry was removed or reordered)")
        if entry_hash(entry.fields, entry.previous_hash) != entry.stored_hash:
            return ChainBreak(entry.label, "its content was changed after it was written")
        previous = entry.stored_hash
    return None
