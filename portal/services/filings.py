"""Filings of ready bundles with their platforms, and the platforms' answers per listing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from evidence.capture.services import takedown_watches_start
from evidence.models import Listing, Matter
from evidence.services import listings_set_status
from ownership.shared.audit import AuditEvent, audit_batch, audit_change
from ownership.shared.events import event_record
from ownership.shared.jobs import after_commit
from portal.campaign_answers import Answer
from portal.models import Bundle, ListingOutcome, Submission
from portal.results.cache import results_changed


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
    filed = list(bundle.listings.all() if listings is None else listings)
    ListingOutcome.objects.bulk_create(
        [ListingOutcome(submission=submission, listing=listing) for listing in filed], batch_size=2000
    )
    listings_set_status(
        listing_ids=[listing.pk for listing in filed if listing.status != Listing.Status.REMOVED],
        status=Listing.Status.REPORTED, by=submitted_by, why=f"filed in complaint {submission.platform_reference}",
    )  # fmt: skip
    takedown_watches_start(listing_ids=[listing.pk for listing in filed], matter=bundle.matter, filed_at=filed_at)
    after_commit(results_changed)
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
def submission_answers_record(*, submission: Submission, answers: Iterable[Answer], by) -> int:
    """Record the platform's answers for many of a filed complaint's listings at once, in a few writes whatever
    their number, audited as one entry naming every answer. All or none: an answer the rules refuse (a rejection
    without its reason, say) records nothing, and the error names the listing."""
    answers = list(answers)
    outcomes = {
        outcome.listing_id: outcome
        for outcome in ListingOutcome.objects.filter(
            submission=submission, listing_id__in=[answer.listing_id for answer in answers]
        ).select_related("listing")
    }
    now = timezone.now()
    for answer in answers:
        outcome = outcomes.get(answer.listing_id)
        if outcome is None:
            raise ValidationError(f"Complaint {submission.platform_reference} does not hold that listing.")
        outcome.outcome, outcome.reason = answer.result, answer.reason.strip()
        outcome.counter_notice_received_on, outcome.answer_by = answer.received_on, answer.answer_by
        outcome.recorded_by, outcome.recorded_at = by, now
        try:
            outcome.clean_fields(exclude=["submission", "listing", "recorded_by"])  # rows that exist: no query each
            outcome.clean()
        except ValidationError as exc:
            raise ValidationError(
                {field: [f"{outcome.listing.url}: {message}" for message in messages]
                 for field, messages in exc.message_dict.items()}
            ) from None  # fmt: skip
    changed = [outcomes[answer.listing_id] for answer in answers]
    alike: dict[tuple, list[int]] = {}  # one UPDATE per distinct answer: usually one or a few for a whole batch
    for outcome in changed:
        key = (outcome.outcome, outcome.reason, outcome.counter_notice_received_on, outcome.answer_by)
        alike.setdefault(key, []).append(outcome.pk)
    for (result, reason, received_on, answer_by), pks in alike.items():
        ListingOutcome.objects.filter(pk__in=pks).update(
            outcome=result, reason=reason, counter_notice_received_on=received_on, answer_by=answer_by,
            recorded_by=by, recorded_at=now,
        )  # fmt: skip
    label = f"{len(changed)} answers to complaint {submission.platform_reference}"
    audit_batch(action=AuditEvent.Action.CHANGED, actor=by, model=ListingOutcome, pks=[o.pk for o in changed],
                fields=["outcome", "reason", "counter_notice_received_on", "answer_by"], label=label)  # fmt: skip
    for result, status in LISTING_STATUS_AFTER.items():
        listings_set_status(
            listing_ids=[answer.listing_id for answer in answers if answer.result == result], status=status,
            by=by, why=f"the platform's answer to complaint {submission.platform_reference}",
        )  # fmt: skip
    _answers_announce(submission, changed)
    after_commit(results_changed)
    return len(changed)


def _answers_announce(submission: Submission, changed: list[ListingOutcome]) -> None:
    """The webhook events of a batch of answers: one for the removals, one for the counter-notices."""
    matter = submission.bundle.matter
    complaint = {"id": submission.pk, "platform_reference": submission.platform_reference,
                 "platform": submission.bundle.platform, "matter": matter.reference}  # fmt: skip
    removed = [o for o in changed if o.outcome == ListingOutcome.Outcome.REMOVED]
    if removed:
        listings = [{"id": o.listing_id, "url": o.listing.url} for o in removed]
        event_record(event_type="listing.removed", rights_holder_id=matter.rights_holder_id,
                     data={"complaint": complaint, "listings": listings})  # fmt: skip
    disputed = [o for o in changed if o.outcome == ListingOutcome.Outcome.COUNTER_NOTICE]
    if disputed:
        listings = [
            {"id": o.listing_id, "url": o.listing.url, "received_on": str(o.counter_notice_received_on),
             "answer_by": str(o.answer_by)}
            for o in disputed
        ]  # fmt: skip
        event_record(event_type="counter_notice.received", rights_holder_id=matter.rights_holder_id,
                     data={"complaint": complaint, "listings": listings})  # fmt: skip
