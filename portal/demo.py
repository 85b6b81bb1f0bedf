"""The demo data set: each app seeds its own part, in the order the apps depend on each other."""

from __future__ import annotations

from django.db import transaction

from evidence import demo as evidence_demo
from ownership import demo as ownership_demo
from ownership.demo import DemoLogin
from ownership.shared.users import User
from portal import demo_campaign
from portal.models import WordingReview
from portal.services.notices import wording_review_record
from portal.statement_wording import reviewable_texts


def seed_demo() -> list[DemoLogin]:
    """Everything in one transaction, then the campaigns' filings once their bundles exist."""
    with transaction.atomic():
        staff, staff_login = ownership_demo.seed_staff()
        holders, client_logins = ownership_demo.seed_rights_holders()
        matters = evidence_demo.seed_matters(holders=holders, responsible=staff)
        evidence_demo.seed_evidence(matters=matters, investigator=staff)
        lumina = next(holder for holder in holders if holder.code == "LUM")
        volume = demo_campaign.seed_volume_matter(holder=lumina, staff=staff)
        evidence_demo.seed_network(investigator=staff)
        seed_wording_reviews(staff=staff)
    demo_campaign.file_and_answer(matter=volume, staff=staff)
    return [staff_login, *client_logins]


DEMO_REVIEW_NOTE = (
    "Demo data: recorded by seed_demo so that the demo runs end to end. This is not a legal review: a lawyer must "
    "review these texts before the firm uses them."
)


def seed_wording_reviews(*, staff: User) -> None:
    """Reviews of every notice and statement text by the demo's staff member (who plays the reviewing lawyer),
    each saying plainly that it is demo data."""
    for template, language in reviewable_texts():
        if not WordingReview.objects.current(language, template).exists():
            wording_review_record(template=template, language=language, note=DEMO_REVIEW_NOTE, by=staff)
