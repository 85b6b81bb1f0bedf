"""File intake: the one file policy, and hashed storage, for every uploaded file.

Ownership documents and evidence exhibits both come in through ``store_upload``, so the policy lives
here, in the lowest app. A file's type is decided from its bytes, never from the name or the Content-Type
the client sent; the name's extension must agree with it. The SHA-256 is computed from the very bytes
the storage backend reads while it writes the file (one pass), and the file is stored under a generated
key, never under the client's name. A rejected file leaves nothing behind.

What is accepted (types, limits, the refusal) is in ``file_types``; the content check of each type is in
``file_checks``; this module recognises the type, runs the checks in order, and stores.
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
from collections.abc import Iterator
from dataclasses import dataclass

import filetype
from botocore.exceptions import BotoCoreError, ClientError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from ownership import file_checks
from ownership.checksums import sha256_stream
from ownership.file_types import (
    ALLOWED_TYPES,
    MARKUP_PATTERN,
    AllowedType,
    FileRejected,
    max_upload_bytes,
    megabytes,
    policy_summary,
)
from ownership.pdf_safety import describe

# How much of the start of a file is read to decide its type and look for markup.
HEAD_BYTES = 64 * 1024
MAX_NAME_LENGTH = 200


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
            raise file_checks.markup_refusal()
        raise FileRejected(
            f"The type of this file could not be recognised from its contents. {policy_summary()}",
            code="unknown_type",
        )
    if allowed.content_type == "text/plain" or allowed.is_image:
        file_checks.scan_for_markup(upload)  # before the name: markup is refused under any name
    extension = _extension(original_name)
    if extension and not any(original_name.lower().endswith(ext) for ext in allowed.extensions):
        raise FileRejected(
            f"The file name ends in {extension}, but its contents are a {allowed.label} "
            f"(expected {', '.join(allowed.extensions)}). Rename the file or upload the right one.",
            code="extension_mismatch",
        )
    if allowed.content_type == "text/plain":
        file_checks.check_text(upload)
    elif allowed.is_image:
        file_checks.check_image(upload, allowed)
    elif allowed.content_type == "application/pdf":
        file_checks.check_pdf(upload)
    elif allowed.content_type.startswith("video/"):
        file_checks.check_video(upload, allowed)
    upload.seek(0)
    return allowed


def store_upload(upload: File, *, folder: str) -> StoredFile:
    """Check ``upload`` against the policy and store it under a generated key in ``folder``.

    Raises FileRejected, with nothing stored, when the policy refuses the file, and StorageUnavailable,
    with nothing stored, when the storage backend fails.
    """
    original_name = clean_original_name(getattr(upload, "name", "") or "")
    allowed = check_file(upload, original_name)
    active = tuple(file_checks.pdf_active_content(upload)) if allowed.content_type == "application/pdf" else ()
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


def _size_against_limit(size: int, other: int | None = None) -> str:
    """A size in MB, or in bytes where MB would round two different sizes to the same figure."""
    if other is None:
        other = max_upload_bytes()
    if megabytes(size) == megabytes(other) and size != other:
        return f"{size:,} bytes"
    return megabytes(size)
