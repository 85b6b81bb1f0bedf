"""The write of a listing import: all accepted rows in one transaction, or none, audited with the file's hash."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from evidence.intake.plan import ImportSummary, walk
from evidence.intake.reading import Table
from evidence.models import Matter
from ownership.shared.audit import AuditEvent, audit_record


def listings_preview(*, matter: Matter, table: Table) -> ImportSummary:
    """What importing ``table`` into ``matter`` would do; nothing is written."""
    return walk(matter, table, write=False)


def listings_import(*, matter: Matter, table: Table, by: Any, source: str, sha256: str) -> ImportSummary:
    """Import the accepted rows of ``table`` into ``matter`` and audit who imported what (``source``, its
    SHA-256) and the counts. Imports into one matter run one at a time (its row is locked)."""
    with transaction.atomic():
        Matter.objects.select_for_update().filter(pk=matter.pk).first()
        summary = walk(matter, table, write=True)
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
    return summary
