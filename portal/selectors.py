"""Reads the portal's pages and exports need, beyond what a queryset method gives."""

from __future__ import annotations

from django.conf import settings

from portal.lumen import LumenComplaint, LumenRight
from portal.models import ListingOutcome, Submission


def complaint_for_lumen(submission: Submission) -> LumenComplaint:
    """What the Lumen notice of a filed complaint states (``portal.lumen``): its rights, listings and answers."""
    bundle = submission.bundle
    outcomes = submission.outcomes.select_related("listing").order_by("pk")
    answered = outcomes.exclude(outcome=ListingOutcome.Outcome.PENDING)
    return LumenComplaint(
        title=f"{bundle.get_platform_display()} complaint {submission.platform_reference} for "
        f"{bundle.matter.rights_holder.name}",
        date_sent=f"{submission.submitted_on:%Y-%m-%d}", sender=settings.PORTAL_FIRM_NAME,
        principal=bundle.matter.rights_holder.name, principal_country=bundle.matter.rights_holder.country,
        recipient=bundle.get_platform_display(),
        rights=tuple(LumenRight(kind=right.kind, title=right.title, jurisdiction=right.jurisdiction,
                                registration_number=right.registration_number)
                     for right in bundle.rights.order_by("pk")),
        infringing_urls=tuple(outcome.listing.url for outcome in outcomes),
        counterfeit_goods_shown=bundle.purchases.exists(),
        answered=answered.count(), removed=answered.filter(outcome=ListingOutcome.Outcome.REMOVED).count(),
    )  # fmt: skip
