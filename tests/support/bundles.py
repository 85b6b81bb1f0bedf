"""Bundle inputs built in memory for the PDF tests."""

from __future__ import annotations

import datetime
import hashlib
import io

from portal.bundle.inputs import BundleInput, FileInput, ListingInput, PurchaseInput, RightInput
from tests.support import files

UPLOADED = datetime.datetime(2026, 3, 4, 9, 30, tzinfo=datetime.UTC)


def file_input(number: int, data: bytes, content_type: str, *, section="C", name="", kind="Product photo", order=""):
    return FileInput(
        number=number,
        section=section,
        title=name or f"exhibit-{number}",
        kind_label=kind,
        original_name=name or f"exhibit-{number}",
        uploaded_by="Priya Shah",
        uploaded_at=UPLOADED,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content_type=content_type,
        open=lambda: io.BytesIO(data),
        purchase_order=order,
    )


def listing(n: int, platform_host: str = "detail.1688.com") -> ListingInput:
    return ListingInput(
        url=f"https://{platform_host}/offer/{600000 + n}.html",
        title=f"Aurora lamp copy {n}",
        seller_name="明峰数码旗舰店",
        seller_id="2201234",
        item_id=str(600000 + n),
    )


def bundle_input(*, platform="alibaba", files_=None, listings=None, purchases=None, rights=None) -> BundleInput:
    first = listing(1)
    purchase = PurchaseInput(
        order_number="3089912345",
        order_date=datetime.date(2026, 3, 3),
        amount="24.90",
        currency="USD",
        purchaser_alias="J. Moreau",
        listing=first,
        result_label="Counterfeit",
        method="Side-by-side comparison with a genuine Aurora lamp; packaging, hologram and serial checked.",
        reasons="No hologram; wrong font on the base; serial number not issued by the rights holder.",
        examiner="Claire Donnelly, Lumina Design Ltd",
        examined_on=datetime.date(2026, 3, 10),
        exhibit_numbers=(2, 3),
    )
    return BundleInput(
        firm_name="Harcourt & Vale LLP",
        rights_holder_name="Lumina Design Ltd",
        rights_holder_local_name="",
        rights_holder_address="London",
        matter_reference="LUM-2026-001",
        stamp_prefix="LUM",
        platform=platform,
        platform_label="Alibaba.com (IPP)",
        bundle_id="B-000001",
        version=1,
        issued_on=datetime.date(2026, 11, 22),
        verify_url="https://portal.example.com/verify/",
        rights=rights
        if rights is not None
        else (
            RightInput(
                "trademark",
                "Trade mark",
                "CN",
                "AURORA 光影",
                "Lumina Design Ltd",
                (("CNIPA registration", "12345678"), ("Classes", "11")),
            ),
        ),  # fmt: skip
        listings=listings if listings is not None else (first, listing(2)),
        purchases=purchases if purchases is not None else (purchase,),
        files=files_
        if files_ is not None
        else (
            file_input(
                1,
                files.pdf_bytes("CNIPA certificate 商标注册证", pages=2),
                "application/pdf",
                section="B",
                name="商标注册证.pdf",
                kind="Registration certificate",
            ),
            file_input(
                2,
                files.pdf_bytes("Order confirmation"),
                "application/pdf",
                order="3089912345",
                name="order.pdf",
                kind="Order confirmation",
            ),
            file_input(3, files.image_bytes("JPEG", (1200, 900)), "image/jpeg", order="3089912345", name="front.jpg"),
            file_input(4, files.mp4_bytes(), "video/mp4", name="unboxing.mp4", kind="Video"),
        ),  # fmt: skip
    )


# A compile a test makes although the matter is not ready: the gate is not what the test is about.
OVERRULED = "Test: the proof of ownership is not what this test is about"
