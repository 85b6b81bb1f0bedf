"""Text layout for generated pages: embedded fonts, wrapping of mixed Latin and Chinese text, a cursor.

Every font the bundle uses is embedded (the UK e-bundle guidance wants a self-contained file): Latin text in
``PORTAL_LATIN_FONT`` / ``PORTAL_LATIN_BOLD_FONT``, Chinese in ``PORTAL_CJK_FONT``.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from portal.bundle.errors import BundleError

PAGE_W, PAGE_H = A4
MARGIN = 20 * mm
STRIP = 9 * mm  # the bottom of every page as displayed holds the stamp; generated pages keep their margin clear
GUTTER = 8 * mm  # between the columns of a bilingual page
NAVY = colors.HexColor("#1b2a41")
GREY = colors.HexColor("#666666")

LATIN, LATIN_BOLD, CJK = "PortalSans", "PortalSans-Bold", "PortalCJK"
_FONT_SETTINGS = {
    LATIN: ("PORTAL_LATIN_FONT", "fonts-dejavu-core"),
    LATIN_BOLD: ("PORTAL_LATIN_BOLD_FONT", "fonts-dejavu-core"),
    CJK: ("PORTAL_CJK_FONT", "fonts-wqy-microhei"),
}
# Characters from CJK radicals on: the Latin font has no glyphs for them.
_CJK_RANGES = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_CHAR = re.compile(f"[{_CJK_RANGES}]")
# Break opportunities: runs of spaces, single CJK characters, and Latin words between them.
_TOKEN = re.compile(f" +|[{_CJK_RANGES}]|[^ {_CJK_RANGES}]+")
# Chinese punctuation that never starts a line (the simplest kinsoku rule): it hangs at the end of the line.
_NO_LINE_START = frozenset("，。、；：？！）》」』”’…")


def needs_cjk(text: str) -> bool:
    return bool(_CJK_CHAR.search(text or ""))


def register_font(name: str) -> str:
    if name not in pdfmetrics.getRegisteredFontNames():
        setting, package = _FONT_SETTINGS[name]
        path = Path(getattr(settings, setting))
        if not path.exists():
            raise BundleError(
                f"The font {path} is missing on the worker. Install Debian's {package} or set {setting} to a "
                "TrueType font."
            )
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
    return name


def font_for(text: str, bold: bool = False) -> str:
    """The embedded font for a line: the CJK font (which has Latin glyphs too) when it holds Chinese."""
    if needs_cjk(text):
        return register_font(CJK)
    return register_font(LATIN_BOLD if bold else LATIN)


def text_width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy wrapping: Latin words break at spaces, Chinese between characters, an over-long token (a URL) anywhere.

    Widths add up token by token (TrueType widths are additive), so a line is measured once, not per candidate.
    """
    if not text:
        return [""]
    lines: list[str] = []
    current, current_width = "", 0.0
    gap, gap_width = "", 0.0  # spaces seen since the last word, kept only if another word follows on the line
    for token in _TOKEN.findall(text):
        token_width = text_width(token, font, size)
        if token.isspace():
            if current:
                gap, gap_width = gap + token, gap_width + token_width
            continue
        if current and (current_width + gap_width + token_width <= width or token in _NO_LINE_START):
            current, current_width = current + gap + token, current_width + gap_width + token_width
        else:
            if current:
                lines.append(current)
            current, current_width = token, token_width
            while current_width > width:  # one token wider than the line: cut it
                cut = max(1, int(len(current) * width / current_width) - 1)
                lines.append(current[:cut])
                current = current[cut:]
                current_width = text_width(current, font, size)
        gap, gap_width = "", 0.0
    lines.append(current)
    return lines


def new_canvas(path: Path, title: str, pagesize=A4) -> canvas.Canvas:
    """A canvas in invariant mode: the same inputs give the same bytes."""
    c = canvas.Canvas(
        str(path), pagesize=pagesize, invariant=1, pageCompression=1, initialFontName=register_font(LATIN)
    )  # not Helvetica, which is never embedded
    c.setTitle(title)
    c.setAuthor("")
    c.setCreator("Evidence Portal")
    return c


class Writer:
    """A canvas with a cursor: wraps text, breaks pages, picks the embedded font for each line."""

    def __init__(self, path: Path, title: str, heading: str = "", first_page_floor: float = MARGIN):
        """``first_page_floor``: how far up page 1 the text stops, to keep room for a visible signature."""
        self.c = new_canvas(path, title)
        self.heading = heading
        self.first_page_floor = first_page_floor
        self.pages = 0
        self._new_page()

    def _new_page(self) -> None:
        self.pages += 1
        self.y = PAGE_H - MARGIN
        if self.heading:
            self.text(self.heading, size=8, color=GREY)
            self.y -= 4

    def page_break(self) -> None:
        self.c.showPage()
        self._new_page()

    def ensure(self, height: float) -> None:
        """Start a new page unless ``height`` points still fit above the bottom margin."""
        floor = self.first_page_floor if self.pages == 1 else MARGIN
        if self.y - height < floor:
            self.page_break()

    def text(self, value: str, *, size: float = 10, bold: bool = False, color=colors.black, indent: float = 0,
             gap: float = 3) -> None:  # fmt: skip
        width = PAGE_W - 2 * MARGIN - indent
        for paragraph in (value or "").split("\n"):
            font = font_for(paragraph, bold)  # each line drawn in the font it was measured in, so it fits
            for line in wrap(paragraph, font, size, width):
                self.ensure(size + gap)
                self.c.setFont(font, size)
                self.c.setFillColor(color)
                self.c.drawString(MARGIN + indent, self.y - size, line)
                self.y -= size + gap
        self.c.setFillColor(colors.black)

    def columns(self, left: str, right: str, *, size: float = 10, bold: bool = False, gap: float = 3) -> None:
        """Two texts side by side (a translation beside its original), each wrapped to half the width; the
        taller decides where the next row starts."""
        half = (PAGE_W - 2 * MARGIN - GUTTER) / 2
        left_font, right_font = font_for(left, bold), font_for(right, bold)
        left_lines = wrap(left, left_font, size, half)
        right_lines = wrap(right, right_font, size, half)
        rows = max(len(left_lines), len(right_lines))
        if rows * (size + gap) < (PAGE_H - 2 * MARGIN) / 3:  # a short paragraph is not split across pages
            self.ensure(rows * (size + gap))
        for index in range(rows):
            self.ensure(size + gap)
            for x, lines, font in ((MARGIN, left_lines, left_font), (MARGIN + half + GUTTER, right_lines, right_font)):
                if index < len(lines):
                    self.c.setFont(font, size)  # the font each line was measured in, so it stays in its column
                    self.c.drawString(x, self.y - size, lines[index])
            self.y -= size + gap

    def title(self, value: str, size: float = 16) -> None:
        self.text(value, size=size, bold=True, color=NAVY, gap=4)

    def field(self, label: str, value: str, *, size: float = 10) -> None:
        """One label/value row: a small grey label above its value (a dash for an empty value)."""
        self.ensure(8 + size + 8)
        self.text(label, size=8, color=GREY, gap=1)
        self.text(value or "—", size=size, gap=6)

    def space(self, points: float) -> None:
        self.y -= points

    def rule(self) -> None:
        self.c.setStrokeColor(NAVY)
        self.c.line(MARGIN, self.y, PAGE_W - MARGIN, self.y)
        self.y -= 8

    def finish(self) -> int:
        self.c.save()
        return self.pages
