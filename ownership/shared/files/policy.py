"""The file policy applied to every uploaded file: what it is, decided from its bytes, and whether it is safe.

A file's type is recognised from its contents, never from the name or the Content-Type the client sent; the
name's extension must agree with it. What is accepted (types, limits, the refusal) is in ``allowed``; the
content check of each type is in ``checks``; this module recognises the type and runs the checks in order.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import unicodedata
import zipfile

import filetype
from django.core.files import File

from ownership.shared.files import checks as file_checks
from ownership.shared.files.allowed import (
    ALLOWED_TYPES,
    MARKUP_PATTERN,
    AllowedType,
    FileRejected,
    max_upload_bytes,
    megabytes,
    policy_summary,
)

# How much of the start of a file is read to decide its type and look for markup.
HEAD_BYTES = 64 * 1024
MAX_NAME_LENGTH = 200


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
