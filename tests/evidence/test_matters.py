import datetime

import pytest
from django.core.exceptions import ValidationError

from evidence.services import matter_create
from tests.factories import StaffFactory, UserFactory


def test_matter_references_follow_the_holders_sequence(holder_a):
    first = matter_create(
        rights_holder=holder_a, title="One", platforms=["alibaba"], opened_on=datetime.date(2026, 1, 5)
    )
    second = matter_create(rights_holder=holder_a, title="Two", platforms=["ebay"], opened_on=datetime.date(2026, 2, 5))
    assert (first.reference, second.reference) == ("ALP-2026-001", "ALP-2026-002")


def test_matter_sequence_restarts_each_year(holder_a):
    matter_create(rights_holder=holder_a, title="One", platforms=[], opened_on=datetime.date(2026, 1, 5))
    next_year = matter_create(rights_holder=holder_a, title="Two", platforms=[], opened_on=datetime.date(2027, 1, 5))
    assert next_year.reference == "ALP-2027-001"


def test_unknown_platform_is_refused_by_name(holder_a):
    with pytest.raises(ValidationError) as exc:
        matter_create(rights_holder=holder_a, title="One", platforms=["wish"])
    assert exc.value.message_dict["platforms"] == ["Unknown platform: wish."]


def test_client_user_cannot_be_responsible(holder_a):
    with pytest.raises(ValidationError) as exc:
        matter_create(rights_holder=holder_a, title="One", platforms=[], responsible=UserFactory())
    assert any("must be firm staff" in m for m in exc.value.message_dict["responsible"])


def test_staff_can_be_responsible(holder_a):
    staff = StaffFactory()
    assert matter_create(rights_holder=holder_a, title="One", platforms=[], responsible=staff).responsible == staff


def test_reference_must_carry_the_holders_code(holder_a):
    with pytest.raises(ValidationError) as exc:
        matter_create(rights_holder=holder_a, title="One", platforms=[], reference="XYZ-2026-001")
    assert "ALP-" in exc.value.message_dict["reference"][0]
