"""Campaigns: listings selected by filter, split into the platform's complaints, with the bundle behind them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from evidence.models import Listing, Matter, MatterListing, TestPurchase
from ownership.models import IPRight
from ownership.shared.audit import AuditEvent, audit_batch, audit_change
from portal.bundle.build import bundle_exhibits, collect_inputs, ownership_documents
from portal.bundle.complaints import split_complaints
from portal.bundle.errors import BundleError
from portal.campaign_answers import Answer
from portal.models import Campaign, CampaignComplaint, Submission
from portal.platform_rules import rules_for
from portal.services.bundle_requests import bundle_request
from portal.services.filings import submission_answers_record, submission_record

# Listings a complaint can still ask to take down.
OPEN_STATUSES = (Listing.Status.ACTIVE, Listing.Status.REAPPEARED)


@transaction.atomic
def campaign_create(
    *,
    matter: Matter,
    platform: str,
    rights: Iterable[IPRight],
    listings: Iterable[Listing],
    by: Any,
    overrule: str = "",
    appears_in: Iterable[str] = (),
) -> Campaign:
    """Request the bundle for the listings (those still online, on ``platform``) and record its complaints."""
    listings = [listing for listing in listings if listing.platform == platform and listing.status in OPEN_STATUSES]
    if not listings:
        raise ValidationError("None of the selected listings is online on this platform: nothing to complain about.")
    rights = list(rights)
    if not rights:
        raise ValidationError("Choose the rights the complaints rest on.")
    if rules_for(platform).asks_where_infringement_appears:
        _appearance_recorded(matter, listings, list(appears_in), by=by)
    purchases = list(TestPurchase.objects.filter(matter=matter, listing__in=listings))
    try:
        bundle, _ = bundle_request(
            matter=matter,
            platform=platform,
            requested_by=by,
            rights=rights,
            listings=listings,
            purchases=purchases,
            overrule=overrule,
        )
    except BundleError as exc:
        raise ValidationError(str(exc)) from None
    campaign = Campaign.objects.create(matter=matter, platform=platform, bundle=bundle, created_by=by)
    authority, proof = ownership_documents(bundle)
    inputs = collect_inputs(bundle, bundle_exhibits(bundle), authority, proof)
    listing_by_url = {listing.url: listing for listing in listings}
    purchase_by_order = {purchase.order_number: purchase for purchase in purchases}
    for complaint in split_complaints(inputs):
        row = CampaignComplaint.objects.create(
            campaign=campaign, number=complaint.number, ip_kind=complaint.ip_kind, site=complaint.site,
            purchase=purchase_by_order.get(complaint.purchase.order_number) if complaint.purchase else None,
        )  # fmt: skip
        row.listings.set([listing_by_url[item.url] for item in complaint.listings])
    audit_change(action=AuditEvent.Action.ADDED, actor=by, obj=campaign, fields=["listings", "rights", "complaints"])
    return campaign


def _appearance_recorded(matter: Matter, listings: list[Listing], appears_in: list[str], *, by: Any) -> None:
    """The platform asks where the infringement appears for every item (Amazon): ``appears_in`` is recorded for
    the matter's listings that say nothing yet, and a listing still without it refuses the campaign."""
    silent = MatterListing.objects.filter(matter=matter, listing__in=listings, infringement_appears_in=[])
    if appears_in:
        pks = list(silent.values_list("pk", flat=True))
        if pks:
            MatterListing.objects.filter(pk__in=pks).update(infringement_appears_in=appears_in)
            audit_batch(
                action=AuditEvent.Action.CHANGED, actor=by, model=MatterListing, pks=pks,
                fields=["infringement_appears_in"], label=f"where the infringement appears, {matter.reference}",
            )  # fmt: skip
    missing = silent.count()
    if missing:
        raise ValidationError(
            f"Amazon asks where the infringement appears for every ASIN, and {missing} of these listings say nothing: "
            "tick where it appears (product, packaging, listing image, listing text) to record it for them, or "
            "import it with the listings (column “appears in”)."
        )


@transaction.atomic
def complaint_file(
    *, complaint: CampaignComplaint, platform_reference: str, submitted_on: datetime.date, by: Any
) -> Submission:
    """Record that one complaint of a campaign was filed: its own reference, its own listings' answers pending."""
    if complaint.submission_id:
        raise ValidationError(f"Complaint {complaint.number} is already recorded as filed.")
    submission = submission_record(
        bundle=complaint.campaign.bundle, platform_reference=platform_reference, submitted_on=submitted_on,
        submitted_by=by, listings=complaint.listings.all(),
    )  # fmt: skip
    complaint.submission = submission
    complaint.save(update_fields=["submission"])
    return submission


@transaction.atomic
def complaint_outcomes_record(*, complaint: CampaignComplaint, answers: Iterable[Answer], by: Any) -> int:
    """Record the platform's answers for a filed complaint's listings; returns how many were recorded."""
    submission = complaint.submission
    if submission is None:
        raise ValidationError(f"Record complaint {complaint.number} as filed before its answers.")
    return submission_answers_record(submission=submission, answers=answers, by=by)
