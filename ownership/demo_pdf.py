"""One-page PDFs standing in for exported documents in the demo (fonts embedded, with a text layer), and pictures
of pages standing in for scans (no text layer: the portal's OCR reads them)."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

DEMO_FONT = "DemoText"


def _font() -> str:
    """The CJK font (it has Latin glyphs too), else the Latin one; Helvetica only on a machine with neither."""
    if DEMO_FONT in pdfmetrics.getRegisteredFontNames():
        return DEMO_FONT
    for candidate in (settings.PORTAL_CJK_FONT, settings.PORTAL_LATIN_FONT):
        if Path(candidate).exists():
            pdfmetrics.registerFont(TTFont(DEMO_FONT, candidate, subfontIndex=0))
            return DEMO_FONT
    return "Helvetica"


def demo_pdf(title: str, lines: list[str]) -> bytes:
    font = _font()
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1, initialFontName=font)
    c.setFont(font, 16)
    c.drawString(60, 770, title)
    c.setFont(font, 11)
    for number, line in enumerate(lines):
        c.drawString(60, 740 - 18 * number, line)
    c.showPage()
    c.save()
    return buffer.getvalue()


def demo_scan(lines: list[str]) -> bytes:
    """An A4 page at 150 dpi that is only a picture of ``lines``, as a scanner makes it."""
    page = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(page)
    font_path = settings.PORTAL_CJK_FONT if Path(settings.PORTAL_CJK_FONT).exists() else None
    for number, line in enumerate(lines):
        size = 44 if number == 0 else 32
        font = ImageFont.truetype(font_path, size) if font_path else ImageFont.load_default()
        draw.text((110, 160 + number * 72), line, font=font, fill=0)
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=150)
    return buffer.getvalue()
