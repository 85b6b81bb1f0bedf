"""Filings of ready bundles with their platforms, and the platforms' answers per listing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from evidence.capture.services import takedown_watch_start
from evidence.models import Listing, Matter
from evidence.services import listing_set_status
from ownership.shared.audit import AuditEvent, audit_change
from portal.models import Bundle, ListingOutcome, Submission


@transaction.atomic
def submission_record(
    *,
    bundle: Bundle,
    platform_reference: str,
    submitted_on: datetime.date,
    submitted_by,
    notes: str = "",
    listings: Iterable[Listing] | None = None,
) -> Submission:
    """Record that a ready bundle was filed with its platform (all its listings, or the ``listings`` of one of
    its complaints); those listings become reported, their answers pending."""
    if bundle.status != Bundle.Status.READY:
        raise ValidationError(f"{bundle} is {bundle.get_status_display().lower()}: only a ready bundle can be filed.")
    submission = Submission(
        bundle=bundle,
        platform_reference=platform_reference.strip(),
        submitted_on=submitted_on,
        submitted_by=submitted_by,
        notes=notes,
    )
    submission.full_clean()
    submission.save()
    audit_change(
        action=AuditEvent.Action.ADDED,
        actor=submitted_by,
        obj=submission,
        fields=["platform_reference", "submitted_on"],
    )
    filed_at = datetime.datetime.combine(submitted_on, datetime.time.min, tzinfo=datetime.UTC)
    for listing in bundle.listings.all() if listings is None else listings:
        ListingOutcome.objects.create(submission=submission, listing=listing)
        if listing.status != Listing.Status.REMOVED:
            listing_set_status(listing=listing, status=Listing.Status.REPORTED, by=submitted_by)
        takedown_watch_start(listing=listing, matter=bundle.matter, filed_at=filed_at)
    matter = bundle.matter
    if matter.status in (Matter.Status.INVESTIGATING, Matter.Status.PREPARING):
        Matter.objects.filter(pk=matter.pk).update(status=Matter.Status.SUBMITTED)
        audit_change(action=AuditEvent.Action.CHANGED, actor=submitted_by, obj=matter, fields=["status"])
    return submission


# The listing's status once the platform has answered: removed listings are down, a rejected complaint
# leaves the listing up, and a counter-notice keeps the dispute open.


LISTING_STATUS_AFTER: dict[str, str] = {
    ListingOutcome.Outcome.REMOVED: Listing.Status.REMOVED,
    ListingOutcome.Outcome.REJECTED: Listing.Status.ACTIVE,
    ListingOutcome.Outcome.COUNTER_NOTICE: Listing.Status.REPORTED,
}


@transaction.atomic
def listing_outcome_record(
    *,
    outcome: ListingOutcome,
    result: str,
    recorded_by,
    reason: str = "",
    counter_notice_received_on: datetime.date | None = None,
    answer_by: datetime.date | None = None,
) -> ListingOutcome:
    """Record the platform's answer for one listing; the listing's status (and so its seller's record) follows."""
    outcome.outcome = result
    outcome.reason = reason.strip()
    outcome.counter_notice_received_on = counter_notice_received_on
    outcome.answer_by = answer_by
    outcome.recorded_by = recorded_by
    outcome.recorded_at = timezone.now()
    outcome.full_clean()
    outcome.save()
    audit_change(
        action=AuditEvent.Action.CHANGED, actor=recorded_by, obj=outcome,
        fields=["outcome", "reason", "counter_notice_received_on", "answer_by"],
    )  # fmt: skip
    if result in LISTING_STATUS_AFTER:
        listing_set_status(listing=outcome.listing, status=LISTING_STATUS_AFTER[result], by=recorded_by)
    return outcome
