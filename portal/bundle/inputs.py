"""Everything a bundle is built from, as plain frozen dataclasses: the PDF code never touches the ORM."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO


@dataclass(frozen=True)
class RightInput:
    kind: str  # "trademark", "copyright", ...
    kind_label: str
    jurisdiction: str
    title: str
    owner_name: str
    identifiers: tuple[tuple[str, str], ...] = ()  # (label, value), e.g. ("Registration number", "VA 2-123-456")


@dataclass(frozen=True)
class ListingInput:
    url: str
    title: str
    seller_name: str
    seller_id: str
    item_id: str


@dataclass(frozen=True)
class PurchaseInput:
    order_number: str
    order_date: datetime.date
    amount: str
    currency: str
    purchaser_alias: str
    listing: ListingInput
    result_label: str
    method: str
    reasons: str
    examiner: str
    examined_on: datetime.date | None
    exhibit_numbers: tuple[int, ...]


@dataclass(frozen=True)
class FileInput:
    """An evidence or ownership file; ``open`` returns a fresh binary stream of its stored bytes."""

    number: int
    section: str  # "A" rights holder and authority, "B" ownership, "C" test purchases, "D" comparison
    title: str
    kind_label: str
    original_name: str
    uploaded_by: str
    uploaded_at: datetime.datetime
    size: int
    sha256: str
    content_type: str
    open: Callable[[], BinaryIO]
    purchase_order: str = ""


@dataclass(frozen=True)
class BundleInput:
    firm_name: str
    rights_holder_name: str
    rights_holder_local_name: str
    rights_holder_address: str
    matter_reference: str
    stamp_prefix: str
    platform: str
    platform_label: str
    bundle_id: str
    version: int
    issued_on: datetime.date
    verify_url: str
    rights: tuple[RightInput, ...]
    listings: tuple[ListingInput, ...]
    purchases: tuple[PurchaseInput, ...]
    files: tuple[FileInput, ...]
