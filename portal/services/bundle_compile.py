"""Compiling a claimed bundle: build and sign it in a temporary directory, store it, mark it ready."""

from __future__ import annotations

import contextlib
import tempfile
import uuid
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from evidence.models import CustodyEvent
from evidence.services import custody_record
from ownership.shared.events import event_record
from ownership.shared.files.storage import STORAGE_ERRORS, recorded_or_removed
from ownership.shared.jobs import after_commit, job_claim, job_finish, job_heartbeat, job_release
from ownership.shared.registry import IssuedDocument, document_issue
from portal.bundle.build import build_signed_bundle
from portal.bundle.errors import BundleError
from portal.models import Bundle
from portal.services.bundle_notify import bundle_ready_notify
from portal.services.bundle_runs import bundle_progress


class TransientStorageError(Exception):
    """Storage could not be reached; the compile is retried with backoff."""


class CompileOutcome:
    READY = "ready"
    FAILED = "failed"
    ALREADY_DONE = "already done"
    BUSY = "busy"


def bundle_compile(*, bundle_id: int) -> str:
    """Compile, sign and store one bundle; exactly one run of a bundle ever marks it ready.

    Called by the worker task (and by ``manage.py compile_bundle``). A run first claims the bundle; a
    run that cannot (the bundle is done, or another live run holds it) does nothing.
    """
    token = job_claim(Bundle, bundle_id, started_at=timezone.now(), progress=0, progress_message="Starting",
                      error_message="")  # fmt: skip
    if token is None:
        status = Bundle.objects.filter(pk=bundle_id).values_list("status", flat=True).first()
        outcomes: dict[str | None, str] = {
            Bundle.Status.READY: CompileOutcome.ALREADY_DONE,
            Bundle.Status.FAILED: CompileOutcome.FAILED,
            None: CompileOutcome.FAILED,
        }
        return outcomes.get(status, CompileOutcome.BUSY)
    bundle = Bundle.objects.select_related("matter__rights_holder", "requested_by").get(pk=bundle_id)

    def progress(percent: int, message: str) -> None:
        bundle_progress(bundle_id=bundle_id, token=token, percent=percent, message=message)

    try:
        with job_heartbeat(Bundle, bundle_id, token), tempfile.TemporaryDirectory() as workdir:
            built = build_signed_bundle(bundle, workdir=Path(workdir), progress=progress)
            progress(95, "Storing the signed bundle")
            name = _store_bundle_file(bundle, built.path)
    except BundleError as exc:
        bundle_fail(bundle_id=bundle_id, token=token, message=str(exc))
        return CompileOutcome.FAILED
    except (TransientStorageError, *STORAGE_ERRORS) as exc:
        # Storage is down (reading the exhibits back, or storing the result): nothing was stored. Hand the
        # bundle back to the queue at once, so the task's retry can claim it without waiting for a stall.
        job_release(
            Bundle, bundle_id, token, progress=0, progress_message="The file storage could not be reached; retrying"
        )
        raise TransientStorageError(type(exc).__name__) from exc
    with recorded_or_removed(name):
        won = job_finish(
            bundle, status=Bundle.Status.READY, token=token, file=name, page_count=built.page_count, size=built.size,
            exhibit_count=built.exhibit_count, sha256=built.sha256, unsigned_sha256=built.unsigned_sha256,
            manifest_sha256=built.manifest_sha256, signer_fingerprint=built.signer_fingerprint, progress=100,
            progress_message="Ready", finished_at=timezone.now(),
        )  # fmt: skip
        if won:
            included = f"{built.reference} version {bundle.version} for {bundle.get_platform_display()}"
            document_issue(
                kind=IssuedDocument.Kind.BUNDLE, obj=bundle, sha256=built.sha256, by=bundle.requested_by,
                certifies=f"Complaint bundle {built.reference} of matter {bundle.matter.reference}, version "
                f"{bundle.version}, for {bundle.get_platform_display()}: {built.page_count} pages, "
                f"{built.exhibit_count} exhibit{'' if built.exhibit_count == 1 else 's'}",
                matter_reference=bundle.matter.reference, recipient=bundle.get_platform_display(),
                manifest_sha256=built.manifest_sha256, signer_fingerprint=built.signer_fingerprint,
            )  # fmt: skip
            for exhibit in built.exhibits:
                custody_record(matter=bundle.matter, action=CustodyEvent.Action.INCLUDED_IN_BUNDLE,
                               actor=bundle.requested_by, exhibit=exhibit, details=included)  # fmt: skip
            event_record(event_type="bundle.ready", rights_holder_id=bundle.matter.rights_holder_id, data={
                "bundle": {"id": bundle.pk, "matter": bundle.matter.reference, "platform": bundle.platform,
                           "version": bundle.version, "sha256": built.sha256, "pages": built.page_count},
            })  # fmt: skip
            after_commit(lambda: bundle_ready_notify(bundle_id=bundle_id))
    if not won:
        # Another run finished first (this one was taken for dead): keep exactly one file.
        default_storage.delete(name)
        return CompileOutcome.ALREADY_DONE
    return CompileOutcome.READY


def bundle_fail(*, bundle_id: int, token: str | None, message: str) -> None:
    """End the compile as failed with ``message`` (what a person can do about it); nothing is stored."""
    bundle = Bundle.objects.get(pk=bundle_id)
    job_finish(bundle, status=Bundle.Status.FAILED, token=token, error=message, progress=100,
               finished_at=timezone.now())  # fmt: skip


def _store_bundle_file(bundle: Bundle, path: Path) -> str:
    key = f"bundles/{bundle.matter.reference}/{bundle.platform}-v{bundle.version}-{uuid.uuid4().hex[:12]}.pdf"
    try:
        with open(path, "rb") as signed:
            return default_storage.save(key, File(signed))
    except STORAGE_ERRORS as exc:
        with contextlib.suppress(*STORAGE_ERRORS):
            default_storage.delete(key)  # never a partial bundle
        raise TransientStorageError(type(exc).__name__) from exc
