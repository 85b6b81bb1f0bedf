import pytest
from django.core.exceptions import ValidationError

from evidence.models import Listing
from evidence.sellers.names import normalise_name
from evidence.sellers.urls import normalise_url
from evidence.services import listing_record, listing_set_status, seller_record
from tests.factories import MatterFactory


def test_seller_is_recognised_by_platform_id_under_a_new_name(db):
    first, _ = seller_record(platform="taobao", store_name="明峰数码旗舰店", platform_seller_id="2201234")
    again, created = seller_record(platform="taobao", store_name="星耀音频", platform_seller_id="2201234")
    assert (again, created) == (first, False)
    assert list(first.aliases.values_list("name", flat=True)) == ["星耀音频"]


def test_seller_is_recognised_by_store_url_variants(db):
    first, _ = seller_record(platform="alibaba", store_name="A", store_url="https://brightlamp.en.alibaba.com/")
    again, created = seller_record(
        platform="alibaba",
        store_name="B",
        store_url="http://www.brightlamp.en.alibaba.com?spm=a2700.7724857&tracelog=x",
    )
    assert (again, created) == (first, False)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Bright Lamp Store", "BRIGHT LAMP official store"),
        ("BrightLamp Co., Ltd.", "brightlamp"),
        ("明峰数码旗舰店", "明峰数码专卖店"),
        ("Ｂｒｉｇｈｔ　Ｌａｍｐ", "bright-lamp"),
    ],
)
def test_name_variants_of_one_seller_are_linked(db, first, second):
    a, _ = seller_record(platform="aliexpress", store_name=first)
    b, created = seller_record(platform="aliexpress", store_name=second)
    assert (b, created) == (a, False)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Sunshine Store", "Moonlight Store"),
        ("明峰旗舰店", "星光旗舰店"),
        ("Official Store", "Official Flagship Store"),  # nothing distinctive: never linked by name
        ("Lamp World Co., Ltd.", "Lamp Universe Co., Ltd."),
    ],
)
def test_sellers_sharing_only_common_words_are_not_linked(db, first, second):
    a, _ = seller_record(platform="aliexpress", store_name=first)
    b, created = seller_record(platform="aliexpress", store_name=second)
    assert created and a != b


def test_same_name_on_another_platform_is_another_seller(db):
    a, _ = seller_record(platform="amazon", store_name="BrightLamp")
    b, created = seller_record(platform="ebay", store_name="BrightLamp")
    assert created and a != b


def test_seller_history_lists_every_matter_under_any_name(db):
    one, two = MatterFactory(platforms=["aliexpress"]), MatterFactory(platforms=["aliexpress"])
    seller, _ = seller_record(platform="aliexpress", store_name="Bright Lamp Store", platform_seller_id="9")
    listing_record(matter=one, url="https://www.aliexpress.com/item/1005001.html", seller=seller)
    renamed, _ = seller_record(platform="aliexpress", store_name="Glow Home", platform_seller_id="9")
    listing_record(matter=two, url="https://www.aliexpress.com/item/1005002.html", seller=renamed)
    assert set(seller.history()) == {one, two}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://www.amazon.co.uk/Aurora-Lamp/dp/B0C1234567/ref=sr_1_1?keywords=lamp", "amazon.co.uk/dp/B0C1234567"),
        ("https://item.taobao.com/item.htm?spm=a1z10&id=6543210&ns=1", "http://item.taobao.com/item.htm?id=6543210"),
        ("https://www.ebay.co.uk/itm/Aurora-lamp/1234567890?hash=x", "https://ebay.co.uk/itm/1234567890"),
        (
            "https://m.1688.com/offer/612345.html#top",
            "https://detail.1688.com/offer/612345.html"[:0] + "1688.com/offer/612345.html",
        ),
    ],
)
def test_listing_url_variants_normalise_to_one(a, b):
    assert normalise_url(a) == normalise_url(b)


def test_different_items_do_not_normalise_together():
    assert normalise_url("https://item.taobao.com/item.htm?id=1") != normalise_url(
        "https://item.taobao.com/item.htm?id=2"
    )


def test_the_same_listing_is_one_row(db):
    matter = MatterFactory(platforms=["amazon"])
    seller, _ = seller_record(platform="amazon", store_name="Glow")
    first, _ = listing_record(matter=matter, url="https://www.amazon.com/dp/B0C1234567?th=1", seller=seller)
    again, created = listing_record(matter=matter, url="https://amazon.com/x/dp/B0C1234567/", seller=seller)
    assert (again, created) == (first, False)
    assert Listing.objects.count() == 1


def test_listing_seen_again_after_removal_is_flagged_reappeared(db):
    matter = MatterFactory(platforms=["amazon"])
    seller, _ = seller_record(platform="amazon", store_name="Glow")
    listing, _ = listing_record(matter=matter, url="https://www.amazon.com/dp/B0C1234567", seller=seller)
    listing_set_status(listing=listing, status=Listing.Status.REMOVED)
    again, _ = listing_record(matter=matter, url="https://www.amazon.com/dp/B0C1234567", seller=seller)
    assert again.status == Listing.Status.REAPPEARED


def test_listing_on_a_platform_the_matter_does_not_target_is_refused(db):
    matter = MatterFactory(platforms=["amazon"])
    seller, _ = seller_record(platform="ebay", store_name="Glow")
    with pytest.raises(ValidationError, match="does not target eBay"):
        listing_record(matter=matter, url="https://www.ebay.com/itm/1", seller=seller)


def test_normalised_name_keeps_chinese_core():
    assert normalise_name("深圳明峰音频有限公司") == "深圳明峰音频"
