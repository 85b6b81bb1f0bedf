"""Fixtures shared by the whole suite.

Tests of real services (PostgreSQL, Redis, S3, a browser) use them for real. Where the service is not
configured they are skipped with the reason, except under CI=true, where a missing service is a failure.
"""

from __future__ import annotations

import os

import pytest

from tests.factories import MatterFactory, MembershipFactory, RightsHolderFactory, StaffFactory


def require_service(available: bool, reason: str) -> None:
    """Skip when a real service is not configured; under CI that is a failure, never a silent skip."""
    if available:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must provide this service: {reason}")
    pytest.skip(reason)


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def holder_a(db):
    return RightsHolderFactory(name="Alpha Brands Ltd", code="ALP")


@pytest.fixture
def holder_b(db):
    return RightsHolderFactory(name="Beta Goods Co", code="BET")


@pytest.fixture
def member_a(holder_a):
    return MembershipFactory(rights_holder=holder_a).user


@pytest.fixture
def member_b(holder_b):
    return MembershipFactory(rights_holder=holder_b).user


@pytest.fixture
def matter_a(holder_a):
    return MatterFactory(rights_holder=holder_a)


@pytest.fixture
def matter_b(holder_b):
    return MatterFactory(rights_holder=holder_b)
