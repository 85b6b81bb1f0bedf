"""The writes of listing intake: keep the source and its preview, then import all accepted rows in one
transaction, or none, audited with the source's SHA-256 and the counts.

A source of more than ``SYNC_ROWS`` rows is imported by a worker (``evidence.tasks``); the page follows its
progress, which the walk reports to the cache as it goes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, cast

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from evidence.intake.plan import ImportSummary, listing_statistics_refresh, walk
from evidence.intake.reading import Table, UnreadableFile, max_import_bytes, pasted_table, read_table
from evidence.models import ListingImport, Matter
from ownership.shared.audit import AuditEvent, audit_record
from ownership.shared.files.storage import STORAGE_ERRORS, recorded_or_removed
from ownership.shared.jobs import after_commit, job_claim, job_dispatch, job_finish, job_heartbeat, job_release

logger = logging.getLogger(__name__)

SYNC_ROWS = 1000
# Rows written past which the planner's statistics of the tables an import wrote are refreshed at once: the
# import writes with COPY, and until autovacuum's next round (50 rows + 10% of the table, when it next looks) the
# planner would still count the tables as they were, and choose plans for a few hundred rows, not thousands.
ANALYZE_AFTER_ROWS = 1000
PASTED = "pasted URLs"


def listings_preview(*, matter: Matter, table: Table) -> ImportSummary:
    """What importing ``table`` into ``matter`` would do; nothing is written."""
    return walk(matter, table, write=False)


def listings_import(
    *, matter: Matter, table: Table, by: Any, source: str, sha256: str, on_chunk: Callable[[int], None] | None = None,
    evidence: ListingImport | None = None,
) -> ImportSummary:  # fmt: skip
    """Import the accepted rows of ``table`` into ``matter`` and audit who imported what (``source``, its
    SHA-256) and the counts. Imports into one matter run one at a time (its row is locked). Seller identifiers
    in the rows are recorded only with ``evidence``, the kept file they rest on."""
    with transaction.atomic():
        Matter.objects.select_for_update().filter(pk=matter.pk).first()
        summary = walk(matter, table, write=True, on_chunk=on_chunk, evidence=evidence)
        known_elsewhere = sum(summary.known_elsewhere.values())
        audit_record(
            action=AuditEvent.Action.IMPORTED,
            actor=by,
            object_ref=f"evidence.matter:{matter.pk}",
            object_label=str(matter),
            changes=["listings"],
            details=(
                f"{source} (SHA-256 {sha256}): {summary.rows} rows, {summary.new} new listings, "
                f"{summary.known_here} already in the matter, {known_elsewhere} linked from other matters, "
                f"{summary.refused_count} refused, {summary.sellers_created} new sellers, "
                f"{summary.reappeared_listings} reappeared"
            ),
            nobody="system",
        )
        if summary.new + sum(summary.known_elsewhere.values()) >= ANALYZE_AFTER_ROWS:
            after_commit(listing_statistics_refresh)
    return summary


def listings_api_import(*, matter: Matter, rows: list[dict[str, str]], by: Any, token_name: str) -> ImportSummary:
    """Import listings sent through the API as a listing file's rows (numbered from 1, in the order sent), with
    the same checks. The audit entry names the token and the SHA-256 of the rows as received; no file is kept,
    so seller identifiers cannot be recorded (the summary says so)."""
    canonical = json.dumps(rows, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    table = Table(columns=sorted({name for row in rows for name in row}), unknown_columns=[],
                  rows=iter(list(enumerate(rows, start=1))))  # fmt: skip
    return listings_import(matter=matter, table=table, by=by, source=f"API call ({token_name})",
                           sha256=hashlib.sha256(canonical).hexdigest())  # fmt: skip


def listing_import_prepare(*, matter: Matter, by: Any, upload: File | None = None, text: str = "") -> ListingImport:
    """Keep the file (or the pasted URLs) and preview it. Raises ValidationError, keeping nothing, for a source
    that cannot be read at all."""
    if upload is not None:
        if upload.size and upload.size > max_import_bytes():
            raise ValidationError(f"The file is over {max_import_bytes() / 1_000_000:.0f} MB. Split it.")
        data, source_name = upload.read(), upload.name or "listings"
    elif text.strip():
        data, source_name = text.encode(), PASTED
    else:
        raise ValidationError("Choose a file or paste at least one URL.")
    extension = ".txt" if upload is None else ("." + source_name.rsplit(".", 1)[-1].lower())[:6]
    name = default_storage.save(f"imports/{matter.reference}/{uuid.uuid4().hex}{extension}", ContentFile(data))
    with recorded_or_removed(name):
        try:
            with _stored_table(name, source_name) as table:
                summary = listings_preview(matter=matter, table=table)
        except UnreadableFile as exc:
            raise ValidationError(str(exc)) from None
        return ListingImport.objects.create(
            matter=matter, source_name=source_name[:300], file=name, sha256=hashlib.sha256(data).hexdigest(),
            size=len(data), rows=summary.rows, preview=summary.lines(), created_by=by,
        )  # fmt: skip


def listing_import_run(*, listing_import: ListingImport, by: Any) -> ListingImport:
    """Import what was previewed: now, or through a worker for a large source. Importing twice is refused."""
    with transaction.atomic():
        locked = ListingImport.objects.select_for_update().get(pk=listing_import.pk)
        if not locked.can_run:
            raise ValidationError(f"This import is already {locked.get_status_display().lower()}.")
        locked.status, locked.message = ListingImport.Status.QUEUED, ""
        locked.save(update_fields=["status", "message"])
        if locked.rows > SYNC_ROWS:
            job_dispatch(locked)
            return locked
    listing_import_execute(import_id=locked.pk, by=by)
    locked.refresh_from_db()
    return locked


def listing_import_execute(*, import_id: int, by: Any = None) -> None:
    """Run a queued import to its end: imported with its result, or failed with nothing written. The listings
    and the import's finish are one transaction, so a worker that dies leaves nothing half done."""
    token = job_claim(ListingImport, import_id, started_at=timezone.now(), message="")
    if token is None:
        return
    listing_import = ListingImport.objects.select_related("matter", "created_by").get(pk=import_id)
    try:
        with job_heartbeat(ListingImport, import_id, token), transaction.atomic():
            with _stored_table(listing_import.file, listing_import.source_name) as table:
                summary = listings_import(
                    matter=listing_import.matter,
                    table=table,
                    by=by or listing_import.created_by,
                    source=listing_import.source_name,
                    sha256=listing_import.sha256,
                    on_chunk=lambda rows: progress_report(import_id, rows),
                    evidence=listing_import,
                )
            job_finish(listing_import, status=ListingImport.Status.IMPORTED, token=token, result=summary.lines(),
                       finished_at=timezone.now())  # fmt: skip
    except STORAGE_ERRORS as exc:  # the kept file could not be read back: nothing was written, try again later
        job_release(ListingImport, import_id, token, reason=f"The file store could not be reached "
                    f"({type(exc).__name__}); the import is tried again by the next sweep.")  # fmt: skip
    except Exception as exc:
        job_finish(listing_import, status=ListingImport.Status.FAILED, token=token,
                   error=f"Nothing was imported: {exc}", finished_at=timezone.now())  # fmt: skip
        raise


def progress_report(import_id: int, rows: int) -> None:
    """Tell the page how far a running import has got. A courtesy: the import never depends on it, so a cache
    that is down (Redis) is logged and the import goes on."""
    try:
        cache.set(_progress_key(import_id), rows, 3600)
    except Exception:
        logger.warning("The progress of import %s could not be reported.", import_id, exc_info=True)


def progress_read(import_id: int) -> int:
    """Rows of a running import done so far, as last reported; 0 when the cache cannot say."""
    try:
        return int(cache.get(_progress_key(import_id), 0))
    except Exception:
        logger.warning("The progress of import %s could not be read.", import_id, exc_info=True)
        return 0


def _progress_key(import_id: int) -> str:
    return f"listing-import-progress-{import_id}"


@contextlib.contextmanager
def _stored_table(name: str, source_name: str) -> Iterator[Table]:
    """The stored source as a table, read as it is walked (the file stays open until the walk ends)."""
    with default_storage.open(name, "rb") as stored:
        yield (
            pasted_table(stored.read().decode())
            if source_name == PASTED
            else read_table(cast(BinaryIO, stored), source_name)
        )
