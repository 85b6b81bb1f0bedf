"""Monthly client reports: the list on the results page, the staff request form, and the download."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from ownership.models import RightsHolder
from portal.audit import audit_subject
from portal.downloads import file_download
from portal.models import ClientReport
from portal.services.client_reports import client_report_request
from portal.staff_access import staff_required
from portal.web.forms import MONTH_INPUT


class ClientReportForm(forms.Form):
    rights_holder = forms.ModelChoiceField(label=_("Client"), queryset=RightsHolder.objects.order_by("name"))
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m"], widget=MONTH_INPUT)
    next_steps = forms.CharField(label=_("Next steps"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                 help_text=_("The firm's paragraph that ends the report."))  # fmt: skip


@require_POST
@staff_required
def client_report_new(request: HttpRequest) -> HttpResponse:
    form = ClientReportForm(request.POST)
    if form.is_valid():
        try:
            report = client_report_request(**form.cleaned_data, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(report)s.") % {"report": report})
    else:
        messages.error(request, " ".join(f"{form.fields[name].label}: {' '.join(errors)}"
                                         for name, errors in form.errors.items()))  # fmt: skip
    return redirect(reverse("web:results") + "#reports")


@require_GET
@login_required
def client_report_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(ClientReport.objects.visible_to(request.user).select_related("rights_holder"), pk=pk)
    if report.status != ClientReport.Status.READY:
        raise Http404("The report is not ready.")
    audit_subject(request, report)
    name = f"report-{report.rights_holder.code}-{report.month:%Y-%m}.pdf"
    return file_download(request, storage_name=report.file.name, original_name=name, content_type="application/pdf")
