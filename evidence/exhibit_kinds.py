"""What an uploaded file probably shows, guessed from its name and type, for the uploader to confirm.

The guess is only a suggestion: the upload page sets it in the file's own "kind of evidence" list, marked as a
guess, and a file with no guess waits until its kind is chosen. Nothing is stored under a kind nobody saw.
The words are the portal's own choice (English and the Chinese a seller's or a courier's file is often named
in), checked in this order: the first that appears in the lower-cased file name decides.
"""

from __future__ import annotations

from evidence.models import Exhibit

Kind = Exhibit.Kind

NAME_HINTS: tuple[tuple[tuple[str, ...], str], ...] = (
    ((".wacz", ".warc"), Kind.WEB_ARCHIVE),
    (("compar", "比对", "对比"), Kind.COMPARISON),
    (("receipt", "payment", "付款", "支付"), Kind.PAYMENT_RECEIPT),
    (("order", "invoice", "订单", "发票"), Kind.ORDER_CONFIRMATION),
    (("parcel", "label", "package", "shipping", "waybill", "包裹", "快递", "面单"), Kind.PARCEL_PHOTO),
    (("screenshot", "screen shot", "listing", "capture", "截图", "截屏"), Kind.LISTING_CAPTURE),
    (("product", "unbox", "photo", "商品", "产品", "实物"), Kind.PRODUCT_PHOTO),
)
# Then the type the browser reports: a video is a video; a picture is most often a photo of what arrived.
TYPE_HINTS: tuple[tuple[str, str], ...] = (("video/", Kind.VIDEO), ("image/", Kind.PRODUCT_PHOTO))


def kind_hints() -> dict[str, list]:
    """The hints as the upload page's script reads them (a data attribute of the upload form)."""
    return {
        "names": [[list(words), str(kind)] for words, kind in NAME_HINTS],
        "types": [[prefix, str(kind)] for prefix, kind in TYPE_HINTS],
    }
