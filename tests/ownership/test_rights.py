"""Recording rights: identifiers per jurisdiction, with a clear message naming the field when they are wrong."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from ownership import choices
from ownership.models import IPRight
from ownership.services import ip_right_create
from tests.ownership.factories import make_right

pytestmark = pytest.mark.django_db


def _errors(holder, jurisdiction, kind, **fields) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        make_right(holder, jurisdiction, kind, **fields)
    assert not IPRight.objects.exists()
    return caught.value.message_dict


def test_us_copyright_number_is_stored_in_canonical_form(holder_a):
    right = make_right(holder_a, "US", choices.COPYRIGHT, registration_number="VAu 1-234-567")
    right.refresh_from_db()
    assert right.registration_number == "VAu001234567"
    assert right.identifier_display == "VAu 1-234-567"


def test_a_gb_copyright_refuses_a_registration_number(holder_a):
    errors = _errors(holder_a, "GB", choices.COPYRIGHT, registration_number="VA 2-123-456")
    assert errors["registration_number"][0].startswith("UK copyright is never registered")


def test_a_gb_copyright_needs_to_say_how_the_holder_owns_it(holder_a):
    errors = _errors(holder_a, "GB", choices.COPYRIGHT, authorship="")
    assert errors == {"authorship": ["Say how the rights holder came to own the work."]}


def test_an_invalid_us_copyright_number_names_the_field(holder_a):
    errors = _errors(holder_a, "US", choices.COPYRIGHT, registration_number="XY 12")
    assert list(errors) == ["registration_number"]
    assert "TX, TXu, VA, VAu" in errors["registration_number"][0]


def test_a_trade_mark_class_outside_1_to_45_is_refused(holder_a):
    errors = _errors(holder_a, "CN", choices.TRADEMARK, nice_classes=[9, 46])
    assert errors == {"nice_classes": ["Class 46 does not exist: Nice classes are numbered 1 to 45."]}


def test_a_chinese_software_registration_needs_its_certificate_number(holder_a):
    errors = _errors(holder_a, "CN", choices.COPYRIGHT, registration_number="2016SR172900")
    assert list(errors) == ["certificate_number"]


def test_a_chinese_software_registration_with_its_certificate(holder_a):
    right = make_right(
        holder_a, "CN", choices.COPYRIGHT, registration_number="2016sr172900", certificate_number="软著登字第1234567号"
    )
    assert (right.registration_number, right.certificate_number) == ("2016SR172900", "软著登字第1234567号")


def test_a_chinese_mark_gets_its_ten_year_term(holder_a):
    right = make_right(holder_a, "CN", choices.TRADEMARK, registration_date=datetime.date(2020, 6, 7))
    assert right.expiry_date == datetime.date(2030, 6, 6)


def test_an_unknown_jurisdiction_is_refused(holder_a):
    with pytest.raises(ValidationError) as caught:
        ip_right_create(rights_holder=holder_a, kind=choices.TRADEMARK, jurisdiction="XX", title="Mark")
    assert "no ownership rules for 'XX'" in caught.value.message_dict["jurisdiction"][0]


def test_an_international_copyright_is_refused(holder_a):
    with pytest.raises(ValidationError) as caught:
        ip_right_create(rights_holder=holder_a, kind=choices.COPYRIGHT, jurisdiction="WO", title="Work")
    assert caught.value.message_dict["kind"] == [
        "In International (WIPO, Madrid) the portal knows only these kinds: trade mark."
    ]


@pytest.mark.parametrize(
    ("registered", "published", "expected"),
    [
        (datetime.date(2024, 2, 1), datetime.date(2023, 9, 1), True),
        (datetime.date(2024, 2, 1), datetime.date(2018, 1, 31), False),
        (datetime.date(2024, 2, 1), None, True),
    ],
)
def test_us_registration_within_five_years_of_publication(holder_a, registered, published, expected):
    right = make_right(
        holder_a, "US", choices.COPYRIGHT, registration_date=registered, first_publication_date=published
    )
    assert right.registered_within_five_years_of_publication is expected
