"""The content checks of the file policy, one per type; each reads the whole file, a chunk at a time."""

from __future__ import annotations

import codecs
import struct
from typing import BinaryIO, cast

import pikepdf
from django.core.files import File
from PIL import Image, UnidentifiedImageError
from pillow_heif import register_heif_opener

from ownership.shared.files.allowed import MARKUP_PATTERN, AllowedType, FileRejected, max_image_pixels
from ownership.shared.files.image_ends import image_end
from ownership.shared.files.pdf_safety import active_content

register_heif_opener()  # Pillow reads HEIC photos too

CHUNK_BYTES = 1024 * 1024
MARKUP_OVERLAP = 256  # longer than any tag the markup pattern matches


def markup_refusal() -> FileRejected:
    return FileRejected(
        "The file contains web page or SVG markup, which is never accepted as evidence. "
        "Save the page as PDF or as a WARC/WACZ web archive instead.",
        code="markup",
    )


def chunks(upload: File):
    upload.seek(0)
    while chunk := upload.read(CHUNK_BYTES):
        yield chunk
    upload.seek(0)


def scan_for_markup(upload: File) -> None:
    """Markup anywhere in the file, read a chunk at a time; chunks overlap so a tag split between two is seen."""
    tail = b""
    for chunk in chunks(upload):
        window = tail + chunk
        if MARKUP_PATTERN.search(window):
            upload.seek(0)
            raise markup_refusal()
        tail = window[-MARKUP_OVERLAP:]


def check_text(upload: File) -> None:
    """Plain text is UTF-8 from the first byte to the last, with no NUL bytes."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in chunks(upload):
            if b"\x00" in chunk:
                raise UnicodeDecodeError("utf-8", chunk, 0, 1, "NUL byte")
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        upload.seek(0)
        raise FileRejected(
            "The file looks like text but is not plain UTF-8 text throughout. Upload it in its own format "
            "(PDF, image, video or web archive), or save it as UTF-8 text.",
            code="not_text",
        ) from None


def check_image(upload: File, allowed: AllowedType) -> None:
    """Decoded in full within the pixel limit; nothing may follow the image's end (a polyglot)."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            width, height = image.size
            if width * height > max_image_pixels():
                raise FileRejected(
                    f"The image is {width} x {height} pixels, more than the {max_image_pixels() // 1_000_000} "
                    "megapixels accepted. Reduce its size and upload it again.",
                    code="too_many_pixels",
                )
            image.load()  # every pixel: a truncated or corrupt image fails here, not in a bundle
    except Image.DecompressionBombError:
        raise FileRejected(
            "The image declares more pixels than can be safely opened; it is refused.", code="too_many_pixels"
        ) from None
    except FileRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise FileRejected(
            f"The {allowed.label} is damaged or cut short and cannot be shown. Upload the original file again.",
            code="damaged",
        ) from None
    finally:
        upload.seek(0)
    end = image_end(cast(BinaryIO, upload), allowed.content_type)
    if end is not None and end < upload.size:
        raise FileRejected(
            f"The {allowed.label} has {upload.size - end} bytes of other data appended after the end of the "
            "image, which is how a file hides a second one. Upload the original image.",
            code="appended_data",
        )


def check_pdf(upload: File) -> None:
    """Every page and its content parse; a damaged file is accepted only if qpdf repairs it with no page lost."""
    upload.seek(0)
    try:
        with pikepdf.open(cast(BinaryIO, upload)) as pdf:
            declared = int(pdf.Root.Pages.get("/Count", 0))
            if not len(pdf.pages):
                raise FileRejected("The PDF has no pages.", code="damaged")
            if declared != len(pdf.pages):
                raise FileRejected(
                    f"The PDF is damaged: it declares {declared} pages but only {len(pdf.pages)} can be read. "
                    "Upload the original file again.",
                    code="damaged",
                )
            for page in pdf.pages:
                pikepdf.parse_content_stream(page)
    except pikepdf.PasswordError:
        raise FileRejected(
            "The PDF is protected by a password needed to open it. Upload a copy without that password.",
            code="encrypted_pdf",
        ) from None
    except FileRejected:
        raise
    except (pikepdf.PdfError, ValueError, KeyError, TypeError):
        raise FileRejected(
            "The PDF is damaged and cannot be read page by page. Upload the original file again.", code="damaged"
        ) from None
    finally:
        upload.seek(0)


def pdf_active_content(upload: File) -> list[str]:
    """What active content an accepted PDF carries (for the uploader's warning); empty when none."""
    upload.seek(0)
    try:
        with pikepdf.open(cast(BinaryIO, upload)) as pdf:
            return active_content(pdf)
    finally:
        upload.seek(0)


def check_video(upload: File, allowed: AllowedType) -> None:
    """The ISO base media container (MP4, QuickTime) walked box by box to the end, with its movie header."""
    upload.seek(0)
    position, boxes = 0, set()
    size = upload.size
    try:
        while position < size:
            upload.seek(position)
            header = upload.read(16)
            if len(header) < 8:
                raise ValueError("truncated box header")
            length, kind = struct.unpack(">I4s", header[:8])
            if length == 1:
                length = struct.unpack(">Q", header[8:16])[0]
            elif length == 0:
                length = size - position
            if length < 8 or position + length > size:
                raise ValueError("box runs past the end")
            boxes.add(kind)
            position += length
    except (ValueError, struct.error):
        raise FileRejected(
            f"The {allowed.label} is damaged or cut short: its container does not hold together. "
            "Upload the original file again.",
            code="damaged",
        ) from None
    finally:
        upload.seek(0)
    if b"moov" not in boxes:
        raise FileRejected(
            f"The {allowed.label} has no movie header (moov), so it cannot be played. Upload the original file.",
            code="damaged",
        )
