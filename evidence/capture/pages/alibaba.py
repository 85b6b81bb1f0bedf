"""Alibaba.com product pages.

Supplier storefronts live on their own subdomain, https://<store>.en.alibaba.com (the form Alibaba.com uses
for every supplier's minisite). Removal wording for Alibaba.com is not known to this project from a source it
could cite: only the HTTP status and a redirect to search confirm a removal here.
"""

import re

from evidence.capture.pages._store_link import store_from_links
from evidence.capture.pages.common import PageFacts, structured_facts, text_of

STORE_LINK = re.compile(r"//(?P<id>[a-z0-9-]+)\.en\.alibaba\.com")
REMOVED_MARKERS: tuple[str, ...] = ()
SEARCH_PATHS = ("/trade/search", "/search")


def read(doc, url: str) -> PageFacts:
    title = PageFacts(title=text_of(doc, "//h1"))
    return structured_facts(doc, url).merged(store_from_links(doc, url, STORE_LINK)).merged(title)
