"""Amazon product pages.

The title is in the element with id ``productTitle`` and the seller's link carries ``seller=<id>`` (the
seller-profile link, /sp?seller=…), as Amazon's detail pages show. A removed ASIN answers 404 with Amazon's
"page not found" page, so the status alone confirms it; no wording marker is kept, because Amazon's
"Currently unavailable" means out of stock, not removed. Not checked against a live page by this project.
"""

import re

from evidence.capture.pages._store_link import store_from_links
from evidence.capture.pages.common import PageFacts, decimal_text, structured_facts, text_of

STORE_LINK = re.compile(r"amazon\.[a-z.]+/(?:sp|gp/aag/main)\?(?:.*&)?seller=(?P<id>[A-Z0-9]+)")
REMOVED_MARKERS: tuple[str, ...] = ()
SEARCH_PATHS = ("/s",)


def read(doc, url: str) -> PageFacts:
    own = PageFacts(
        title=text_of(doc, '//*[@id="productTitle"]'),
        price=decimal_text(text_of(doc, '//*[contains(@class, "a-price")]//*[contains(@class, "a-offscreen")]')),
        seller_name=text_of(doc, '//*[@id="sellerProfileTriggerId"]'),
    )
    return own.merged(store_from_links(doc, url, STORE_LINK)).merged(structured_facts(doc, url))
