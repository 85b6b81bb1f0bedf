"""Archive timestamp renewal: before the certificate of an issued document's last timestamp expires, a copy with
that timestamp's revocation data and a new document timestamp is stored and entered in the registry.

Beat runs ``archive_timestamps_renew`` daily. It first notes, for documents it has not seen, when their last
timestamp's certificate expires (``ArchivalCopy``: the issued file itself), then renews the latest copy of each
document whose expiry falls within ``PORTAL_ARCHIVE_TIMESTAMP_RENEW_DAYS``. The issued file is never changed:
a renewal is a new file, so both the issued bytes and the renewed ones verify at ``/verify/``.
"""

from __future__ import annotations

import datetime
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from ownership.shared.checksums import sha256_path
from ownership.shared.files.storage import recorded_or_removed
from ownership.shared.ltv import archive_timestamp_add, last_timestamp_expiry
from ownership.shared.registry import ArchivalCopy, IssuedDocument, document_issue
from ownership.shared.signing import SigningError, signing_identity

Kind = IssuedDocument.Kind


def issued_file(entry: IssuedDocument) -> str | None:
    """Where the issued file of a registry entry is stored: each kind keeps it on its own record."""
    label, pk = entry.object_ref.split(":")
    obj = apps.get_model(label).objects.filter(pk=pk).first()
    if obj is None:
        return None
    if entry.kind == Kind.SIGNED_STATEMENT:
        return obj.document.file.name if obj.document_id else None
    if entry.kind == Kind.CAPTURE_RECORD:
        record = obj.exhibits.filter(kind="capture_record").first()
        return record.file.name if record else None
    return obj.file.name or None  # bundles, notices, dossiers


@dataclass(frozen=True)
class RenewalRun:
    surveyed: int
    renewed: int
    failed: list[str]


def archive_timestamps_renew(*, limit: int = 200) -> RenewalRun:
    """Note the timestamp expiry of up to ``limit`` documents not yet seen, then renew up to ``limit`` copies
    that are due. A failure (the authority down, a file missing) is named and left for the next run."""
    failed: list[str] = []
    unseen = (IssuedDocument.objects.exclude(kind=Kind.ARCHIVE_TIMESTAMP).filter(archival_copies__isnull=True)
              .order_by("sequence")[:limit])  # fmt: skip
    surveyed = 0
    for entry in unseen:
        name = issued_file(entry)
        if name is None:
            failed.append(f"{entry.chain_label()}: its file is no longer stored")
            continue
        try:
            with _downloaded(name) as path:
                expires = last_timestamp_expiry(path)
        except OSError as exc:  # the file gone from storage, or the storage unreachable: next run tries again
            failed.append(f"{entry.chain_label()}: its file could not be read ({exc})")
            continue
        ArchivalCopy.objects.create(document=entry, file=name, sha256=entry.sha256, timestamp_expires_at=expires)
        surveyed += 1
    horizon = timezone.now() + datetime.timedelta(days=settings.PORTAL_ARCHIVE_TIMESTAMP_RENEW_DAYS)
    latest = ArchivalCopy.objects.filter(document=OuterRef("document")).order_by("-created_at", "-pk").values("pk")
    due = (ArchivalCopy.objects.filter(pk=Subquery(latest[:1]), timestamp_expires_at__lt=horizon)
           .select_related("document").order_by("timestamp_expires_at")[:limit])  # fmt: skip
    renewed = 0
    for copy in due:
        try:
            archival_copy_renew(copy)
            renewed += 1
        except (SigningError, OSError) as exc:
            failed.append(f"{copy.document.chain_label()}: {exc}")
    return RenewalRun(surveyed, renewed, failed)


def archival_copy_renew(copy: ArchivalCopy) -> ArchivalCopy:
    """Store a copy of ``copy`` with a new archive timestamp, and enter it in the registry, in one transaction."""
    document = copy.document
    with _downloaded(copy.file) as source, tempfile.TemporaryDirectory(prefix="archive-ts-") as work:
        renewed = Path(work) / "renewed.pdf"
        archive_timestamp_add(source, renewed, signing_identity())
        expires, digest = last_timestamp_expiry(renewed), sha256_path(renewed)
        with open(renewed, "rb") as stream:
            name = default_storage.save(f"archival/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf", File(stream))
    with recorded_or_removed(name):
        fresh = ArchivalCopy.objects.create(document=document, file=name, sha256=digest, timestamp_expires_at=expires)
        document_issue(
            kind=Kind.ARCHIVE_TIMESTAMP, obj=fresh, sha256=digest, matter_reference=document.matter_reference,
            recipient=document.recipient, signer_fingerprint=document.signer_fingerprint,
            certifies=f"The {document.get_kind_display().lower()} issued on {document.created_at:%d %B %Y}, unchanged, "
            f"with the validation data of its last timestamp and a new archive timestamp"
            + (f" valid until {expires:%d %B %Y}" if expires else "") + f". It certifies: {document.certifies}",
        )  # fmt: skip
    return fresh


class _downloaded:
    """A stored file as a local path for pyHanko, removed afterwards."""

    def __init__(self, name: str):
        self.name = name
        self._folder = tempfile.TemporaryDirectory(prefix="archival-")

    def __enter__(self) -> Path:
        path = Path(self._folder.name) / "document.pdf"
        with default_storage.open(self.name, "rb") as stored, open(path, "wb") as local:
            for chunk in iter(lambda: stored.read(1024 * 1024), b""):
                local.write(chunk)
        return path

    def __exit__(self, *exc_info) -> None:
        self._folder.cleanup()
