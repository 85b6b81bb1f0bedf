"""Taobao and Tmall item pages.

Shops are on their own hosts: shop<number>.taobao.com, or <name>.tmall.com for Tmall stores. The delisted
wording below (此宝贝已下架, "this item has been taken off the shelf") is how Taobao's pages are commonly
reported to mark a delisted item; it has not been checked against a live page by this project.
"""

import re

from evidence.capture.pages._store_link import store_from_links
from evidence.capture.pages.common import PageFacts, structured_facts, text_of

STORE_LINK = re.compile(r"//(?P<id>shop\d+\.taobao\.com|[a-z0-9-]+\.tmall\.(?:com|hk))")
REMOVED_MARKERS = ("此宝贝已下架", "宝贝不存在")
SEARCH_PATHS = ("/search",)


def read(doc, url: str) -> PageFacts:
    title = PageFacts(title=text_of(doc, "//h1"))
    return structured_facts(doc, url).merged(store_from_links(doc, url, STORE_LINK)).merged(title)
