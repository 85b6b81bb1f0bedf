"""Building the unsigned complaint bundle PDF from a BundleInput.

Generated pages come from reportlab (invariant mode: the same inputs give the same bytes). Exhibits are
written to the work directory one at a time and never held in memory together; qpdf merges the pieces and
lays the page stamps over them, and pikepdf adds the outline, the index links and a margin strip under
every page so the stamp never covers content.
"""

from __future__ import annotations

import hashlib
import io
import json
import resource
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from django.conf import settings
from PIL import Image, ImageOps
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from portal.bundle.errors import BundleError
from portal.bundle.inputs import BundleInput, FileInput, PurchaseInput, RightInput
from portal.bundle.signing import SIGNATURE_BOX
from portal.platform_rules import STATEMENTS, item_identifier, rules_for, split_complaints

PAGE_W, PAGE_H = A4
MARGIN = 20 * mm
STRIP = 9 * mm  # added below every page: the stamp lives here, outside the page's own content
MAX_DPI = 300
INDEX_ROWS_PER_PAGE = 34
NAVY = colors.HexColor("#1b2a41")
SECTIONS = {
    "A": "Rights holder and authority",
    "B": "Proof of ownership",
    "C": "Test purchases",
    "D": "Comparison sheets",
    "E": "Exhibit manifest",
}
SECTIONS_ZH = {"A": "权利人及授权", "B": "权属证明", "C": "测试购买", "D": "比对说明", "E": "证据清单"}

Progress = Callable[[int, str], None]


@dataclass
class Piece:
    """One generated or exhibit PDF in bundle order, with its outline entry."""

    path: Path
    title: str
    level: int  # 0 section, 1 item
    pages: int = 0
    start: int = 0  # first page, 1-based, in the bundle
    page_sizes: list[tuple[float, float]] = field(default_factory=list)
    in_index: bool = True


@dataclass(frozen=True)
class BuiltPdf:
    path: Path
    page_count: int
    exhibit_count: int
    unsigned_sha256: str
    manifest_sha256: str


# --- fonts ----------------------------------------------------------------------------------------

_CJK_FONT = "PortalCJK"


def _needs_cjk(text: str) -> bool:
    return any(ord(ch) > 0x2E7F for ch in text)


def font_for(text: str, bold: bool = False) -> str:
    if not _needs_cjk(text):
        return "Helvetica-Bold" if bold else "Helvetica"
    if _CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        path = Path(settings.PORTAL_CJK_FONT)
        if not path.exists():
            raise BundleError(
                f"The bundle contains Chinese text but the CJK font {path} is missing. Install Debian's "
                "fonts-wqy-microhei or set PORTAL_CJK_FONT to a TrueType font with Chinese glyphs."
            )
        pdfmetrics.registerFont(TTFont(_CJK_FONT, str(path), subfontIndex=0))
    return _CJK_FONT


