"""Recognising sellers and listings across names, scripts and URL variants.

A seller is the same seller on one platform when its platform id, its normalised store URL, or the
distinctive part of its name matches. Generic words ("Store", "Official", "旗舰店", "Co., Ltd.") are
removed before names are compared, so two shops that merely share such a word are never linked.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from ownership.shared.platform_hosts import asin_in, ebay_item_in

GENERIC_NAME_WORDS = {
    "store", "shop", "official", "flagship", "outlet", "factory", "direct", "global", "online", "mall",
    "co", "company", "ltd", "limited", "inc", "llc", "trading", "the", "and", "international", "intl",
}  # fmt: skip
GENERIC_CJK_TERMS = [
    "有限责任公司", "股份有限公司", "有限公司", "旗舰店", "专卖店", "专营店", "官方", "工厂店", "直营店",
    "贸易", "公司", "店铺", "商行", "网店", "小店", "店",
]  # fmt: skip

# Query parameters that identify the item on the platform; every other parameter is tracking noise.
IDENTIFYING_QUERY_PARAMETERS = {"id", "itemid", "item_id", "offerid"}


def normalise_name(name: str) -> str:
    """The distinctive core of a store or company name: case, width, punctuation and generic words removed."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    for term in GENERIC_CJK_TERMS:
        text = text.replace(term, " ")
    words = re.findall(r"[\w]+", text)
    return "".join(word for word in words if word not in GENERIC_NAME_WORDS)


def normalise_url(url: str) -> str:
    """One spelling per page: https, lower-case host without www/m, no tracking parameters or fragment."""
    parts = urlsplit((url or "").strip())
    if not parts.scheme:
        parts = urlsplit("https://" + (url or "").strip())
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile."):
        host = host.removeprefix(prefix)
    path = re.sub(r"/+", "/", parts.path).rstrip("/") or ""
    asin, ebay_item = asin_in(parts.path), ebay_item_in(parts.path)
    if "amazon." in host and asin:
        path = f"/dp/{asin}"
    if "ebay." in host and ebay_item:
        path = f"/itm/{ebay_item}"
    query = parse_qs(parts.query)
    kept = {k: v[0] for k, v in sorted(query.items()) if k.lower() in IDENTIFYING_QUERY_PARAMETERS}
    return urlunsplit(("https", host, path, urlencode(kept), ""))
