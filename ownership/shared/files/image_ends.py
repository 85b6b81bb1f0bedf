"""Where an image file's own data ends, so bytes appended after it (a hidden second file) can be refused.

Pillow decodes the pixels but does not say whether anything follows the image. These walkers follow each
format's own framing, a segment or chunk at a time, without decoding: JPEG markers up to End Of Image (a
second JPEG right after it is a multi-picture file's next image, and counts as part of it), PNG chunks up to
IEND, and the RIFF length of a WebP. HEIC files end where their container says and are not walked here.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

READ = 64 * 1024


def image_end(stream: BinaryIO, content_type: str) -> int | None:
    """The offset just past the image's last byte, or None when the format is not walked (or is malformed:
    the decoder has already accepted the pixels, and a malformed frame is refused by the caller's size check)."""
    stream.seek(0)
    try:
        if content_type == "image/jpeg":
            return _jpeg_end(stream)
        if content_type == "image/png":
            return _png_end(stream)
        if content_type == "image/webp":
            return _webp_end(stream)
        return None
    finally:
        stream.seek(0)


def _jpeg_end(stream: BinaryIO) -> int | None:
    end = _one_jpeg_end(stream, 0)
    while end is not None:  # multi-picture (MPF) files hold further JPEGs back to back
        stream.seek(end)
        following = stream.read(2)
        if following != b"\xff\xd8":
            return end
        end = _one_jpeg_end(stream, end)
    return None


def _one_jpeg_end(stream: BinaryIO, start: int) -> int | None:
    stream.seek(start)
    if stream.read(2) != b"\xff\xd8":
        return None
    position = start + 2
    while True:
        stream.seek(position)
        marker = stream.read(2)
        if len(marker) < 2 or marker[0] != 0xFF:
            return None
        kind = marker[1]
        if kind == 0xD9:  # End Of Image
            return position + 2
        if kind == 0xFF:  # fill byte before a marker
            position += 1
            continue
        if 0xD0 <= kind <= 0xD7 or kind == 0x01:  # markers without a length
            position += 2
            continue
        length_bytes = stream.read(2)
        if len(length_bytes) < 2:
            return None
        position += 2 + struct.unpack(">H", length_bytes)[0]
        if kind == 0xDA:  # Start Of Scan: entropy-coded data runs to the next marker that is not 00 or RSTn
            after = _after_scan(stream, position)
            if after is None:
                return None
            position = after


def _after_scan(stream: BinaryIO, position: int) -> int | None:
    stream.seek(position)
    previous_ff = False
    offset = position
    while chunk := stream.read(READ):
        for index, byte in enumerate(chunk):
            if previous_ff and byte != 0x00 and not 0xD0 <= byte <= 0xD7 and byte != 0xFF:
                return offset + index - 1
            previous_ff = byte == 0xFF
        offset += len(chunk)
    return None


def _png_end(stream: BinaryIO) -> int | None:
    if stream.read(8) != b"\x89PNG\r\n\x1a\n":
        return None
    position = 8
    while True:
        stream.seek(position)
        header = stream.read(8)
        if len(header) < 8:
            return None
        length, kind = struct.unpack(">I4s", header)
        position += 12 + length  # length, type, data, CRC
        if kind == b"IEND":
            return position


def _webp_end(stream: BinaryIO) -> int | None:
    header = stream.read(12)
    if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != b"WEBP":
        return None
    size = struct.unpack("<I", header[4:8])[0]
    return 8 + size + (size & 1)