def _canvas(path: Path, title: str, pagesize=A4) -> canvas.Canvas:
    c = canvas.Canvas(str(path), pagesize=pagesize, invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("")
    c.setCreator("Evidence Portal")
    return c


class Writer:
    """A reportlab canvas with a cursor: wraps lines, breaks pages, picks a CJK font where needed."""

    def __init__(self, path: Path, title: str, heading: str = ""):
        self.c = _canvas(path, title)
        self.heading = heading
        self.pages = 0
        self._new_page()

    def _new_page(self) -> None:
        self.pages += 1
        self.y = PAGE_H - MARGIN
        if self.heading:
            self.text(self.heading, size=8, color=colors.grey)
            self.y -= 4

    def page_break(self) -> None:
        self.c.showPage()
        self._new_page()

    def text(self, value: str, *, size: float = 10, bold: bool = False, color=colors.black, indent: float = 0,
             gap: float = 3) -> None:  # fmt: skip
        width = PAGE_W - 2 * MARGIN - indent
        for paragraph in (value or "").split("\n"):
            for line in _wrap(paragraph, font_for(paragraph, bold), size, width):
                if self.y < MARGIN + size:
                    self.page_break()
                self.c.setFont(font_for(line, bold), size)
                self.c.setFillColor(color)
                self.c.drawString(MARGIN + indent, self.y - size, line)
                self.y -= size + gap
        self.c.setFillColor(colors.black)

    def space(self, points: float) -> None:
        self.y -= points

    def rule(self) -> None:
        self.c.setStrokeColor(NAVY)
        self.c.line(MARGIN, self.y, PAGE_W - MARGIN, self.y)
        self.y -= 8

    def finish(self) -> int:
        self.c.save()
        return self.pages


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line wrapping that also breaks scripts without spaces (Chinese) and very long URLs."""
    if not text:
        return [""]
    lines, current = [], ""
    tokens = text.split(" ") if not _needs_cjk(text) else list(text)
    joiner = " " if not _needs_cjk(text) else ""
    for token in tokens:
        candidate = f"{current}{joiner}{token}" if current else token
        if pdfmetrics.stringWidth(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while pdfmetrics.stringWidth(token, font, size) > width:  # a single over-long token (a URL)
            cut = max(1, int(len(token) * width / pdfmetrics.stringWidth(token, font, size)) - 1)
            lines.append(token[:cut])
            token = token[cut:]
        current = token
    lines.append(current)
    return lines


# --- generated pages ------------------------------------------------------------------------------


def manifest_rows(bundle: BundleInput) -> list[dict]:
    return [
        {
            "exhibit": f.label,
            "section": f.section,
            "name": f.original_name,
            "kind": f.kind_label,
            "uploaded_by": f.uploaded_by,
            "uploaded_at": f.uploaded_at.isoformat(),
            "size": f.size,
            "sha256": f.sha256,
        }
        for f in bundle.all_files
    ]


def manifest_digest(bundle: BundleInput) -> str:
    document = {"bundle": bundle.bundle_id, "matter": bundle.matter_reference, "exhibits": manifest_rows(bundle)}
    return hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _cover(bundle: BundleInput, path: Path, digest: str) -> int:
    chinese = bundle.platform in _chinese_platforms()
    w = Writer(path, f"{bundle.matter_reference} complaint bundle")
    w.text(bundle.firm_name, size=12, bold=True, color=NAVY)
    w.space(30)
    title = "Complaint bundle" + ("  投诉材料" if chinese else "")
    w.text(title, size=24, bold=True, color=NAVY)
    w.text(f"{bundle.platform_label}", size=14)
    w.space(16)
    w.rule()
    facts = [
        ("Rights holder", bundle.rights_holder_name),
        ("Name in local script", bundle.rights_holder_local_name),
        ("Matter reference", bundle.matter_reference),
        ("Platform", bundle.platform_label),
        ("Date", bundle.issued_on.strftime("%d %B %Y")),
        ("Bundle", f"{bundle.bundle_id}, version {bundle.version}"),
        ("Number of exhibits", str(len(bundle.files))),
        ("Ownership documents", str(len(bundle.all_files) - len(bundle.files))),
        ("SHA-256 of the exhibit manifest", digest),
    ]
    for label, value in facts:
        if value:
            w.text(label, size=8, color=colors.grey, gap=1)
            w.text(value, size=11, gap=6)
    w.space(10)
    w.rule()
    w.text(
        f"Verification: this bundle is digitally signed by {bundle.firm_name} and certified against any later "
        f"change. To check it, open it in a PDF reader that shows signatures, or upload it (or paste its SHA-256) "
        f"at {bundle.verify_url}",
        size=8,
        color=colors.grey,
    )
    x1, y1, x2, y2 = SIGNATURE_BOX
    w.c.setStrokeColor(colors.lightgrey)
    w.c.rect(x1, y1, x2 - x1, y2 - y1)
    w.c.setFont("Helvetica", 7)
    w.c.drawString(x1, y2 + 4, "Digital signature of the firm")
    return w.finish()


def _chinese_platforms() -> frozenset[str]:
    from ownership.platforms import CHINESE_PLATFORMS

    return frozenset(str(p) for p in CHINESE_PLATFORMS)


def _letter(bundle: BundleInput, path: Path) -> int:
    rules = rules_for(bundle.platform)
    chinese = bundle.platform in _chinese_platforms()
    w = Writer(path, "Complaint letter", heading=f"{bundle.matter_reference} · Complaint letter")
    complaints = split_complaints(bundle)
    for complaint in complaints:
        if complaint.number > 1:
            w.page_break()
        heading = f"{rules.complaint_title} {complaint.number} of {len(complaints)}"
        w.text(heading + (f"  {rules.complaint_title_zh}" if chinese else ""), size=14, bold=True, color=NAVY)
        w.space(6)
        w.text(f"To: {bundle.platform_label}", size=10)
        local = f" ({bundle.rights_holder_local_name})" if bundle.rights_holder_local_name else ""
        w.text(f"Complainant: {bundle.rights_holder_name}{local}", size=10)
        w.text(f"Agent: {bundle.firm_name}, acting under the letter of authorisation in section A", size=10)
        w.space(6)
        w.text("Rights asserted" + ("  主张的权利" if chinese else ""), size=11, bold=True)
        for right in bundle.rights:
            if right.kind not in complaint.ip_kind.split("+"):
                continue
            ids = "; ".join(f"{label}: {value}" for label, value in right.identifiers)
            w.text(f"• {right.kind_label} ({right.jurisdiction}) — {right.title}; owner {right.owner_name}"
                   + (f"; {ids}" if ids else ""), size=9, indent=8)  # fmt: skip
        w.space(6)
        w.text("Infringing listings" + ("  侵权链接" if chinese else ""), size=11, bold=True)
        reason = ", ".join(rules.reason_codes.get(kind, kind) for kind in complaint.ip_kind.split("+"))
        for listing in complaint.listings:
            w.text(item_identifier(rules, listing), size=8, indent=8, gap=1)
            w.text(f"seller {listing.seller_name}{f' (id {listing.seller_id})' if listing.seller_id else ''}"
                   f" — reason: {reason}", size=7, indent=16, color=colors.grey)  # fmt: skip
        if complaint.purchase:
            p = complaint.purchase
            w.space(6)
            w.text("Test purchase" + ("  测试购买" if chinese else ""), size=11, bold=True)
            w.text(f"Order number {p.order_number} of {p.order_date:%d %B %Y}: {p.result_label}. "
                   f"Exhibits {', '.join(map(str, p.exhibit_numbers)) or 'none'}.", size=9, indent=8)  # fmt: skip
        w.space(6)
        w.text("Statements" + ("  声明" if chinese else ""), size=11, bold=True)
        for statement in STATEMENTS:
            w.text(f"• {statement}", size=9, indent=8)
        w.space(10)
        w.text(f"Signed for {bundle.firm_name} with the digital signature on the cover page.", size=9)
    return w.finish()


def _divider(bundle: BundleInput, path: Path, letter: str) -> int:
    w = Writer(path, f"Section {letter}")
    w.space(PAGE_H / 3)
    w.text(f"Section {letter}", size=14, color=colors.grey)
    w.text(SECTIONS[letter], size=26, bold=True, color=NAVY)
    if bundle.platform in _chinese_platforms():
        w.text(SECTIONS_ZH[letter], size=18, color=NAVY)
    return w.finish()


def _test_buy_report(bundle: BundleInput, purchase: PurchaseInput, path: Path) -> int:
    heading = f"{bundle.matter_reference} · Test-buy report"
    w = Writer(path, f"Test-buy report {purchase.order_number}", heading=heading)
    w.text(f"Test-buy report: order {purchase.order_number}", size=16, bold=True, color=NAVY)
    rows = [
        ("Listing", purchase.listing.url),
        ("Listing title", purchase.listing.title),
        ("Seller", f"{purchase.listing.seller_name} {purchase.listing.seller_id}".strip()),
        ("Order number", purchase.order_number),
        ("Order date", f"{purchase.order_date:%d %B %Y}"),
        ("Amount paid", f"{purchase.amount} {purchase.currency}"),
        ("Bought under the name", purchase.purchaser_alias),
        ("Result of examination", purchase.result_label),
        ("Examination method", purchase.method),
        ("Reasons", purchase.reasons),
        ("Examiner", purchase.examiner),
        ("Examined on", f"{purchase.examined_on:%d %B %Y}" if purchase.examined_on else ""),
        ("Exhibits", ", ".join(f"Exhibit {n}" for n in purchase.exhibit_numbers)),
    ]
    for label, value in rows:
        w.text(label, size=8, color=colors.grey, gap=1)
        w.text(value or "—", size=10, gap=6)
    return w.finish()


def _holder_page(bundle: BundleInput, path: Path) -> int:
    w = Writer(path, "Rights holder", heading=f"{bundle.matter_reference} · Section A · Rights holder and authority")
    w.text("Rights holder and authority", size=16, bold=True, color=NAVY)
    w.space(4)
    facts = [
        ("Rights holder", bundle.rights_holder_name),
        ("Name in local script", bundle.rights_holder_local_name),
        *bundle.rights_holder_facts,
        ("Address", bundle.rights_holder_address),
        ("Acting for the rights holder", f"{bundle.firm_name}, under the authority filed in this section"),
    ]
    for label, value in facts:
        if value:
            w.text(label, size=8, color=colors.grey, gap=1)
            w.text(value, size=10, gap=6)
    w.text("Documents in this section", size=11, bold=True)
    for item in bundle.authority:
        w.text(f"{item.label}: {item.kind_label} — {item.title}", size=9, indent=8)
    if not bundle.authority:
        w.text("None filed.", size=9, indent=8)
    return w.finish()


def _right_page(bundle: BundleInput, right: RightInput, path: Path) -> int:
    heading = f"{bundle.matter_reference} · Section B · Proof of ownership"
    w = Writer(path, f"{right.kind_label}: {right.title}", heading=heading)
    w.text(f"{right.kind_label} ({right.jurisdiction}): {right.title}", size=16, bold=True, color=NAVY)
    w.space(4)
    for label, value in [("Owner", right.owner_name), *right.identifiers]:
        w.text(label, size=8, color=colors.grey, gap=1)
        w.text(value or "—", size=10, gap=6)
    w.text("Proof of ownership that follows", size=11, bold=True)
    for item in right.documents:
        w.text(f"{item.label}: {item.kind_label} — {item.title}", size=9, indent=8)
    if not right.documents:
        w.text("None filed.", size=9, indent=8)
    return w.finish()


def _manifest(bundle: BundleInput, path: Path, digest: str) -> int:
    w = Writer(path, "Exhibit manifest", heading=f"{bundle.matter_reference} · Section E · Exhibit manifest")
    w.text("Exhibit manifest", size=16, bold=True, color=NAVY)
    w.text(f"SHA-256 of this manifest: {digest}", size=8, color=colors.grey)
    w.space(4)
    for row in manifest_rows(bundle):
        w.text(f"{row['exhibit']} (section {row['section']}): {row['name']}", size=9, bold=True, gap=1)
        w.text(f"{row['kind']} · {row['size']} bytes · uploaded by {row['uploaded_by']} at {row['uploaded_at']}",
               size=8, indent=8, gap=1)  # fmt: skip
        w.text(f"SHA-256 {row['sha256']}", size=8, indent=8, gap=5)
    return w.finish()


def _index(bundle: BundleInput, path: Path, entries: list[Piece], pages: int) -> list[tuple[int, tuple, int]]:
    """The index; returns (index page, link rectangle, target page) for every entry."""
    links = []
    c = _canvas(path, "Index")
    for page in range(pages):
        y = PAGE_H - MARGIN
        c.setFont("Helvetica", 8)
        c.setFillColor(colors.grey)
        c.drawString(MARGIN, y - 8, f"{bundle.matter_reference} · Index")
        y -= 30
        if page == 0:
            c.setFont("Helvetica-Bold", 16)
            c.setFillColor(NAVY)
            c.drawString(MARGIN, y, "Index")
        y -= 24
        for piece in entries[page * INDEX_ROWS_PER_PAGE : (page + 1) * INDEX_ROWS_PER_PAGE]:
            indent = 0 if piece.level == 0 else 14
            font = font_for(piece.title, bold=piece.level == 0)
            c.setFont(font, 10 if piece.level == 0 else 9)
            c.setFillColor(colors.black)
            title = _wrap(piece.title, font, 9, PAGE_W - 2 * MARGIN - 60 - indent)[0]
            c.drawString(MARGIN + indent, y, title)
            c.drawRightString(PAGE_W - MARGIN, y, str(piece.start or ""))
            links.append((page, (MARGIN, y - 3, PAGE_W - MARGIN, y + 10), piece.start))
            y -= 19
        c.showPage()
    c.save()
    return links


# --- exhibits -------------------------------------------------------------------------------------


def _prepare_exhibit(item: FileInput, workdir: Path) -> Path:
    """The exhibit as PDF pages in ``workdir``: PDFs as they are, images one per page, the rest described."""
    name = f"file-{item.section}-{item.reference or item.number}"
    out = workdir / f"{name}.pdf"
    if item.content_type == "application/pdf":
        raw = workdir / f"raw-{name}.pdf"
        with item.open() as source, open(raw, "wb") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)
        try:
            with pikepdf.open(raw) as pdf:
                if pdf.is_encrypted:  # opened with no password: owner-password only, so it may be decrypted
                    pdf.save(out)
                else:
                    raw.rename(out)
        except pikepdf.PasswordError:
            raise BundleError(
                f"{item.label} ({item.original_name}) is a PDF protected by a password needed to open "
                "it. Upload a copy without that password, then compile again."
            ) from None
        except pikepdf.PdfError:
            raise BundleError(f"{item.label} ({item.original_name}) is a damaged PDF.") from None
        raw.unlink(missing_ok=True)
        return out
    if item.content_type.startswith("image/"):
        _image_page(item, out)
        return out
    _description_page(item, out)
    return out


def _exhibit_heading(c: canvas.Canvas, item: FileInput) -> None:
    title = f"{item.label} · {item.kind_label} · {item.original_name}"
    c.setFont(font_for(title), 9)
    c.setFillColor(NAVY)
    c.drawString(MARGIN, PAGE_H - MARGIN + 4, _wrap(title, font_for(title), 9, PAGE_W - 2 * MARGIN)[0])
    c.setFillColor(colors.black)


def _image_page(item: FileInput, out: Path) -> None:
    box_w, box_h = PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN - 12
    with item.open() as source, Image.open(source) as original:
        image = ImageOps.exif_transpose(original)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            background.paste(image.convert("RGBA"), mask=image.convert("RGBA").split()[-1])
            image = background
        px_w, px_h = image.size
        # Never upscaled: at most one point per pixel; otherwise fit the box.
        scale = min(1.0, box_w / px_w, box_h / px_h)
        shown_w, shown_h = px_w * scale, px_h * scale
        max_px_w = int(shown_w / 72 * MAX_DPI)
        if px_w > max_px_w:  # more detail than 300 dpi at the printed size: resample down
            image = image.resize((max_px_w, max(1, int(px_h * max_px_w / px_w))), Image.Resampling.LANCZOS)
        jpeg = io.BytesIO()  # one image at a time; named by content, so the output does not depend on paths
        image.save(jpeg, "JPEG", quality=88, optimize=True)
    c = _canvas(out, item.label)
    _exhibit_heading(c, item)
    jpeg.seek(0)
    c.drawImage(ImageReader(jpeg), MARGIN + (box_w - shown_w) / 2, MARGIN + (box_h - shown_h), shown_w, shown_h)
    c.showPage()
    c.save()


def _description_page(item: FileInput, out: Path) -> None:
    w = Writer(out, item.label)
    _exhibit_heading(w.c, item)
    w.space(20)
    w.text(f"{item.label}: {item.kind_label}", size=16, bold=True, color=NAVY)
    w.text(
        "This file cannot be shown on paper. It is kept unaltered in the portal and is available on request; "
        "the SHA-256 below identifies it exactly.",
        size=10,
    )
    w.space(8)
    for label, value in [
        ("Original name", item.original_name),
        ("Type", item.content_type),
        ("Size", f"{item.size} bytes"),
        ("Uploaded by", item.uploaded_by),
        ("Uploaded at", item.uploaded_at.isoformat()),
        ("SHA-256", item.sha256),
    ]:
        w.text(label, size=8, color=colors.grey, gap=1)
        w.text(value, size=10, gap=6)
    w.finish()


def _page_sizes(path: Path) -> list[tuple[float, float]]:
    with pikepdf.open(path) as pdf:
        sizes = []
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            sizes.append((x1 - x0, y1 - y0))
        return sizes


# --- assembly -------------------------------------------------------------------------------------


def build_bundle(bundle: BundleInput, workdir: Path, progress: Progress = lambda percent, message: None) -> BuiltPdf:
    """Write the unsigned, stamped bundle into ``workdir`` and describe it."""
    digest = manifest_digest(bundle)
    chinese = bundle.platform in _chinese_platforms()
    pieces: list[Piece] = []

    def add(path: Path, title: str, level: int, in_index: bool = True) -> Piece:
        piece = Piece(path=path, title=title, level=level, in_index=in_index)
        piece.page_sizes = _page_sizes(path)
        piece.pages = len(piece.page_sizes)
        pieces.append(piece)
        return piece

    _cover(bundle, workdir / "cover.pdf", digest)
    add(workdir / "cover.pdf", "Cover", 0, in_index=False)
    index_path = workdir / "index.pdf"
    _letter(bundle, workdir / "letter.pdf")
    add(workdir / "letter.pdf", "Complaint letter" + (" 投诉函" if chinese else ""), 0)
    files_by_section: dict[str, list[FileInput]] = {}
    for item in bundle.files:
        files_by_section.setdefault(item.section, []).append(item)
    total = max(1, len(bundle.all_files))
    done = 0

    def add_files(items: list[FileInput]) -> None:
        nonlocal done
        for item in items:
            path = _prepare_exhibit(item, workdir)
            add(path, f"{item.label}: {item.kind_label} — {item.original_name}", 1)
            done += 1
            if done % 10 == 0 or done == total:
                progress(10 + int(60 * done / total), f"Prepared {done} of {total} exhibits")

    for letter in "ABCD":
        _divider(bundle, workdir / f"divider-{letter}.pdf", letter)
        add(workdir / f"divider-{letter}.pdf", f"{letter}. {SECTIONS[letter]}", 0)
        if letter == "A":
            _holder_page(bundle, workdir / "holder.pdf")
            add(workdir / "holder.pdf", f"Rights holder: {bundle.rights_holder_name}", 1)
            add_files([*bundle.authority, *files_by_section.get("A", [])])
        elif letter == "B":
            for number, right in enumerate(bundle.rights, start=1):
                summary = workdir / f"right-{number}.pdf"
                _right_page(bundle, right, summary)
                add(summary, f"{right.kind_label} ({right.jurisdiction}): {right.title}", 1)
                add_files(list(right.documents))
            add_files(files_by_section.get("B", []))
        elif letter == "C":
            for purchase in bundle.purchases:
                report = workdir / f"report-{purchase.order_number}.pdf".replace("/", "_")
                _test_buy_report(bundle, purchase, report)
                add(report, f"Test-buy report: order {purchase.order_number}", 1)
                add_files([f for f in files_by_section.get("C", []) if f.purchase_order == purchase.order_number])
            add_files([f for f in files_by_section.get("C", []) if not f.purchase_order])
        else:
            add_files(files_by_section.get(letter, []))
    _divider(bundle, workdir / "divider-E.pdf", "E")
    add(workdir / "divider-E.pdf", f"E. {SECTIONS['E']}", 0)
    _manifest(bundle, workdir / "manifest.pdf", digest)
    add(workdir / "manifest.pdf", "Exhibit manifest", 1)

    entries = [p for p in pieces if p.in_index]
    index_pages = max(1, -(-len(entries) // INDEX_ROWS_PER_PAGE))
    # The index goes second; its length is known from the number of entries before page numbers exist.
    page = 1 + pieces[0].pages + index_pages
    for piece in pieces[1:]:
        piece.start = page
        page += piece.pages
    page_count = page - 1
    links = _index(bundle, index_path, entries, index_pages)
    index_piece = Piece(index_path, "Index", 0, index_pages, pieces[0].pages + 1, _page_sizes(index_path), False)
    ordered = [pieces[0], index_piece, *pieces[1:]]

    progress(75, "Merging the bundle")
    merged = workdir / "merged.pdf"
    _merge([p.path for p in ordered], merged)

    progress(80, "Adding page stamps, bookmarks and links")
    stamped = workdir / "bundle.pdf"
    with pikepdf.open(merged) as pdf:
        _stamp_pages(pdf, bundle)
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem("Index", pieces[0].pages))
            parent = None
            for piece in pieces[1:]:
                item = pikepdf.OutlineItem(piece.title, piece.start - 1)
                if piece.level == 0:
                    outline.root.append(item)
                    parent = item
                else:
                    (parent.children if parent is not None else outline.root).append(item)
        for index_page, rect, target in links:
            page_obj = pdf.pages[index_piece.start - 1 + index_page]
            annotation = pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Link,
                    Rect=list(rect),
                    Border=[0, 0, 0],
                    Dest=[pdf.pages[target - 1].obj, pikepdf.Name.Fit],
                )
            )
            if "/Annots" not in page_obj.obj:
                page_obj.obj.Annots = pdf.make_indirect(pikepdf.Array())
            page_obj.obj.Annots.append(annotation)
        pdf.docinfo["/Title"] = f"{bundle.matter_reference} complaint bundle for {bundle.platform_label}"
        pdf.docinfo["/Author"] = bundle.firm_name
        pdf.docinfo["/PortalBundleId"] = bundle.bundle_id
        pdf.docinfo["/PortalManifestSHA256"] = digest
        pdf.save(stamped, deterministic_id=True)
    merged.unlink()
    return BuiltPdf(
        path=stamped,
        page_count=page_count,
        exhibit_count=len(bundle.files),
        unsigned_sha256=sha256_file(stamped),
        manifest_sha256=digest,
    )


def stamp_text(prefix: str, page: int) -> str:
    return f"{prefix}-{page:06d}"


# How a page's /Rotate maps "as displayed" coordinates (u, v) into its own (x, y), as a PDF matrix
# [a b c d e f] with x = a*u + c*v + e and y = b*u + d*v + f, given the page box (x0, y0, x1, y1); and which
# edge of the box is at the bottom as displayed (where the strip is added).
_DISPLAY_MATRIX = {
    0: lambda x0, y0, x1, y1: (1, 0, 0, 1, x0, y0),
    90: lambda x0, y0, x1, y1: (0, 1, -1, 0, x1, y0),
    180: lambda x0, y0, x1, y1: (-1, 0, 0, -1, x1, y1),
    270: lambda x0, y0, x1, y1: (0, -1, 1, 0, x0, y1),
}


def _with_strip(box: tuple[float, float, float, float], rotate: int) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = box
    return {
        0: (x0, y0 - STRIP, x1, y1),
        90: (x0, y0, x1 + STRIP, y1),
        180: (x0, y0, x1, y1 + STRIP),
        270: (x0 - STRIP, y0, x1, y1),
    }[rotate]


def _pdf_string(text: str) -> bytes:
    """A literal string for the standard Helvetica font (WinAnsi encoding)."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _stamp_pages(pdf: pikepdf.Pdf, bundle: BundleInput) -> None:
    """Add the strip below every page (as displayed) and write the page number and stamp into it.

    The page's own content is wrapped in q/Q so its graphics state cannot leak into the stamp; the stamp is
    real text in a standard font, so it is searchable. One pass over the pages, no second merge.
    """
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )
    bold = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name("/Helvetica-Bold"),
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )
    total = len(pdf.pages)
    left = f"{bundle.matter_reference} · {bundle.platform_label}"
    grey = b"0.5 g"
    navy = f"{NAVY.red:.3f} {NAVY.green:.3f} {NAVY.blue:.3f} rg".encode()
    baseline = STRIP / 2 - 2
    for number, page in enumerate(pdf.pages, start=1):
        rotate = int(page.obj.get("/Rotate", 0)) % 360
        box = tuple(float(v) for v in (page.cropbox if "/CropBox" in page.obj else page.mediabox))
        x0, y0, x1, y1 = _with_strip(box, rotate)
        page.mediabox = [x0, y0, x1, y1]
        if "/CropBox" in page.obj:
            del page.obj["/CropBox"]
        width = (x1 - x0) if rotate in (0, 180) else (y1 - y0)
        middle = f"Page {number} of {total}"
        stamp = stamp_text(bundle.stamp_prefix, number)
        matrix = " ".join(f"{v:g}" for v in _DISPLAY_MATRIX[rotate](x0, y0, x1, y1)).encode()
        centre = width / 2 - pdfmetrics.stringWidth(middle, "Helvetica", 7) / 2
        right = width - 12 - pdfmetrics.stringWidth(stamp, "Helvetica-Bold", 8)
        content = b"\n".join(
            [
                b"Q q",
                matrix + b" cm BT",
                b"/PortalStamp 7 Tf " + grey,
                b"12 %.2f Td " % baseline + _pdf_string(left) + b" Tj",
                b"ET BT /PortalStamp 7 Tf",
                b"%.2f %.2f Td " % (centre, baseline) + _pdf_string(middle) + b" Tj",
                b"ET BT /PortalStampBold 8 Tf " + navy,
                b"%.2f %.2f Td " % (right, baseline) + _pdf_string(stamp) + b" Tj",
                b"ET Q",
            ]
        )
        page.add_resource(font, pikepdf.Name.Font, "/PortalStamp")
        page.add_resource(bold, pikepdf.Name.Font, "/PortalStampBold")
        page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
        page.contents_add(pikepdf.Stream(pdf, content))


