"""Request-size limits at the HTTP layer: an oversized body is refused before any of it is read or stored."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

# Room for the multipart boundaries, headers and ordinary form fields around the largest file.
MULTIPART_ALLOWANCE_BYTES = 64 * 1024


def max_request_bytes() -> int:
    return settings.PORTAL_MAX_UPLOAD_BYTES + MULTIPART_ALLOWANCE_BYTES


def _refusal(request: HttpRequest, message: str, status: int) -> HttpResponse:
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"ok": False, "error": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class UploadLimitMiddleware:
    """413 for a declared body over the limit; a clear 400 when more files are sent than allowed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _refusal(request, _("The request's Content-Length is not a number."), 400)
        if length > max_request_bytes():
            megabytes = settings.PORTAL_MAX_UPLOAD_BYTES / (1024 * 1024)
            return _refusal(request, _("The file is too large: the limit is %(mb).0f MB.") % {"mb": megabytes}, 413)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, TooManyFilesSent):
            message = _("Too many files in one upload: send at most %(n)d at a time.") % {
                "n": settings.DATA_UPLOAD_MAX_NUMBER_FILES
            }
            return _refusal(request, message, 400)
        return None
