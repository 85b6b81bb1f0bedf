"""What any product page says in machine-readable form: schema.org Product data in JSON-LD, and OpenGraph /
product meta tags. The platform modules start from these and add what their own pages show.

Sources: schema.org's Product and Offer types (https://schema.org/Product, https://schema.org/Offer); the Open
Graph protocol (https://ogp.me/) and its product price tags (product:price:amount / product:price:currency).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from urllib.parse import urljoin

from lxml import html as lxml_html


@dataclass(frozen=True)
class PageFacts:
    """What a captured page says about its listing; empty where the page does not say."""

    title: str = ""
    price: str = ""  # as a decimal string, e.g. "24.90"
    currency: str = ""
    seller_name: str = ""
    store_id: str = ""
    store_url: str = ""

    def merged(self, more: PageFacts) -> PageFacts:
        """These facts, with the blanks filled from ``more``."""
        return replace(self, **{f.name: getattr(self, f.name) or getattr(more, f.name) for f in fields(self)})

    def as_dict(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


def parse(page_html: str):
    return lxml_html.fromstring(page_html or "<html></html>")


def text_of(doc, xpath: str) -> str:
    found = doc.xpath(xpath)
    if not found:
        return ""
    first = found[0]
    value = first if isinstance(first, str) else first.text_content()
    return " ".join(str(value).split())


def decimal_text(value: object) -> str:
    cleaned = re.sub(r"[^\d.,]", "", str(value or ""))
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    cleaned = cleaned.replace(",", "")
    try:
        return str(Decimal(cleaned).quantize(Decimal("0.01"))) if cleaned else ""
    except InvalidOperation:
        return ""


def structured_facts(doc, url: str) -> PageFacts:
    """Facts from JSON-LD Product data, then OpenGraph and product meta tags."""
    facts = PageFacts()
    for block in doc.xpath('//script[@type="application/ld+json"]/text()'):
        for item in _json_ld_items(block):
            if "Product" in _types(item):
                facts = facts.merged(_product(item, url))
    meta = PageFacts(
        title=text_of(doc, '//meta[@property="og:title"]/@content'),
        price=decimal_text(text_of(doc, '//meta[@property="product:price:amount"]/@content')),
        currency=text_of(doc, '//meta[@property="product:price:currency"]/@content').upper()[:3],
    )
    return facts.merged(meta)


def _json_ld_items(block: str) -> list[dict]:
    try:
        data = json.loads(block)
    except ValueError:
        return []
    items = data if isinstance(data, list) else [data]
    graph = [part for item in items if isinstance(item, dict) for part in item.get("@graph", [])]
    return [item for item in items + graph if isinstance(item, dict)]


def _types(item: dict) -> list[str]:
    kind = item.get("@type", [])
    return kind if isinstance(kind, list) else [kind]


def _product(item: dict, url: str) -> PageFacts:
    offers = item.get("offers") or {}
    offer = offers[0] if isinstance(offers, list) and offers else offers
    offer = offer if isinstance(offer, dict) else {}
    seller = offer.get("seller") or {}
    seller = seller if isinstance(seller, dict) else {"name": str(seller)}
    return PageFacts(
        title=str(item.get("name", "")).strip(),
        price=decimal_text(offer.get("price") or offer.get("lowPrice")),
        currency=str(offer.get("priceCurrency", "")).upper()[:3],
        seller_name=str(seller.get("name", "")).strip(),
        store_url=urljoin(url, str(seller.get("url", ""))) if seller.get("url") else "",
    )
