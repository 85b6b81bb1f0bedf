"""Every write to evidence data goes through a function here."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from evidence.models import Matter
from ownership.models import RightsHolder


def matter_next_reference(*, rights_holder: RightsHolder, year: int) -> str:
    """The next free reference for the rights holder and year, e.g. LUM-2026-004."""
    prefix = f"{rights_holder.code}-{year}-"
    taken = Matter.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    numbers = [int(ref.removeprefix(prefix)) for ref in taken if ref.removeprefix(prefix).isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


@transaction.atomic
def matter_create(
    *,
    rights_holder: RightsHolder,
    title: str,
    platforms: list[str],
    responsible=None,
    opened_on: datetime.date | None = None,
    reference: str = "",
) -> Matter:
    """Open a matter; without a reference the next one in the rights holder's sequence is given."""
    opened_on = opened_on or timezone.localdate()
    # Lock the rights holder row so two matters opened at once do not get the same reference.
    RightsHolder.objects.select_for_update().filter(pk=rights_holder.pk).first()
    matter = Matter(
        rights_holder=rights_holder,
        title=title,
        platforms=list(platforms),
        responsible=responsible,
        opened_on=opened_on,
        reference=reference or matter_next_reference(rights_holder=rights_holder, year=opened_on.year),
    )
    matter.full_clean()
    matter.save()
    return matter
