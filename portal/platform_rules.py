"""How each marketplace wants a complaint: limits and formats, as data. The bundle builder asks only this."""

from __future__ import annotations

from dataclasses import dataclass

from ownership.platforms import CHINESE_PLATFORMS, Platform
from portal.bundle.inputs import BundleInput, ListingInput, PurchaseInput

STATEMENTS = (
    "I have a good-faith belief that use of the material in the manner complained of is not authorised by the "
    "rights holder, its agent, or the law.",
    "The information in this notice is accurate, and under penalty of perjury, I am authorised to act on behalf "
    "of the owner of the rights that are allegedly infringed.",
    "The rights holder has appointed the firm as its agent; the letter of authorisation is in section A.",
)


@dataclass(frozen=True)
class PlatformRules:
    code: str
    complaint_title: str
    complaint_title_zh: str  # Chinese heading printed beside the English one on Chinese platforms
    max_links_per_complaint: int
    one_order_per_test_buy_complaint: bool
    one_ip_type_per_notice: bool
    item_label: str  # what the platform calls an infringing item's identifier
    reason_codes: dict[str, str]  # right kind -> the platform's reason wording or code


RULES: dict[str, PlatformRules] = {
    **{
        code: PlatformRules(
            code=code,
            complaint_title="IPP infringement complaint",
            complaint_title_zh="知识产权侵权投诉",
            max_links_per_complaint=300,
            one_order_per_test_buy_complaint=True,
            one_ip_type_per_notice=False,
            item_label="Listing link",
            reason_codes={
                "trademark": "Counterfeit (trademark)",
                "copyright": "Copyright infringement",
                "design": "Design infringement",
                "patent": "Patent infringement",
            },
        )  # fmt: skip
        for code in sorted(CHINESE_PLATFORMS)
    },
    Platform.AMAZON: PlatformRules(
        code=Platform.AMAZON,
        complaint_title="Notice of infringement (Amazon Report Infringement form)",
        complaint_title_zh="",
        max_links_per_complaint=1000,
        one_order_per_test_buy_complaint=False,
        one_ip_type_per_notice=True,
        item_label="ASIN / URL",
        reason_codes={
            "trademark": "Counterfeit",
            "copyright": "Copyright infringement",
            "design": "Design patent infringement",
            "patent": "Utility patent infringement",
        },
    ),  # fmt: skip
    Platform.EBAY: PlatformRules(
        code=Platform.EBAY,
        complaint_title="VeRO Notice of Claimed Infringement",
        complaint_title_zh="",
        max_links_per_complaint=500,
        one_order_per_test_buy_complaint=False,
        one_ip_type_per_notice=False,
        item_label="Item number",
        reason_codes={
            "trademark": "TM1 Trademark – item is a counterfeit",
            "copyright": "CR1 Copyright – unauthorised copy",
            "design": "DS1 Design – infringing item",
            "patent": "PT1 Patent – infringing item",
        },
    ),  # fmt: skip
}


@dataclass(frozen=True)
class Complaint:
    """One complaint (or notice) as the platform takes it: a number of items, at most one test-buy order."""

    number: int
    ip_kind: str
    listings: tuple[ListingInput, ...]
    purchase: PurchaseInput | None


def rules_for(platform: str) -> PlatformRules:
    return RULES[platform]


def item_identifier(rules: PlatformRules, listing: ListingInput) -> str:
    return listing.item_id if rules.code in (Platform.AMAZON, Platform.EBAY) and listing.item_id else listing.url


def split_complaints(bundle: BundleInput) -> list[Complaint]:
    """The bundle's listings as the platform's complaints: test-buy complaints first, then the rest in chunks."""
    rules = rules_for(bundle.platform)
    kinds = sorted({right.kind for right in bundle.rights}) or ["trademark"]
    groups = [[k] for k in kinds] if rules.one_ip_type_per_notice else [kinds]
    complaints: list[Complaint] = []
    for group in groups:
        ip_kind = "+".join(group)
        remaining = list(bundle.listings)
        if rules.one_order_per_test_buy_complaint:
            for purchase in bundle.purchases:
                complaints.append(Complaint(len(complaints) + 1, ip_kind, (purchase.listing,), purchase))
                remaining = [listing for listing in remaining if listing.url != purchase.listing.url]
        for start in range(0, len(remaining), rules.max_links_per_complaint):
            chunk = tuple(remaining[start : start + rules.max_links_per_complaint])
            complaints.append(Complaint(len(complaints) + 1, ip_kind, chunk, None))
    return complaints
