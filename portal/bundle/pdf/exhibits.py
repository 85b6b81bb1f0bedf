"""Each exhibit or ownership document as PDF pages in the work directory, one file at a time."""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image, ImageOps, UnidentifiedImageError
from reportlab.lib.utils import ImageReader

from ownership.shared.files.pdf_safety import neutralise
from portal.bundle.errors import BundleError
from portal.bundle.inputs import FileInput
from portal.bundle.pdf.images import MAX_DPI, downsample_images
from portal.bundle.pdf.layout import MARGIN, PAGE_H, PAGE_W, Writer, new_canvas


def exhibit_label(item: FileInput) -> str:
    """What every page of the exhibit says at its top: "Exhibit 3 · Order confirmation"."""
    return f"{item.label} · {item.title}"


@dataclass(frozen=True)
class PreparedExhibit:
    path: Path
    fit: bool  # uploaded PDF pages are scaled onto A4; pages made here already are A4
    removed: tuple[
        str, ...
    ] = ()  # active content left out of the bundle's copy (``ownership.shared.files.pdf_safety``)
    optimised: int = 0  # images above 300 dpi re-encoded for the bundle's copy (``images``)


def _unusable(item: FileInput, what: str) -> BundleError:
    return BundleError(
        f"{item.label} ({item.original_name}) {what}, so the bundle cannot show it. Withdraw the exhibit or "
        "upload a good copy in its place, then compile again."
    )


def prepare_exhibit(item: FileInput, workdir: Path) -> PreparedExhibit:
    """The exhibit as PDF pages: a neutralised copy of a PDF, images one per page, other files described.

    The stored file is never changed; what is built here is a rendition for the bundle only.
    """
    name = f"file-{item.section}-{item.reference or item.number}"
    out = workdir / f"{name}.pdf"
    if item.content_type == "application/pdf":
        raw = workdir / f"raw-{name}.pdf"
        with item.open() as source, open(raw, "wb") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)
        try:
            with pikepdf.open(raw) as pdf:  # an owner-password-only PDF opens, and is saved decrypted
                removed = neutralise(pdf)
                optimised = downsample_images(pdf)
                pdf.save(out)  # qpdf also writes a repaired copy of a damaged-but-readable file
        except pikepdf.PasswordError:
            raise BundleError(
                f"{item.label} ({item.original_name}) is a PDF protected by a password needed to open "
                "it. Upload a copy without that password, then compile again."
            ) from None
        except (pikepdf.PdfError, ValueError):
            raise _unusable(item, "is a damaged PDF") from None
        finally:
            raw.unlink(missing_ok=True)
        return PreparedExhibit(out, True, tuple(removed), optimised)
    if item.content_type.startswith("image/"):
        try:
            _image_page(item, out)
        except (UnidentifiedImageError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
            raise _unusable(item, "is a damaged image") from None
        except OSError as exc:
            if isinstance(exc, FileNotFoundError | ConnectionError | TimeoutError):
                raise  # the storage, not the file: the compile is retried
            raise _unusable(item, "is a damaged or truncated image") from None
        return PreparedExhibit(out, False)
    _description_page(item, out)
    return PreparedExhibit(out, False)


def fitted_jpeg(source, box_w: float, box_h: float) -> tuple[io.BytesIO, float, float]:
    """The image upright, never upscaled, at most 300 dpi at its printed size; JPEG bytes and printed size."""
    with Image.open(source) as original:
        if original.format == "JPEG":  # decode at a reduced scale when the photo has far more pixels than needed
            longest = int(max(box_w, box_h) / 72 * MAX_DPI)
            original.draft("RGB", (longest, longest))
        image = ImageOps.exif_transpose(original)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            background.paste(image.convert("RGBA"), mask=image.convert("RGBA").split()[-1])
            image = background
        px_w, px_h = image.size
        scale = min(1.0, box_w / px_w, box_h / px_h)  # at most one point per pixel
        shown_w, shown_h = px_w * scale, px_h * scale
        max_px_w = int(shown_w / 72 * MAX_DPI)
        if px_w > max_px_w:
            image = image.resize((max_px_w, max(1, int(px_h * max_px_w / px_w))), Image.Resampling.LANCZOS)
        jpeg = io.BytesIO()
        image.save(jpeg, "JPEG", quality=88, optimize=True)
    jpeg.seek(0)
    return jpeg, shown_w, shown_h


def _image_page(item: FileInput, out: Path) -> None:
    box_w, box_h = PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN
    with item.open() as source:
        jpeg, shown_w, shown_h = fitted_jpeg(source, box_w, box_h)
    c = new_canvas(out, item.label)
    c.drawImage(ImageReader(jpeg), MARGIN + (box_w - shown_w) / 2, MARGIN + (box_h - shown_h), shown_w, shown_h)
    c.showPage()
    c.save()


def _description_page(item: FileInput, out: Path) -> None:
    w = Writer(out, item.label)
    w.space(12)
    w.title(f"{item.label}: {item.title}")
    w.text(
        "This file cannot be shown on paper. It is kept unaltered in the portal and is available on request; "
        "the SHA-256 below identifies it exactly.",
        size=10,
    )
    w.space(8)
    for label, value in [
        ("Type", f"{item.kind_label} ({item.content_type})"),
        ("Original name", item.original_name),
        ("Size", f"{item.size} bytes"),
        ("Uploaded by", item.uploaded_by),
        ("Uploaded at", item.uploaded_at.isoformat()),
        ("SHA-256", item.sha256),
    ]:
        w.field(label, value)
    w.finish()
