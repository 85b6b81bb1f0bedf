"""Which platform a web address belongs to, by its host (the platforms' own domains, as data), and the item
identifiers the platforms put in their addresses (an Amazon ASIN, an eBay item number).

A host belongs to a platform when it is one of the domains below or a subdomain of one (``www.``, ``m.``,
``detail.``, a store's own subdomain). Short-link hosts are the platforms' own too; a link through any other
host (a URL shortener, a search engine) is not recognised, rather than guessed.
"""

from __future__ import annotations

import functools
import re

from ownership.shared.choices import Platform

PLATFORM_DOMAINS: dict[str, tuple[str, ...]] = {
    # alibaba.com: the B2B marketplace; store pages are subdomains (<store>.en.alibaba.com).
    Platform.ALIBABA: ("alibaba.com",),
    # aliexpress.com and its country domains (.us, .ru), and the a.aliexpress.com short links the apps share.
    Platform.ALIEXPRESS: ("aliexpress.com", "aliexpress.us", "aliexpress.ru"),
    # Taobao and Tmall share IPP's Taobao complaint form; tb.cn is Taobao's own short-link domain (m.tb.cn).
    Platform.TAOBAO: ("taobao.com", "tmall.com", "tmall.hk", "tb.cn"),
    Platform.ALI1688: ("1688.com",),
    # Amazon's country stores. The older ones appear on Amazon's Global Selling pages (services.amazon.com/
    # global-selling); the newer ones (.se, .pl, .com.be, .ie, .sa, .eg) are the domains Amazon's own stores use.
    # Not checked against one current Amazon list in the session that wrote it: a missing domain only makes a
    # row refused as "unknown platform", never a wrong platform. amzn.to, amzn.eu and a.co are Amazon's short links.
    Platform.AMAZON: (
        "amazon.com",
        "amazon.ca",
        "amazon.com.mx",
        "amazon.com.br",
        "amazon.co.uk",
        "amazon.de",
        "amazon.fr",
        "amazon.it",
        "amazon.es",
        "amazon.nl",
        "amazon.se",
        "amazon.pl",
        "amazon.com.be",
        "amazon.com.tr",
        "amazon.ie",
        "amazon.ae",
        "amazon.sa",
        "amazon.eg",
        "amazon.in",
        "amazon.co.jp",
        "amazon.com.au",
        "amazon.sg",
        "amzn.to",
        "amzn.eu",
        "a.co",
    ),  # fmt: skip
    # eBay's country sites (the list linked from the foot of ebay.com) and ebay.us, its short links. Not checked
    # against the current list in the session that wrote it; a missing site only makes a row refused.
    Platform.EBAY: (
        "ebay.com",
        "ebay.co.uk",
        "ebay.de",
        "ebay.fr",
        "ebay.it",
        "ebay.es",
        "ebay.at",
        "ebay.ch",
        "ebay.ie",
        "ebay.nl",
        "ebay.be",
        "ebay.pl",
        "ebay.ca",
        "ebay.com.au",
        "ebay.com.hk",
        "ebay.com.sg",
        "ebay.com.my",
        "ebay.ph",
        "ebay.us",
    ),  # fmt: skip
}

# Mobile hosts whose pages have the same paths on the desktop host: the desktop address is kept.
# Others (m.tb.cn short links, m.1688.com, whose paths differ) are kept as given.
MOBILE_TO_DESKTOP = {"m.aliexpress.com": "www.aliexpress.com", "m.aliexpress.us": "www.aliexpress.us"}


@functools.lru_cache(maxsize=4096)  # a file names the same few hosts thousands of times
def platform_of_host(host: str) -> str | None:
    """The platform whose domain ``host`` is, or None."""
    host = host.lower().rstrip(".")
    for platform, domains in PLATFORM_DOMAINS.items():
        if any(host == domain or host.endswith("." + domain) for domain in domains):
            return platform
    return None


# Amazon's product pages: /dp/ASIN, /gp/product/ASIN (and /gp/aw/d/ASIN on the mobile site); an ASIN is ten
# letters and digits. eBay's item pages: /itm/NUMBER or /itm/title-words/NUMBER.
_ASIN = re.compile(r"/(?:dp|gp/product|gp/aw/d)/([A-Z0-9]{10})(?:[/?]|$)", re.IGNORECASE)
_EBAY_ITEM = re.compile(r"/itm/(?:[^/]+/)?(\d{9,15})(?:[/?]|$)")


def is_asin(value: str) -> bool:
    return re.fullmatch(r"[A-Z0-9]{10}", value.upper()) is not None


def asin_in(path: str) -> str:
    """The ASIN an Amazon address's path names, in capitals, or ""."""
    found = _ASIN.search(path)
    return found.group(1).upper() if found else ""


def ebay_item_in(path: str) -> str:
    """The item number an eBay address's path names, or ""."""
    found = _EBAY_ITEM.search(path)
    return found.group(1) if found else ""
