"""What a captured page says (title, price, seller) and whether it says the listing is gone, one module per
platform. The rules are data in those modules, each with where it comes from."""

from __future__ import annotations

from types import ModuleType
from urllib.parse import urlsplit

from evidence.capture.pages import ali1688, alibaba, aliexpress, amazon, ebay, taobao
from evidence.capture.pages.common import PageFacts, parse, text_of
from ownership.shared.choices import Platform

READERS: dict[str, ModuleType] = {
    Platform.ALIBABA: alibaba,
    Platform.ALIEXPRESS: aliexpress,
    Platform.TAOBAO: taobao,
    Platform.ALI1688: ali1688,
    Platform.AMAZON: amazon,
    Platform.EBAY: ebay,
}
# HTTP statuses that say the page is gone (RFC 9110: 404 Not Found, 410 Gone).
GONE_STATUSES = {404: "the page answers 404 Not Found", 410: "the page answers 410 Gone"}

__all__ = ["PageFacts", "read_page", "removal_reason"]


def read_page(platform: str, page_html: str, url: str) -> PageFacts:
    reader = READERS.get(platform)
    if reader is None or not page_html:
        return PageFacts()
    doc = parse(page_html)
    return reader.read(doc, url).merged(PageFacts(title=text_of(doc, "//title")))  # the window title, last


def removal_reason(platform: str, *, status: int | None, page_html: str, final_url: str, requested_url: str) -> str:
    """Why the capture shows the listing gone, or "" when it shows it online."""
    if status in GONE_STATUSES:
        return GONE_STATUSES[status]
    reader = READERS.get(platform)
    if reader is None:
        return ""
    final, requested = urlsplit(final_url), urlsplit(requested_url)
    moved = bool(final_url) and (final.netloc, final.path) != (requested.netloc, requested.path)
    if moved and any(final.path.startswith(path) for path in reader.SEARCH_PATHS):
        return f"the listing now redirects to a search page ({final_url})"
    text = " ".join(parse(page_html).text_content().split()).lower() if page_html else ""
    for marker in reader.REMOVED_MARKERS:
        if marker.lower() in text:
            return f"the page says “{marker}”"
    return ""
