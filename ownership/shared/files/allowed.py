"""What the file policy accepts: the allowed types and limits, the markup never accepted, and the refusal."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError


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


class FileRejected(ValidationError):
    """The file breaks the policy. ``message`` says why, in words the uploader can act on."""

    def __init__(self, message: str, code: str):
        super().__init__(message, code=code)


def max_upload_bytes() -> int:
    return settings.PORTAL_MAX_UPLOAD_BYTES


def max_image_pixels() -> int:
    return getattr(settings, "PORTAL_MAX_IMAGE_PIXELS", 100_000_000)


def accepted_extensions() -> list[str]:
    """For the file chooser's ``accept`` attribute and help texts."""
    return [ext for t in ALLOWED_TYPES.values() for ext in t.extensions]


def policy_summary() -> str:
    labels = ", ".join(t.label for t in ALLOWED_TYPES.values())
    return f"Accepted: {labels}. Largest file: {megabytes(max_upload_bytes())}."


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
