"""The repeat-infringer dossier as PDF pages, from plain data: who the stores are, what ties them (with the
evidence), and every listing with its complaints, outcomes and reappearances."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from portal.bundle.pdf.layout import Writer


@dataclass(frozen=True)
class DossierSeller:
    store: str
    platform: str
    store_id: str
    aliases: tuple[str, ...]
    first_seen: str


@dataclass(frozen=True)
class DossierTie:
    kind: str
    strong: bool
    records: tuple[str, ...]  # "value · store · shown by exhibit … (SHA-256 …) · seen …"


@dataclass(frozen=True)
class DossierListing:
    store: str
    url: str
    title: str
    status: str
    first_seen: str
    removed: str
    matters: tuple[str, ...]
    complaints: tuple[str, ...]  # "IPP-123 filed 2026-03-05: removed"


@dataclass(frozen=True)
class DossierInput:
    firm: str
    subject: str
    generated_at: str
    sellers: tuple[DossierSeller, ...]
    ties: tuple[DossierTie, ...]
    listings: tuple[DossierListing, ...]


def build_dossier(data: DossierInput, path: Path) -> int:
    """Write the dossier to ``path``; returns its page count. The first page leaves room for the signature."""
    w = Writer(path, f"Repeat-infringer dossier: {data.subject}", heading=f"{data.firm} · Repeat-infringer dossier")
    w.title("Repeat-infringer dossier")
    w.text(data.subject, size=12, bold=True)
    w.field("Prepared by", data.firm)
    w.field("Generated", data.generated_at)
    removed = sum(1 for listing in data.listings if listing.removed)
    w.field("In brief", f"{len(data.sellers)} stores, {len(data.ties)} shared identifiers, {len(data.listings)} "
                        f"listings ({removed} removed after complaints)")  # fmt: skip
    w.page_break()
    w.title("Stores", size=13)
    for seller in data.sellers:
        w.text(f"{seller.store} ({seller.platform})", bold=True)
        w.text(f"Store id {seller.store_id or '—'}; first seen {seller.first_seen}", size=9, indent=10)
        if seller.aliases:
            w.text("Also seen as: " + ", ".join(seller.aliases), size=9, indent=10)
        w.space(4)
    w.title("What ties them", size=13)
    if not data.ties:
        w.text("No identifier is shared with another store.")
    for tie in data.ties:
        w.text(tie.kind + ("" if tie.strong else " (suggests a link; confirmed by staff)"), bold=True)
        for record in tie.records:
            w.text(record, size=9, indent=10)
        w.space(4)
    w.title("Listings, complaints and outcomes", size=13)
    for listing in data.listings:
        w.text(f"{listing.title or listing.url}", bold=True)
        w.text(f"{listing.store} · {listing.url}", size=9, indent=10)
        w.text(f"Status: {listing.status}; first seen {listing.first_seen}"
               + (f"; removed {listing.removed}" if listing.removed else "")
               + f"; matters {', '.join(listing.matters) or '—'}", size=9, indent=10)  # fmt: skip
        for complaint in listing.complaints:
            w.text(complaint, size=9, indent=20)
        w.space(4)
    return w.finish()
