"""Hash chains for append-only logs: the custody log of each matter and the portal's audit log.

Both logs are models built on ``ChainedEntry`` and written and checked by the two functions here, ``append``
and ``first_break``. Each entry's hash is the SHA-256 of its own fields, written as canonical JSON
(``checksums``), together with the hash of the entry before it. Changing any field of any entry, deleting an
entry, or reordering entries changes a hash that a later entry (or the stored hash itself) no longer matches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from ownership.shared.checksums import canonical_json

GENESIS = "0" * 64


class AppendOnlyViolation(Exception):
    """An entry of an append-only log was about to be changed or deleted."""


class ChainedEntry(models.Model):
    """One entry of an append-only, hash-chained log.

    A concrete log adds its ``sequence`` (numbered from 1 within its chain) and its own fields, and lists in
    ``chained_fields`` what the hash covers. Entries are written only through ``append``; saving an entry that
    exists, or deleting one, raises ``change_forbidden``.
    """

    change_forbidden: type[Exception] = AppendOnlyViolation
    sequence: int  # a field of each concrete log: its width and uniqueness differ

    created_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_name = models.CharField(max_length=300, help_text="Who, as named when the entry was written.")
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk:
            raise self.change_forbidden(f"{str(self._meta.verbose_name_plural).capitalize()} are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise self.change_forbidden(f"{str(self._meta.verbose_name_plural).capitalize()} are append-only.")

    def chained_fields(self) -> dict[str, Any]:
        """What the entry's hash covers."""
        raise NotImplementedError

    def chain_label(self) -> str:
        """How a broken entry is named in an integrity report."""
        return str(self)


Entry = TypeVar("Entry", bound=ChainedEntry)


def entry_hash(fields: dict[str, Any], previous_hash: str) -> str:
    return hashlib.sha256(previous_hash.encode() + b"\n" + canonical_json(fields)).hexdigest()


def append(entry: Entry, *, after: ChainedEntry | None, actor: Any, nobody: str) -> Entry:
    """Number, link, seal and save ``entry`` as the one following ``after`` (None: the chain's first entry).

    ``actor`` is the user it is written for, or None / an anonymous user, who is then named ``nobody``. The
    caller holds the lock that serialises appends to this chain, inside the transaction of the change.
    """
    signed_in = getattr(actor, "pk", None) is not None
    entry.actor = actor if signed_in else None
    entry.actor_name = actor.get_full_name() if signed_in else nobody
    entry.sequence = after.sequence + 1 if after else 1
    entry.previous_hash = after.entry_hash if after else GENESIS
    entry.entry_hash = entry_hash(entry.chained_fields(), entry.previous_hash)
    entry.save(force_insert=True)
    return entry


def append_to_log(entry: Entry, *, lock: int, actor: Any, nobody: str) -> Entry:
    """Append ``entry`` to its log when the whole table is one chain (the audit log, the registry of issued
    documents): appends are serialised by the advisory lock ``lock`` on PostgreSQL, and on SQLite by the write
    transaction itself (the settings open it IMMEDIATE). Call it inside the transaction of the change."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
    last = type(entry)._default_manager.order_by("-sequence").only("sequence", "entry_hash").first()
    return append(entry, after=last, actor=actor, nobody=nobody)


@dataclass(frozen=True)
class ChainBreak:
    label: str
    reason: str

    def __str__(self) -> str:
        return f"{self.label}: {self.reason}"


def first_break(entries: Iterable[ChainedEntry]) -> ChainBreak | None:
    """The first entry, in order, whose content or link does not match; None when the chain is intact."""
    previous = GENESIS
    for entry in entries:
        if entry.previous_hash != previous:
            return ChainBreak(
                entry.chain_label(), "does not follow the entry before it (an entry was removed or reordered)"
            )
        if entry_hash(entry.chained_fields(), entry.previous_hash) != entry.entry_hash:
            return ChainBreak(entry.chain_label(), "its content was changed after it was written")
        previous = entry.entry_hash
    return None
