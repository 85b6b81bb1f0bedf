"""One row of a listing file, checked and normalised on its own (no database): a ``Row``, or ``Refused`` with why."""

from __future__ import annotations

import datetime
import ipaddress
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from urllib.parse import urlsplit

from django.utils import timezone

from evidence.capture.safety import refusal_for_address
from evidence.intake.columns import IDENTIFIER_COLUMNS
from evidence.intake.reading import MAX_CELL_CHARACTERS
from evidence.models.listing import Listing
from evidence.sellers.identifiers import InvalidIdentifier, identifier_key
from evidence.sellers.names import normalise_name
from evidence.sellers.urls import InvalidAddress, listing_address, normalise_url
from ownership.shared.choices import Platform
from ownership.shared.platform_hosts import asin_in, ebay_item_in, is_asin, platform_of_host

MAX_URL_LENGTH = 1000
MAX_TITLE_LENGTH = 500
MAX_NAME_LENGTH = 300

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_PLATFORM_NAMES = {
    **{code: code for code in Platform.values},
    "alibaba.com": Platform.ALIBABA, "aliexpress": Platform.ALIEXPRESS, "taobao": Platform.TAOBAO,
    "tmall": Platform.TAOBAO, "1688.com": Platform.ALI1688, "amazon": Platform.AMAZON, "ebay": Platform.EBAY,
}  # fmt: skip


class Refused(Exception):
    """The row is not imported; the message says why, in words for the user."""


@dataclass(frozen=True)
class Row:
    number: int
    url: str
    url_key: str
    platform: str
    item_id: str
    title: str
    price: Decimal | None
    currency: str
    seller_name: str
    seller_id: str
    store_url: str
    first_seen: datetime.datetime | None
    notes: str
    appears_in: tuple[str, ...] = ()  # where the infringement appears (Listing.Appearance values)
    identifiers: tuple[tuple[str, str], ...] = ()  # (kind, value as written) of who is behind the store
    identifier_problems: tuple[str, ...] = ()  # values skipped, with why; the listing itself is accepted

    @property
    def has_seller(self) -> bool:
        return bool(self.seller_name or self.seller_id or self.store_url)

    @cached_property
    def seller_name_key(self) -> str:
        return normalise_name(self.seller_name)

    @cached_property
    def store_url_key(self) -> str:
        return normalise_url(self.store_url) if self.store_url else ""


def check_row(number: int, values: dict[str, str], *, targeted: list[str]) -> Row:
    """The row as a listing of one of the ``targeted`` platforms; raises Refused."""
    for column, value in values.items():
        if len(value) > MAX_CELL_CHARACTERS:
            raise Refused(f"The {column} cell is over {MAX_CELL_CHARACTERS:,} characters.")
    url, host_platform = clean_listing_url(values.get("url", ""))
    parts = urlsplit(url)
    platform = _platform(values.get("platform", ""), host_platform, parts.hostname or "")
    if platform not in targeted:
        names = ", ".join(Platform(code).label for code in targeted)
        raise Refused(f"{Platform(platform).label} is not a platform this matter targets ({names}).")
    price, currency = _price(values.get("price", ""), values.get("currency", ""))
    identifiers, problems = _identifiers(values)
    return Row(
        number=number,
        url=url,
        url_key=normalise_url(url),
        platform=platform,
        item_id=_item_id(platform, parts.path, values.get("item_id", "")),
        title=_shortened(values.get("title", ""), MAX_TITLE_LENGTH),
        price=price,
        currency=currency,
        seller_name=_shortened(values.get("seller_name", ""), MAX_NAME_LENGTH),
        seller_id=values.get("seller_id", "")[:200],
        store_url=_store_url(values.get("store_url", "")),
        first_seen=_first_seen(values.get("first_seen", "")),
        notes=values.get("notes", ""),
        appears_in=_appears_in(values.get("appears_in", "")),
        identifiers=identifiers,
        identifier_problems=problems,
    )


def _appears_in(cell: str) -> tuple[str, ...]:
    """The places a cell names (``product; listing image``), by value or label of ``Listing.Appearance``."""
    known = {name.casefold(): value for value, label in Listing.Appearance.choices for name in (value, label)}
    places = []
    for part in re.split(r"[,;/|]", cell):
        name = " ".join(part.split()).casefold()
        if not name:
            continue
        if name not in known:
            raise Refused(f"The appears-in cell says “{part.strip()[:80]}”: name product, packaging, listing image "
                          "or listing text.")  # fmt: skip
        places.append(known[name])
    return tuple(dict.fromkeys(places))


