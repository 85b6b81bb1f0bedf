"""The demo data set: each app seeds its own part, in the order the apps depend on each other."""

from __future__ import annotations

from django.db import transaction

from evidence import demo as evidence_demo
from ownership import demo as ownership_demo
from ownership.demo import DemoLogin
from portal import demo_campaign


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
    demo_campaign.file_and_answer(matter=volume, staff=staff)
    return [staff_login, *client_logins]
