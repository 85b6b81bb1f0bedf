"""eBay item pages.

Sellers are linked as /usr/<user id> and stores as /str/<store name>, the URL forms eBay uses for member
profiles and stores. The ended-listing wording below is eBay's as commonly reported ("This listing was ended
by the seller…", "This listing has ended"); it has not been checked against a live eBay page by this project.
"""

import re

from evidence.capture.pages._store_link import store_from_links
from evidence.capture.pages.common import PageFacts, structured_facts, text_of

STORE_LINK = re.compile(r"ebay\.[a-z.]+/(?:usr|str)/(?P<id>[^/?#]+)")
REMOVED_MARKERS = ("this listing was ended", "this listing has ended")
SEARCH_PATHS = ("/sch/",)


def read(doc, url: str) -> PageFacts:
    title = PageFacts(title=text_of(doc, '//h1[contains(@class, "x-item-title")]') or text_of(doc, "//h1"))
    return title.merged(store_from_links(doc, url, STORE_LINK)).merged(structured_facts(doc, url))
