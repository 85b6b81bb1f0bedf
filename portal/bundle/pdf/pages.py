"""The bundle's own pages: cover, section dividers, the rights holder and each right, the manifest, the index."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors

from ownership.shared.checksums import sha256_json
from ownership.shared.choices import CHINESE_PLATFORMS
from ownership.shared.files.pdf_safety import describe
from ownership.shared.signing import SIGNATURE_BOX
from portal.bundle.inputs import BundleInput, FileInput, RightInput
from portal.bundle.pdf.layout import GREY, MARGIN, NAVY, PAGE_H, PAGE_W, Writer, font_for, new_canvas, wrap

SECTIONS = {
    "A": "Rights holder and authority",
    "B": "Proof of ownership",
    "C": "Test purchases",
    "D": "Comparison sheets",
    "E": "Exhibit manifest",
}
SECTIONS_ZH = {"A": "权利人及授权", "B": "权属证明", "C": "测试购买", "D": "比对说明", "E": "证据清单"}
# Section C named for what it holds: test purchases, the listing and seller evidence that belongs to none, or both.
SECTION_C_WITHOUT_PURCHASES = ("Listing and seller evidence", "商品链接及卖家证据")
SECTION_C_WITH_OTHER_EVIDENCE = ("Test purchases and other evidence", "测试购买及其他证据")
INDEX_ROWS_PER_PAGE = 34
HASH_EXPLANATION = (
    "The manifest SHA-256 identifies the evidence in this bundle (every file by its own SHA-256); paste it at "
    "{url} to see the bundles this portal issued from that evidence. Uploading the PDF there also checks the "
    "signature and that not one byte changed."
)


def is_chinese_platform(platform: str) -> bool:
    return platform in {str(p) for p in CHINESE_PLATFORMS}


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def manifest_rows(bundle: BundleInput) -> list[dict]:
    return [
        {
            "exhibit": f.label,
            "section": f.section,
            "title": f.title,
            "kind": f.kind_label,
            "name": f.original_name,
            "uploaded_by": f.uploaded_by,
            "uploaded_at": f.uploaded_at.isoformat(),
            "size": f.size,
            "sha256": f.sha256,
            **({"searchable_copy_sha256": f.rendition_sha256} if f.rendition_sha256 else {}),
        }
        for f in bundle.all_files
    ]


def manifest_digest(bundle: BundleInput) -> str:
    """A fingerprint of the evidence alone: the matter and its files. Compiling again gives the same value."""
    document = {"matter": bundle.matter_reference, "exhibits": manifest_rows(bundle)}
    return sha256_json(document)


def cover(bundle: BundleInput, path: Path, digest: str) -> int:
    chinese = is_chinese_platform(bundle.platform)
    w = Writer(path, f"{bundle.matter_reference} complaint bundle")
    w.text(bundle.firm_name, size=12, bold=True, color=NAVY)
    w.space(30)
    w.text("Complaint bundle" + ("  投诉材料" if chinese else ""), size=24, bold=True, color=NAVY)
    w.text(bundle.platform_label, size=14)
    w.space(16)
    w.rule()
    facts = [
        ("Rights holder", bundle.rights_holder_name),
        ("Name in local script", bundle.rights_holder_local_name),
        ("Matter reference", bundle.matter_reference),
        ("Platform", bundle.platform_label),
        ("Date", long_date(bundle.issued_on)),
        ("Bundle", f"{bundle.bundle_id}, version {bundle.version}"),
        ("Number of exhibits", str(len(bundle.files))),
        ("Ownership documents", str(len(bundle.all_files) - len(bundle.files))),
        ("Manifest SHA-256 (identifies the evidence)", digest),
    ]
    for label, value in facts:
        if value:
            w.field(label, value, size=11)
    w.space(4)
    w.rule()
    w.text(
        f"This bundle is digitally signed by {bundle.firm_name} and certified: any change invalidates it. "
        + HASH_EXPLANATION.format(url=bundle.verify_url),
        size=8,
        color=GREY,
    )
    x1, y1, x2, y2 = SIGNATURE_BOX
    w.c.setStrokeColor(colors.lightgrey)
    w.c.rect(x1, y1, x2 - x1, y2 - y1)
    w.c.setFont(font_for("x"), 7)
    w.c.drawString(x1, y2 + 4, "Digital signature of the firm")
    return w.finish()


def section_titles(bundle: BundleInput, letter: str) -> tuple[str, str]:
    """The section's English and Chinese titles, section C's for what it holds."""
    if letter == "C" and not bundle.purchases:
        return SECTION_C_WITHOUT_PURCHASES
    if letter == "C" and any(f.section == "C" and not f.purchase_order for f in bundle.files):
        return SECTION_C_WITH_OTHER_EVIDENCE
    return SECTIONS[letter], SECTIONS_ZH[letter]


def divider(bundle: BundleInput, path: Path, letter: str) -> int:
    title, title_zh = section_titles(bundle, letter)
    w = Writer(path, f"Section {letter}")
    w.space(PAGE_H / 3)
    w.text(f"Section {letter}", size=14, color=GREY)
    w.text(title, size=26, bold=True, color=NAVY)
    if is_chinese_platform(bundle.platform):
        w.text(title_zh, size=18, color=NAVY)
    return w.finish()


def holder_page(bundle: BundleInput, path: Path) -> int:
    w = Writer(path, "Rights holder", heading=f"{bundle.matter_reference} · Section A · Rights holder and authority")
    w.title("Rights holder and authority")
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
            w.field(label, value)
    _document_list(w, "Documents in this section", bundle.authority)
    return w.finish()


def _document_list(w: Writer, heading: str, items: tuple[FileInput, ...]) -> None:
    w.text(heading, size=11, bold=True)
    for item in items:
        w.text(f"{item.label}: {item.title} ({item.kind_label})", size=9, indent=8)
    if not items:
        w.text("None filed.", size=9, indent=8)


def right_page(bundle: BundleInput, right: RightInput, path: Path) -> int:
    label = right.kind_name
    w = Writer(path, f"{label}: {right.title}", heading=f"{bundle.matter_reference} · Section B · Proof of ownership")
    w.title(f"{label} ({right.jurisdiction}): {right.title}")
    w.space(4)
    for name, value in [("Owner", right.owner_name), *right.identifiers]:
        w.field(name, value)
    _document_list(w, "Proof of ownership that follows", right.documents)
    return w.finish()


def manifest(
    bundle: BundleInput,
    path: Path,
    digest: str,
    removed: dict[str, tuple[str, ...]] | None = None,
    optimised: dict[str, int] | None = None,
) -> int:
    """Every file with its hash, and what the bundle's copy of it changed: active content left out of a PDF,
    images above 300 dpi re-encoded; and a cross-check of its text that staff overruled."""
    removed, optimised = removed or {}, optimised or {}
    w = Writer(path, "Exhibit manifest", heading=f"{bundle.matter_reference} · Section E · Exhibit manifest")
    w.title("Exhibit manifest")
    w.text(f"Manifest SHA-256: {digest}", size=8, color=GREY)
    w.space(4)
    if bundle.overrule:
        w.text(bundle.overrule, size=9, bold=True, color=colors.HexColor("#9b1c1c"))
        w.space(4)
    for row, file in zip(manifest_rows(bundle), bundle.all_files, strict=True):
        w.ensure(4 * 12)
        w.text(f"{row['exhibit']} (section {row['section']}): {row['title']}", size=9, bold=True, gap=1)
        uploaded = f"uploaded by {row['uploaded_by'] or 'an unrecorded user'} at {row['uploaded_at']}"
        w.text(f"{row['kind']} · file {row['name']} · {row['size']} bytes · {uploaded}", size=8, indent=8, gap=1)
        notes = [(f"SHA-256 {row['sha256']}", colors.black)]
        if file.check_overruled:
            notes.append((file.check_overruled, colors.HexColor("#9b1c1c")))
        kept = f"the original is kept unaltered, SHA-256 {row['sha256']}."
        if row["exhibit"] in removed:
            what = describe(list(removed[row["exhibit"]]))
            notes.append((f"{what[0].upper()}{what[1:]} removed from the bundle copy; {kept}", GREY))
        if count := optimised.get(row["exhibit"]):
            images = "1 image" if count == 1 else f"{count} images"
            notes.append((f"Optimised rendition: {images} above 300 dpi re-encoded at 300 dpi in the bundle copy; "
                          f"{kept}", GREY))  # fmt: skip
        for number, (note, color) in enumerate(notes, start=1):
            w.text(note, size=8, indent=8, gap=5 if number == len(notes) else 1, color=color)
    return w.finish()


@dataclass(frozen=True)
class IndexEntry:
    title: str
    level: int  # 0 section, 1 item
    page: int


def index(bundle: BundleInput, path: Path, entries: list[IndexEntry], pages: int) -> list[tuple[int, tuple, int]]:
    """The index; returns (index page, link rectangle, target page) for every entry."""
    links = []
    c = new_canvas(path, "Index")
    for page in range(pages):
        y = PAGE_H - MARGIN
        heading = f"{bundle.matter_reference} · Index"
        c.setFont(font_for(heading), 8)
        c.setFillColor(GREY)
        c.drawString(MARGIN, y - 8, heading)
        y -= 30
        if page == 0:
            c.setFont(font_for("Index", bold=True), 16)
            c.setFillColor(NAVY)
            c.drawString(MARGIN, y, "Index")
        y -= 24
        for entry in entries[page * INDEX_ROWS_PER_PAGE : (page + 1) * INDEX_ROWS_PER_PAGE]:
            indent = 0 if entry.level == 0 else 14
            font = font_for(entry.title, bold=entry.level == 0)
            size = 10 if entry.level == 0 else 9
            c.setFont(font, size)
            c.setFillColor(colors.black)
            lines = wrap(entry.title, font, size, PAGE_W - 2 * MARGIN - 60 - indent)
            c.drawString(MARGIN + indent, y, lines[0] + (" …" if len(lines) > 1 else ""))
            c.setFont(font_for("0"), size)
            c.drawRightString(PAGE_W - MARGIN, y, str(entry.page))
            links.append((page, (MARGIN, y - 3, PAGE_W - MARGIN, y + 10), entry.page))
            y -= 19
        c.showPage()
    c.save()
    return links
