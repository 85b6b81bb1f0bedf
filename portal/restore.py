"""Backups and restores: the stored files copied through the storage API, and the check a restored portal must
pass before it is used: every file a row names is there with the SHA-256 recorded for it, every custody chain
and the audit log are intact, and every issued bundle still verifies as genuine.

The database itself is copied with its own tools (``pg_dump``/``pg_restore``, or SQLite's backup), which keep
every value exactly; a JSON dump would round timestamps and break the hash chains.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage

from evidence.integrity import custody_chain_problems
from evidence.models import Exhibit, ListingImport
from ownership.models import OwnershipDocument, StatementDraft
from ownership.shared import hashchain
from ownership.shared.files.storage import stored_file_problem
from ownership.shared.registry import IssuedDocument
from portal.audit import audit_chain_check
from portal.bundle.verify import verify_document_file
from portal.models import Bundle, Dossier, Notice

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class RecordedFile:
    """A file a committed row names, with the SHA-256 recorded for it."""

    name: str
    sha256: str
    owner: str


def recorded_files() -> Iterator[RecordedFile]:
    """Every stored file the database names: evidence, proof, their searchable copies, and what was issued."""
    for model in (Exhibit, OwnershipDocument):
        rows = model.objects.exclude(file="").only("pk", "file", "sha256", "ocr_file", "ocr_sha256")
        for row in rows.order_by("pk").iterator():
            label = f"{model._meta.verbose_name} {row.pk}"
            yield RecordedFile(row.file.name, row.sha256, label)
            if row.ocr_file:
                yield RecordedFile(str(row.ocr_file.name), row.ocr_sha256, f"{label}, its searchable copy")
    for issued in (Bundle, Notice, Dossier, StatementDraft):
        for pk, name, sha256 in issued.objects.exclude(file="").order_by("pk").values_list("pk", "file", "sha256"):
            yield RecordedFile(name, sha256, f"{issued._meta.verbose_name} {pk}")
    for pk, name, sha256 in ListingImport.objects.order_by("pk").values_list("pk", "file", "sha256"):
        yield RecordedFile(name, sha256, f"listing import {pk}")


def restore_problems() -> Iterator[str]:
    """What is wrong with this portal's data as restored; nothing when it may be used."""
    for recorded in recorded_files():
        if detail := stored_file_problem(recorded.name, recorded.sha256):
            yield f"{recorded.name} ({recorded.owner}): {detail}"
    for problem in custody_chain_problems():
        yield f"custody chain: {problem}"
    audit = audit_chain_check()
    if audit.problem:
        yield f"audit log: {audit.problem}"
    if broken := hashchain.first_break(IssuedDocument.objects.order_by("sequence").iterator(chunk_size=2000)):
        yield f"registry of issued documents: {broken}"
    yield from _bundle_problems(Bundle.objects.filter(status=Bundle.Status.READY).order_by("pk"))


def _bundle_problems(bundles: Iterable[Bundle]) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="restore-check-") as folder:
        for bundle in bundles:
            copy = Path(folder) / f"bundle-{bundle.pk}.pdf"
            try:
                with default_storage.open(bundle.file.name, "rb") as stored, open(copy, "wb") as out:
                    shutil.copyfileobj(stored, out, CHUNK)
            except FileNotFoundError:
                continue  # already named among the missing files
            verdict = verify_document_file(copy)
            if not verdict.genuine:
                yield f"bundle {bundle} does not verify: {'; '.join(verdict.reasons)}"


def stored_names(folder: str = "") -> Iterator[str]:
    """Every file in the storage, walked through the storage API (local folders or S3 prefixes alike)."""
    directories, files = default_storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from stored_names(f"{folder}/{directory}" if folder else directory)


def storage_export(destination: Path) -> int:
    """Copy every stored file under ``destination``, keeping its name; returns how many."""
    count = 0
    for name in stored_names():
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as stored, open(target, "wb") as out:
            shutil.copyfileobj(stored, out, CHUNK)
        count += 1
    return count


class RestoreError(Exception):
    """A file could not be restored under its own name."""


def storage_import(source: Path) -> int:
    """Store every file under ``source`` under the same name in an empty storage; returns how many."""
    count = 0
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        if default_storage.exists(name):
            raise RestoreError(f"{name} is already in the storage: restore into an empty storage.")
        with open(path, "rb") as stream:
            saved = default_storage.save(name, File(stream))
        if saved != name:
            raise RestoreError(f"{name} was stored as {saved}: restore into an empty storage.")
        count += 1
    return count
