"""Factories of the foundation models. Each app's tests add theirs in tests/<app>/factories.py."""

import datetime

import factory
from factory.django import DjangoModelFactory

from evidence.models import Matter
from ownership.models import Membership, RightsHolder
from ownership.services import firm_staff_group_ensure
from ownership.shared.users import User

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@client.example")
    full_name = factory.Faker("name")
    password = factory.django.Password(TEST_PASSWORD)


class StaffFactory(UserFactory):
    """Firm staff as the firm sets them up: staff, in the firm-staff group, never superusers."""

    email = factory.Sequence(lambda n: f"staff{n}@firm.example")
    job_title = "Solicitor"
    is_staff = True

    @factory.post_generation
    def in_staff_group(self, create: bool, extracted, **kwargs) -> None:
        if create:
            self.groups.add(firm_staff_group_ensure())


class RightsHolderFactory(DjangoModelFactory):
    class Meta:
        model = RightsHolder
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"Rights Holder {n} Ltd")
    code = factory.Sequence(lambda n: "R" + "".join(chr(65 + int(d)) for d in f"{n:03d}"))
    country = "GB"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    rights_holder = factory.SubFactory(RightsHolderFactory)
    role = Membership.Role.MANAGER


class MatterFactory(DjangoModelFactory):
    class Meta:
        model = Matter

    rights_holder = factory.SubFactory(RightsHolderFactory)
    reference = factory.LazyAttributeSequence(lambda o, n: f"{o.rights_holder.code}-2026-{n + 1:03d}")
    title = factory.Sequence(lambda n: f"Counterfeit product line {n}")
    platforms = factory.LazyFunction(lambda: ["alibaba"])
    opened_on = datetime.date(2026, 3, 2)
