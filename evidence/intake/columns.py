"""The columns a listing file may have, and the headers monitoring exports use for them."""

from __future__ import annotations

import re

from evidence.sellers.identifiers import IdentifierKind

# Columns naming who is behind the store: each value is recorded as a seller identifier, with the listing file
# (kept with its SHA-256) as its evidence.
IDENTIFIER_COLUMNS = {
    "seller_phone": IdentifierKind.PHONE, "seller_email": IdentifierKind.EMAIL,
    "seller_wechat": IdentifierKind.WECHAT, "seller_whatsapp": IdentifierKind.WHATSAPP,
    "seller_qq": IdentifierKind.QQ, "seller_telegram": IdentifierKind.TELEGRAM,
    "seller_company": IdentifierKind.COMPANY, "seller_uscc": IdentifierKind.USCC,
    "seller_address": IdentifierKind.BUSINESS_ADDRESS, "return_address": IdentifierKind.RETURN_ADDRESS,
    "payment_beneficiary": IdentifierKind.PAYMENT, "seller_domain": IdentifierKind.DOMAIN,
}  # fmt: skip

COLUMNS = (
    "url", "platform", "title", "price", "currency", "seller_name", "seller_id", "store_url", "item_id",
    "first_seen", "notes", "appears_in", *IDENTIFIER_COLUMNS,
)  # fmt: skip

# Headers seen in monitoring exports and spreadsheets, matched case-insensitively with spaces, dashes and
# underscores ignored. The list in the intake issue (Listing URL, Product URL, Link, Seller, Store, Price),
# plus the column names themselves.
ALIASES = {
    "url": ("url", "listing url", "product url", "link", "listing link", "product link", "listing"),
    "platform": ("platform", "marketplace", "site"),
    "title": ("title", "listing title", "product title", "product name"),
    "price": ("price",),
    "currency": ("currency",),
    "seller_name": ("seller_name", "seller", "seller name", "store name", "shop name"),
    "seller_id": ("seller_id", "seller id", "store id", "shop id"),
    "store_url": ("store_url", "store", "store url", "store link", "shop url", "seller url"),
    "item_id": ("item_id", "item id", "asin", "item number", "item no", "offer id"),
    "first_seen": ("first_seen", "first seen", "date found", "detected", "found on"),
    "notes": ("notes", "note", "comments", "comment"),
    # Where the infringement appears, as Amazon's Report Infringement form asks for every ASIN.
    "appears_in": ("appears_in", "appears in", "infringement appears in", "where the infringement appears"),
    # Our own names for the identifier columns, with the usual English and Chinese headers for them.
    "seller_phone": ("seller_phone", "seller phone", "phone", "telephone", "tel", "contact phone", "mobile", "电话",
                     "联系电话", "手机"),
    "seller_email": ("seller_email", "seller email", "email", "e-mail", "contact email", "邮箱", "电子邮箱"),
    "seller_wechat": ("seller_wechat", "wechat", "wechat id", "微信", "微信号"),
    "seller_whatsapp": ("seller_whatsapp", "whatsapp"),
    "seller_qq": ("seller_qq", "qq"),
    "seller_telegram": ("seller_telegram", "telegram"),
    "seller_company": ("seller_company", "company", "company name", "business name", "公司", "公司名称", "企业名称"),
    "seller_uscc": ("seller_uscc", "uscc", "unified social credit code", "统一社会信用代码"),
    "seller_address": ("seller_address", "business address", "company address", "经营地址", "地址"),
    "return_address": ("return_address", "return address", "warehouse address", "退货地址"),
    "payment_beneficiary": ("payment_beneficiary", "payment beneficiary", "beneficiary", "收款人", "收款账户"),
    "seller_domain": ("seller_domain", "domain", "website", "web domain"),
}  # fmt: skip


def _squash(header: str) -> str:
    return re.sub(r"[\s_\-]+", "", header.strip().lower())


_BY_HEADER = {_squash(alias): column for column, aliases in ALIASES.items() for alias in aliases}


def map_headers(headers: list[str]) -> tuple[dict[int, str], list[str]]:
    """Which position holds which column, and the headers that name none (reported, then ignored).

    A column named twice keeps its first position; the second is reported as unknown.
    """
    positions: dict[int, str] = {}
    unknown: list[str] = []
    for position, header in enumerate(headers):
        column = _BY_HEADER.get(_squash(str(header or "")))
        if column and column not in positions.values():
            positions[position] = column
        elif str(header or "").strip():
            unknown.append(str(header).strip())
    return positions, unknown
