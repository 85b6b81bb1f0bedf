"""Searchable renditions of scans: OCRmyPDF with Tesseract (English and Simplified Chinese by default).

The original upload is never altered and stays what its hash and custody chain describe. A file without a text
layer (an image, or a PDF of scanned pages) gets a new PDF with an invisible text layer over the same pages,
stored beside it with its own SHA-256; the text is kept too, for the certificate cross-checks and for search.
A file that already has text gets no rendition, only its text. ``OcrRendition`` is the abstract base the
models of both apps (ownership documents, exhibits) take these fields from; ``rendition_make`` fills them.
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from ownership.shared.checksums import sha256_path

logger = logging.getLogger(__name__)

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/tiff"})
READABLE_TYPES = IMAGE_TYPES | {"application/pdf"}
# A PDF with fewer characters of text than this per page is treated as scanned.
MIN_TEXT_PER_PAGE = 40
# Tesseract needs to know how large an image is on paper; a scan without that says nothing, so 300 dpi is assumed.
ASSUMED_IMAGE_DPI = 300


# The fields a rendition writes: derived from the file, never the evidence itself, so an immutable row allows them.
OCR_FIELDS = frozenset({"ocr_status", "ocr_file", "ocr_sha256", "ocr_text", "ocr_error", "ocr_at"})


class OcrError(Exception):
    """OCR could not run or failed; the message says why, for the page."""


class OcrRendition(models.Model):
    """Fields of a stored file's searchable rendition (abstract: each app's model carries its own)."""

    class OcrStatus(models.TextChoices):
        NONE = "", "Not read yet"
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
    try:
        import ocrmypdf
        from ocrmypdf.exceptions import ExitCodeException, MissingDependencyError
    except ImportError as exc:  # pragma: no cover - a broken install
        raise OcrError(f"OCRmyPDF is not installed on the worker ({exc}).") from None
    try:
        ocrmypdf.ocr(
            source, out, language=settings.PORTAL_OCR_LANGUAGES.split("+"), sidecar=sidecar, skip_text=True,
            optimize=0, progress_bar=False, output_type="pdf", image_dpi=ASSUMED_IMAGE_DPI if image else None,
            rotate_pages=False, deskew=False, jobs=1,  # one page at a time: a worker is one core; add workers to scale
        )  # fmt: skip
    except MissingDependencyError as exc:
        missing = str(exc).strip()[:300]
        raise OcrError(f"A program OCR needs is missing on the worker: {missing} (install Debian's tesseract-ocr, "
                       "tesseract-ocr-eng, tesseract-ocr-chi-sim and ghostscript).") from None  # fmt: skip
    except (ExitCodeException, OSError, ValueError) as exc:
        raise OcrError(f"OCR failed: {type(exc).__name__} {str(exc).strip()[:300]}") from None


def rendition_make(obj: Rendered, *, folder: str) -> Rendered:
    """Read ``obj``'s stored file: keep its own text, or make and store a searchable rendition. Failures are
    recorded on ``obj`` with the reason; the original is never touched. Saves only the OCR fields."""
    stored: File = obj.file  # type: ignore[attr-defined]
    content_type = getattr(obj, "content_type", "")
    obj.ocr_at = timezone.now()
    if content_type not in READABLE_TYPES:
        obj.ocr_status = OcrRendition.OcrStatus.NOT_READABLE
        return _save(obj)
    with tempfile.TemporaryDirectory(prefix="ocr-") as folder_path:
        work = Path(folder_path)
        source = work / ("source.pdf" if content_type == "application/pdf" else "source.img")
        with default_storage.open(str(stored.name), "rb") as stream:
            source.write_bytes(stream.read())
        if content_type == "application/pdf":
            text, pages = pdf_text(source)
            if len(text.strip()) >= MIN_TEXT_PER_PAGE * pages:
                obj.ocr_status, obj.ocr_text, obj.ocr_error = OcrRendition.OcrStatus.NOT_NEEDED, text, ""
                return _save(obj)
        out, sidecar = work / "rendition.pdf", work / "text.txt"
        try:
            _ocr(source, out, sidecar, image=content_type in IMAGE_TYPES)
        except OcrError as exc:
            logger.warning("OCR of %s failed: %s", stored.name, exc)
            obj.ocr_status, obj.ocr_error = OcrRendition.OcrStatus.FAILED, str(exc)
            return _save(obj)
        obj.ocr_sha256 = sha256_path(out)
        with open(out, "rb") as stream:
            obj.ocr_file.name = default_storage.save(f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}-ocr.pdf",
                                                     File(stream))  # fmt: skip
        obj.ocr_text = sidecar.read_text(errors="replace") if sidecar.exists() else ""
        obj.ocr_status, obj.ocr_error = OcrRendition.OcrStatus.DONE, ""
    return _save(obj)


def _save(obj: Rendered) -> Rendered:
    obj.save(update_fields=sorted(OCR_FIELDS))
    return obj
