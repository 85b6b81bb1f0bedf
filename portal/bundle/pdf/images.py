"""Oversized images in an exhibit PDF, re-encoded at 300 dpi for the bundle's copy only.

A scan made at 600 dpi carries four times the pixels a printed page shows. The bundle fits every exhibit page
into A4 at no more than its own size, so no image on it prints larger than the page's longest side, nor larger
than A4's: an image with more pixels than 300 dpi over that length exceeds 300 dpi wherever it sits, and is
re-encoded to exactly that (never below 300 dpi where it is printed). The stored original is never touched;
the manifest says which exhibits' copies were optimised.
"""

from __future__ import annotations

import io
from typing import cast

import pikepdf
from PIL import Image
from reportlab.lib.pagesizes import A4

MAX_DPI = 300  # UK e-bundle guidance: images at no more than 300 dpi (shared/platform-facts.md, UK electronic bundles)
JPEG_QUALITY = 85
_PLAIN_SPACES = {"/DeviceRGB": "RGB", "/DeviceGray": "L"}


def _mode(raw: pikepdf.Stream) -> str | None:
    """The Pillow mode an image is re-encoded in, or None when it is not a plain 8-bit picture (masks, 1-bit
    scans, indexed or CMYK colour keep their own encoding)."""
    if raw.get("/BitsPerComponent") != 8 or raw.get("/ImageMask") or "/SMask" in raw or "/Mask" in raw:
        return None
    if "/Decode" in raw:
        return None
    filters = raw.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)] if filters else []
    if names not in (["/DCTDecode"], ["/FlateDecode"], []):
        return None
    space = raw.get("/ColorSpace")
    if isinstance(space, pikepdf.Name):
        return _PLAIN_SPACES.get(str(space))
    if isinstance(space, pikepdf.Array) and len(space) == 2 and space[0] == "/ICCBased":
        return {1: "L", 3: "RGB"}.get(int(space[1].get("/N", 0)))
    return None


def _decoded(raw: pikepdf.Stream, size: tuple[int, int]) -> Image.Image:
    if raw.get("/Filter") == "/DCTDecode":
        picture = Image.open(io.BytesIO(raw.read_raw_bytes()))
        picture.draft(picture.mode, size)  # decode a JPEG at a reduced scale (1/2, 1/4, 1/8), never below ``size``
        return picture
    return pikepdf.PdfImage(raw).as_pil_image()


def downsample_images(pdf: pikepdf.Pdf) -> int:
    """Re-encode at 300 dpi the images of ``pdf`` that exceed it however they are placed; returns how many."""
    done: set[tuple[int, int]] = set()
    for page in pdf.pages:
        box = page.mediabox
        page_longest = max(abs(float(box[2]) - float(box[0])), abs(float(box[3]) - float(box[1])))
        limit = int(min(page_longest, max(A4)) / 72 * MAX_DPI)
        for found in page.get_images().values():  # those inside form XObjects too
            raw = cast(pikepdf.Stream, found)
            if raw.objgen in done or max(int(raw.Width), int(raw.Height)) <= limit:
                continue
            mode = _mode(raw)
            if mode is None:
                continue
            scale = limit / max(int(raw.Width), int(raw.Height))
            size = (max(1, round(int(raw.Width) * scale)), max(1, round(int(raw.Height) * scale)))
            with _decoded(raw, size) as picture:
                picture = picture.convert(mode)
                if picture.size != size:
                    picture = picture.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)
                encoded = io.BytesIO()
                picture.save(encoded, "JPEG", quality=JPEG_QUALITY)
                width, height = picture.size
            raw.write(encoded.getvalue(), filter=pikepdf.Name.DCTDecode)
            raw.Width, raw.Height = width, height
            if "/DecodeParms" in raw:
                del raw["/DecodeParms"]
            done.add(raw.objgen)
    return len(done)
