"""Staff record a bundle's filing with its platform; a filed complaint's page pages its items and takes the
platform's answers for many of them at once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms import Form
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evidence.models import Matter, matter_facts
from ownership.shared import access
from portal.campaign_answers import Answer
from portal.lumen import lumen_notice
from portal.models import ListingOutcome, Submission
from portal.selectors import complaint_for_lumen
from portal.services import submission_answers_record, submission_record
from portal.staff_access import staff_required
from portal.web.forms import ComplaintAnswerForm, SubmissionForm


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


ITEMS_PER_PAGE = 100


@require_GET
@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One filed complaint: its answers counted, its items paged by keyset, and (staff) one answer form."""
    submission = get_object_or_404(
        Submission.objects.visible_to(request.user).select_related("bundle__matter", "submitted_by"), pk=pk
    )
    matter = submission.bundle.matter
    shown = request.GET.get("answer", "")
    outcomes = submission.outcomes.prefetch_related(matter_facts(matter)).order_by("pk")
    if shown in ListingOutcome.Outcome.values:
        outcomes = outcomes.filter(outcome=shown)
    after = request.GET.get("after", "")
    if after.isdigit():
        outcomes = outcomes.filter(pk__gt=int(after))
    page = list(outcomes[: ITEMS_PER_PAGE + 1])
    next_after = page[ITEMS_PER_PAGE - 1].pk if len(page) > ITEMS_PER_PAGE else None
    counts = dict(submission.outcomes.order_by().values_list("outcome").annotate(n=Count("pk")))
    context = {
        "submission": submission, "matter": matter, "outcomes": page[:ITEMS_PER_PAGE], "next_after": next_after,
        "shown": shown, "is_first_page": not after,
        "answers": [(value, label, counts.get(value, 0)) for value, label in ListingOutcome.Outcome.choices],
        "total": sum(counts.values()),
        "answer_form": ComplaintAnswerForm() if access.is_firm_staff(request.user) else None,
    }  # fmt: skip
    return render(request, "portal/web/complaint.html", context)


@require_POST
@staff_required
def submission_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """One answer of the platform for the ticked items of the complaint, or for every item still pending."""
    submission = get_object_or_404(Submission.objects.visible_to(request.user), pk=pk)
    form = ComplaintAnswerForm(request.POST)
    back = reverse("web:submission_detail", args=[submission.pk])
    if not form.is_valid():
        report_errors(request, form, form.errors)
        return redirect(back)
    data = form.cleaned_data
    if data["every_pending"]:
        pending = submission.outcomes.filter(outcome=ListingOutcome.Outcome.PENDING)
        listing_ids = list(pending.values_list("listing_id", flat=True))
    else:
        listing_ids = [int(value) for value in request.POST.getlist("items") if value.isdigit()]
    if not listing_ids:
        messages.error(request, _("Tick the items the answer is for, or choose every item still awaiting one."))
        return redirect(back)
    answers = [
        Answer(listing_id=listing_id, result=data["outcome"], reason=data["reason"],
               received_on=data["counter_notice_received_on"], answer_by=data["answer_by"])
        for listing_id in listing_ids
    ]  # fmt: skip
    try:
        recorded = submission_answers_record(submission=submission, answers=answers, by=request.user)
    except ValidationError as exc:
        report_errors(request, form, exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages})
        return redirect(back)
    messages.success(
        request,
        _("%(count)d answers recorded for complaint %(reference)s: %(outcome)s.")
        % {"count": recorded, "reference": submission.platform_reference,
           "outcome": ListingOutcome.Outcome(data["outcome"]).label},
    )  # fmt: skip
    return redirect(back)


@require_GET
@staff_required
def submission_lumen(request: HttpRequest, pk: int) -> HttpResponse:
    """The complaint as a Lumen notice (JSON), to download and send to Lumen by hand if the firm chooses."""
    submission = get_object_or_404(Submission.objects.visible_to(request.user).select_related("bundle__matter"), pk=pk)
    response = JsonResponse(lumen_notice(complaint_for_lumen(submission)), json_dumps_params={"indent": 2})
    name = f"lumen-{submission.bundle.matter.reference}-{submission.pk}.json"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
