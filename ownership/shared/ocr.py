"""Searchable renditions of scans: OCRmyPDF with Tesseract (English and Simplified Chinese by default).

The original upload is never altered and stays what its hash and custody chain describe. A file without a text
layer (an image, or a PDF of scanned pages) gets a new PDF with an invisible text layer over the same pages,
stored beside it with its own SHA-256; the text is kept too, for the certificate cross-checks and for search.
A file that already has text gets no rendition, only its text. ``OcrRendition`` is the abstract base the
models of both apps (ownership documents, exhibits) take these fields from, with the fields of their OCR job;
``rendition_read`` runs that job.
"""

from __future__ import annotations

import logging
import resource
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pikepdf
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from PIL import Image

from ownership.shared.checksums import sha256_path
from ownership.shared.files.storage import STORAGE_ERRORS
from ownership.shared.jobs import JOB_FIELDS, QUEUED, Job, job_claim, job_finish, job_heartbeat, job_release

logger = logging.getLogger(__name__)

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/tiff"})
READABLE_TYPES = IMAGE_TYPES | {"application/pdf"}
# A PDF with fewer characters of text than this per page is treated as scanned.
MIN_TEXT_PER_PAGE = 40
# Tesseract needs to know how large an image is on paper; a scan without that says nothing, so 300 dpi is assumed.
ASSUMED_IMAGE_DPI = 300
# What OCR is given. A0 (ISO 216, 841 × 1189 mm) in points is the largest page a certificate or an order can be;
# a page or image of more megapixels than this is not read (OCRmyPDF's own --skip-big for pages inside a PDF).
A0_POINTS = (2384, 3370)
MAX_PAGE_MEGAPIXELS = 50
OCR_SECONDS = 15 * 60
# How running out of the address space shows in a child's last words: Python, the dynamic loader, Tesseract (C++)
# and Ghostscript each say it their own way.
OUT_OF_MEMORY = ("MemoryError", "Cannot allocate memory", "failed to map segment", "std::bad_alloc", "VMerror")
MISSING_DEPENDENCY = 3  # OCRmyPDF's exit code for a program it needs that is not installed (ocrmypdf.ExitCode)


# The fields a rendition writes: derived from the file, never the evidence itself, so an immutable row allows them.
OCR_FIELDS = frozenset({"ocr_status", "ocr_file", "ocr_sha256", "ocr_text", "ocr_error", "ocr_at"}) | JOB_FIELDS


class OcrError(Exception):
    """OCR could not run or failed; the message says why, for the page."""


class OcrRendition(Job):
    """Fields of a stored file's searchable rendition, and of the OCR job that makes it (abstract: each app's
    model carries its own and names its task)."""

    job_status_field = "ocr_status"
    job_error_field = "ocr_error"

    class OcrStatus(models.TextChoices):
        NONE = "", "Not read"
        QUEUED = QUEUED, "Waiting for the OCR worker"
        RUNNING = "running", "Being read"
        NOT_NEEDED = "not_needed", "Has its own text layer"
        DONE = "done", "Searchable rendition made"
        FAILED = "failed", "OCR failed"
        NOT_READABLE = "not_readable", "Not a PDF or image"

    ocr_status = models.CharField("OCR", max_length=20, choices=OcrStatus.choices, blank=True, default="")
    ocr_file = models.FileField("searchable rendition", max_length=300, blank=True)
    ocr_sha256 = models.CharField("SHA-256 of the rendition", max_length=64, blank=True)
    ocr_text = models.TextField("text", blank=True, help_text="The file's text: its own, or read by OCR.")
    ocr_error = models.TextField("why OCR failed", blank=True)
    ocr_at = models.DateTimeField("read at", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def bundle_file_name(self) -> str:
        """What a bundle shows: the searchable rendition when there is one, else the original."""
        return str(self.ocr_file.name if self.ocr_file else self.file.name)  # type: ignore[attr-defined]


Rendered = TypeVar("Rendered", bound=OcrRendition)


def pdf_text(path: Path) -> tuple[str, int]:
    """The PDF's own text (poppler's pdftotext) and its page count."""
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, timeout=120)
    text = result.stdout if result.returncode == 0 else ""
    return text, max(1, text.count("\f"))


def _ocr(source: Path, out: Path, sidecar: Path, *, image: bool) -> None:
    """OCRmyPDF in a child process held to ``PORTAL_OCR_MEMORY_MB`` of address space (its Tesseract and
    Ghostscript children too), so a hostile file fails its own reading instead of exhausting the worker."""
    command = [sys.executable, "-m", "ocrmypdf", "--quiet", "--skip-text", "--optimize", "0", "--output-type", "pdf",
               "--language", settings.PORTAL_OCR_LANGUAGES, "--sidecar", str(sidecar),
               "--skip-big", str(MAX_PAGE_MEGAPIXELS),
               "--jobs", "1"]  # one page at a time: a worker is one core; add workers to scale  # fmt: skip
    if image:
        command += ["--image-dpi", str(ASSUMED_IMAGE_DPI)]
    limit = settings.PORTAL_OCR_MEMORY_MB * 1024 * 1024

    def held() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    try:
        done = subprocess.run([*command, str(source), str(out)], capture_output=True, text=True, preexec_fn=held,
                              timeout=OCR_SECONDS)  # fmt: skip
    except subprocess.TimeoutExpired:
        raise OcrError(f"OCR took longer than {OCR_SECONDS // 60} minutes and was stopped.") from None
    except OSError as exc:
        raise OcrError(f"OCR could not start: {exc}.") from None
    if done.returncode == 0:
        return
    said = (done.stderr.strip().splitlines() or [""])[-1][:300]
    if done.returncode < 0 or any(sign in done.stderr for sign in OUT_OF_MEMORY):
        raise OcrError(f"OCR needed more than the {settings.PORTAL_OCR_MEMORY_MB} MB it may use and was stopped; "
                       "the file is too large to read (the original is kept as it is).")  # fmt: skip
    if done.returncode == MISSING_DEPENDENCY:
        raise OcrError(f"A program OCR needs is missing on the worker: {said} (install Debian's tesseract-ocr, "
                       "tesseract-ocr-eng, tesseract-ocr-chi-sim and ghostscript).")  # fmt: skip
    raise OcrError(f"OCR failed (OCRmyPDF exit {done.returncode}): {said}")


