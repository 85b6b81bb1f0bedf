"""Staff import listings into a matter: a file or pasted URLs, a preview, then the import (by a worker if large)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from evidence.intake.importing import listing_import_prepare, listing_import_run, progress_read
from evidence.intake.reading import max_import_bytes
from evidence.models import ListingImport, Matter
from portal.staff_access import staff_required


class ListingImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )  # fmt: skip
    urls = forms.CharField(
        label=gettext_lazy("Or paste listing URLs, one per line"), required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )  # fmt: skip

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("file") and not (cleaned.get("urls") or "").strip():
            raise ValidationError(_("Choose a file or paste at least one URL."))
        if cleaned.get("file") and (cleaned.get("urls") or "").strip():
            raise ValidationError(_("Import a file or pasted URLs, not both at once."))
        return cleaned


@staff_required
def listing_import_new(request: HttpRequest, reference: str) -> HttpResponse:
    matter = get_object_or_404(Matter.objects.visible_to(request.user), reference=reference)
    form = ListingImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            listing_import = listing_import_prepare(
                matter=matter, by=request.user, upload=form.cleaned_data["file"], text=form.cleaned_data["urls"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("web:listing_import_detail", pk=listing_import.pk)
    recent = ListingImport.objects.visible_to(request.user).filter(matter=matter).select_related("created_by")[:10]
    context = {"matter": matter, "form": form, "recent": recent, "max_mb": max_import_bytes() // 1_000_000}
    return render(request, "portal/web/imports/new.html", context)


@require_GET
@staff_required
def listing_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing_import = get_object_or_404(
        ListingImport.objects.visible_to(request.user).select_related("matter", "created_by"), pk=pk
    )
    done = progress_read(pk) if listing_import.is_running else 0
    percent = min(100, round(100 * done / listing_import.rows)) if listing_import.rows else 0
    return render(
        request,
        "portal/web/imports/detail.html",
        {"listing_import": listing_import, "matter": listing_import.matter, "done": done, "percent": percent},
    )


@require_POST
@staff_required
def listing_import_start(request: HttpRequest, pk: int) -> HttpResponse:
    listing_import = get_object_or_404(ListingImport.objects.visible_to(request.user), pk=pk)
    try:
        listing_import = listing_import_run(listing_import=listing_import, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if listing_import.status == ListingImport.Status.IMPORTED:
            messages.success(request, _("The listings are imported."))
        elif listing_import.status == ListingImport.Status.FAILED:
            messages.error(request, listing_import.message)
    return redirect("web:listing_import_detail", pk=pk)
