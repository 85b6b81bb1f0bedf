"""The test-buy report IPP asks for: order, listing, photos of what arrived, examination, and who examined it.

IPP wants the report signed or sealed by the rights holder; until a signed copy is recorded the report says it
awaits that signature (ipp.alibabagroup.com test-buy FAQ).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, UnidentifiedImageError
from reportlab.lib import colors
from reportlab.lib.utils import ImageReader

from portal.bundle.errors import BundleError
from portal.bundle.inputs import BundleInput, PurchaseInput
from portal.bundle.pdf.exhibits import fitted_jpeg
from portal.bundle.pdf.layout import GREY, MARGIN, PAGE_W, Writer, font_for
from portal.bundle.pdf.pages import long_date

PHOTO_W, PHOTO_H = (PAGE_W - 2 * MARGIN - 12) / 2, 125


def test_buy_report(bundle: BundleInput, purchase: PurchaseInput, path: Path) -> int:
    w = Writer(path, f"Test-buy report {purchase.order_number}",
               heading=f"{bundle.matter_reference} · Section C · Test-buy report")  # fmt: skip
    w.title(f"Test-buy report: order {purchase.order_number}")
    if not purchase.signed_copy:
        w.text("AWAITING THE RIGHTS HOLDER'S SIGNATURE: this copy is not yet signed or sealed by the rights holder.",
               size=9, bold=True, color=colors.HexColor("#9b1c1c"))  # fmt: skip
    else:
        w.text(f"The copy signed by the rights holder is {purchase.signed_copy}.", size=9, color=GREY)
    w.space(4)
    listing = purchase.listing
    for label, value in [
        ("Order number", purchase.order_number),
        ("Order date", long_date(purchase.order_date)),
        ("Amount paid", f"{purchase.amount} {purchase.currency}"),
        ("Bought under the name", purchase.purchaser_alias),
        ("Listing", listing.url),
        ("Listing title", listing.title),
        (
            "Seller",
            f"{listing.seller_name} {f'(id {listing.seller_id})' if listing.seller_id else ''}".strip()
            or "not yet identified",
        ),
        ("Listed price", listing.price),
    ]:
        w.field(label, value)
    if purchase.photos:
        w.text("The item as received", size=11, bold=True)
        _photos(w, purchase)
    w.text("Examination", size=11, bold=True)
    for label, value in [
        ("Result", purchase.result_label),
        ("Verification method", purchase.method),
        ("Reasons", purchase.reasons),
        ("Examined by", purchase.examiner),
        ("Examined on", long_date(purchase.examined_on) if purchase.examined_on else ""),
        ("Exhibits", ", ".join(f"Exhibit {n}" for n in purchase.exhibit_numbers)),
    ]:
        w.field(label, value)
    w.ensure(110)
    w.space(8)
    w.text(f"Signed or sealed for the rights holder, {bundle.rights_holder_name}", size=10, bold=True)
    for line in ("Name", "Title", "Signature or seal", "Date"):
        w.space(14)
        w.c.setStrokeColor(colors.grey)
        w.c.line(MARGIN + 110, w.y - 10, PAGE_W - MARGIN, w.y - 10)
        w.text(line, size=9, color=GREY)
    return w.finish()


def _photos(w: Writer, purchase: PurchaseInput) -> None:
    for start in range(0, len(purchase.photos), 2):
        w.ensure(PHOTO_H + 16)
        for column, photo in enumerate(purchase.photos[start : start + 2]):
            try:
                with (photo.open_original or photo.open)() as source:  # the photo, not its searchable copy
                    jpeg, shown_w, shown_h = fitted_jpeg(source, PHOTO_W, PHOTO_H)
            except (UnidentifiedImageError, Image.DecompressionBombError, SyntaxError, ValueError, EOFError):
                raise BundleError(f"{photo.label} ({photo.original_name}) is a damaged image: it cannot be shown "
                                  "in the test-buy report. Withdraw it and upload it again.") from None  # fmt: skip
            x = MARGIN + column * (PHOTO_W + 12)
            w.c.drawImage(ImageReader(jpeg), x, w.y - shown_h, shown_w, shown_h)
            caption = f"{photo.label}: {photo.title}"
            w.c.setFont(font_for(caption), 7)
            w.c.setFillColor(GREY)
            w.c.drawString(x, w.y - PHOTO_H - 9, caption[:70])
        w.y -= PHOTO_H + 16
