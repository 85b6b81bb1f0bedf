"""Photo fingerprints (PDQ) find a photo again however a listing varies it, and never confuse distinct photos."""

import pytest
from PIL import Image

from ownership.shared.image_fingerprints import lookup_fingerprints, same_photo, stored_fingerprints
from portal.benchmarks.image_set import TRANSFORMS, product_photo

PHOTOS = [product_photo(seed) for seed in range(6)]
STORED = [stored_fingerprints(photo) for photo in PHOTOS]
PHOTO_VARIATIONS = [name for name in TRANSFORMS if name != "inside a page's screenshot"]


@pytest.mark.parametrize("variation", PHOTO_VARIATIONS)
def test_a_varied_copy_matches_its_photo_and_no_other(variation):
    for number, photo in enumerate(PHOTOS):
        found = lookup_fingerprints(TRANSFORMS[variation](photo))
        assert [same_photo(stored, found) for stored in STORED] == [n == number for n in range(len(PHOTOS))]


def test_distinct_photos_never_match():
    looked_up = [lookup_fingerprints(photo) for photo in PHOTOS]
    matches = [(m, n) for m, stored in enumerate(STORED) for n, found in enumerate(looked_up)
               if m != n and same_photo(stored, found)]  # fmt: skip
    assert matches == []


def test_an_icon_is_not_fingerprinted():
    assert stored_fingerprints(PHOTOS[0].resize((64, 64))) is None


def test_a_featureless_image_is_not_fingerprinted():
    assert stored_fingerprints(Image.new("RGB", (600, 600), (240, 240, 240))) is None