def _merge(paths: list[Path], out: Path) -> None:
    """Concatenate the pieces with qpdf, which streams them and never holds them all in memory.

    qpdf reopens its input files for every page unless it may keep them all open; keeping them open makes a
    1,000-exhibit merge about three times faster, so the worker's open-file limit is raised when it allows.
    """
    argfile = out.with_suffix(".args")
    argfile.write_text("\n".join(str(p) for p in paths) + "\n")
    keep_open = _allow_open_files(len(paths) + 64)
    _qpdf(f"--keep-files-open={'y' if keep_open else 'n'}", "--deterministic-id", "--empty", "--pages",
          f"@{argfile}", "--", str(out))  # fmt: skip
    argfile.unlink()


def _allow_open_files(needed: int) -> bool:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            return False
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    return True


def _qpdf(*args: str) -> None:
    qpdf = shutil.which("qpdf")
    if not qpdf:
        raise BundleError("The qpdf program is missing on the worker (install Debian's qpdf package).")
    result = subprocess.run([qpdf, *args], capture_output=True, text=True)
    # Exit code 3 means success with warnings (qpdf repaired something in an uploaded PDF).
    if result.returncode not in (0, 3):
        raise BundleError(f"Merging the bundle failed: {result.stderr.strip()[:500]}")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
