"""The one rule for a listing's (or a store's) address, and the key that recognises it.

``listing_address`` is the address as the portal keeps and visits it: scheme and host in lower case, a mobile
host that serves the same pages replaced by the desktop one, click-tracking parameters and the fragment
removed. ``normalise_url`` is the key that every spelling of one page shares. It is computed from
``listing_address``, so whatever the address drops the key drops too; the key then also drops ``www.`` and
mobile prefixes, every parameter that does not identify the item (a colour or a sort order is the same
listing), and writes Amazon's and eBay's item pages one way.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

from ownership.shared.platform_hosts import MOBILE_TO_DESKTOP, asin_in, ebay_item_in

# Query parameters that only say where a click came from. The intake issue names spm, scm, utm_* and
# _randl_shipto (Alibaba group sites, Google Analytics); the others are the click-tracking parameters seen in
# the addresses Amazon (ref, pf_rd_*, pd_rd_*) and eBay (_trksid, _trkparms, mkevt, mkcid) hand out. No
# platform publishes such a list: a parameter not named here is kept in the address.
TRACKING_PARAMETERS = {
    "spm", "scm", "_randl_shipto", "pvid", "algo_pvid", "algo_expid", "gatewayadapt", "aff_fcid", "aff_fsk",
    "aff_platform", "aff_trace_key", "sk", "terminal_id", "ref", "ref_", "psc", "qid", "sr", "crid", "sprefix",
    "_trksid", "_trkparms", "mkevt", "mkcid", "mkrid", "campid", "toolid", "customid",
}  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pf_rd_", "pd_rd_")
# Query parameters that identify the item on the platform (Taobao's and Tmall's ?id=, 1688's offerId); the
# key keeps only these.
IDENTIFYING_QUERY_PARAMETERS = {"id", "itemid", "item_id", "offerid"}


class InvalidAddress(ValueError):
    """Not the address of a web page; the message says why, for the user."""


def listing_address(raw: str) -> str:
    """The address as the portal keeps and visits it. Raises InvalidAddress for what is not a web page."""
    raw = raw.strip()
    scheme_given = re.match(r"^([a-z][a-z0-9+\-]*):", raw, re.IGNORECASE)
    if (scheme_given is None or scheme_given.group(1).lower() == "www") and not raw.startswith("//"):
        raw = "https://" + raw  # "www.amazon.com/dp/…", as spreadsheets often shorten it
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InvalidAddress(f"Only web addresses (http or https) are accepted, not a “{scheme}:” address.")
    try:
        host, port = (parts.hostname or "").rstrip("."), parts.port
    except ValueError:
        raise InvalidAddress("The URL's host or port is not valid.") from None
    if not host:
        raise InvalidAddress("The URL has no host.")
    if parts.username or parts.password:
        raise InvalidAddress("The URL carries a user name or password.")
    host = MOBILE_TO_DESKTOP.get(host, host)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking(k)]
    netloc = host if port is None else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def normalise_url(url: str) -> str:
    """The key every spelling of one page shares: https, the host without www. or a mobile prefix, the item's
    own path, and only the parameters that identify the item."""
    try:
        address = listing_address(url or "")
    except InvalidAddress:
        address = "https://" + (url or "").strip() if "://" not in (url or "") else (url or "").strip()
    parts = urlsplit(address)
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile."):
        host = host.removeprefix(prefix)
    path = re.sub(r"/+", "/", parts.path).rstrip("/") or ""
    asin, ebay_item = asin_in(parts.path), ebay_item_in(parts.path)
    if "amazon." in host and asin:
        path = f"/dp/{asin}"
    if "ebay." in host and ebay_item:
        path = f"/itm/{ebay_item}"
    query = parse_qs(parts.query)
    kept = {k: v[0] for k, v in sorted(query.items()) if k.lower() in IDENTIFYING_QUERY_PARAMETERS}
    return urlunsplit(("https", host, path, urlencode(kept), ""))
