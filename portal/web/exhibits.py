"""Evidence pages: upload exhibits to a matter, download them. Both are permission-checked and recorded."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from evidence.models import CustodyEvent, Exhibit, Matter, TestPurchase
from evidence.services import custody_record, exhibit_upload
from ownership.shared import access
from portal.audit import audit_subject
from portal.downloads import file_download
from portal.web.uploads import UploadResult, upload_response


@require_POST
@login_required
def exhibit_create(request: HttpRequest, reference: str) -> HttpResponse:
    matter = get_object_or_404(Matter.objects.visible_to(request.user), reference=reference)
    if not access.can_upload_evidence(request.user, matter.rights_holder_id):
        raise PermissionDenied
    purchase = None
    chosen = request.POST.get("purchase") or request.GET.get("purchase")  # the form's choice, or the purchase's zone
    if chosen:
        if not chosen.isdigit():
            raise Http404
        purchase = get_object_or_404(TestPurchase.objects.visible_to(request.user).filter(matter=matter), pk=chosen)

    def store(upload, *, kind: str, description: str, allow_duplicate: bool) -> UploadResult:
        exhibit = exhibit_upload(
            matter=matter, upload=upload, kind=kind, description=description, purchase=purchase,
            uploaded_by=request.user, allow_duplicate=allow_duplicate,
        )  # fmt: skip
        return UploadResult(
            name=exhibit.original_name, sha256=exhibit.sha256, size=exhibit.size, warning=exhibit.upload_warning
        )

    return upload_response(
        request,
        kind_choices=Exhibit.Kind.choices,
        store=store,
        redirect_url=reverse("web:matter_detail", args=[matter.reference]) + "#purchases",
    )


@require_GET
@login_required
def exhibit_download(request: HttpRequest, pk: int) -> HttpResponse:
    exhibit = get_object_or_404(Exhibit.objects.visible_to(request.user).select_related("matter"), pk=pk)
    custody_record(matter=exhibit.matter, action=CustodyEvent.Action.DOWNLOADED, actor=request.user, exhibit=exhibit)
    audit_subject(request, exhibit.label)
    return file_download(
        request,
        storage_name=exhibit.file.name,
        original_name=exhibit.original_name,
        content_type=exhibit.content_type,
    )
