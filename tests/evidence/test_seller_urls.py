"""One rule for a listing's address and its key: the key of an address is the key of its cleaned address."""

import pytest

from evidence.sellers.urls import InvalidAddress, listing_address, normalise_url

SPELLINGS = [
    "https://www.aliexpress.com/item/1005001234567890.html?spm=a2g0o.detail&gatewayAdapt=glo2usa#reviews",
    "https://m.aliexpress.com/item/1005001234567890.html?utm_source=x",
    "HTTPS://WWW.ALIEXPRESS.COM/item/1005001234567890.html",
    "www.aliexpress.com/item/1005001234567890.html",
    "https://www.amazon.co.uk/Glow-Lamp/dp/B0CAURORA1/ref=sr_1_1?crid=2X&qid=1&sr=8-1&th=1",
    "https://www.amazon.co.uk/gp/product/B0CAURORA1?pf_rd_r=ABC&psc=1",
    "https://www.ebay.com/itm/Aurora-lamp/256012345678?_trksid=p2047675&mkevt=1",
    "https://m.ebay.com/itm/256012345678",
    "https://item.taobao.com/item.htm?spm=a21bo.1&id=712345678901&ns=1",
    "https://detail.1688.com/offer/654321987654.html?offerId=654321987654&sk=consumer",
]


@pytest.mark.parametrize("raw", SPELLINGS)
def test_the_key_of_an_address_is_the_key_of_its_cleaned_address(raw):
    assert normalise_url(listing_address(raw)) == normalise_url(raw)


@pytest.mark.parametrize("raw", SPELLINGS)
def test_no_tracking_parameter_reaches_the_address_or_the_key(raw):
    for value in (listing_address(raw), normalise_url(raw)):
        assert not any(word in value.lower() for word in ("spm=", "utm_", "_trksid", "pf_rd_", "qid=", "crid="))
        assert "#" not in value


def test_spellings_of_one_page_share_one_key():
    keys = {normalise_url(raw) for raw in SPELLINGS[:4]}
    assert keys == {"https://aliexpress.com/item/1005001234567890.html"}
    assert normalise_url(SPELLINGS[4]) == normalise_url(SPELLINGS[5]) == "https://amazon.co.uk/dp/B0CAURORA1"
    assert normalise_url(SPELLINGS[6]) == normalise_url(SPELLINGS[7]) == "https://ebay.com/itm/256012345678"


def test_the_mobile_aliexpress_address_is_kept_as_the_desktop_one():
    assert listing_address(SPELLINGS[1]) == "https://www.aliexpress.com/item/1005001234567890.html"


def test_a_parameter_that_identifies_the_item_is_kept_in_both():
    assert listing_address(SPELLINGS[8]) == "https://item.taobao.com/item.htm?id=712345678901&ns=1"
    assert normalise_url(SPELLINGS[8]) == "https://item.taobao.com/item.htm?id=712345678901"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("ftp://files.example.com/x", r"Only web addresses \(http or https\) are accepted"),
        ("https://user:secret@www.ebay.com/itm/256012345678", "carries a user name or password"),
        ("https://:80/x", "has no host"),
    ],
)
def test_what_is_not_a_web_page_is_refused_with_the_reason(raw, reason):
    with pytest.raises(InvalidAddress, match=reason):
        listing_address(raw)
