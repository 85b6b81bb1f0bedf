"""The image-matching test set: product-like photos drawn with Pillow, and the ways listings vary them.

Each photo is a seeded scene (a backdrop, a lamp-like product of several shapes with shading, a base and a
label, and a grain): the same seed gives the same photo, another seed a distinct one. ``TRANSFORMS`` are the
variations issue 30 lists: resized, cropped by 5-15%, re-compressed at JPEG quality 40, a store's watermark,
mirrored, colour-shifted, and shown inside a web page's screenshot.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageOps

SIZE = 800


def product_photo(seed: int) -> Image.Image:
    rng = random.Random(seed)  # noqa: S311 - a drawing, seeded to be the same each run
    top, bottom = (tuple(rng.randrange(40, 250) for _ in range(3)) for _ in range(2))
    ramp = np.linspace(0, 1, SIZE)[:, None, None]
    backdrop = (np.array(top) * (1 - ramp) + np.array(bottom) * ramp).repeat(SIZE, axis=1)
    photo = Image.fromarray(backdrop.astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(photo)
    for _ in range(rng.randrange(60, 120)):  # a textured setting: the table, shelf and props of a real shot
        x, y = rng.randrange(0, SIZE), rng.randrange(0, SIZE)
        tone = tuple(max(0, min(255, c + rng.randrange(-60, 60))) for c in (top if y < SIZE // 2 else bottom))
        draw.rectangle((x, y, x + rng.randrange(4, 60), y + rng.randrange(4, 60)), fill=tone)
    colour = tuple(rng.randrange(0, 256) for _ in range(3))
    centre = rng.randrange(250, 550)
    for _ in range(rng.randrange(3, 7)):  # the product: overlapping shapes, lit from one side
        left, upper = centre - rng.randrange(40, 220), rng.randrange(80, 600)
        box = (left, upper, left + rng.randrange(60, 300), upper + rng.randrange(40, 200))
        shade = tuple(max(0, min(255, c + rng.randrange(-70, 70))) for c in colour)
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=shade)
    draw.rectangle((centre - 160, 680, centre + 160, 720), fill=tuple(c // 2 for c in colour))
    draw.text((40, 40), f"MODEL {seed:04d}", fill=(255, 255, 255))
    grain = np.random.default_rng(seed).normal(0, 6, (SIZE, SIZE, 3))
    return Image.fromarray(np.clip(np.asarray(photo, dtype=float) + grain, 0, 255).astype(np.uint8), "RGB")


def _jpeg(photo: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def _cropped(photo: Image.Image, share: float) -> Image.Image:
    cut = int(photo.width * share / 2)
    return photo.crop((cut, cut, photo.width - cut, photo.height - cut))


def _watermarked(photo: Image.Image) -> Image.Image:
    marked = photo.copy()
    draw = ImageDraw.Draw(marked, "RGBA")
    draw.rectangle((marked.width - 230, marked.height - 90, marked.width - 20, marked.height - 20),
                   fill=(255, 255, 255, 150))  # fmt: skip
    draw.text((marked.width - 210, marked.height - 65), "BEST-DEALS STORE", fill=(200, 0, 0, 255))
    return marked


def _colour_shifted(photo: Image.Image) -> Image.Image:
    warmer = Image.merge("RGB", [band.point(lambda v, k=k: min(255, int(v * k))) for band, k in
                                 zip(photo.split(), (1.12, 1.0, 0.88), strict=True)])  # fmt: skip
    return ImageEnhance.Brightness(ImageEnhance.Contrast(warmer).enhance(1.1)).enhance(1.05)


def _in_a_page(photo: Image.Image) -> Image.Image:
    """A listing page's screenshot: a header, the photo at 55% beside the title and price, text below."""
    page = Image.new("RGB", (1280, 900), (255, 255, 255))
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 1280, 70), fill=(255, 106, 0))
    page.paste(photo.resize((440, 440)), (60, 120))
    for line in range(12):
        draw.rectangle((560, 130 + 40 * line, 560 + 600 - 30 * (line % 4), 150 + 40 * line), fill=(210, 210, 210))
    return page


TRANSFORMS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "resized to half": lambda photo: photo.resize((SIZE // 2, SIZE // 2)),
    "cropped 5%": lambda photo: _cropped(photo, 0.05),
    "cropped 15%": lambda photo: _cropped(photo, 0.15),
    "JPEG quality 40": lambda photo: _jpeg(photo, 40),
    "store watermark": _watermarked,
    "mirrored": ImageOps.mirror,
    "colour-shifted": _colour_shifted,
    "inside a page's screenshot": _in_a_page,
}
