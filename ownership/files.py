"""File intake: the one file policy, and hashed storage, for every uploaded file.

Ownership documents and evidence exhibits both come in through ``store_upload``, so the policy lives
here, in the lowest app. A file's type is decided from its bytes, never from the name or the Content-Type
the client sent; the name's extension must agree with it. The SHA-256 is computed from the very bytes
the storage backend reads while it writes the file (one pass), and the file is stored under a generated
key, never under the client's name. A rejected file leaves nothing behind.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import hashlib
import io
import os
import re
import struct
import unicodedata
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import filetype
import pikepdf
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, UnidentifiedImageError
from pillow_heif import register_heif_opener

from ownership.checksums import sha256_stream
from ownership.image_ends import image_end
from ownership.pdf_safety import active_content, describe

register_heif_opener()

# How much of the start of a file is read to decide its type and look for markup.
HEAD_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024
MARKUP_OVERLAP = 256  # longer than any tag the markup pattern matches
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class AllowedType:
    content_type: str
    label: str
    extensions: tuple[str, ...]  # the first one is used for the stored key
    is_image: bool = False


ALLOWED_TYPES: dict[str, AllowedType] = {
    t.content_type: t
    for t in [
        AllowedType("application/pdf", "PDF document", (".pdf",)),
        AllowedType("image/jpeg", "JPEG image", (".jpg", ".jpeg", ".jfif"), is_image=True),
        AllowedType("image/png", "PNG image", (".png",), is_image=True),
        AllowedType("image/webp", "WebP image", (".webp",), is_image=True),
        AllowedType("image/heic", "HEIC photo", (".heic", ".heif"), is_image=True),
        AllowedType("video/mp4", "MP4 video", (".mp4", ".m4v")),
        AllowedType("video/quicktime", "QuickTime video", (".mov", ".qt")),
        AllowedType("application/warc", "WARC web archive", (".warc", ".warc.gz")),
        AllowedType("application/wacz", "WACZ web archive", (".wacz",)),
        AllowedType("text/plain", "plain text", (".txt", ".text", ".log")),
    ]
}

# Markup a browser would run or render as a page: refused under any name, anywhere in the file's head.
MARKUP_PATTERN = re.compile(
    rb"<\s*(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|script[\s>/]|svg[\s>/:]|iframe[\s>/]|object[\s>/]"
    rb"|embed[\s>/]|meta[\s>/]|a\s+href|img\s[^>]*on\w+\s*=)",
    re.IGNORECASE,
)


# What a storage backend raises when it cannot be reached or refuses the write: local disk errors, and
# boto3's connection and service errors on S3.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


class StorageUnavailable(Exception):
    """The file store could not take the file. Nothing was stored; the user may simply try again."""

    def __init__(self) -> None:
        super().__init__(
            "The evidence store could not be reached, so the file was not stored. Try again in a few minutes; "
            "if it keeps happening, tell the firm."
        )


class FileRejected(ValidationError):
    """The file breaks the policy. ``message`` says why, in words the uploader can act on."""

    def __init__(self, message: str, code: str):
        super().__init__(message, code=code)


@dataclass(frozen=True)
class StoredFile:
    name: str
    sha256: str
    size: int
    content_type: str
    original_name: str
    active_content: tuple[str, ...] = ()  # what a PDF carries that bundles leave out (``ownership.pdf_safety``)

    @property
    def warning(self) -> str:
        if not self.active_content:
            return ""
        return (
            f"This PDF contains {describe(list(self.active_content))}. It is stored exactly as received; "
            "complaint bundles will include a copy without it."
        )


def max_upload_bytes() -> int:
    return settings.PORTAL_MAX_UPLOAD_BYTES


def max_image_pixels() -> int:
    return getattr(settings, "PORTAL_MAX_IMAGE_PIXELS", 100_000_000)


def accepted_extensions() -> list[str]:
    """For the file chooser's ``accept`` attribute and help texts."""
    return [ext for t in ALLOWED_TYPES.values() for ext in t.extensions]


def policy_summary() -> str:
    labels = ", ".join(t.label for t in ALLOWED_TYPES.values())
    return f"Accepted: {labels}. Largest file: {_megabytes(max_upload_bytes())}."


