"""Demo data of the evidence app, created by ``manage.py seed_demo``. Every function is idempotent."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from evidence import demo_files
from evidence.models import Exhibit, Listing, Matter, Seller, TestPurchase
from evidence.networks import seller_identifier_add
from evidence.sellers.names import normalise_name
from evidence.services import (
    exhibit_upload,
    listing_record,
    listing_set_status,
    matter_create,
    seller_record,
    test_purchase_examine,
    test_purchase_record,
)
from ownership.models import IPRight, RightsHolder
from ownership.shared.choices import Platform
from ownership.shared.users import User

DEMO_MATTERS = {
    "LUM": (
        "LUM-2026-001",
        "Counterfeit Aurora desk lamps on Alibaba and Amazon",
        [Platform.ALIBABA, Platform.AMAZON],
    ),
    "BPA": ("BPA-2026-001", "Fake Brightpeak P3 earphones on Taobao", [Platform.TAOBAO, Platform.ALIBABA]),
}
CAPTURED = datetime.datetime(2026, 3, 2, 10, 14, tzinfo=datetime.UTC)
DEMO_RIGHTS = {
    "LUM": ("trademark", "CN", "AURORA (word and device)"),
    "BPA": ("trademark", "CN", "BRIGHTPEAK 明峰"),
}


def seed_matters(*, holders: list[RightsHolder], responsible: User) -> list[Matter]:
    matters = []
    for holder in holders:
        reference, title, platforms = DEMO_MATTERS[holder.code]
        matter = Matter.objects.filter(reference=reference).first() or matter_create(
            rights_holder=holder,
            title=title,
            platforms=[str(p) for p in platforms],
            responsible=responsible,
            opened_on=datetime.date(2026, 3, 2),
            reference=reference,
        )
        matters.append(matter)
    return matters


def seed_evidence(*, matters: list[Matter], investigator: User) -> None:
    """A test purchase with exhibits per matter; one seller in both matters under two names; a reappeared listing."""
    for matter in matters:
        code = matter.rights_holder.code
        kind, jurisdiction, title = DEMO_RIGHTS[code]
        right, _ = IPRight.objects.get_or_create(
            rights_holder=matter.rights_holder, kind=kind, jurisdiction=jurisdiction, title=title,
            defaults={"owner_name": matter.rights_holder.name},
        )  # fmt: skip
        # The same Alibaba store, id 2201234, trades under an English and a Chinese name.
        store_name = "Glowhome Lighting Store" if code == "LUM" else "明峰数码旗舰店"
        seller, _ = seller_record(
            platform="alibaba", store_name=store_name, platform_seller_id="2201234",
            store_url="https://glowhome.en.alibaba.com/", company_name="Shenzhen Glowhome Trading Co., Ltd.",
        )  # fmt: skip
        item = "1600981234" if code == "LUM" else "1600985678"
        listing, _ = listing_record(
            matter=matter, seller=seller, url=f"https://www.alibaba.com/product-detail/item_{item}.html",
            title="Aurora-style LED desk lamp" if code == "LUM" else "P3 wireless earphones", price=Decimal("18.50"),
            currency="USD", platform_item_id=item, seller_name=store_name,
        )  # fmt: skip
        order_number = f"30899{item[-5:]}"
        if TestPurchase.objects.filter(matter=matter, order_number=order_number).exists():
            continue
        purchase = test_purchase_record(
            matter=matter, listing=listing, recorded_by=investigator, rights=[right], order_number=order_number,
            order_date=datetime.date(2026, 3, 3), amount=Decimal("18.50"), currency="USD",
            purchaser_alias="J. Moreau", delivered_on=datetime.date(2026, 3, 9), received_on=datetime.date(2026, 3, 9),
        )  # fmt: skip
        files = [
            (Exhibit.Kind.LISTING_CAPTURE, "listing-capture.pdf", demo_files.document(
                "Listing capture", [listing.url, listing.title, f"Seller: {store_name} (id 2201234)",
                                    "Captured 2 March 2026 10:14 UTC by J. Moreau"])),
            (Exhibit.Kind.ORDER_CONFIRMATION, "order-confirmation.pdf", demo_files.document(
                "Order confirmation", [f"Order number {order_number}", "Paid 18.50 USD on 3 March 2026"])),
            (Exhibit.Kind.PRODUCT_PHOTO, "product-front.jpg", demo_files.photo("Item as received", (40, 60, 90))),
            (Exhibit.Kind.PARCEL_PHOTO, "parcel-label.jpg", demo_files.photo("Parcel label", (110, 80, 40))),
            (Exhibit.Kind.COMPARISON, "comparison-sheet.pdf", demo_files.document(
                "Genuine vs suspect comparison", ["Hologram: genuine has one, suspect has none",
                                                  "Base font: suspect uses a different typeface"])),
        ]  # fmt: skip
        for kind, name, data in files:
            exhibit_upload(
                matter=matter, purchase=purchase, kind=kind, uploaded_by=investigator,
                upload=ContentFile(data, name=name), captured_at=CAPTURED,
            )  # fmt: skip
        test_purchase_examine(
            purchase=purchase, result=TestPurchase.Result.COUNTERFEIT, actor=investigator,
            method="Side-by-side comparison with a genuine item; packaging, hologram and serial number checked.",
            reasons="No hologram; wrong typeface on the base; serial number never issued by the rights holder.",
            examiner=f"Brand protection team, {matter.rights_holder.name}", examined_on=datetime.date(2026, 3, 10),
        )  # fmt: skip
        if code == "BPA":  # Brightpeak has sealed its test-buy report; Lumina's still awaits its signature
            exhibit_upload(
                matter=matter, purchase=purchase, kind=Exhibit.Kind.SIGNED_TEST_BUY_REPORT, uploaded_by=investigator,
                upload=ContentFile(demo_files.document("Test-buy report, sealed by the rights holder", [
                    f"Order number {order_number}", "Sealed: Shenzhen Brightpeak Audio Co., Ltd.",
                    "Signed: Zhang Wei, Legal representative, 11 March 2026"]), name="test-buy-report-sealed.pdf"),
            )  # fmt: skip
    # A listing taken down earlier, seen again: flagged reappeared.
    lumina = next(m for m in matters if m.rights_holder.code == "LUM")
    again_url = "https://www.amazon.com/dp/B0CAURORA1"
    if not Listing.objects.filter(url_key__endswith="/dp/B0CAURORA1").exists():
        amazon_seller, _ = seller_record(platform="amazon", store_name="BrightDesk Direct")
        gone, _ = listing_record(
            matter=lumina, seller=amazon_seller, url=again_url, title="Aurora lamp (copy)",
            infringement_appears_in=["product", "image"], seller_name="BrightDesk Direct",
        )  # fmt: skip
        listing_set_status(listing=gone, status=Listing.Status.REMOVED)
        listing_record(matter=lumina, seller=amazon_seller, url=again_url + "?th=1")


NETWORK_PHONE = "+86 138 2468 1357"
NETWORK_PAYEE = "Shenzhen Glowhome Trading Co., Ltd. (Bank of China account ending 4410)"
NETWORK_EMAIL = "Service@Glowhome-Lighting.example"


def seed_network(*, investigator: User) -> None:
    """Four stores on three platforms run by one operation: a shared phone and a shared payment beneficiary
    tie them, and a company name only suggests a fifth. The Alibaba store is in both clients' matters."""

    def store(platform: str, name: str) -> Seller | None:
        return Seller.objects.filter(platform=platform, name_key=normalise_name(name)).order_by("pk").first()

    alibaba = Seller.objects.filter(platform="alibaba", platform_seller_id="2201234").first()
    aliexpress, deskglow = store("aliexpress", "Glowhome Lighting Store"), store("aliexpress", "Deskglow Official")
    ebay, amazon = store("ebay", "deskglow_uk"), store("amazon", "Glowhome Lighting Store")
    if None in (alibaba, aliexpress, deskglow, ebay, amazon):
        return
    lumina = Matter.objects.get(reference="LUM-2026-001")
    label = Exhibit.objects.filter(matter=lumina, kind=Exhibit.Kind.PARCEL_PHOTO).first()
    volume = Matter.objects.get(reference="LUM-2026-002")
    contact = Exhibit.objects.filter(matter=volume, original_name="seller-contact-pages.pdf").first()
    if contact is None:
        contact = exhibit_upload(
            matter=volume, kind=Exhibit.Kind.LISTING_CAPTURE, uploaded_by=investigator, captured_at=CAPTURED,
            upload=ContentFile(demo_files.document("Seller contact pages", [
                f"Glowhome Lighting Store (AliExpress): customer service {NETWORK_PHONE}, {NETWORK_EMAIL}",
                f"Deskglow Official (AliExpress): WhatsApp {NETWORK_PHONE}; refunds paid by {NETWORK_PAYEE}",
                f"deskglow_uk (eBay): payments to {NETWORK_PAYEE}",
                "Glowhome Lighting Store (Amazon): business name SHENZHEN GLOWHOME TRADING COMPANY LIMITED",
            ]), name="seller-contact-pages.pdf"),
        )  # fmt: skip
    ties = [
        (alibaba, "phone", NETWORK_PHONE, label), (aliexpress, "phone", NETWORK_PHONE, contact),
        (aliexpress, "email", NETWORK_EMAIL, contact),
        (deskglow, "phone", NETWORK_PHONE, contact), (deskglow, "payment", NETWORK_PAYEE, contact),
        (ebay, "payment", NETWORK_PAYEE, contact),
        (alibaba, "company", "Shenzhen Glowhome Trading Co., Ltd.", label),
        (amazon, "company", "SHENZHEN GLOWHOME TRADING COMPANY LIMITED", contact),
    ]  # fmt: skip
    for seller, kind, value, exhibit in ties:
        seller_identifier_add(seller=seller, kind=kind, value=value, exhibit=exhibit, by=investigator)
