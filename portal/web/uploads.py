"""One upload endpoint contract for the browser's upload component and for the plain form without JavaScript.

The component (static/portal/js/upload.js) posts one file per request, as multipart fields ``files``,
``kind``, ``description`` and, once the uploader confirms a duplicate, ``store_duplicate``, with ``Accept:
application/json`` and the CSRF token in ``X-CSRFToken``. It gets ``{"ok": true, "name", "sha256", "size",
"warning"}``, or ``{"ok": false, "name", "error"}``, with ``"duplicate": {"label", "url"}`` (HTTP 409) when the
matter already holds the same bytes. The plain form
posts one or more files; each outcome becomes a message and the browser is sent back to ``redirect_url``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from evidence.services import DuplicateExhibit
from ownership.shared.files.policy import clean_original_name
from ownership.shared.files.storage import StorageUnavailable
from portal.web.forms import STORE_DUPLICATE_LABEL, EvidenceUploadForm


@dataclass(frozen=True)
class UploadResult:
    """What the uploader is told about a stored file."""

    name: str
    sha256: str
    size: int
    warning: str = ""  # e.g. active content in a PDF that bundles will leave out


# Stores one file with its kind and description, or raises ValidationError
# (e.g. ownership.shared.files.allowed.FileRejected).
StoreFile = Callable[..., UploadResult]


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def upload_response(
    request: HttpRequest, *, kind_choices: list[tuple[str, str]], store: StoreFile, redirect_url: str
) -> HttpResponse:
    """Validate the posted upload form, call ``store(file, kind=..., description=...)`` per file, and answer."""
    form = EvidenceUploadForm(request.POST, request.FILES, kind_choices=kind_choices)
    as_json = wants_json(request)
    if not form.is_valid():
        errors = [
            f"{form.fields[field].label if field in form.fields else field}: {message}"
            for field, field_errors in form.errors.items()
            for message in field_errors
        ]
        return _refused(request, as_json, "", " ".join(errors), redirect_url)
    files: list[UploadedFile] = form.cleaned_data["files"]
    if as_json and len(files) != 1:
        return _refused(request, as_json, "", _("Send one file per request."), redirect_url)
    for upload in files:
        name = clean_original_name(upload.name or "")
        try:
            result = store(upload, kind=form.cleaned_data["kind"], description=form.cleaned_data["description"],
                           allow_duplicate=form.cleaned_data["store_duplicate"])  # fmt: skip
        except DuplicateExhibit as exc:
            response = _duplicate(request, as_json, name, exc, redirect_url)
            if as_json:
                return response
            continue
        except ValidationError as exc:
            response = _refused(request, as_json, name, " ".join(exc.messages), redirect_url, refusal_status(exc))
            if as_json:
                return response
            continue
        except StorageUnavailable as exc:
            response = _refused(request, as_json, name, str(exc), redirect_url, 503)
            if as_json:
                return response
            continue
        if as_json:
            return JsonResponse({"ok": True, **asdict(result)}, status=201)
        messages.success(request, _("%(name)s was stored. SHA-256: %(sha256)s") % asdict(result))
        if result.warning:
            messages.warning(request, f"{result.name}: {result.warning}")
    return HttpResponseRedirect(redirect_url)


def _duplicate(
    request: HttpRequest, as_json: bool, name: str, exc: DuplicateExhibit, redirect_url: str
) -> HttpResponse:
    """Point out the exhibit the same bytes already are, and how to store them anyway."""
    url = reverse("web:exhibit_download", args=[exc.first.pk])
    if as_json:
        first = {"label": exc.first.label, "url": url}
        return JsonResponse({"ok": False, "name": name, "error": exc.message, "duplicate": first}, status=409)
    messages.warning(request, format_html(
        '{name}: {error} <a href="{url}">Open {label}</a>. To store it anyway, upload it again with “{anyway}” ticked.',
        name=name, error=exc.message, url=url, label=exc.first.label, anyway=STORE_DUPLICATE_LABEL,
    ))  # fmt: skip
    return HttpResponseRedirect(redirect_url)


def refusal_status(exc: ValidationError) -> int:
    return 413 if getattr(exc, "code", None) == "too_large" else 400


def _refused(
    request: HttpRequest, as_json: bool, name: str, error: str, redirect_url: str, status: int = 400
) -> HttpResponse:
    if as_json:
        return JsonResponse({"ok": False, "name": name, "error": error}, status=status)
    messages.error(request, _("%(name)s was refused: %(error)s") % {"name": name, "error": error} if name else error)
    return HttpResponseRedirect(redirect_url)
