"""The columns a listing file may have, and the headers monitoring exports use for them."""

from __future__ import annotations

import re

COLUMNS = (
    "url", "platform", "title", "price", "currency", "seller_name", "seller_id", "store_url", "item_id",
    "first_seen", "notes",
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
}


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
