"""Recognising a seller across names and scripts.

A seller is the same seller on one platform when its platform id, its normalised store URL (``urls``), or the
distinctive part of its name matches. Generic words ("Store", "Official", "旗舰店", "Co., Ltd.") are
removed before names are compared, so two shops that merely share such a word are never linked.
"""

from __future__ import annotations

import re
import unicodedata

GENERIC_NAME_WORDS = {
    "store", "shop", "official", "flagship", "outlet", "factory", "direct", "global", "online", "mall",
    "co", "company", "ltd", "limited", "inc", "llc", "trading", "the", "and", "international", "intl",
}  # fmt: skip
GENERIC_CJK_TERMS = [
    "有限责任公司", "股份有限公司", "有限公司", "旗舰店", "专卖店", "专营店", "官方", "工厂店", "直营店",
    "贸易", "公司", "店铺", "商行", "网店", "小店", "店",
]  # fmt: skip


def normalise_name(name: str) -> str:
    """The distinctive core of a store or company name: case, width, punctuation and generic words removed."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    for term in GENERIC_CJK_TERMS:
        text = text.replace(term, " ")
    words = re.findall(r"[\w]+", text)
    return "".join(word for word in words if word not in GENERIC_NAME_WORDS)
