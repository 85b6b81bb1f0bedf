"""File intake: the one file policy, and hashed storage, for every uploaded file.

Ownership documents and evidence exhibits both come in through ``store_upload``, so the policy lives
here, in the lowest app. A file's type is decided from its bytes, never from the name or the Content-Type
the client sent; the name's extension must agree with it. The SHA-256 is computed from the very bytes
the storage backend reads while it writes the file (one pass), and the file is stored under a generated
key, never under the client's name. A rejected file leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import os
import re
import unicodedata
import uuid
import zipfile
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

register_heif_opener()

# How much of the start of a file is read to decide its type and look for markup.
HEAD_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024


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
    return name[:200] or "unnamed"


def check_file(upload: File, original_name: str) -> AllowedType:
    """Apply the policy to an uploaded file; return its type or raise FileRejected. Leaves the file at 0."""
    size = upload.size
    if not size:
        raise FileRejected("The file is empty (0 bytes).", code="empty")
    if size > max_upload_bytes():
        raise FileRejected(
            f"The file is {_megabytes(size)}; the largest file accepted is {_megabytes(max_upload_bytes())}.",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if MARKUP_PATTERN.search(head):
        raise FileRejected(
            "The file contains web page or SVG markup, which is never accepted as evidence. "
            "Save the page as PDF or as a WARC/WACZ web archive instead.",
            code="markup",
        )
    allowed = _sniff(upload, head)
    if allowed is None:
        raise FileRejected(
            f"The type of this file could not be recognised from its contents. {policy_summary()}",
            code="unknown_type",
        )
    extension = _extension(original_name)
    if extension and not any(original_name.lower().endswith(ext) for ext in allowed.extensions):
        raise FileRejected(
            f"The file name ends in {extension}, but its contents are a {allowed.label} "
            f"(expected {', '.join(allowed.extensions)}). Rename the file or upload the right one.",
            code="extension_mismatch",
        )
    if allowed.is_image:
        _check_image(upload, allowed)
    elif allowed.content_type == "application/pdf":
        _check_pdf(upload)
    upload.seek(0)
    return allowed


def store_upload(upload: File, *, folder: str) -> StoredFile:
    """Check ``upload`` against the policy and store it under a generated key in ``folder``.

    Raises FileRejected, with nothing stored, when the policy refuses the file, and StorageUnavailable,
    with nothing stored, when the storage backend fails.
    """
    original_name = clean_original_name(getattr(upload, "name", "") or "")
    allowed = check_file(upload, original_name)
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
        name=name, sha256=sha256, size=reader.size, content_type=allowed.content_type, original_name=original_name
    )


def delete_stored(name: str) -> None:
    default_storage.delete(name)


def sha256_of_stored(name: str) -> str:
    """Read a stored file back from storage, in chunks, and hash it."""
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as stored:
        while chunk := stored.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


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
    if mime is None and _is_plain_text(head):
        return ALLOWED_TYPES["text/plain"]
    return None


def _check_image(upload: File, allowed: AllowedType) -> None:
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
            image.verify()
    except Image.DecompressionBombError:
        raise FileRejected(
            "The image declares more pixels than can be safely opened; it is refused.", code="too_many_pixels"
        ) from None
    except FileRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise FileRejected(f"The {allowed.label} is damaged and cannot be opened.", code="damaged") from None
    finally:
        upload.seek(0)


def _check_pdf(upload: File) -> None:
    upload.seek(0)
    try:
        with pikepdf.open(upload) as pdf:
            if not len(pdf.pages):
                raise FileRejected("The PDF has no pages.", code="damaged")
    except pikepdf.PasswordError:
        raise FileRejected(
            "The PDF is protected by a password needed to open it. Upload a copy without that password.",
            code="encrypted_pdf",
        ) from None
    except FileRejected:
        raise
    except pikepdf.PdfError:
        raise FileRejected("The PDF is damaged and cannot be opened.", code="damaged") from None
    finally:
        upload.seek(0)


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


def _is_plain_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The head may end inside a multi-byte character.
        if exc.start < len(head) - 4:
            return False
    return True


def _extension(name: str) -> str:
    lowered = name.lower()
    if lowered.endswith(".warc.gz"):
        return ".warc.gz"
    return os.path.splitext(lowered)[1]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
