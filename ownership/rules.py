"""What proves ownership, per jurisdiction and kind of right: the one place these requirements live, as data.

``RIGHT_RULES`` per (jurisdiction, kind) and ``HOLDER_RULES`` for the rights holder: each rule has an id, a
plain-English explanation a client can act on, and the document types that satisfy it. The identifiers a right
has are in ``ownership.schemas``, the choice lists in ``ownership.choices``.

Adding a jurisdiction means adding its entries to ``schemas``, here and (its label) to
``choices.JURISDICTIONS``; nothing else in the portal changes. The model, the admin, the readiness report and
the command read these tables.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ownership.choices import COPYRIGHT, DESIGN, JURISDICTIONS, PATENT, TRADEMARK, Authorship, DocumentType, RightStatus
from ownership.schemas import SCHEMAS, add_years
from ownership.shared.choices import CHINESE_PLATFORMS

if TYPE_CHECKING:
    from ownership.models import IPRight


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
