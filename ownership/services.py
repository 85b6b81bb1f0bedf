"""Every write to ownership data goes through a function here."""

from __future__ import annotations

from django.db import transaction

from ownership.models import Membership, RightsHolder, User


@transaction.atomic
def rights_holder_create(*, name: str, code: str, country: str, **fields) -> RightsHolder:
    holder = RightsHolder(name=name, code=code, country=country, **fields)
    holder.full_clean()
    holder.save()
    return holder


@transaction.atomic
def membership_add(*, user: User, rights_holder: RightsHolder, role: str = Membership.Role.CONTRIBUTOR) -> Membership:
    membership = Membership(user=user, rights_holder=rights_holder, role=role)
    membership.full_clean()
    membership.save()
    return membership
