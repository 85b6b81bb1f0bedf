"""What dossiers and notices share: a PDF built in a temporary folder, sealed with the firm's PAdES signature and
stored with its SHA-256, and the compile's end recorded (ready or failed, with the reason) and audited."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from ownership.shared.checksums import sha256_path
from ownership.shared.files.storage import STORAGE_ERRORS, recorded_or_removed
from ownership.shared.jobs import job_claim, job_finish, job_heartbeat, job_release
from ownership.shared.registry import document_issue
from ownership.shared.signing import SigningError, sign_pdf_in_place, signing_identity
from portal.models import CompiledDocument

Compiled = TypeVar("Compiled", bound=CompiledDocument)


@dataclass(frozen=True)
class SignedFile:
    name: str  # in storage
    sha256: str
    signer_fingerprint: str


def signed_pdf_store(build: Callable[[Path], object], *, reason: str, folder: str) -> SignedFile:
    """Build a PDF with ``build(path)``, seal it and store it under ``folder``. Raises SigningError when the
    firm's key cannot sign."""
    with tempfile.TemporaryDirectory(prefix=f"{folder}-") as work:
        path = Path(work) / "document.pdf"
        build(path)
        fingerprint = sign_pdf_in_place(path, signing_identity(), signer_name=settings.PORTAL_FIRM_NAME, reason=reason)
        digest = sha256_path(path)
        with open(path, "rb") as stream:
            name = default_storage.save(f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf", File(stream))
    return SignedFile(name, digest, fingerprint)


@dataclass(frozen=True)
class Compilation:
    """What to compile: the builder of the PDF, the signature's reason, the storage folder, fields to record,
    and what the registry of issued documents records of it (its kind, what it certifies, to whom)."""

    build: Callable[[Path], object]
    reason: str
    folder: str
    kind: str
    certifies: str
    matter_reference: str = ""
    recipient: str = ""
    fields: dict[str, Any] = field(default_factory=dict)


def compiled_run(model: type[Compiled], pk: int, plan: Callable[[Compiled], Compilation | str]) -> Compiled:
    """The worker's run of a compiled document: claim it, ``plan`` it (a Compilation, or why it cannot be made),
    build, seal and store it, and finish it. Storage that cannot be reached gives it back to the queue."""
    token = job_claim(model, pk)
    document = model._default_manager.get(pk=pk)
    if token is None:
        return document
    try:
        with job_heartbeat(model, pk, token):
            planned = plan(document)
            if isinstance(planned, str):
                return compiled_finish(document, token=token, status=model.job_failed, error=planned)
            signed = signed_pdf_store(planned.build, reason=planned.reason, folder=planned.folder)
    except SigningError as exc:
        return compiled_finish(document, token=token, status=model.job_failed, error=str(exc))
    except STORAGE_ERRORS as exc:
        job_release(model, pk, token, reason=f"The file store could not be reached ({type(exc).__name__}); "
                    "it is compiled again by the next sweep.")  # fmt: skip
        document.refresh_from_db()
        return document
    with recorded_or_removed(signed.name):  # the file goes again if recording it fails
        won = job_finish(document, status=model.Status.READY, token=token, finished_at=timezone.now(),
                         file=signed.name, sha256=signed.sha256, **planned.fields)  # fmt: skip
        if won:
            document_issue(kind=planned.kind, obj=document, sha256=signed.sha256, certifies=planned.certifies,
                           by=document.requested_by, matter_reference=planned.matter_reference,
                           recipient=planned.recipient, signer_fingerprint=signed.signer_fingerprint)  # fmt: skip
    if not won:  # another run finished first (this one was taken for dead): keep exactly one file
        default_storage.delete(signed.name)
        document.refresh_from_db()
    return document


def compiled_finish(document: Compiled, *, token: str, status: str, error: str = "", **fields) -> Compiled:
    """Record how the run holding ``document`` ended (``status`` and its file, or the reason it failed), audited.
    A file stored by a run that no longer holds the document (it was taken for dead) is removed again."""
    if not job_finish(document, status=status, token=token, error=error, finished_at=timezone.now(), **fields):
        if fields.get("file"):
            default_storage.delete(fields["file"])
        document.refresh_from_db()
    return document
