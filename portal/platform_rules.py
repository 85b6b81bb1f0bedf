"""How each marketplace takes a complaint: limits, how notices split, reasons and statements, as data.

Pure data and small functions of plain values; ``portal.bundle.complaints`` applies them to a bundle.

Every platform fact below names where it comes from. Where the portal could not find the platform's own
wording, the data says so (``Reason.text`` empty) and the letter tells the filer to choose in the platform's
form: a reason or code is never invented. ``shared/platform-facts.md`` gathers the sources.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ownership.shared.choices import CHINESE_PLATFORMS, Platform
from ownership.shared.platform_hosts import asin_in, ebay_item_in


@dataclass(frozen=True)
class Reason:
    """A complaint reason as the platform lists it; ``text`` empty where its wording is not known to the portal."""

    text: str
    code: str = ""
    source: str = ""
    verified: bool = True  # False: wording from a secondary source, shown to staff as such, never to a platform

    @property
    def known(self) -> bool:
        return bool(self.text)

    @property
    def for_staff(self) -> str:
        """The reason as staff see it when filing, marked when its wording is not confirmed."""
        if not self.known:
            return ""
        line = f"{self.code} {self.text}".strip()
        return line if self.verified else f"{line} (wording unverified: {self.source})"


@dataclass(frozen=True)
class TestBuyRule:
    """How a platform takes test-buy orders in its complaints."""

    one_order_per_complaint: bool  # a test-buy complaint names exactly one order
    # Whether one order may back complaints on several rights (IPP: one complaint per right). None where the
    # platform's rule could not be confirmed: the portal then uses each order in one complaint only and says so.
    order_reused_across_rights: bool | None = None
    source: str = ""

    @property
    def unconfirmed(self) -> str:
        """What staff are told where the rule is not confirmed; empty where it is."""
        if not self.one_order_per_complaint or self.order_reused_across_rights is not None:
            return ""
        return (
            "Each test-buy order backs one complaint only, on the first right chosen; the order's listing is "
            "complained of under the other rights without it. Whether the platform accepts one order in "
            f"complaints on several rights could not be confirmed ({self.source})."
        )


# ipp.alibabagroup.com, FAQ "Test buy" (uc/sc/faq/cmpt-t-t-c-tb): "If you placed several test purchase orders
# for different product listings, please submit each complaint separately and fill in the corresponding order
# number." It says nothing of one order in complaints on several IPRs.
IPP_TEST_BUY = TestBuyRule(
    one_order_per_complaint=True,
    source="IPP FAQ 'Test buy': one order number per complaint; silent on one order under several rights",
)
NO_TEST_BUY_RULE = TestBuyRule(one_order_per_complaint=False)


@dataclass(frozen=True)
class PlatformRules:
    code: str
    complaint_title: str
    complaint_title_zh: str  # printed beside the English heading on Chinese platforms
    max_items: int  # items (links, ASINs, item numbers) in one complaint
    one_right_per_complaint: bool  # IPP: each complaint rests on one approved IPR record
    test_buy: TestBuyRule  # IPP: a test-buy complaint names exactly one order
    one_ip_type_per_notice: bool  # Amazon: one kind of right per notice
    one_site_per_notice: bool  # Amazon: each country site has its own form
    one_reason_per_report: bool  # eBay: one reason per item, one reason list per NOCI page
    item_label: str  # what the platform calls an item's identifier
    reasons: dict[str, Reason]  # right kind -> the platform's reason
    prints_order_ids_with_listings: bool = False  # Amazon: test-buy Order IDs beside the ASIN
    asks_where_infringement_appears: bool = False  # Amazon: product, packaging, image or listing text
    reason_is_ip_type: bool = False  # Amazon: the form asks for the IP type, not a reason from a list


IPP_SOURCE = "ipp.alibabagroup.com, FAQ 'How to submit a trademark complaint' (steps 3 to 6)"
IPP_REASON_UNKNOWN = Reason(
    text="",
    source=IPP_SOURCE + ": the reason is chosen from IPP's drop-down list, which the FAQ shows only as a picture; "
    "its wording is not available to the portal.",
)
# eBay's Notice of Claimed Infringement form (EN-NOCI.pdf) lists reasons by number. Wording as quoted from the
# form in a public practitioners' thread (bizraw.com, 2023): unverified against the current form. The numeric
# API codes come from developer.ebay.com (commerce/vero ReportItemDetails).
EBAY_NOCI_SOURCE = "eBay NOCI form (EN-NOCI.pdf) as quoted on bizraw.com, 2023; unverified against the current form"
EBAY_REASONS = {
    "trademark": Reason(
        "Item(s) is a counterfeit product which infringes a trademark", "1.1", EBAY_NOCI_SOURCE, verified=False
    ),
    "copyright": Reason(
        "Item(s) is a counterfeit product which infringes a copyright", "3.2", EBAY_NOCI_SOURCE, verified=False
    ),
    "patent": Reason("Item(s) infringes a valid patent", "9048", "developer.ebay.com, VeRO API ReportItemDetails"),
    "design": Reason("", source="No eBay reason wording for registered designs was found; choose in eBay's form."),
}
AMAZON_SOURCE = "Amazon Report Infringement form (amazon.com/report/infringement), per country site"
AMAZON_REASON = Reason("", source=AMAZON_SOURCE + ": the form asks for the IP type, not a reason code.")

RULES: dict[str, PlatformRules] = {
    **{
        code: PlatformRules(
            code=code,
            complaint_title="IPP infringement complaint",
            complaint_title_zh="知识产权侵权投诉",
            max_items=300,  # IPP_SOURCE, step 6: "at most 300 listings ... separated by a new line"
            one_right_per_complaint=True,  # IPP FAQ "I have several IPRs"; SECA, Dec 2022
            test_buy=IPP_TEST_BUY,
            one_ip_type_per_notice=True,
            one_site_per_notice=False,
            one_reason_per_report=False,
            item_label="Listing link",
            reasons=dict.fromkeys(("trademark", "copyright", "design", "patent"), IPP_REASON_UNKNOWN),
        )  # fmt: skip
        for code in sorted(CHINESE_PLATFORMS)
    },
    Platform.AMAZON: PlatformRules(
        code=Platform.AMAZON,
        complaint_title="Notice of infringement (Amazon Report Infringement form)",
        complaint_title_zh="",
        max_items=50,  # unverified: thomsentrampedach.com FAQ ("50 listings at the same time"); not on Amazon's page
        one_right_per_complaint=False,
        test_buy=NO_TEST_BUY_RULE,
        one_ip_type_per_notice=True,  # AMAZON_SOURCE: one IP type per notice
        one_site_per_notice=True,  # AMAZON_SOURCE: every country site has its own form
        one_reason_per_report=False,
        item_label="ASIN",
        reasons=dict.fromkeys(("trademark", "copyright", "design", "patent"), AMAZON_REASON),
        prints_order_ids_with_listings=True,  # AMAZON_SOURCE: "order IDs for any test buys"
        asks_where_infringement_appears=True,  # AMAZON_SOURCE: product, packaging, image or listing text
        reason_is_ip_type=True,
    ),  # fmt: skip
    Platform.EBAY: PlatformRules(
        code=Platform.EBAY,
        complaint_title="VeRO Notice of Claimed Infringement",
        complaint_title_zh="",
        max_items=150,  # developer.ebay.com, createVeroReport: at most 150 items per report
        one_right_per_complaint=False,
        test_buy=NO_TEST_BUY_RULE,
        one_ip_type_per_notice=True,  # EBAY_NOCI_SOURCE: one reason per page, so one kind of right per report
        one_site_per_notice=True,  # the API's reason codes and reports are per marketplace (X-EBAY-C-MARKETPLACE-ID)
        one_reason_per_report=True,
        item_label="Item number",
        reasons=EBAY_REASONS,
    ),  # fmt: skip
}

# Statements, by who asks for them. The DMCA's two statements (17 U.S.C. § 512(c)(3)(A)(v) and (vi)) belong to
# copyright notices to the US platforms; other complaints carry the firm's own statement of good faith and
# accuracy (the platform's own declaration, where it has one, is ticked in its online form at filing).
DMCA_STATEMENTS = (
    "I have a good-faith belief that use of the material in the manner complained of is not authorised by the "
    "copyright owner, its agent, or the law.",
    "The information in this notice is accurate and, under penalty of perjury, I am authorised to act on behalf "
    "of the owner of an exclusive right that is allegedly infringed.",
)  # 17 U.S.C. § 512(c)(3)(A)(v)-(vi)
FIRM_STATEMENTS = (
    "The complainant believes in good faith that the items listed above infringe the right named in this "
    "complaint and are offered without the rights holder's consent.",
    "The information in this complaint is accurate to the best of the firm's knowledge.",
)  # the firm's own wording, not a platform's
AGENCY_STATEMENT = "The rights holder has appointed the firm as its agent; the letter of authorisation is in section A."
US_PLATFORMS = frozenset({Platform.AMAZON, Platform.EBAY})


def statements_for(platform: str, ip_kind: str) -> tuple[str, ...]:
    base = DMCA_STATEMENTS if ip_kind == "copyright" and platform in US_PLATFORMS else FIRM_STATEMENTS
    return (*base, AGENCY_STATEMENT)


def right_kind_label(kind: str, jurisdiction: str, label: str) -> str:
    """A registered design is a "design patent" only in the US."""
    if kind == "design":
        return "Design patent" if jurisdiction == "US" else "Registered design"
    return label


def rules_for(platform: str) -> PlatformRules:
    return RULES[platform]


def item_identifier(rules: PlatformRules, url: str, item_id: str = "") -> str:
    """What the platform's form takes: the ASIN on Amazon, the item number on eBay, the link elsewhere."""
    path = urlsplit(url).path
    if rules.code == Platform.AMAZON:
        return asin_in(path) or item_id or url
    if rules.code == Platform.EBAY:
        return ebay_item_in(path) or item_id or url
    return url


def site_of(url: str) -> str:
    """The country site of a listing ("amazon.co.uk"), where a platform has one form per site."""
    host = (urlsplit(url).hostname or "").lower()
    for prefix in ("www.", "m."):
        host = host.removeprefix(prefix)
    return host


def paste_lines(rules: PlatformRules, ip_kind: str, items: Iterable[tuple[str, str]]) -> list[str]:
    """What the platform's form takes for a complaint's items, one per line: the links for IPP, the ASINs for
    Amazon, and for eBay each item number with its reason (or a note to choose it, where its wording is unknown).
    ``items`` are (url, recorded item id) pairs."""
    identifiers = [item_identifier(rules, url, item_id) for url, item_id in items]
    if not rules.one_reason_per_report:
        return identifiers
    reason = rules.reasons.get(ip_kind)
    said = f"{reason.code} {reason.text}".strip() if reason and reason.known else "(choose the reason in the form)"
    return [f"{identifier}\t{said}" for identifier in identifiers]
