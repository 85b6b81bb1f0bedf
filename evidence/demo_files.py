"""Small, realistic evidence files generated for the demo (listing captures, orders, photos, comparisons)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def document(title: str, lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(60, 770, title)
    c.setFont("Helvetica", 11)
    for number, line in enumerate(lines):
        c.drawString(60, 740 - 18 * number, line)
    c.showPage()
    c.save()
    return buffer.getvalue()


def photo(caption: str, colour: tuple[int, int, int], size: tuple[int, int] = (1200, 900)) -> bytes:
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle([size[0] // 4, size[1] // 4, 3 * size[0] // 4, 3 * size[1] // 4], outline="white", width=12)
    draw.text((40, 40), caption, fill="white")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
