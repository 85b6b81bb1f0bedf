"""The readiness report, driven by the rules' own data: every rule of every jurisdiction is exercised."""

import datetime

import pytest

from ownership import choices, rules, schemas
from ownership.models import IPRight, OwnershipDocument
from ownership.readiness import Status, readiness_for_holder, readiness_for_matter, readiness_for_right
from ownership.shared.choices import Platform
from tests.factories import RightsHolderFactory
from tests.ownership.factories import OwnershipDocumentFactory, make_right

TODAY = datetime.date(2026, 11, 22)
ALL_PLATFORMS = [str(p) for p in Platform]

# Facts about a right that switch on a conditional rule; every other jurisdiction is tested from its example.
VARIANTS = {
    ("GB", choices.COPYRIGHT): [
        {"authorship": choices.Authorship.AUTHOR},
        {"authorship": choices.Authorship.EMPLOYEE},
        {"authorship": choices.Authorship.COMMISSIONED},
        {"authorship": choices.Authorship.ASSIGNED},
    ],
    ("CN", choices.TRADEMARK): [{}, {"registration_date": datetime.date(2014, 6, 7)}],
}
SCENARIOS = [(key, overrides) for key in rules.RIGHT_RULES for overrides in VARIANTS.get(key, [{}])]


def _unsaved_right(key, overrides) -> IPRight:
    jurisdiction, kind = key
    fields = {**schemas.schema_for(jurisdiction, kind).example, **overrides}
    status = IPRight.Status.UNREGISTERED if key == ("GB", choices.COPYRIGHT) else IPRight.Status.REGISTERED
    return IPRight(jurisdiction=jurisdiction, kind=kind, status=status, **fields)


def _document_rules(key, overrides):
    right = _unsaved_right(key, overrides)
    return [
        rule for rule, _ in rules.rules_for_right(right, platforms=ALL_PLATFORMS, today=TODAY) if rule.document_types
    ]


RULE_CASES = [
    pytest.param(key, overrides, rule.id, id=f"{key[0]}-{key[1]}-{rule.id}-{'-'.join(map(str, overrides.values()))}")
    for key, overrides in SCENARIOS
    for rule in _document_rules(key, overrides)
]


def _complete(key, overrides):
    """A rights holder and right with exactly one document per applicable rule."""
    holder = RightsHolderFactory()
    right = make_right(holder, *key, **overrides)
    for rule in _document_rules(key, overrides):
        OwnershipDocumentFactory(right=right, doc_type=rule.document_types[0], description=rule.id)
    for rule in rules.HOLDER_RULES:
        OwnershipDocumentFactory(rights_holder=holder, doc_type=rule.document_types[0], description=rule.id)
    return holder, right


