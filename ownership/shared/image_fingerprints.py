"""Perceptual fingerprints of photos: PDQ, Meta's photo-matching hash, by the ``pdqhash`` binding of Meta's
reference implementation.

PDQ alone changes by more than its match threshold when a photo is cropped by a few per cent or carries a
store's watermark in a corner (measured: ``python -m portal.benchmarks.images``, figures in the README). So a
stored photo is kept as the fingerprints of its central crops (``STORED_CROPS``), and a photo looked up is
compared by its eight rotations and flips, whole and without its margins (``LOOKUP_CROPS``): a cropped copy
meets the stored crop of its size, a corner watermark falls outside the looked-up crop, a mirrored copy meets
its flip. A match is any pair within ``MATCH_DISTANCE`` bits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pdqhash
from PIL import Image

# Meta's published match threshold: python-threatexchange, signal_type/pdq (PDQ_CONFIDENT_MATCH_THRESHOLD = 31,
# "hashes of distance less than or equal to this threshold are considered a 'match'").
MATCH_DISTANCE = 31
# PDQ's quality score (0-100) of a nearly featureless image is low and its hash unreliable; python-threatexchange
# drops frames under 50 (VPDQ_CONFIDENT_QUALITY_THRESHOLD, on the same PDQ hash per frame).
MIN_QUALITY = 50
# Icons, platform logos and sprites: photos smaller than this on their shorter side are not fingerprinted. The
# portal's own choice (a product photo on the marketplaces' pages is hundreds of pixels a side).
MIN_SIDE = 120
# PDQ reduces every photo to 64 × 64; hashing from at most this many pixels a side is as exact and several
# times faster than from a full-size upload (measured with the benchmark).
WORKING_SIDE = 320
STORED_CROPS = (0.0, 0.05, 0.10, 0.15, 0.20, 0.30)  # shares of the width and height cut, half each side
LOOKUP_CROPS = (0.0, 0.30)


@dataclass(frozen=True)
class Fingerprints:
    """A photo's PDQ fingerprints (32 bytes each) and the quality PDQ gives the whole photo."""

    hashes: tuple[bytes, ...]
    quality: int


def _working(image: Image.Image) -> Image.Image:
    small = image.convert("RGB")
    small.thumbnail((WORKING_SIDE, WORKING_SIDE))
    return small


def _cut(image: Image.Image, share: float) -> np.ndarray:
    margin_x, margin_y = int(image.width * share / 2), int(image.height * share / 2)
    return np.asarray(image.crop((margin_x, margin_y, image.width - margin_x, image.height - margin_y)))


def _packed(vector: np.ndarray) -> bytes:
    return np.packbits(vector.astype(np.uint8)).tobytes()


def _usable(image: Image.Image) -> Image.Image | None:
    if min(image.size) < MIN_SIDE:
        return None
    small = _working(image)
    return small if pdqhash.compute(np.asarray(small))[1] >= MIN_QUALITY else None


def stored_fingerprints(image: Image.Image) -> Fingerprints | None:
    """What is kept of a photo to be found again; None for one too small or too featureless to match."""
    small = _usable(image)
    if small is None:
        return None
    computed = [pdqhash.compute(_cut(small, share)) for share in STORED_CROPS]
    return Fingerprints(tuple(_packed(vector) for vector, _quality in computed), int(computed[0][1]))


def lookup_fingerprints(image: Image.Image) -> Fingerprints | None:
    """What a photo is looked up by: its rotations and flips, whole and without its margins."""
    small = _usable(image)
    if small is None:
        return None
    hashes: list[bytes] = []
    for share in LOOKUP_CROPS:
        vectors, _quality = pdqhash.compute_dihedral(_cut(small, share))
        hashes += [_packed(vector) for vector in vectors]
    return Fingerprints(tuple(hashes), MIN_QUALITY)


def distance(first: bytes, second: bytes) -> int:
    """Bits that differ between two fingerprints."""
    return (int.from_bytes(first, "big") ^ int.from_bytes(second, "big")).bit_count()


def same_photo(stored: Fingerprints, looked_up: Fingerprints) -> bool:
    return any(distance(a, b) <= MATCH_DISTANCE for a in stored.hashes for b in looked_up.hashes)