def clean_original_name(name: str) -> str:
    """The client's file name made safe to show and to put in a header: no path, no control characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".").strip()
    if len(name) > MAX_NAME_LENGTH:  # cut the stem, never the extension the policy checks
        extension = _extension(name)
        extension = extension if 1 < len(extension) <= 16 else ""
        name = name[: MAX_NAME_LENGTH - len(extension)].rstrip() + extension
    return name or "unnamed"


def check_file(upload: File, original_name: str) -> AllowedType:
    """Apply the policy to an uploaded file; return its type or raise FileRejected. Leaves the file at 0.

    The type is recognised first, from the bytes; then the checks that type needs run over the whole file:
    markup anywhere in text and images, images decoded in full with nothing appended after their end, PDFs
    parsed through every page, videos' containers walked to the end.
    """
    size = upload.size
    if not size:
        raise FileRejected("The file is empty (0 bytes).", code="empty")
    if size > max_upload_bytes():
        raise FileRejected(
            f"The file is {_size_against_limit(size)}; the largest file accepted is "
            f"{_size_against_limit(max_upload_bytes(), size)}.",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    allowed = _sniff(upload, head)
    if allowed is None:
        if MARKUP_PATTERN.search(head):
            raise _markup_refusal()
        raise FileRejected(
            f"The type of this file could not be recognised from its contents. {policy_summary()}",
            code="unknown_type",
        )
    if allowed.content_type == "text/plain" or allowed.is_image:
        _scan_for_markup(upload)  # before the name: markup is refused under any name
    extension = _extension(original_name)
    if extension and not any(original_name.lower().endswith(ext) for ext in allowed.extensions):
        raise FileRejected(
            f"The file name ends in {extension}, but its contents are a {allowed.label} "
            f"(expected {', '.join(allowed.extensions)}). Rename the file or upload the right one.",
            code="extension_mismatch",
        )
    if allowed.content_type == "text/plain":
        _check_text(upload)
    elif allowed.is_image:
        _check_image(upload, allowed)
    elif allowed.content_type == "application/pdf":
        _check_pdf(upload)
    elif allowed.content_type.startswith("video/"):
        _check_video(upload, allowed)
    upload.seek(0)
    return allowed


def store_upload(upload: File, *, folder: str) -> StoredFile:
    """Check ``upload`` against the policy and store it under a generated key in ``folder``.

    Raises FileRejected, with nothing stored, when the policy refuses the file, and StorageUnavailable,
    with nothing stored, when the storage backend fails.
    """
    original_name = clean_original_name(getattr(upload, "name", "") or "")
    allowed = check_file(upload, original_name)
    active = tuple(pdf_active_content(upload)) if allowed.content_type == "application/pdf" else ()
    now = timezone.now()
    key = f"{folder}/{now:%Y/%m}/{uuid.uuid4().hex}{allowed.extensions[0]}"
    reader = _HashingFile(upload)
    try:
        name = default_storage.save(key, reader)
    except STORAGE_ERRORS as exc:
        with contextlib.suppress(*STORAGE_ERRORS):
            default_storage.delete(key)  # a write cut off halfway leaves no object behind
        raise StorageUnavailable() from exc
    try:
        sha256 = reader.hexdigest()
    except Exception:
        default_storage.delete(name)
        raise
    return StoredFile(
        name=name, sha256=sha256, size=reader.size, content_type=allowed.content_type, original_name=original_name,
        active_content=active,
    )  # fmt: skip


@contextlib.contextmanager
def removed_unless_recorded(name: str) -> Iterator[None]:
    """Around the writes that record a stored file: if they fail, the file is removed, so none is orphaned."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(*STORAGE_ERRORS):
            default_storage.delete(name)
        raise


def stored_file_problem(name: str, recorded_sha256: str) -> str | None:
    """Why a stored file no longer matches the SHA-256 recorded when it was stored, or None when it does.

    A file that is gone is a problem to report; storage that cannot be reached is not, and its error is raised
    for the caller to retry.
    """
    try:
        found = sha256_of_stored(name)
    except FileNotFoundError as exc:
        return f"file missing ({type(exc).__name__})"
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("NoSuchKey", "404"):
            raise
        return f"file missing ({type(exc).__name__})"
    return None if found == recorded_sha256 else f"expected SHA-256 {recorded_sha256}, found {found}"


def sha256_of_stored(name: str) -> str:
    """Read a stored file back from storage, in chunks, and hash it."""
    with default_storage.open(name, "rb") as stored:
        return sha256_stream(stored)


