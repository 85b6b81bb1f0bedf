"""Everything a bundle is built from, as plain frozen dataclasses: the PDF code never touches the ORM."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from portal.platform_rules import right_kind_label


@dataclass(frozen=True)
class FileInput:
    """An evidence or ownership file; ``open`` returns a fresh binary stream of its stored bytes.

    Evidence exhibits keep their number in the matter ("Exhibit 7"); ownership documents are numbered within
    the bundle by section ("A1", "B3"), given as ``reference``.
    """

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
    reference: str = ""
    rendition_sha256: str = ""  # the searchable copy (OCR) shown in place of a scan; ``sha256`` stays the original's
    open_original: Callable[[], BinaryIO] | None = None  # the uploaded picture itself, for photos in a report
    check_overruled: str = ""  # a cross-check of its text staff overruled: what it found, who, when, why

    @property
    def label(self) -> str:
        return self.reference or f"Exhibit {self.number}"


@dataclass(frozen=True)
class RightInput:
    kind: str  # "trademark", "copyright", ...
    kind_label: str
    jurisdiction: str
    title: str
    owner_name: str
    identifiers: tuple[tuple[str, str], ...] = ()  # (label, value), e.g. ("Registration number", "VA 2-123-456")
    registration_number: str = ""  # as displayed; empty for an unregistered right (a UK copyright)

    @property
    def kind_name(self) -> str:
        """The kind as the letter names it: a registered design is a "design patent" only in the US."""
        return right_kind_label(self.kind, self.jurisdiction, self.kind_label)

    documents: tuple[FileInput, ...] = ()  # its proof of ownership, in the order the readiness rules list it


@dataclass(frozen=True)
class ListingInput:
    url: str
    title: str
    seller_name: str
    seller_id: str
    item_id: str
    price: str = ""  # "18.50 USD", as recorded
    appears_in: tuple[str, ...] = ()  # where the infringement appears: "Product", "Packaging", "Image", "Listing text"


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
    photos: tuple[FileInput, ...] = ()  # photos of the item as received, embedded on the report itself
    signed_copy: str = ""  # the exhibit holding the report signed or sealed by the rights holder, if recorded


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
    files: tuple[FileInput, ...]  # evidence exhibits: sections C and D
    authority: tuple[FileInput, ...] = ()  # the rights holder's own documents: section A
    rights_holder_facts: tuple[tuple[str, str], ...] = ()  # (label, value) for the identity page in section A
    signatory: str = ""  # the firm's person who signs the complaint letter, "Name, role"
    overrule: str = ""  # compiled although not ready: what was missing, who overruled and why; empty when ready

    @property
    def all_files(self) -> tuple[FileInput, ...]:
        """Every file in the bundle, in bundle order: authority, each right's proof, then the evidence."""
        return (*self.authority, *(d for right in self.rights for d in right.documents), *self.files)
