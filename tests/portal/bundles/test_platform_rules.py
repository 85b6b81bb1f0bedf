"""Complaints as each platform takes them, and the letter a reviewer reads (pdftotext of the built bundle)."""

import dataclasses
import subprocess

import pytest

from portal.bundle.complaints import split_complaints
from portal.bundle.inputs import ListingInput, RightInput
from portal.bundle.pdf import build_bundle
from portal.platform_rules import item_identifier, paste_lines, rules_for
from tests.support.bundles import bundle_input, listing

TRADE_MARK_CN = RightInput(
    "trademark", "Trade mark", "CN", "AURORA", "Lumina Design Ltd", registration_number="41234567"
)
COPYRIGHT_GB = RightInput("copyright", "Copyright", "GB", "Aurora lamp drawings", "Lumina Design Ltd",
                          (("Date of creation", "15 March 2021"),))  # fmt: skip
COPYRIGHT_US = RightInput("copyright", "Copyright", "US", "Aurora lamp drawings", "Lumina Design Ltd",
                          (("Registration number", "VA 2-123-456"),), registration_number="VA 2-123-456")  # fmt: skip
DESIGN_GB = RightInput("design", "Registered design", "GB", "Aurora lamp shape", "Lumina Design Ltd")


def amazon_listing(n: int, host: str = "www.amazon.com", path: str = "dp") -> ListingInput:
    return ListingInput(url=f"https://{host}/{path}/B0AURORA{n:02d}?th=1", title=f"Lamp {n}", seller_name="BrightDesk",
                        seller_id="", item_id="")  # fmt: skip


def ebay_listing(n: int, host: str = "www.ebay.co.uk") -> ListingInput:
    return ListingInput(url=f"https://{host}/itm/aurora-lamp/{1234567890 + n}", title=f"Lamp {n}",
                        seller_name="lampdeals", seller_id="", item_id="")  # fmt: skip