class _HashingFile(File):
    """Hands the upload's bytes to the storage backend and hashes exactly the bytes it reads, in order.

    Backends read sequentially after seeking to the start (FileSystemStorage through ``chunks()``, S3
    through ``read(n)``); a seek back to the start restarts the hash. Any other access pattern makes the
    hash unusable, and ``hexdigest()`` refuses rather than return a wrong value.
    """

    def __init__(self, upload: File):
        super().__init__(upload.file if hasattr(upload, "file") else upload, name=getattr(upload, "name", None))
        self._size = upload.size
        self._digest = hashlib.sha256()
        self._hashed = 0
        self._sequential = True

    @property
    def size(self) -> int:
        return self._size

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        position = self.file.seek(offset, whence)
        if position == 0:
            self._digest, self._hashed, self._sequential = hashlib.sha256(), 0, True
        elif position != self._hashed:
            self._sequential = False
        return position

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self._digest.update(data)
        self._hashed += len(data)
        return data

    def chunks(self, chunk_size: int | None = None):
        self.seek(0)
        while data := self.read(chunk_size or self.DEFAULT_CHUNK_SIZE):
            yield data

    def hexdigest(self) -> str:
        if not self._sequential or self._hashed != self._size:
            raise RuntimeError("The storage backend did not read the upload once from start to end.")
        return self._digest.hexdigest()


def _sniff(upload: File, head: bytes) -> AllowedType | None:
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime in {"image/heic", "image/heif"}:
        return ALLOWED_TYPES["image/heic"]
    if mime == "video/x-m4v":
        return ALLOWED_TYPES["video/mp4"]
    if mime in ALLOWED_TYPES:
        return ALLOWED_TYPES[mime]
    if head.startswith(b"WARC/1."):
        return ALLOWED_TYPES["application/warc"]
    if mime == "application/gzip" and _gunzipped_head(head).startswith(b"WARC/1."):
        return ALLOWED_TYPES["application/warc"]
    if mime == "application/zip" and _is_wacz(upload):
        return ALLOWED_TYPES["application/wacz"]
    if mime is None and _is_plain_text(head, whole=upload.size <= len(head)):
        return ALLOWED_TYPES["text/plain"]
    return None


def _markup_refusal() -> FileRejected:
    return FileRejected(
        "The file contains web page or SVG markup, which is never accepted as evidence. "
        "Save the page as PDF or as a WARC/WACZ web archive instead.",
        code="markup",
    )


def _chunks(upload: File):
    upload.seek(0)
    while chunk := upload.read(CHUNK_BYTES):
        yield chunk
    upload.seek(0)


def _scan_for_markup(upload: File) -> None:
    """Markup anywhere in the file, read a chunk at a time; chunks overlap so a tag split between two is seen."""
    tail = b""
    for chunk in _chunks(upload):
        window = tail + chunk
        if MARKUP_PATTERN.search(window):
            upload.seek(0)
            raise _markup_refusal()
        tail = window[-MARKUP_OVERLAP:]


def _check_text(upload: File) -> None:
    """Plain text is UTF-8 from the first byte to the last, with no NUL bytes."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in _chunks(upload):
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


def _check_image(upload: File, allowed: AllowedType) -> None:
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
    end = image_end(upload, allowed.content_type)
    if end is not None and end < upload.size:
        raise FileRejected(
            f"The {allowed.label} has {upload.size - end} bytes of other data appended after the end of the "
            "image, which is how a file hides a second one. Upload the original image.",
            code="appended_data",
        )


def _check_pdf(upload: File) -> None:
    """Every page and its content parse; a damaged file is accepted only if qpdf repairs it with no page lost."""
    upload.seek(0)
    try:
        with pikepdf.open(upload) as pdf:
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
        with pikepdf.open(upload) as pdf:
            return active_content(pdf)
    finally:
        upload.seek(0)


def _check_video(upload: File, allowed: AllowedType) -> None:
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


def _is_wacz(upload: File) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return "datapackage.json" in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)


def _gunzipped_head(head: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(head)) as unzipped:
            return unzipped.read(16)
    except (OSError, EOFError):
        return b""


def _is_plain_text(head: bytes, whole: bool) -> bool:
    """UTF-8 without NUL bytes; a head cut from a longer file may end inside a multi-byte character."""
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return not whole and exc.reason == "unexpected end of data"
    return True


def _extension(name: str) -> str:
    lowered = name.lower()
    if lowered.endswith(".warc.gz"):
        return ".warc.gz"
    return os.path.splitext(lowered)[1]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _size_against_limit(size: int, other: int | None = None) -> str:
    """A size in MB, or in bytes where MB would round two different sizes to the same figure."""
    if other is None:
        other = max_upload_bytes()
    if _megabytes(size) == _megabytes(other) and size != other:
        return f"{size:,} bytes"
    return _megabytes(size)