def _identifiers(values: dict[str, str]) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The identifier cells that hold a value of their kind, and why the others are skipped."""
    found, problems = [], []
    for column, kind in IDENTIFIER_COLUMNS.items():
        value = values.get(column, "").strip()
        if not value:
            continue
        try:
            identifier_key(kind, value)
        except InvalidIdentifier as exc:
            problems.append(f"{kind.label} “{value[:80]}” skipped: {exc}")
        else:
            found.append((str(kind), value))
    return tuple(found), tuple(problems)


def clean_listing_url(raw: str) -> tuple[str, str | None]:
    """The address as the portal keeps it (``evidence.sellers.urls.listing_address``) and the platform its host
    belongs to (None when it is no platform's). Raises Refused for what is not a public web page."""
    raw = raw.strip()
    if not raw:
        raise Refused("The URL cell is empty.")
    if len(raw) > MAX_URL_LENGTH:
        raise Refused(f"The URL is over {MAX_URL_LENGTH} characters.")
    try:
        address = listing_address(raw)
    except InvalidAddress as exc:
        raise Refused(str(exc)) from None
    host = urlsplit(address).hostname or ""
    if _is_private(host):
        raise Refused("The URL points to a private, local or reserved address.")
    return address, platform_of_host(host)


def _is_private(host: str) -> bool:
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal", ".lan")):
        return True
    if ":" not in host and not host.replace(".", "").isdigit():
        return False  # a name, not an address: the platform check decides
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return refusal_for_address(host) is not None  # the capture's one rule for which addresses are not public


def _platform(given: str, from_host: str | None, host: str) -> str:
    named = _PLATFORM_NAMES.get(given.strip().casefold()) if given.strip() else None
    if given.strip() and named is None:
        raise Refused(f"“{given.strip()}” is not a platform the portal files with.")
    if from_host is None:
        target = f" a site of {Platform(named).label}" if named else " a site of any platform the portal files with"
        raise Refused(f"Unknown platform: {host} is not{target}.")
    if named and named != from_host:
        raise Refused(f"The URL is on {Platform(from_host).label} but the row says {Platform(named).label}.")
    return from_host


def _item_id(platform: str, path: str, given: str) -> str:
    given = given.strip()
    found = ""
    if platform == Platform.AMAZON:
        found = asin_in(path)
        given = given.upper()
        if given and not is_asin(given):
            raise Refused(f"“{given}” is not an ASIN (10 letters and digits).")
    elif platform == Platform.EBAY:
        found = ebay_item_in(path)
    if found and given and found != given:
        raise Refused(f"The item id {given} differs from the one in the URL ({found}).")
    return found or given[:100]


def _price(price: str, currency: str) -> tuple[Decimal | None, str]:
    currency = currency.strip().upper()
    text = price.strip()
    code = re.search(r"\b([A-Z]{3})\b", text)  # a code written in capitals beside the amount: "USD 24.90"
    if code and not currency:
        currency = code.group(1)
    if currency and not _CURRENCY.match(currency):
        raise Refused(f"“{currency}” is not a currency code (three letters, such as USD or GBP).")
    digits = re.sub(r"[^\d.,\-]", "", text)
    if not digits:
        if text:
            raise Refused(f"The price “{text}” is not a number.")
        return None, currency
    if "," in digits and "." in digits:  # the later mark is the decimal point
        digits = digits.replace(",", "") if digits.rfind(".") > digits.rfind(",") else digits.replace(".", "")
    if "," in digits:
        whole, _, fraction = digits.rpartition(",")
        digits = f"{whole.replace(',', '')}.{fraction}" if len(fraction) != 3 else digits.replace(",", "")
    try:
        value = Decimal(digits.replace(",", "."))
    except InvalidOperation:
        raise Refused(f"The price “{price.strip()}” is not a number.") from None
    if value < 0 or value >= Decimal("1e10"):
        raise Refused(f"The price “{price.strip()}” is out of range.")
    return value.quantize(Decimal("0.01")), currency


def _store_url(value: str) -> str:
    if not value.strip():
        return ""
    try:
        url, _ = clean_listing_url(value)
    except Refused as refusal:
        raise Refused(f"Store URL: {refusal}") from None
    return url


def _first_seen(value: str) -> datetime.datetime | None:
    text = value.strip().replace("/", "-")
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise Refused(
            f"The first-seen date “{value.strip()}” is not a date like 2026-04-03 (year first, so that the day "
            "and the month cannot be confused)."
        ) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _shortened(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