def letter_text(tmp_path, bundle) -> str:
    built = build_bundle(bundle, tmp_path)
    text = subprocess.run(["pdftotext", "-f", "3", "-l", "12", str(built.path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    return text.split("Section A\n")[0]  # the letter: from page 3 to the first divider


def test_ipp_files_one_complaint_per_right():
    complaints = split_complaints(bundle_input(rights=(TRADE_MARK_CN, COPYRIGHT_GB, COPYRIGHT_US), purchases=()))
    assert [c.rights for c in complaints] == [(TRADE_MARK_CN,), (COPYRIGHT_GB,), (COPYRIGHT_US,)]


def test_ipp_takes_at_most_300_links_per_complaint():
    links = tuple(listing(n) for n in range(301))
    complaints = split_complaints(bundle_input(listings=links, purchases=()))
    assert [len(c.listings) for c in complaints] == [300, 1]


def test_ipp_uses_a_test_buy_order_in_one_complaint_only_on_the_first_right():
    bundle = bundle_input(rights=(TRADE_MARK_CN, COPYRIGHT_GB))
    complaints = split_complaints(bundle)
    bought = [c for c in complaints if c.purchase]
    assert [(c.rights[0].kind, c.purchase.order_number, len(c.listings)) for c in bought] == [
        ("trademark", "3089912345", 1),
    ]
    copyright_items = [item.url for c in complaints if c.rights == (COPYRIGHT_GB,) for item in c.listings]
    assert bundle.purchases[0].listing.url in copyright_items  # still complained of, without the order


def test_ipp_says_its_rule_on_one_order_under_several_rights_is_unconfirmed():
    rule = rules_for("alibaba").test_buy
    assert rule.order_reused_across_rights is None
    assert "could not be confirmed (IPP FAQ 'Test buy'" in rule.unconfirmed
    assert rules_for("amazon").test_buy.unconfirmed == ""


def test_amazon_splits_by_ip_type_and_country_site_with_at_most_50_asins():
    links = tuple(amazon_listing(n) for n in range(51)) + (amazon_listing(99, host="www.amazon.co.uk"),)
    rights = (dataclasses.replace(TRADE_MARK_CN, jurisdiction="US"), COPYRIGHT_US)
    complaints = split_complaints(bundle_input(platform="amazon", listings=links, rights=rights, purchases=()))
    assert [(c.ip_kind, c.site, len(c.listings)) for c in complaints] == [
        ("copyright", "amazon.co.uk", 1),
        ("copyright", "amazon.com", 50),
        ("copyright", "amazon.com", 1),
        ("trademark", "amazon.co.uk", 1),
        ("trademark", "amazon.com", 50),
        ("trademark", "amazon.com", 1),
    ]


@pytest.mark.parametrize("path", ["dp", "gp/product"])
def test_amazon_items_are_asins_taken_from_the_url(path):
    assert item_identifier(rules_for("amazon"), amazon_listing(7, path=path).url) == "B0AURORA07"


def test_ebay_items_are_item_numbers_at_most_150_per_report():
    links = tuple(ebay_listing(n) for n in range(151))
    complaints = split_complaints(bundle_input(platform="ebay", listings=links, purchases=()))
    assert [len(c.listings) for c in complaints] == [150, 1]
    assert item_identifier(rules_for("ebay"), links[0].url) == "1234567890"


def test_no_invented_ebay_codes_remain():
    reasons = rules_for("ebay").reasons
    assert {r.code for r in reasons.values()} <= {"1.1", "3.2", "9048", ""}
    assert all(r.source for r in reasons.values())


def test_amazon_letter_prints_asins_with_their_test_buy_order_ids(tmp_path):
    bought = amazon_listing(1)
    bundle = bundle_input(platform="amazon", listings=(bought, amazon_listing(2)), files_=())
    purchase = dataclasses.replace(bundle.purchases[0], listing=bought, order_number="123-1234567-1234567")
    text = letter_text(tmp_path, dataclasses.replace(bundle, purchases=(purchase,)))
    assert "B0AURORA01" in text and "B0AURORA02" in text and "amazon.com/dp" not in text
    assert "test-buy order ID 123-1234567-1234567" in text
    assert "infringement appears in:" in text


def test_amazon_copyright_notice_without_registration_describes_the_work_and_carries_dmca_wording(tmp_path):
    bundle = bundle_input(platform="amazon", listings=(amazon_listing(1),), rights=(COPYRIGHT_GB,), purchases=(),
                          files_=())  # fmt: skip
    text = letter_text(tmp_path, bundle)
    assert "Not registered. The original work: Aurora lamp drawings" in text
    assert "under penalty of perjury" in text
    assert "IP type: Copyright" in text and "Infringing items (1 ASIN)" in text


def test_ipp_trade_mark_complaint_carries_no_us_copyright_wording_and_no_invented_reason(tmp_path):
    text = letter_text(tmp_path, bundle_input(files_=()))
    assert "penalty of perjury" not in text and "good-faith belief" not in text
    assert "Reason: to be chosen in Alibaba.com (IPP)'s own list for trade mark complaints" in text
    assert "Counterfeit (trademark)" not in text


def test_ebay_report_leaves_the_unverified_noci_reason_to_staff_and_is_signed_with_a_date(tmp_path):
    bundle = bundle_input(platform="ebay", listings=(ebay_listing(1),), purchases=(), files_=())
    text = letter_text(tmp_path, dataclasses.replace(bundle, signatory="Amelia Hart, Partner"))
    assert "own list for trade mark complaints when filing." in text
    assert "infringes a trademark" not in text  # the form's wording is unverified: never printed as fact
    assert "by Amelia Hart, Partner on 22 November 2026" in text
    assert "TM1" not in text


def test_a_registered_design_is_a_design_patent_only_in_the_us(tmp_path):
    bundle = bundle_input(platform="amazon", listings=(amazon_listing(1),), rights=(DESIGN_GB,), purchases=(),
                          files_=())  # fmt: skip
    text = letter_text(tmp_path, bundle)
    assert "Registered design (GB)" in text and "Design patent" not in text


def test_ipp_items_to_paste_are_the_links():
    lines = paste_lines(rules_for("alibaba"), "trademark", [("https://www.alibaba.com/product-detail/x_1.html", "")])
    assert lines == ["https://www.alibaba.com/product-detail/x_1.html"]


def test_amazon_items_to_paste_are_the_asins():
    lines = paste_lines(rules_for("amazon"), "trademark", [("https://www.amazon.co.uk/Lamp/dp/B0ABCDEFGH?ref=x", "")])
    assert lines == ["B0ABCDEFGH"]


def test_ebay_items_to_paste_carry_their_reason_or_a_note_to_choose_it():
    item = [("https://www.ebay.com/itm/lamp/123456789012", "")]
    assert paste_lines(rules_for("ebay"), "trademark", item) == [
        "123456789012\t1.1 Item(s) is a counterfeit product which infringes a trademark"
    ]
    assert paste_lines(rules_for("ebay"), "design", item) == ["123456789012\t(choose the reason in the form)"]


def test_staff_see_the_ebay_reason_marked_unverified_with_its_source():
    from portal.platform_rules import rules_for

    reason = rules_for("ebay").reasons["trademark"]
    assert reason.for_staff.startswith("1.1 Item(s) is a counterfeit product which infringes a trademark")
    assert "(wording unverified: eBay NOCI form (EN-NOCI.pdf) as quoted on bizraw.com, 2023" in reason.for_staff
