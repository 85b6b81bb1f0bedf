"""Complaint bundle pages: staff request a compile, everyone who may see the matter follows and downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evidence.models import Matter
from portal.audit import audit_subject
from portal.downloads import file_download
from portal.models import Bundle
from portal.services import BundleError, bundle_request
from portal.staff_access import staff_required
from portal.web.forms import BundleRequestForm
from portal.web.views import bundle_download_url


@require_POST
@staff_required
def bundle_create(request: HttpRequest, reference: str) -> HttpResponse:
    matter = get_object_or_404(Matter.objects.visible_to(request.user), reference=reference)
    form = BundleRequestForm(request.POST, matter=matter, user=request.user)
    back = reverse("web:matter_detail", args=[matter.reference]) + "#bundles"
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect(back)
    try:
        bundle, created = bundle_request(
            matter=matter,
            platform=form.cleaned_data["platform"],
            rights=form.cleaned_data["rights"],
            listings=form.cleaned_data["listings"],
            purchases=form.cleaned_data["purchases"],
            requested_by=request.user,
            overrule=form.cleaned_data["overrule"],
        )
    except BundleError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if created:
        messages.success(
            request,
            _("Bundle %(bundle)s is queued for compiling: follow it below, under Bundles.") % {"bundle": bundle},
        )
    else:
        messages.info(
            request,
            _("Bundle %(bundle)s was already compiled from exactly this evidence (%(status)s).")
            % {"bundle": bundle, "status": bundle.get_status_display().lower()},
        )
    return redirect(back)


def _visible_bundle(request: HttpRequest, pk: int) -> Bundle:
    return get_object_or_404(Bundle.objects.visible_to(request.user).select_related("matter"), pk=pk)


@require_GET
@login_required
def bundle_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the progress bar shows; polled while a compile runs."""
    bundle = _visible_bundle(request, pk)
    return JsonResponse(
        {
            "status": bundle.status,
            "status_display": bundle.get_status_display(),
            "progress": bundle.progress,
            "message": bundle.progress_message,
            "error": bundle.error_message,
            "download_url": bundle_download_url(bundle),
        }
    )


@require_GET
@login_required
def bundle_download(request: HttpRequest, pk: int) -> HttpResponse:
    bundle = _visible_bundle(request, pk)
    if bundle.status != Bundle.Status.READY:
        raise Http404
    filename = f"{bundle.matter.reference}-{bundle.platform}-v{bundle.version}.pdf"
    audit_subject(request, bundle)
    return file_download(request, storage_name=bundle.file.name, original_name=filename, content_type="application/pdf")
