"""Statements the rights holder signs, as PDF pages from plain data: the draft (with an empty signature block at
its end), the signature written into that block, and the certificate of completion that ends the signed file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf
from reportlab.lib import colors
from reportlab.lib.units import mm

from ownership.shared.signing import SIGNATURE_BOX
from portal.bundle.pdf.layout import GREY, MARGIN, NAVY, PAGE_W, Writer, font_for, new_canvas

SIGNATURE_BLOCK_HEIGHT = 34 * mm


@dataclass(frozen=True)
class StatementText:
    """One language's text, facts filled in."""

    title: str
    paragraphs: tuple[str, ...]
    signature_label: str


@dataclass(frozen=True)
class StatementInput:
    heading: str  # "Harcourt & Vale LLP · Draft 12"
    reference: str
    texts: tuple[StatementText, ...]  # English first; a second language goes beside it
    signatory: str  # "Claire Donnelly, Director"


@dataclass(frozen=True)
class SignatureBox:
    page: int  # 0-based
    x: float
    y: float  # bottom
    width: float
    height: float


def build_statement(data: StatementInput, path: Path) -> SignatureBox:
    """Write the draft; returns where its signature block is, for the signature written in at signing."""
    w = Writer(path, data.texts[0].title, heading=data.heading, first_page_floor=SIGNATURE_BOX[3] + 10)
    bilingual = len(data.texts) == 2

    def para(pick, *, size: float = 10, bold: bool = False) -> None:
        if bilingual:
            w.columns(pick(data.texts[0]), pick(data.texts[1]), size=size, bold=bold)
        else:
            w.text(pick(data.texts[0]), size=size, bold=bold)
        w.space(8)

    para(lambda t: t.title, size=14, bold=True)
    w.field("Reference", data.reference)
    for index in range(len(data.texts[0].paragraphs)):
        para(lambda t, i=index: f"{i + 1}. {t.paragraphs[i]}")
    w.ensure(SIGNATURE_BLOCK_HEIGHT + 10)
    box = SignatureBox(page=w.pages - 1, x=MARGIN, y=w.y - SIGNATURE_BLOCK_HEIGHT, width=PAGE_W / 2,
                       height=SIGNATURE_BLOCK_HEIGHT)  # fmt: skip
    w.c.setStrokeColor(NAVY)
    w.c.rect(box.x, box.y, box.width, box.height)
    label = " / ".join(text.signature_label for text in data.texts)
    w.c.setFont(font_for(label, bold=True), 9)
    w.c.drawString(box.x + 6, box.y + box.height - 13, label)
    w.c.setFont(font_for(data.signatory), 9)
    w.c.setFillColor(GREY)
    w.c.drawString(box.x + 6, box.y + 8, f"To be signed in the portal by {data.signatory}")
    w.finish()
    return box


def write_signature(draft: Path, box: SignatureBox, lines: list[str], out: Path) -> None:
    """The draft, unchanged but for the signature written inside its block (an overlay on that page)."""
    overlay_path = out.with_name(out.stem + "-signature.pdf")
    with pikepdf.open(draft) as pdf:
        page_box = [float(v) for v in pdf.pages[box.page].mediabox]
        c = new_canvas(overlay_path, "signature", pagesize=(page_box[2], page_box[3]))
        c.setFillColor(colors.white)
        c.rect(box.x + 1, box.y + 1, box.width - 2, 20, stroke=0, fill=1)  # covers "To be signed…"
        c.setFillColor(NAVY)
        y = box.y + box.height - 28
        for number, line in enumerate(lines):
            c.setFont(font_for(line, bold=number == 0), 11 if number == 0 else 8)
            c.drawString(box.x + 6, y, line)
            y -= 14 if number == 0 else 10
        c.save()
        with pikepdf.open(overlay_path) as overlay:
            pdf.pages[box.page].add_overlay(overlay.pages[0], None)
            pdf.save(out, deterministic_id=True)
    overlay_path.unlink()


@dataclass(frozen=True)
class Completion:
    title: str
    reference: str
    rights_holder: str
    signer: str  # name, title and e-mail
    signed_at: str
    signed_from: str
    shown_sha256: str
    method: tuple[str, ...]


def append_completion(signed: Path, data: Completion, out: Path) -> None:
    """The signed statement followed by its certificate of completion."""
    page_path = out.with_name(out.stem + "-completion.pdf")
    w = Writer(page_path, "Certificate of completion", heading=data.reference)
    w.title("Certificate of completion")
    for label, value in (
        ("Document", data.title), ("Reference", data.reference), ("Rights holder", data.rights_holder),
        ("Signed by", data.signer), ("Signed at", data.signed_at), ("From the address", data.signed_from),
        ("SHA-256 of the document the signer was shown", data.shown_sha256),
    ):  # fmt: skip
        w.field(label, value)
    w.text("How it was signed", bold=True)
    for line in data.method:
        w.text(f"• {line}", size=9, indent=8)
    w.finish()
    with pikepdf.open(signed) as pdf, pikepdf.open(page_path) as completion:
        pdf.pages.extend(completion.pages)
        pdf.save(out, deterministic_id=True)
    page_path.unlink()
