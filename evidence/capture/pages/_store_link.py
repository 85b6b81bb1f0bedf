"""The store a product page links to, found by the shape of the platform's store URLs."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from evidence.capture.pages.common import PageFacts


def store_from_links(doc, url: str, pattern: re.Pattern[str]) -> PageFacts:
    """The first link whose absolute URL matches ``pattern``: its text, URL and the pattern's ``id`` group."""
    for link in doc.xpath("//a[@href]"):
        absolute = urljoin(url, link.get("href"))
        found = pattern.search(absolute)
        if found:
            name = " ".join(link.text_content().split())
            return PageFacts(seller_name=name, store_url=absolute.split("?")[0], store_id=found.group("id"))
    return PageFacts()
