"""Demo data of the evidence app, created by ``manage.py seed_demo``. Every function is idempotent."""

from __future__ import annotations

import datetime

from evidence.models import Matter
from evidence.services import matter_create
from ownership.models import RightsHolder, User
from ownership.platforms import Platform

DEMO_MATTERS = {
    "LUM": (
        "LUM-2026-001",
        "Counterfeit Aurora desk lamps on Alibaba and Amazon",
        [Platform.ALIBABA, Platform.AMAZON],
    ),
    "BPA": ("BPA-2026-001", "Fake Brightpeak P3 earphones on Taobao", [Platform.TAOBAO, Platform.ALIBABA]),
}


def seed_matters(*, holders: list[RightsHolder], responsible: User) -> list[Matter]:
    matters = []
    for holder in holders:
        reference, title, platforms = DEMO_MATTERS[holder.code]
        matter = Matter.objects.filter(reference=reference).first() or matter_create(
            rights_holder=holder,
            title=title,
            platforms=[str(p) for p in platforms],
            responsible=responsible,
            opened_on=datetime.date(2026, 3, 2),
            reference=reference,
        )
        matters.append(matter)
    return matters
