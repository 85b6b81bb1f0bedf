"""Staff record a bundle's filing with its platform, and the platform's answer per listing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evidence.models import Matter
from portal.models import ListingOutcome
from portal.services import listing_outcome_record, submission_record
from portal.staff_access import staff_required
from portal.web.forms import ListingOutcomeForm, SubmissionForm
from portal.web.views import outcome_form_prefix


def report_errors(request: HttpRequest, form: Form, errors: dict[str, list[str]]) -> None:
    for field, messages_ in errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(messages_)}" if label else " ".join(messages_))


@require_POST
@staff_required
def submission_create(request: HttpRequest, reference: str) -> HttpResponse:
    matter = get_object_or_404(Matter.objects.visible_to(request.user), reference=reference)
    form = SubmissionForm(request.POST, matter=matter, user=request.user)
    back = reverse("web:matter_detail", args=[matter.reference]) + "#submissions"
    if not form.is_valid():
        report_errors(request, form, form.errors)
        return redirect(back)
    try:
        submission = submission_record(submitted_by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        report_errors(request, form, exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages})
        return redirect(back)
    messages.success(
        request,
        _("Complaint %(reference)s recorded: %(count)d listings now await the platform's answer.")
        % {"reference": submission.platform_reference, "count": submission.outcomes.count()},
    )
    return redirect(back)


@require_POST
@staff_required
def outcome_record(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = get_object_or_404(
        ListingOutcome.objects.visible_to(request.user).select_related("listing", "submission__bundle__matter"), pk=pk
    )
    form = ListingOutcomeForm(request.POST, prefix=outcome_form_prefix(outcome.pk))
    back = outcome.get_absolute_url()
    if not form.is_valid():
        report_errors(request, form, form.errors)
        return redirect(back)
    try:
        listing_outcome_record(
            outcome=outcome,
            result=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            counter_notice_received_on=form.cleaned_data["counter_notice_received_on"],
            answer_by=form.cleaned_data["answer_by"],
            recorded_by=request.user,
        )
    except ValidationError as exc:
        report_errors(request, form, exc.message_dict)
        return redirect(back)
    messages.success(request, _("Recorded: %(outcome)s.") % {"outcome": outcome})
    return redirect(back)
