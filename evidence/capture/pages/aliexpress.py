"""AliExpress product pages.

Store links have the shape https://www.aliexpress.com/store/<number> (the form AliExpress shows in its own
store URLs). The removal wording below was taken from public descriptions of AliExpress's pages (a removed
item answers "404 NOT FOUND", e.g. aliexpressers.ru's guide to unavailable items) and has not been checked
against a live AliExpress page: review it after the first real captures.
"""

import re

from evidence.capture.pages._store_link import store_from_links
from evidence.capture.pages.common import PageFacts, structured_facts, text_of

STORE_LINK = re.compile(r"aliexpress\.[a-z.]+/store/(?P<id>\d+)")
REMOVED_MARKERS = ("this item is no longer available", "404 not found")
SEARCH_PATHS = ("/w/wholesale", "/wholesale")


def read(doc, url: str) -> PageFacts:
    title = PageFacts(title=text_of(doc, "//h1"))
    return structured_facts(doc, url).merged(store_from_links(doc, url, STORE_LINK)).merged(title)
