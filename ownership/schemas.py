"""The identifiers each jurisdiction records for each kind of right: required ones, canonical forms, checks.

``SCHEMAS``: per (jurisdiction, kind), the identifiers a right of that kind has there, which are required, how
each is parsed into its canonical form, and which may not be entered at all (a UK copyright has no
registration number). The model, the admin and the bundle read this table; the proof each right needs is in
``ownership.rules``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ownership import identifiers
from ownership.choices import COPYRIGHT, DESIGN, PATENT, TRADEMARK

if TYPE_CHECKING:
    from ownership.models import IPRight


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Identifier:
    """One identifier field of IPRight that exists in a jurisdiction."""

    field: str
    required: bool = False
    parse: Callable[[Any], Any] | None = None  # canonical form, or ValueError with the reason
    required_message: str = ""


@dataclass(frozen=True)
class Schema:
    identifiers: tuple[Identifier, ...] = ()
    # Fields that must stay empty, with the reason shown to the person who filled them in.
    forbidden: dict[str, str] = field(default_factory=dict)
    # Checks across fields: each returns {field: message} for what is wrong.
    checks: tuple[Callable[[IPRight], dict[str, str]], ...] = ()
    # A valid set of identifiers, as staff would type them: shown as a hint, and used by the tests.
    example: dict[str, Any] = field(default_factory=dict)


IDENTIFIER_FIELDS = (
    "registration_number",
    "certificate_number",
    "registration_date",
    "first_publication_date",
    "first_publication_place",
    "creation_date",
    "authors",
    "authorship",
    "nice_classes",
    "goods_services",
    "designated_countries",
    "expiry_date",
)


def _cn_software_needs_certificate(right: IPRight) -> dict[str, str]:
    number = right.registration_number
    if number and identifiers.is_cn_software_registration(number) and not right.certificate_number:
        return {
            "certificate_number": "A software registration also has a certificate number, e.g. 软著登字第1234567号."
        }
    if right.certificate_number and number and not identifiers.is_cn_software_registration(number):
        return {"certificate_number": "Only software registrations (numbers like 2016SR172900) have this number."}
    return {}


def _cn_trademark_term(right: IPRight) -> dict[str, str]:
    """A Chinese mark is valid for 10 years from registration, renewable; fill in the first term's end."""
    if right.registration_date and not right.expiry_date:
        right.expiry_date = add_years(right.registration_date, 10) - datetime.timedelta(days=1)
    return {}


_TM_CLASSES = Identifier("nice_classes", True, identifiers.nice_classes, "Give the Nice classes (1-45) it covers.")
_TM_GOODS = Identifier("goods_services", False)

SCHEMAS: dict[tuple[str, str], Schema] = {
    ("GB", COPYRIGHT): Schema(
        example={"creation_date": datetime.date(2023, 4, 12), "authors": "Claire Donnelly", "authorship": "author"},
        identifiers=(
            Identifier("creation_date", True, None, "Give the date the work was created."),
            Identifier("authors", True, None, "Name the author or authors of the work."),
            Identifier("authorship", True, None, "Say how the rights holder came to own the work."),
            Identifier("first_publication_date"),
            Identifier("first_publication_place"),
        ),
        forbidden={
            "registration_number": "UK copyright is never registered, so a UK copyright has no registration "
            "number. Ownership is proven by dated creation evidence, the author and the chain of title.",
            "certificate_number": "UK copyright has no registration certificate.",
            "registration_date": "UK copyright is never registered: give the date of creation instead.",
        },
    ),
    ("GB", TRADEMARK): Schema(
        example={"registration_number": "UK00003456789", "nice_classes": [11]},
        identifiers=(
            Identifier("registration_number", True, identifiers.gb_trademark_registration, "Give the UKIPO number."),
            Identifier("registration_date"),
            _TM_CLASSES,
            _TM_GOODS,
            Identifier("expiry_date"),
        ),
    ),
    ("US", COPYRIGHT): Schema(
        example={
            "registration_number": "VA 2-123-456",
            "registration_date": datetime.date(2024, 2, 1),
            "first_publication_date": datetime.date(2023, 9, 1),
        },
        identifiers=(
            Identifier(
                "registration_number", True, identifiers.us_copyright_registration, "Give the registration number."
            ),
            Identifier("registration_date", True, None, "Give the effective date of registration."),
            Identifier("first_publication_date"),
            Identifier("first_publication_place"),
            Identifier("creation_date"),
            Identifier("authors"),
        ),
    ),
    ("US", TRADEMARK): Schema(
        example={"registration_number": "7,123,456", "nice_classes": [9]},
        identifiers=(
            Identifier("registration_number", True, identifiers.us_trademark_registration, "Give the USPTO number."),
            Identifier("registration_date"),
            _TM_CLASSES,
            _TM_GOODS,
        ),
    ),
    ("CN", COPYRIGHT): Schema(
        example={"registration_number": "国作登字-2021-F-00268255"},
        identifiers=(
            Identifier(
                "registration_number", True, identifiers.cn_copyright_registration, "Give the CPC registration number."
            ),
            Identifier("certificate_number", False, identifiers.cn_software_certificate),
            Identifier("registration_date"),
            Identifier("creation_date"),
            Identifier("first_publication_date"),
            Identifier("authors"),
        ),
        checks=(_cn_software_needs_certificate,),
    ),
    ("CN", TRADEMARK): Schema(
        example={
            "registration_number": "41234567",
            "registration_date": datetime.date(2020, 6, 7),
            "nice_classes": [9],
        },
        identifiers=(
            Identifier("registration_number", True, identifiers.cn_trademark_registration, "Give the CNIPA number."),
            Identifier("registration_date", True, None, "Give the registration date (the 10-year term runs from it)."),
            _TM_CLASSES,
            _TM_GOODS,
            Identifier("expiry_date"),
        ),
        checks=(_cn_trademark_term,),
    ),
    ("EU", TRADEMARK): Schema(
        example={"registration_number": "018123456", "nice_classes": [9]},
        identifiers=(
            Identifier("registration_number", True, identifiers.eu_trademark_registration, "Give the EUIPO number."),
            Identifier("registration_date"),
            _TM_CLASSES,
            _TM_GOODS,
            Identifier("expiry_date"),
        ),
    ),
    ("WO", TRADEMARK): Schema(
        example={"registration_number": "1234567", "designated_countries": ["CN", "US"], "nice_classes": [9]},
        identifiers=(
            Identifier("registration_number", True, identifiers.wipo_registration, "Give the WIPO number."),
            Identifier("registration_date"),
            Identifier(
                "designated_countries", True, identifiers.country_codes, "List the designated countries, e.g. CN, US."
            ),
            _TM_CLASSES,
            _TM_GOODS,
            Identifier("expiry_date"),
        ),
    ),
}
for _jurisdiction in ("GB", "US", "CN", "EU"):
    for _kind in (DESIGN, PATENT):
        if _jurisdiction == "EU" and _kind == PATENT:
            continue
        SCHEMAS[(_jurisdiction, _kind)] = Schema(
            identifiers=(
                Identifier("registration_number", True, None, "Give the registration or patent number."),
                Identifier("registration_date"),
                Identifier("expiry_date"),
            ),
            example={"registration_number": "1234567"},
        )


def schema_for(jurisdiction: str, kind: str) -> Schema | None:
    return SCHEMAS.get((jurisdiction, kind))


def kinds_in(jurisdiction: str) -> list[str]:
    return [kind for (j, kind) in SCHEMAS if j == jurisdiction]
