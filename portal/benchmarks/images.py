"""Image matching on the portal's test set: PDQ (``ownership.shared.image_fingerprints``) beside ``imagehash``'s
pHash, in one run.

    python -m portal.benchmarks.images --photos 100

Each of ``--photos`` distinct product-like photos (``portal.benchmarks.image_set``) is varied each way a listing
varies it. A variation found within the threshold of its own photo is a true match; one found within the
threshold of another photo, or two distinct photos matching, a false one. Prints recall for each variation,
precision overall, the matches between distinct photos, and fingerprints per second on one core.
PDQ is the portal's (``ownership.shared.image_fingerprints``: Meta's published threshold of 31 of 256 bits,
each stored photo kept as its central crops, each photo looked up by its rotations and flips, whole and without
its margins); "PDQ, one hash" is PDQ on the photo as given; pHash has no published threshold, so it is run at 8
of 64 bits (the same 12% of its bits) on the photo as given. Fingerprints a second count what is stored of a
photo (six PDQ hashes for the portal's).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import imagehash
import numpy as np
import pdqhash
from PIL import Image

from ownership.shared import image_fingerprints as pdq
from portal.benchmarks.image_set import TRANSFORMS, product_photo

PHASH_DISTANCE = 8


class Method:
    def __init__(self, name: str, stored: Callable, looked_up: Callable, close: Callable) -> None:
        self.name, self.stored, self.looked_up, self.close = name, stored, looked_up, close


def _one_pdq(photo: Image.Image) -> bytes:
    return np.packbits(pdqhash.compute(np.asarray(photo.convert("RGB")))[0].astype(np.uint8)).tobytes()


METHODS = (
    Method("PDQ", pdq.stored_fingerprints, pdq.lookup_fingerprints,
           lambda stored, found: stored is not None and found is not None and pdq.same_photo(stored, found)),
    Method("PDQ, one hash", _one_pdq, _one_pdq,
           lambda stored, found: pdq.distance(stored, found) <= pdq.MATCH_DISTANCE),
    Method("pHash", imagehash.phash, imagehash.phash, lambda stored, found: stored - found <= PHASH_DISTANCE),
)  # fmt: skip


def measure(method: Method, photos: list[Image.Image], varied: dict[str, list[Image.Image]]) -> dict:
    started = time.perf_counter()
    stored = [method.stored(photo) for photo in photos]
    speed = len(photos) / (time.perf_counter() - started)
    recall, false = {}, 0
    for name, copies in varied.items():
        found = [method.looked_up(copy) for copy in copies]
        recall[name] = sum(method.close(stored[n], found[n]) for n in range(len(photos))) / len(photos)
        false += sum(method.close(stored[m], found[n]) for n in range(len(photos)) for m in range(len(photos))
                     if m != n)  # fmt: skip
    originals = [method.looked_up(photo) for photo in photos]
    distinct = sum(method.close(stored[m], originals[n]) for n in range(len(photos)) for m in range(len(photos))
                   if m != n)  # fmt: skip
    true = sum(recall.values()) * len(photos)
    return {"recall": recall, "precision": true / (true + false + distinct) if true else 0.0,
            "false": false, "distinct": distinct, "speed": speed}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=100)
    args = parser.parse_args()
    photos = [product_photo(seed) for seed in range(args.photos)]
    varied = {name: [transform(photo) for photo in photos] for name, transform in TRANSFORMS.items()}
    results = {method.name: measure(method, photos, varied) for method in METHODS}
    print(f"{args.photos} photos, {len(TRANSFORMS)} variations each")
    print(f"{'recall':30}" + "".join(f"{name:>15}" for name in results))
    for variation in TRANSFORMS:
        print(f"  {variation:28}" + "".join(f"{r['recall'][variation]:15.2f}" for r in results.values()))
    allowed = [name for name in TRANSFORMS if name != "inside a page's screenshot"]
    print(
        f"{'recall, photo variations':30}"
        + "".join(f"{sum(r['recall'][v] for v in allowed) / len(allowed):15.3f}" for r in results.values())
    )
    print(f"{'precision':30}" + "".join(f"{r['precision']:15.3f}" for r in results.values()))
    print(f"{'variations matched to others':30}" + "".join(f"{r['false']:15}" for r in results.values()))
    print(f"{'distinct photos matched':30}" + "".join(f"{r['distinct']:15}" for r in results.values()))
    print(f"{'fingerprints a second (1 core)':30}" + "".join(f"{r['speed']:15.0f}" for r in results.values()))
    print("Targets: recall at least 0.95 on the photo variations, precision at least 0.99, no distinct photos")
    print("matched, at least 50 fingerprints a second per core.")


if __name__ == "__main__":
    main()
