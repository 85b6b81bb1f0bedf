"""What proves ownership, per jurisdiction and kind of right: the one place these requirements live, as data.

Two tables:

* ``SCHEMAS``: per (jurisdiction, kind), the identifiers a right of that kind has there, which are required,
  how each is parsed into its canonical form, and which may not be entered at all (a UK copyright has no
  registration number).
* ``RIGHT_RULES`` per (jurisdiction, kind) and ``HOLDER_RULES`` for the rights holder: each rule has an id,
  a plain-English explanation a client can act on, and the document types that satisfy it.

Adding a jurisdiction means adding its entries here (and its label to ``JURISDICTIONS``); nothing else in
the portal changes. The model, the admin, the readiness report and the command read these tables.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models

from ownership import identifiers
from ownership.platforms import CHINESE_PLATFORMS

if TYPE_CHECKING:
    from ownership.models import IPRight


class DocumentType(models.TextChoices):
    REGISTRATION_CERTIFICATE = "registration_certificate", "Registration certificate"
    CERTIFICATE_PAGES = "certificate_pages", "Class or goods pages, or pages showing the work"
    RENEWAL_RECORD = "renewal_record", "Renewal record"
    CHANGE_OF_NAME_RECORD = "change_of_name_record", "Change-of-name record"
    ASSIGNMENT_RECORD = "assignment_record", "Recorded assignment (registry record)"
    EMPLOYMENT_EVIDENCE = "employment_evidence", "Employment evidence (contract, payslip, job description)"
    SIGNED_ASSIGNMENT = "signed_assignment", "Assignment signed by the assignor"
    CREATION_EVIDENCE = "creation_evidence", "Dated creation evidence (drafts, sketches, source files)"
    PUBLICATION_EVIDENCE = "publication_evidence", "First-publication evidence"
    WITNESS_STATEMENT = "witness_statement", "Witness statement or statutory declaration"
    COPYRIGHT_CLAIM_STATEMENT = "copyright_claim_statement", "IPP Copyright Claim Statement (unregistered copyright)"
    POWER_OF_ATTORNEY = "power_of_attorney", "Power of attorney / letter of authorisation for the firm"
    IDENTITY_DOCUMENT = "identity_document", "Business licence or identity document"
    TRANSLATION = "translation", "Translation"
    NOTARISATION = "notarisation", "Notarisation or apostille certificate"


# A document of these types proves nothing unless it is signed (or sealed, for a company).
MUST_BE_SIGNED = frozenset(
    {
        DocumentType.SIGNED_ASSIGNMENT,
        DocumentType.WITNESS_STATEMENT,
        DocumentType.POWER_OF_ATTORNEY,
        DocumentType.COPYRIGHT_CLAIM_STATEMENT,
    }
)

# Languages a marketplace reads without a translation.
READABLE_LANGUAGES = frozenset({"en", "zh"})

LANGUAGES = [
    ("en", "English"),
    ("zh", "Chinese"),
    ("de", "German"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("it", "Italian"),
    ("nl", "Dutch"),
    ("pt", "Portuguese"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("other", "Other"),
]

JURISDICTIONS = {
    "GB": "United Kingdom",
    "US": "United States",
    "CN": "China",
    "EU": "European Union",
    "WO": "International (WIPO, Madrid)",
}

COPYRIGHT, TRADEMARK, DESIGN, PATENT = "copyright", "trademark", "design", "patent"


class RightStatus(models.TextChoices):
    REGISTERED = "registered", "Registered, in force"
    UNREGISTERED = "unregistered", "Unregistered, subsists without registration"
    PENDING = "pending", "Application pending"
    LAPSED = "lapsed", "Expired, lapsed or cancelled"


class Authorship(models.TextChoices):
    """How a UK copyright came to the rights holder (Copyright, Designs and Patents Act 1988)."""

    AUTHOR = "author", "The rights holder is the author"
    EMPLOYEE = "employee", "Made by an employee in the course of employment (s.11(2))"
    COMMISSIONED = "commissioned", "Commissioned from someone outside the company"
    ASSIGNED = "assigned", "Assigned to the rights holder in writing (s.90(3))"


# ---------------------------------------------------------------------------------------------------------
# Identifiers per (jurisdiction, kind)


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


# ---------------------------------------------------------------------------------------------------------
# Proof requirements


@dataclass(frozen=True)
class Context:
    """What a rule may look at: the right (None for rights-holder rules), target platforms, and today."""

    right: IPRight | None
    platforms: frozenset[str]
    today: datetime.date


@dataclass(frozen=True)
class Rule:
    """One thing a marketplace needs to see.

    Satisfied by one current document of any of ``document_types`` (readable, or translated), or, for a rule
    about the right's own data, by ``holds(context)`` being true (then ``document_types`` is empty).
    """

    id: str
    title: str
    explanation: str
    document_types: tuple[str, ...] = ()
    applies: Callable[[Context], bool] = lambda context: True
    holds: Callable[[Context], bool] | None = None


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _made_by_employee(context: Context) -> bool:
    return context.right is not None and context.right.authorship in (Authorship.EMPLOYEE,)


def _work_was_commissioned_or_assigned(context: Context) -> bool:
    return context.right is not None and context.right.authorship in (Authorship.COMMISSIONED, Authorship.ASSIGNED)


def _first_term_passed(context: Context) -> bool:
    right = context.right
    return bool(right and right.registration_date and add_years(right.registration_date, 10) <= context.today)


def _against_chinese_platform(context: Context) -> bool:
    return bool(context.platforms & CHINESE_PLATFORMS)


def _designates_china(context: Context) -> bool:
    return "CN" in (context.right.designated_countries or [])


def _in_force(context: Context) -> bool:
    return context.right.status in (RightStatus.REGISTERED, RightStatus.UNREGISTERED)


def _certificate(prefix: str, office: str) -> Rule:
    return Rule(
        id=f"{prefix}.certificate",
        title="Registration certificate",
        explanation=f"Upload the {office} registration certificate, showing the registration number and date.",
        document_types=(DocumentType.REGISTRATION_CERTIFICATE,),
    )


# Rules for every right, whatever its jurisdiction.
GENERAL_RULES: tuple[Rule, ...] = (
    Rule(
        id="right.in_force",
        title="Right in force",
        explanation="The right is recorded as a pending application or as lapsed, and platforms act only on a "
        "right in force: update its status once it is registered or renewed, or rely on another right.",
        holds=_in_force,
    ),
)

RIGHT_RULES: dict[tuple[str, str], tuple[Rule, ...]] = {
    ("GB", COPYRIGHT): (
        Rule(
            id="gb.copyright.creation",
            title="Dated creation evidence",
            explanation="UK copyright is not registered, so show when the work was made: upload dated drafts, "
            "sketches, design files or source files (with their dates visible) from when it was created.",
            document_types=(DocumentType.CREATION_EVIDENCE,),
        ),
        Rule(
            id="gb.copyright.statement",
            title="Signed witness statement",
            explanation="Upload a witness statement or statutory declaration, signed by the author or a director "
            "and ending with a statement of truth, saying who created the work, when, and how the company owns it.",
            document_types=(DocumentType.WITNESS_STATEMENT,),
        ),
        Rule(
            id="gb.copyright.ipp_claim_statement",
            title="IPP Copyright Claim Statement",
            # Source: ipp.alibabagroup.com ("How do I file an IPR infringement complaint?"): proof of ownership is
            # a certificate, "or a completed Copyright Claim Statement if you are claiming ownership of
            # unregistered copyright".
            explanation="Alibaba's IP Protection Platform accepts an unregistered copyright only with its completed "
            "Copyright Claim Statement, signed by the rights holder, attesting that the listed links contain the "
            "work and use it without consent: upload the signed statement.",
            document_types=(DocumentType.COPYRIGHT_CLAIM_STATEMENT,),
            applies=_against_chinese_platform,
        ),
        Rule(
            id="gb.copyright.employment",
            title="Chain of title: employment",
            explanation="The work was made by an employee, so the company owns it only if it was made in the course "
            "of employment (CDPA s.11(2)): upload the author's employment contract or job description, or a "
            "signed assignment from the author.",
            document_types=(DocumentType.EMPLOYMENT_EVIDENCE, DocumentType.SIGNED_ASSIGNMENT),
            applies=_made_by_employee,
        ),
        Rule(
            id="gb.copyright.assignment",
            title="Chain of title: signed assignment",
            explanation="The work was commissioned or bought, and the author keeps the copyright unless it was "
            "assigned in writing, signed by the author (CDPA s.90(3)): upload the signed assignment.",
            document_types=(DocumentType.SIGNED_ASSIGNMENT,),
            applies=_work_was_commissioned_or_assigned,
        ),
    ),
    ("GB", TRADEMARK): (_certificate("gb.trademark", "UKIPO"),),
    ("US", COPYRIGHT): (
        Rule(
            id="us.copyright.certificate",
            title="Certificate of registration",
            explanation="Upload the US Copyright Office certificate of registration, showing the registration "
            "number and the effective date of registration.",
            document_types=(DocumentType.REGISTRATION_CERTIFICATE,),
        ),
    ),
    ("US", TRADEMARK): (
        Rule(
            id="us.trademark.certificate",
            title="Registration certificate",
            explanation="Upload the USPTO registration certificate, showing the registration number, the "
            "registration date and the classes.",
            document_types=(DocumentType.REGISTRATION_CERTIFICATE,),
        ),
    ),
    ("CN", COPYRIGHT): (
        Rule(
            id="cn.copyright.certificate",
            title="CPC registration certificate",
            explanation="Upload the Copyright Protection Center certificate (作品登记证书) showing the "
            "registration number.",
            document_types=(DocumentType.REGISTRATION_CERTIFICATE,),
        ),
        Rule(
            id="cn.copyright.work_pages",
            title="Pages showing the work",
            explanation="Upload the certificate's pages that show the registered work (the deposited images or "
            "text), so the platform can compare it with the listing.",
            document_types=(DocumentType.CERTIFICATE_PAGES,),
        ),
    ),
    ("CN", TRADEMARK): (
        Rule(
            id="cn.trademark.certificate",
            title="CNIPA registration certificate",
            explanation="Upload the CNIPA trade mark registration certificate (商标注册证).",
            document_types=(DocumentType.REGISTRATION_CERTIFICATE,),
        ),
        Rule(
            id="cn.trademark.class_pages",
            title="Class and goods pages",
            explanation="Upload the certificate's pages listing the class and the goods or services, so the "
            "platform can see the mark covers the goods sold.",
            document_types=(DocumentType.CERTIFICATE_PAGES,),
        ),
        Rule(
            id="cn.trademark.renewal",
            title="Renewal record",
            explanation="The first 10-year term of this mark has ended: upload the CNIPA renewal approval "
            "(核准续展注册证明) showing it is still in force.",
            document_types=(DocumentType.RENEWAL_RECORD,),
            applies=_first_term_passed,
        ),
    ),
    ("EU", TRADEMARK): (_certificate("eu.trademark", "EUIPO"),),
    ("WO", TRADEMARK): (
        _certificate("wo.trademark", "WIPO (Madrid)"),
        Rule(
            id="wo.trademark.china_designation",
            title="Protected in China",
            explanation="Chinese platforms only accept an international mark that designates China: record CN "
            "among the designated countries (from the WIPO Madrid Monitor) or rely on a Chinese registration.",
            applies=_against_chinese_platform,
            holds=_designates_china,
        ),
    ),
}
for (_jurisdiction, _kind), _schema in list(SCHEMAS.items()):
    if _kind in (DESIGN, PATENT):
        RIGHT_RULES[(_jurisdiction, _kind)] = (
            _certificate(f"{_jurisdiction.lower()}.{_kind}", f"{JURISDICTIONS[_jurisdiction]} {_kind}"),
        )

HOLDER_RULES: tuple[Rule, ...] = (
    Rule(
        id="holder.power_of_attorney",
        title="Power of attorney for the firm",
        explanation="Upload a power of attorney or letter of authorisation appointing the firm to act for you, "
        "signed by a director or sealed with the company seal, and not expired.",
        document_types=(DocumentType.POWER_OF_ATTORNEY,),
    ),
    Rule(
        id="holder.identity",
        title="Proof of identity",
        explanation="Upload the company's business licence or certificate of incorporation (or, for a person, "
        "an identity document), so the platform can check who the rights holder is.",
        document_types=(DocumentType.IDENTITY_DOCUMENT,),
    ),
)


def rules_for_right(
    right: IPRight, *, platforms: Iterable[str] = (), today: datetime.date
) -> list[tuple[Rule, Context]]:
    context = Context(right=right, platforms=frozenset(platforms), today=today)
    rules = (*GENERAL_RULES, *RIGHT_RULES.get((right.jurisdiction, right.kind), ()))
    return [(rule, context) for rule in rules if rule.applies(context)]


def rules_for_holder(*, platforms: Iterable[str] = (), today: datetime.date) -> list[tuple[Rule, Context]]:
    context = Context(right=None, platforms=frozenset(platforms), today=today)
    return [(rule, context) for rule in HOLDER_RULES if rule.applies(context)]


def all_rules() -> list[Rule]:
    return [*GENERAL_RULES, *(rule for rules in RIGHT_RULES.values() for rule in rules), *HOLDER_RULES]