def _too_large(source: Path, content_type: str) -> str:
    """Why the file is not read at all (a page or an image beyond what OCR is given), or "" to read it."""
    try:
        if content_type == "application/pdf":
            with pikepdf.open(source) as pdf:
                for number, page in enumerate(pdf.pages, start=1):
                    box = page.mediabox
                    unit = float(page.obj.get("/UserUnit", 1))
                    width, height = (
                        abs(float(box[2]) - float(box[0])) * unit,
                        abs(float(box[3]) - float(box[1])) * unit,
                    )
                    if max(width, height) > A0_POINTS[1] or min(width, height) > A0_POINTS[0]:
                        return (f"Page {number} is {width / 72 * 25.4:,.0f} × {height / 72 * 25.4:,.0f} mm, larger "
                                "than A0 (841 × 1189 mm): it was not read, to keep OCR within its memory.")  # fmt: skip
        else:
            with Image.open(source) as picture:
                width, height = picture.size
            if width * height > MAX_PAGE_MEGAPIXELS * 1_000_000:
                return (f"The image is {width:,} × {height:,} pixels, more than the {MAX_PAGE_MEGAPIXELS} megapixels "
                        "OCR reads: it was not read, to keep OCR within its memory.")  # fmt: skip
    except (pikepdf.PdfError, OSError, ValueError, Image.DecompressionBombError) as exc:
        return f"The file could not be measured before reading: {type(exc).__name__}."
    return ""


def rendition_read(
    model: type[Rendered], pk: int, *, folder: str, on_rendition: Callable[[Rendered], object] | None = None
) -> Rendered | None:
    """The OCR job of one stored file: claim it, read it, and finish it, audited, with ``on_rendition`` (the
    custody entry of a new rendition) in the same transaction. None when another run holds it or it was read."""
    token = job_claim(model, pk)
    if token is None:
        return None
    obj = model._default_manager.get(pk=pk)
    try:
        with job_heartbeat(model, pk, token):
            status, error, fields = _reading(obj, folder=folder)
    except STORAGE_ERRORS as exc:
        job_release(model, pk, token, reason=f"The file store could not be reached ({type(exc).__name__}); the "
                    "reading is tried again by the next sweep.")  # fmt: skip
        return None
    with transaction.atomic():
        finished = job_finish(obj, status=status, token=token, error=error, ocr_at=timezone.now(), **fields)
        if finished and status == OcrRendition.OcrStatus.DONE and on_rendition is not None:
            on_rendition(obj)
    if not finished:
        if "ocr_file" in fields:  # another run took the job over and records its own rendition
            default_storage.delete(fields["ocr_file"])
        return None
    return obj


def _reading(obj: OcrRendition, *, folder: str) -> tuple[str, str, dict[str, str]]:
    """Read ``obj``'s stored file: its own text, or a searchable rendition stored beside it. Returns the status,
    the reason it failed, and the fields to record; the original is never touched."""
    stored: File = obj.file  # type: ignore[attr-defined]
    content_type = getattr(obj, "content_type", "")
    if content_type not in READABLE_TYPES:
        return OcrRendition.OcrStatus.NOT_READABLE, "", {}
    with tempfile.TemporaryDirectory(prefix="ocr-") as folder_path:
        work = Path(folder_path)
        source = work / ("source.pdf" if content_type == "application/pdf" else "source.img")
        with default_storage.open(str(stored.name), "rb") as stream:
            source.write_bytes(stream.read())
        if content_type == "application/pdf":
            text, pages = pdf_text(source)
            if len(text.strip()) >= MIN_TEXT_PER_PAGE * pages:
                return OcrRendition.OcrStatus.NOT_NEEDED, "", {"ocr_text": text}
        out, sidecar = work / "rendition.pdf", work / "text.txt"
        if too_large := _too_large(source, content_type):
            return OcrRendition.OcrStatus.FAILED, too_large, {}
        try:
            _ocr(source, out, sidecar, image=content_type in IMAGE_TYPES)
        except OcrError as exc:
            logger.warning("OCR of %s failed: %s", stored.name, exc)
            return OcrRendition.OcrStatus.FAILED, str(exc), {}
        digest = sha256_path(out)
        with open(out, "rb") as stream:
            name = default_storage.save(f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}-ocr.pdf", File(stream))
        text = sidecar.read_text(errors="replace") if sidecar.exists() else ""
    return OcrRendition.OcrStatus.DONE, "", {"ocr_file": name, "ocr_sha256": digest, "ocr_text": text}
