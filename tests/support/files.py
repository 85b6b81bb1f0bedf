"""Small real files of every kind the policy knows, made on the fly."""

from __future__ import annotations

import gzip
import io
import struct
import zipfile
import zlib

import pikepdf
import pillow_heif
from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfgen import canvas

pillow_heif.register_heif_opener()


def pdf_bytes(text: str = "Order confirmation 2026-0001", pages: int = 1) -> bytes:
    """A PDF of ``text`` per page, its font embedded as a real document's is (the portal's own, for Chinese too)."""
    from portal.bundle.pdf.layout import font_for

    buffer = io.BytesIO()
    font = font_for(text)
    pdf = canvas.Canvas(buffer, invariant=True, initialFontName=font)
    for number in range(pages):
        pdf.setFont(font, 12)
        pdf.drawString(72, 720, f"{text} (page {number + 1})")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def encrypted_pdf_bytes(*, user_password: str, owner_password: str = "owner-secret") -> bytes:
    source = pikepdf.open(io.BytesIO(pdf_bytes()))
    out = io.BytesIO()
    source.save(out, encryption=pikepdf.Encryption(user=user_password, owner=owner_password))
    return out.getvalue()


def image_bytes(fmt: str, size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def png_declaring_size(width: int, height: int) -> bytes:
    """A valid small PNG whose header is rewritten to claim another size (a decompression bomb)."""
    data = bytearray(image_bytes("PNG"))
    ihdr_start = 8 + 8  # signature, then length and type of the IHDR chunk
    data[ihdr_start : ihdr_start + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12 : ihdr_start + 13]))
    data[ihdr_start + 13 : ihdr_start + 17] = struct.pack(">I", crc)
    return bytes(data)


def png_with_text_chunk(text: bytes) -> bytes:
    """A PNG carrying ``text`` in a tEXt chunk (e.g. an HTML polyglot)."""
    data = image_bytes("PNG")
    chunk_body = b"Comment\x00" + text
    chunk = struct.pack(">I", len(chunk_body)) + b"tEXt" + chunk_body
    chunk += struct.pack(">I", zlib.crc32(b"tEXt" + chunk_body))
    return data[:33] + chunk + data[33:]


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


# A movie header box (mvhd, version 0): times, a 1000 Hz time scale, a 1 s duration, rate and volume.
MOVIE_HEADER = _box(b"mvhd", bytes(4) + bytes(8) + struct.pack(">II", 1000, 1000) + b"\x00\x01\x00\x00\x01\x00"
                    + bytes(10) + bytes(36) + bytes(24) + struct.pack(">I", 2))  # fmt: skip


def mp4_bytes() -> bytes:
    """An MP4 container: file type, movie header, and an (empty) media data box."""
    return _box(b"ftyp", b"mp42\x00\x00\x00\x00mp42isom") + _box(b"moov", MOVIE_HEADER) + _box(b"mdat", bytes(64))


def mov_bytes() -> bytes:
    return _box(b"ftyp", b"qt  \x00\x00\x00\x00qt  ") + _box(b"moov", MOVIE_HEADER) + _box(b"mdat", bytes(64))


def truncated_mp4_bytes() -> bytes:
    return mp4_bytes()[:-20]


WARC_RECORD = (
    b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://detail.1688.com/offer/1.html\r\n"
    b"Content-Length: 0\r\n\r\n"
)


def warc_gz_bytes() -> bytes:
    return gzip.compress(WARC_RECORD, mtime=0)


def wacz_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("datapackage.json", '{"profile": "data-package", "resources": []}')
        archive.writestr("archive/data.warc.gz", warc_gz_bytes())
    return buffer.getvalue()


def plain_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("setup.exe", b"MZ")
    return buffer.getvalue()


CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"  # Debian's fonts-wqy-microhei, as the bundles use


def scanned_pdf_bytes(lines: list[str], *, as_image: str = "") -> bytes:
    """An A4 page that is a picture of ``lines`` (Chinese included) and has no text layer, as a scanner makes
    it: a PDF, or with ``as_image`` ("PNG", "JPEG") the picture itself."""
    page = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(CJK_FONT, 36)
    for number, line in enumerate(lines):
        draw.text((100, 150 + number * 80), line, font=font, fill=0)
    out = io.BytesIO()
    page.save(out, as_image or "PDF", resolution=150)
    return out.getvalue()
