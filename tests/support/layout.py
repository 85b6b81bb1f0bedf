"""The layout check every generated PDF passes, read from the PDF itself by independent tools.

``layout_problems(path)`` reads the glyphs' boxes with pdfplumber, the words' boxes with poppler's
``pdftotext -bbox``, the fonts with ``pdffonts`` and the visible signature with pikepdf, and lists what a reader
would see as wrong:

- a glyph outside its page;
- on a bilingual page, a word of the left (English) column running into the gutter or the right (Chinese)
  column, a Chinese glyph in the left column, or a word of the right column starting in the gutter. The Chinese
  column may hold Latin names (the firm, a store, a URL), so a Latin glyph there is judged by its position;
- a signature box that does not show the signing time and the signature's reason in full, or that lies over
  the page's own text;
- a font that is not embedded.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf

from portal.bundle.pdf.layout import GUTTER, MARGIN, PAGE_W

TOLERANCE = 0.5  # points: poppler's rounding of glyph boxes
HALF = (PAGE_W - 2 * MARGIN - GUTTER) / 2
LEFT_END, RIGHT_START = MARGIN + HALF, MARGIN + HALF + GUTTER
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
SIGNED_AT = re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4} \d{2}:\d{2} UTC")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed (Debian's poppler-utils).")
    return found


def _text(path: Path, *options: str) -> str:
    return subprocess.run([_tool("pdftotext"), *options, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


def glyphs_outside_pages(path: Path) -> list[str]:
    """Glyphs beyond the page's edges, read by pdfplumber (poppler clips them away)."""
    problems = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            outside = [c for c in page.chars if c["x0"] < -TOLERANCE or c["x1"] > page.width + TOLERANCE
                       or c["top"] < -TOLERANCE or c["bottom"] > page.height + TOLERANCE]  # fmt: skip
            if outside:
                text, reach = "".join(c["text"] for c in outside), max(c["x1"] for c in outside)
                problems.append(f"page {number}: “{text}” lies outside the page (to {reach:.1f} pt on a "
                                f"{page.width:.1f} pt page)")  # fmt: skip
    return problems


def column_crossings(path: Path) -> list[str]:
    """What crosses between the columns of a bilingual row. A row is bilingual where a word starts at the right
    column's edge after a clear gap; a word that reaches across that edge is a crossing in any row."""
    problems = []
    for number, (_width, _height, body) in enumerate(PAGE.findall(_text(path, "-bbox")), start=1):
        rows: dict[float, list[tuple[float, float, str]]] = {}
        for x_min, y_min, x_max, _y_max, word in WORD.findall(body):
            rows.setdefault(round(float(y_min)), []).append((float(x_min), float(x_max), word))
        for words in rows.values():
            if not any(abs(x_min - RIGHT_START) <= TOLERANCE for x_min, _, _ in words):
                continue  # no word at the right column's edge: a full-width row
            left = [(x_min, x_max, word) for x_min, x_max, word in words if x_min < RIGHT_START - TOLERANCE]
            for _, x_max, word in left:
                if x_max > RIGHT_START + TOLERANCE:
                    problems.append(f"page {number}: “{word}” runs from the English column into the Chinese one")
            if max((x_max for _, x_max, _ in left), default=0) <= RIGHT_START - GUTTER / 2:  # columns, not a line
                for _, x_max, word in left:
                    if x_max > LEFT_END + TOLERANCE:
                        problems.append(f"page {number}: “{word}” runs past the English column into the gutter")
                    elif CJK.search(word):
                        problems.append(f"page {number}: “{word}” is Chinese in the English column")
    return problems


def signature_box_problems(path: Path) -> list[str]:
    """Each visible signature's box, read on its own: it shows the signing time and the whole reason."""
    problems = []
    with pikepdf.open(path) as pdf:
        fields = [f for f in pdf.Root.get("/AcroForm", {}).get("/Fields", []) if f.get("/FT") == "/Sig"]
        for field in fields:
            reason = str(field.V.get("/Reason", "")) if "/V" in field else ""
            appearance = field.get("/AP", {}).get("/N")
            if appearance is None:
                problems.append("a signature has no visible box")
                continue
            box = [float(v) for v in field.Rect]
            alone = pikepdf.new()
            alone.add_blank_page(page_size=(box[2] - box[0], box[3] - box[1]))
            page = alone.pages[0]
            page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Sig=alone.copy_foreign(appearance)))
            page.Contents = alone.make_stream(b"q /Sig Do Q")
            single = path.with_name(path.stem + "-signature-box.pdf")
            alone.save(single)
            shown = " ".join(_text(single).split())
            single.unlink()
            if reason and " ".join(reason.split()) not in shown:
                problems.append(f"the signature box does not show its reason in full: “{reason}” (shows “{shown}”)")
            if not SIGNED_AT.search(shown):
                problems.append(f"the signature box does not show the signing time in full (shows “{shown}”)")
    return problems


def text_under_signatures(path: Path) -> list[str]:
    """Page text the visible signature box would cover: glyphs of the page's own content (pdfplumber reads the
    content stream, not the box's appearance) inside the box's rectangle."""
    problems = []
    with pikepdf.open(path) as pdf:
        boxes = []
        for field in (f for f in pdf.Root.get("/AcroForm", {}).get("/Fields", []) if f.get("/FT") == "/Sig"):
            page_ref = field.get("/P")
            index = next((n for n, page in enumerate(pdf.pages) if page_ref is not None
                          and page.obj.objgen == page_ref.objgen), 0)  # fmt: skip
            boxes.append((index, [float(v) for v in field.Rect]))
    if not boxes:
        return problems
    with pdfplumber.open(path) as document:
        for index, (left, bottom, right, top) in boxes:
            page = document.pages[index]
            covered = [c for c in page.chars if c["x1"] > left + TOLERANCE and c["x0"] < right - TOLERANCE
                       and page.height - c["top"] > bottom + TOLERANCE
                       and page.height - c["bottom"] < top - TOLERANCE]  # fmt: skip
            if covered:
                problems.append(f"page {index + 1}: the signature box covers “{''.join(c['text'] for c in covered)}”")
    return problems


def fonts_not_embedded(path: Path) -> list[str]:
    listing = subprocess.run([_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True).stdout
    problems = []
    for line in listing.splitlines()[2:]:
        columns = line.split()
        # name, type (one or two words), encoding, emb, sub, uni, object id, generation
        if len(columns) >= 7 and columns[-5] != "yes":
            problems.append(f"font {columns[0]} is not embedded")
    return problems


def layout_problems(path: Path) -> list[str]:
    """Everything the checks above find in the PDF at ``path``; empty when its layout is sound."""
    return [
        *glyphs_outside_pages(path),
        *column_crossings(path),
        *signature_box_problems(path),
        *text_under_signatures(path),
        *fonts_not_embedded(path),
    ]
