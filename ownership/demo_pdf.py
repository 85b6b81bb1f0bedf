"""One-page PDFs standing in for scanned or exported documents in the demo, with their fonts embedded."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
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