def test_every_rule_is_exercised():
    exercised = {case.values[2] for case in RULE_CASES}
    exercised |= {rule.id for rule in rules.all_rules() if rule.holds}  # tested below, one by one
    exercised |= {rule.id for rule in rules.HOLDER_RULES}
    assert exercised == {rule.id for rule in rules.all_rules()}


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "overrides"), SCENARIOS, ids=lambda v: "-".join(map(str, v)) if v else "example")
def test_a_right_with_exactly_the_required_documents_is_ready(key, overrides):
    holder, right = _complete(key, overrides)
    report = readiness_for_matter(rights_holder=holder, rights=[right], platforms=ALL_PLATFORMS, today=TODAY)
    assert [item.message for item in report.open_items] == []
    assert report.ready
    assert report.summary == "Ready"


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "overrides", "rule_id"), RULE_CASES)
def test_removing_one_document_makes_exactly_that_rule_missing(key, overrides, rule_id):
    holder, right = _complete(key, overrides)
    OwnershipDocument.objects.filter(right=right, description=rule_id).delete()
    report = readiness_for_right(right, platforms=ALL_PLATFORMS, today=TODAY)
    assert [(item.rule_id, item.status) for item in report.items if not item.is_satisfied] == [
        (rule_id, Status.MISSING)
    ]
    assert report.missing == [
        f"{item.rule.title}: {item.rule.explanation}" for item in report.items if item.rule_id == rule_id
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("rule", rules.HOLDER_RULES, ids=lambda rule: rule.id)
def test_removing_a_rights_holder_document_makes_exactly_that_rule_missing(rule):
    holder, right = _complete(("US", choices.COPYRIGHT), {})
    OwnershipDocument.objects.filter(right=None, description=rule.id).delete()
    report = readiness_for_matter(rights_holder=holder, rights=[right], platforms=["amazon"], today=TODAY)
    assert [(item.rule_id, item.status) for item in report.open_items] == [(rule.id, Status.MISSING)]
    assert not report.ready
    assert report.summary == "1 item missing"


@pytest.mark.django_db
def test_an_expired_power_of_attorney_shows_expired():
    holder, right = _complete(("US", choices.COPYRIGHT), {})
    OwnershipDocument.objects.filter(doc_type=choices.DocumentType.POWER_OF_ATTORNEY).update(
        issued_on=datetime.date(2024, 1, 1), expires_on=datetime.date(2025, 12, 31)
    )
    item = readiness_for_holder(holder, today=TODAY).items[0]
    assert item.rule_id == "holder.power_of_attorney"
    assert item.status == Status.EXPIRED
    assert item.message.startswith("Power of attorney for the firm: the document expired on 31 December 2025.")


@pytest.mark.django_db
def test_an_unsigned_witness_statement_does_not_count():
    holder, right = _complete(("GB", choices.COPYRIGHT), {})
    OwnershipDocument.objects.filter(doc_type=choices.DocumentType.WITNESS_STATEMENT).update(is_signed=False)
    report = readiness_for_right(right, today=TODAY)
    assert [(i.rule_id, i.status) for i in report.items if not i.is_satisfied] == [
        ("gb.copyright.statement", Status.MISSING)
    ]


@pytest.mark.django_db
def test_a_document_in_german_needs_a_translation():
    holder, right = _complete(("EU", choices.TRADEMARK), {})
    certificate = OwnershipDocument.objects.get(right=right, doc_type=choices.DocumentType.REGISTRATION_CERTIFICATE)
    certificate.language = "de"
    certificate.save()
    item = next(i for i in readiness_for_right(right, today=TODAY).items if i.rule_id == "eu.trademark.certificate")
    assert item.status == Status.NEEDS_TRANSLATION
    assert "is in German" in item.message


@pytest.mark.django_db
def test_a_translation_satisfies_the_rule_with_both_documents():
    holder, right = _complete(("EU", choices.TRADEMARK), {})
    certificate = OwnershipDocument.objects.get(right=right, doc_type=choices.DocumentType.REGISTRATION_CERTIFICATE)
    certificate.language = "de"
    certificate.save()
    translation = OwnershipDocumentFactory(
        right=right, doc_type=choices.DocumentType.TRANSLATION, translation_of=certificate, language="en"
    )
    item = next(i for i in readiness_for_right(right, today=TODAY).items if i.rule_id == "eu.trademark.certificate")
    assert item.status == Status.SATISFIED
    assert item.documents == (certificate, translation)


@pytest.mark.django_db
def test_a_pending_application_is_not_in_force():
    holder, right = _complete(("US", choices.TRADEMARK), {})
    right.status = IPRight.Status.PENDING
    report = readiness_for_right(right, today=TODAY)
    assert [(i.rule_id, i.status) for i in report.items if not i.is_satisfied] == [("right.in_force", Status.MISSING)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("platforms", "expected"),
    [(["alibaba"], [("wo.trademark.china_designation", Status.MISSING)]), (["amazon"], [])],
)
def test_an_international_mark_without_china_fails_only_on_chinese_platforms(platforms, expected):
    holder, right = _complete(("WO", choices.TRADEMARK), {"designated_countries": ["US", "GB"]})
    report = readiness_for_right(right, platforms=platforms, today=TODAY)
    assert [(i.rule_id, i.status) for i in report.items if not i.is_satisfied] == expected


@pytest.mark.django_db
def test_a_matter_without_rights_is_not_ready():
    holder, _ = _complete(("US", choices.COPYRIGHT), {})
    report = readiness_for_matter(rights_holder=holder, rights=[], platforms=["amazon"], today=TODAY)
    assert not report.ready
    assert report.summary == "No IP right recorded"


@pytest.mark.django_db
def test_another_rights_holders_documents_never_count():
    holder, right = _complete(("US", choices.COPYRIGHT), {})
    other = RightsHolderFactory()
    report = readiness_for_holder(other, today=TODAY)
    assert [i.status for i in report.items] == [Status.MISSING, Status.MISSING]


@pytest.mark.django_db
def test_a_jurisdiction_added_to_the_rules_alone_works_end_to_end(monkeypatch):
    monkeypatch.setitem(choices.JURISDICTIONS, "FR", "France")
    monkeypatch.setitem(schemas.SCHEMAS, ("FR", choices.TRADEMARK), schemas.Schema(
        identifiers=(schemas.Identifier("registration_number", True, None, "Give the INPI number."),),
    ))  # fmt: skip
    rule = rules.Rule(
        id="fr.trademark.certificate",
        title="INPI certificate",
        explanation="Upload the INPI registration certificate.",
        document_types=(choices.DocumentType.REGISTRATION_CERTIFICATE,),
    )
    monkeypatch.setitem(rules.RIGHT_RULES, ("FR", choices.TRADEMARK), (rule,))
    right = make_right(RightsHolderFactory(), "FR", choices.TRADEMARK, registration_number="4567890")
    report = readiness_for_right(right, today=TODAY)
    assert report.missing == ["INPI certificate: Upload the INPI registration certificate."]


@pytest.mark.django_db
@pytest.mark.parametrize(("platforms", "asked"), [(["alibaba"], True), (["amazon"], False)])
def test_an_unregistered_uk_copyright_needs_ipps_claim_statement_only_on_chinese_platforms(platforms, asked):
    holder, right = _complete(("GB", choices.COPYRIGHT), {})
    OwnershipDocument.objects.filter(right=right, description="gb.copyright.ipp_claim_statement").delete()
    report = readiness_for_right(right, platforms=platforms, today=TODAY)
    missing = [item.rule_id for item in report.items if not item.is_satisfied]
    assert missing == (["gb.copyright.ipp_claim_statement"] if asked else [])
