"""Small, realistic evidence files generated for the demo (listing captures, orders, photos, comparisons)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from ownership.demo_pdf import demo_pdf


def document(title: str, lines: list[str]) -> bytes:
    return demo_pdf(title, lines)


def photo(caption: str, colour: tuple[int, int, int], size: tuple[int, int] = (1200, 900)) -> bytes:
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle([size[0] // 4, size[1] // 4, 3 * size[0] // 4, 3 * size[1] // 4], outline="white", width=12)
    draw.text((40, 40), caption, fill="white")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
