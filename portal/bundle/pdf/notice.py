"""A notice to sellers as PDF pages, from plain data: the wording already filled per language (English alone, or
English and Simplified Chinese side by side), and the facts (stores, rights, listings) that need no translation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ownership.shared.signing import SIGNATURE_BOX
from portal.bundle.pdf.layout import GREY, NAVY, Writer


@dataclass(frozen=True)
class NoticeText:
    """One language's wording, placeholders filled."""

    title: str
    opening: str
    rights_heading: str
    rights: tuple[str, ...]  # one sentence per right
    listings_heading: str
    infringement: str
    demands_heading: str
    demands: tuple[str, ...]
    deadline: str
    reservation: str
    sign_off: str
    date: str


@dataclass(frozen=True)
class NoticeInput:
    firm: str
    letterhead: tuple[str, ...]  # address; telephone and e-mail; regulator and number
    reference: str  # "LUM-2026-002/N3"
    stores: tuple[str, ...]  # "Glowhome Lighting Store (AliExpress, store id 912345)"
    listings: tuple[str, ...]  # "Lamp 2 · https://… · Glowhome Lighting Store"
    texts: tuple[NoticeText, ...]  # one per language, English first


def build_notice(data: NoticeInput, path: Path) -> int:
    """Write the notice to ``path``; returns its page count. Page 1 keeps its foot clear for the signature."""
    w = Writer(path, f"Notice {data.reference}", heading=f"{data.firm} · {data.reference}",
               first_page_floor=SIGNATURE_BOX[3] + 10)  # fmt: skip

    def para(pick, *, size: float = 10, bold: bool = False) -> None:
        if len(data.texts) == 2:
            w.columns(pick(data.texts[0]), pick(data.texts[1]), size=size, bold=bold)
        else:
            w.text(pick(data.texts[0]), size=size, bold=bold)
        w.space(6)

    w.text(data.firm, size=13, bold=True, color=NAVY)
    for line in data.letterhead:
        w.text(line, size=8, color=GREY)
    w.rule()
    w.space(8)
    para(lambda t: t.title, size=15, bold=True)
    para(lambda t: t.date)
    w.field("Reference", data.reference)
    w.field("To the operators of", "\n".join(data.stores))
    para(lambda t: t.opening)
    para(lambda t: t.rights_heading, bold=True)
    for index in range(len(data.texts[0].rights)):
        para(lambda t, i=index: t.rights[i], size=9)
    para(lambda t: t.infringement)
    para(lambda t: t.listings_heading, bold=True)
    for number, listing in enumerate(data.listings, start=1):
        w.text(f"{number}. {listing}", size=9, indent=10)
    w.space(6)
    para(lambda t: t.demands_heading, bold=True)
    for index in range(len(data.texts[0].demands)):
        para(lambda t, i=index: f"{i + 1}. {t.demands[i]}")
    para(lambda t: t.deadline, bold=True)
    para(lambda t: t.reservation)
    para(lambda t: t.sign_off)
    w.text(f"This PDF carries the digital signature of {data.firm}.", size=8, color=GREY)
    return w.finish()
