"""Phone numbers and e-mail addresses written on a captured page: candidates staff may record as the seller's
identifiers (with the capture as evidence). They are never linked on their own: a page also carries the
platform's own numbers, which would tie every store together."""

from __future__ import annotations

import re

import phonenumbers

from evidence.capture.pages.common import parse
from evidence.sellers.identifiers import DEFAULT_PHONE_REGION, InvalidIdentifier, identifier_key
from ownership.shared.choices import CHINESE_PLATFORMS

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MOST = 20


def contacts_in(page_html: str, platform: str) -> list[dict[str, str]]:
    """Each phone number (valid, by libphonenumber) and e-mail address in the page's visible text, once."""
    if not page_html:
        return []
    doc = parse(page_html)
    for hidden in doc.xpath("//script|//style|//noscript"):
        hidden.drop_tree()
    text = " ".join(doc.text_content().split())
    region = DEFAULT_PHONE_REGION if platform in CHINESE_PLATFORMS else None
    found: dict[tuple[str, str], dict[str, str]] = {}
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
        key = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        found.setdefault(("phone", key), {"kind": "phone", "value": match.raw_string})
    for address in EMAIL.findall(text):
        try:
            key = identifier_key("email", address)
        except InvalidIdentifier:
            continue
        found.setdefault(("email", key), {"kind": "email", "value": address})
    return list(found.values())[:MOST]
