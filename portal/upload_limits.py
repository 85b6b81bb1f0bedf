"""Request-size limits at the HTTP layer: an oversized body is refused before any of it is read or stored.

Django parses a multipart body the first time anything reads ``request.POST`` or ``request.FILES``, and the
CSRF middleware is usually first. Its parse errors (too many files or fields, a part header over Django's
limit, such as a very long file name) would become Django's bare 400 page. This middleware, which runs before
the CSRF check, parses the body itself and answers such requests with the portal's own message: JSON for the
upload component, the page's error message otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

# Room for the multipart boundaries, headers and ordinary form fields around the largest file.
MULTIPART_ALLOWANCE_BYTES = 64 * 1024


def max_request_bytes() -> int:
    return settings.PORTAL_MAX_UPLOAD_BYTES + MULTIPART_ALLOWANCE_BYTES


def _refusal(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """JSON for the upload component; for a browser's plain form, a page with the message and a way back."""
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"ok": False, "error": message}, status=status)
    referer = request.headers.get("Referer", "")
    back = referer if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}) else "/"
    return render(request, "portal/upload_refused.html", {"message": message, "back": back}, status=status)


def parse_error_message(exc: Exception) -> str:
    if isinstance(exc, TooManyFilesSent):
        return _("Too many files in one upload: send at most %(n)d at a time.") % {
            "n": settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }
    if isinstance(exc, TooManyFieldsSent):
        return _("The form sent too many fields.")
    if isinstance(exc, RequestDataTooBig):
        return _("The form's fields are too large.")
    return _(
        "The upload could not be read: a file name or a form field is too long, or the request is malformed. "
        "Rename the file to a shorter name and try again."
    )


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
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                request.POST, request.FILES  # noqa: B018 - parse now, before the CSRF check reads the body
            except (MultiPartParserError, TooManyFilesSent, TooManyFieldsSent, RequestDataTooBig) as exc:
                return _refusal(request, parse_error_message(exc), 400)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, MultiPartParserError | TooManyFilesSent | TooManyFieldsSent | RequestDataTooBig):
            return _refusal(request, parse_error_message(exception), 400)
        return None
