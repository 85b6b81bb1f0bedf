"""Campaigns on the staff pages: build one from the listings a filter selects, copy each complaint's items into
the platform's form, record the filing, then the platform's answers in bulk."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from evidence.models import Listing, Matter
from evidence.selectors import matter_listings
from portal.campaign_answers import read_answers
from portal.models import Campaign, CampaignComplaint, ListingOutcome
from portal.platform_rules import paste_lines, rules_for
from portal.services.campaigns import campaign_create, complaint_file, complaint_outcomes_record
from portal.staff_access import staff_required
from portal.web.forms import CampaignForm
from portal.web.listings import ListingFilterForm


class FilingForm(forms.Form):
    platform_reference = forms.CharField(label=gettext_lazy("The platform's complaint reference"), max_length=100)
    submitted_on = forms.DateField(label=gettext_lazy("Filed on"), widget=forms.DateInput(attrs={"type": "date"}))


@require_POST
@staff_required
def campaign_new(request: HttpRequest, reference: str) -> HttpResponse:
    """A campaign of every listing the listings page's filter selects (all pages, not just the one shown)."""
    matter = get_object_or_404(Matter.objects.visible_to(request.user), reference=reference)
    selection = ListingFilterForm(request.POST, matter=matter)
    form = CampaignForm(request.POST, matter=matter)
    platform = request.POST.get("platform", "")
    if not selection.is_valid() or platform not in matter.platforms:
        messages.error(request, _("Filter the listings to one platform first: a campaign goes to one platform."))
    elif not form.is_valid():
        messages.error(request, _("Choose the rights the complaints rest on."))
    else:
        listings = matter_listings(matter, selection.listing_filter())
        try:
            campaign = campaign_create(
                matter=matter,
                platform=platform,
                rights=form.cleaned_data["rights"],
                listings=listings,
                by=request.user,
                overrule=form.cleaned_data["overrule"],
                appears_in=form.cleaned_data["infringement_appears_in"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect(campaign)
    return redirect("web:listing_list", reference=matter.reference)


@require_GET
@staff_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("matter", "bundle", "created_by"), pk=pk
    )
    rules = rules_for(campaign.platform)
    complaints = list(
        campaign.complaints.select_related("purchase", "submission").prefetch_related(
            Prefetch("listings", queryset=Listing.objects.order_by("pk")), "submission__outcomes"
        )
    )
    for complaint in complaints:
        complaint.paste = "\n".join(
            paste_lines(
                rules, complaint.ip_kind, [(item.url, item.platform_item_id) for item in complaint.listings.all()]
            )
        )
        complaint.filing_form = FilingForm(prefix=f"c{complaint.number}")
        reason = rules.reasons.get(complaint.ip_kind)
        complaint.reason = reason.for_staff if reason else ""
        outcomes = complaint.submission.outcomes.all() if complaint.submission else []
        returned = request.session.pop(f"answers-{pk}-{complaint.number}", {})
        complaint.pasted, complaint.problems = returned.get("text", ""), returned.get("problems", [])
        complaint.answered = sum(1 for outcome in outcomes if outcome.outcome != ListingOutcome.Outcome.PENDING)
    context = {"campaign": campaign, "matter": campaign.matter, "complaints": complaints, "rules": rules,
               "has_test_buys": any(complaint.purchase_id for complaint in complaints)}  # fmt: skip
    return render(request, "portal/web/campaign.html", context)


def _complaint(request: HttpRequest, pk: int, number: int) -> CampaignComplaint:
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
    return get_object_or_404(campaign.complaints.select_related("campaign__bundle", "submission"), number=number)


@require_GET
@staff_required
def complaint_items(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The complaint's items as a text file, one per line, for the platform's bulk upload or paste box."""
    complaint = _complaint(request, pk, number)
    rules = rules_for(complaint.campaign.platform)
    lines = paste_lines(
        rules, complaint.ip_kind, complaint.listings.order_by("pk").values_list("url", "platform_item_id")
    )
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    name = f"{complaint.campaign.matter.reference}-campaign-{pk}-complaint-{number}.txt"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@staff_required
def complaint_filed(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    complaint = _complaint(request, pk, number)
    form = FilingForm(request.POST, prefix=f"c{number}")
    if not form.is_valid():
        messages.error(request, _("Give the platform's reference and the date the complaint was filed."))
    else:
        try:
            complaint_file(complaint=complaint, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Complaint %(number)s recorded as filed.") % {"number": number})
    return redirect(f"{complaint.campaign.get_absolute_url()}#complaint-{number}")


@require_POST
@staff_required
def complaint_answers(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The platform's answers: all removed, or a pasted list matched to the complaint's items."""
    complaint = _complaint(request, pk, number)
    listings = list(complaint.listings.all())
    if request.POST.get("all_removed"):
        text = "\n".join(f"{listing.url} removed" for listing in listings)
    else:
        text = request.POST.get("answers", "")
    read = read_answers(text, platform=complaint.campaign.platform, listings=listings)
    if read.problems:
        # The pasted list comes back in its box with what is wrong, to correct and send again.
        request.session[f"answers-{pk}-{number}"] = {"text": text, "problems": read.problems}
    else:
        try:
            recorded = complaint_outcomes_record(complaint=complaint, answers=read.answers, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(count)s answers recorded.") % {"count": recorded})
    return redirect(f"{complaint.campaign.get_absolute_url()}#complaint-{number}")
