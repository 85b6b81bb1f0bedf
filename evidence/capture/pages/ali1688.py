"""1688.com offer pages.

Suppliers' shops are on <name>.1688.com (the form 1688 uses for shop hosts). The delisted wording below
(商品已下架, "the goods have been taken off the shelf") is the common Chinese marketplace phrase; it has not been
checked against a live 1688 page by this project.
"""

import re

from evidence.capture.pages._store_link import store_from_links
from evidence.capture.pages.common import PageFacts, structured_facts, text_of

STORE_LINK = re.compile(r"//(?P<id>(?!detail\.|s\.|www\.)[a-z0-9-]+)\.1688\.com")
REMOVED_MARKERS = ("商品已下架",)
SEARCH_PATHS = ("/selloffer/offer_search",)


def read(doc, url: str) -> PageFacts:
    title = PageFacts(title=text_of(doc, "//h1"))
    return structured_facts(doc, url).merged(store_from_links(doc, url, STORE_LINK)).merged(title)
