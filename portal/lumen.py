"""A complaint as a Lumen notice: the JSON Lumen's notice API takes, for transparency. Built on request and
downloaded by staff; the portal never sends it anywhere.

Field names, notice types and entity roles are those of Lumen's public code (github.com/berkmancenter/
lumendatabase): ``app/controllers/notices_controller.rb`` ``notice_params`` (the fields a submitted notice may
carry: title, date_sent, jurisdiction_list, action_taken, mark_registration_number, works_attributes with
description, kind and infringing_urls_attributes, entity_notice_roles_attributes with name and entity_attributes),
``app/models/notice.rb`` (``VALID_ACTIONS`` Yes, No, Partial, Unspecified) and ``app/models/counterfeit.rb``
(roles submitter, recipient, sender, principal). The body is wrapped in ``{"notice": …}`` as
``spec/integration/submit_notice_via_api_spec.rb`` posts it.
"""

from __future__ import annotations

from dataclasses import dataclass

# Lumen's notice type for the portal's kind of right. Lumen files copyright takedowns as "DMCA" (its notice.rb
# maps the DMCA type to the topic "Copyright"); a trademark complaint about counterfeit goods is "Counterfeit",
# one without proof of counterfeit goods (no test purchase) "Trademark". Lumen has no type for designs: "Other".
LUMEN_TYPES = {"copyright": "DMCA", "design": "Other"}


@dataclass(frozen=True)
class LumenRight:
    kind: str  # the portal's IPRight.Kind value
    title: str
    jurisdiction: str
    registration_number: str


@dataclass(frozen=True)
class LumenComplaint:
    title: str
    date_sent: str  # YYYY-MM-DD
    sender: str  # the firm
    principal: str  # the rights holder
    principal_country: str
    recipient: str  # the platform
    rights: tuple[LumenRight, ...]
    infringing_urls: tuple[str, ...]
    counterfeit_goods_shown: bool  # a test purchase backs the complaint
    answered: int
    removed: int


def notice_type(complaint: LumenComplaint) -> str:
    kinds = {right.kind for right in complaint.rights}
    if "trademark" in kinds:
        return "Counterfeit" if complaint.counterfeit_goods_shown else "Trademark"
    return next((LUMEN_TYPES[kind] for kind in sorted(kinds) if kind in LUMEN_TYPES), "Other")


def action_taken(answered: int, removed: int) -> str:
    """Lumen's VALID_ACTIONS, from what the platform answered for the complaint's listings."""
    if not answered:
        return "Unspecified"
    return "Yes" if removed == answered else "No" if removed == 0 else "Partial"


def lumen_notice(complaint: LumenComplaint) -> dict:
    kind = notice_type(complaint)
    marks = [right.registration_number for right in complaint.rights if right.kind == "trademark"]
    notice = {
        "type": kind,
        "title": complaint.title,
        "date_sent": complaint.date_sent,
        "jurisdiction_list": ", ".join(sorted({right.jurisdiction for right in complaint.rights})),
        "action_taken": action_taken(complaint.answered, complaint.removed),
        "works_attributes": [
            {"description": f"{right.title} ({right.kind}, {right.jurisdiction}"
                            + (f" {right.registration_number})" if right.registration_number else ")"),
             "kind": right.kind,
             "infringing_urls_attributes": [{"url": url} for url in complaint.infringing_urls]}
            for right in complaint.rights
        ],
        "entity_notice_roles_attributes": [
            {"name": "sender", "entity_attributes": {"name": complaint.sender, "kind": "organization"}},
            {"name": "principal", "entity_attributes": {"name": complaint.principal, "kind": "organization",
                                                        "country_code": complaint.principal_country}},
            {"name": "recipient", "entity_attributes": {"name": complaint.recipient, "kind": "organization"}},
        ],
    }  # fmt: skip
    if kind in ("Trademark", "Counterfeit") and marks and marks[0]:
        notice["mark_registration_number"] = marks[0]
    return {"notice": notice}
