"""What each platform's reader takes from a product page, and the signs that a listing is gone."""

import json

import pytest

from evidence.capture.pages import read_page, removal_reason


def page(body: str, *, product: dict | None = None, meta: str = "") -> str:
    ld = f'<script type="application/ld+json">{json.dumps(product)}</script>' if product else ""
    return f"<!doctype html><html><head><title>Shop page</title>{meta}{ld}</head><body>{body}</body></html>"


PRODUCT = {
    "@context": "https://schema.org", "@type": "Product", "name": "Aurora Lamp Replica",
    "offers": {"@type": "Offer", "price": "24.9", "priceCurrency": "usd", "seller": {"name": "Glowhome"}},
}  # fmt: skip


def test_aliexpress_takes_json_ld_and_the_store_number_from_the_store_link():
    html = page('<h1>Lamp</h1><a href="https://www.aliexpress.com/store/1102345678?spm=x">Glowhome Store</a>',
                product=PRODUCT)  # fmt: skip
    facts = read_page("aliexpress", html, "https://www.aliexpress.com/item/1005001.html")
    assert facts.as_dict() == {
        "title": "Aurora Lamp Replica", "price": "24.90", "currency": "USD", "seller_name": "Glowhome",
        "store_id": "1102345678", "store_url": "https://www.aliexpress.com/store/1102345678",
    }  # fmt: skip


def test_amazon_reads_its_title_price_and_seller_link():
    html = page(
        '<span id="productTitle"> Dimmable  Lamp </span><span class="a-price"><span class="a-offscreen">£39.99'
        '</span></span><a id="sellerProfileTriggerId" href="/sp?ie=UTF8&seller=A2BRIGHT9">BrightDeals UK</a>'
    )
    facts = read_page("amazon", html, "https://www.amazon.co.uk/dp/B0TEST1234")
    assert (facts.title, facts.price, facts.seller_name, facts.store_id) == (
        "Dimmable Lamp", "39.99", "BrightDeals UK", "A2BRIGHT9")  # fmt: skip
    assert facts.store_url == "https://www.amazon.co.uk/sp"


def test_ebay_reads_the_item_title_and_the_seller_profile():
    html = page('<h1 class="x-item-title__mainTitle">AURORA lamp</h1><a href="/usr/lamp_outlet">lamp_outlet (12)</a>',
                meta='<meta property="product:price:amount" content="31.50">'
                     '<meta property="product:price:currency" content="usd">')  # fmt: skip
    facts = read_page("ebay", html, "https://www.ebay.com/itm/1234567890")
    assert (facts.title, facts.price, facts.currency, facts.store_id) == ("AURORA lamp", "31.50", "USD", "lamp_outlet")


def test_alibaba_takes_the_supplier_minisite():
    html = page('<h1>OEM lamp</h1><a href="https://glowhome.en.alibaba.com/">Shenzhen Glowhome Co., Ltd.</a>')
    facts = read_page("alibaba", html, "https://www.alibaba.com/product-detail/x_1600.html")
    assert (facts.title, facts.seller_name, facts.store_id) == ("OEM lamp", "Shenzhen Glowhome Co., Ltd.", "glowhome")


def test_taobao_takes_the_shop_host_and_chinese_text():
    html = page('<h1>北欧极光台灯</h1><a href="//shop123456789.taobao.com/">极光灯具专营店</a>')
    facts = read_page("taobao", html, "https://item.taobao.com/item.htm?id=1")
    assert (facts.title, facts.seller_name, facts.store_id) == (
        "北欧极光台灯",
        "极光灯具专营店",
        "shop123456789.taobao.com",
    )


def test_1688_takes_the_supplier_shop_but_not_its_own_detail_host():
    html = page('<h1>极光台灯 批发</h1><a href="https://detail.1688.com/offer/2.html">more</a>'
                '<a href="https://mingguang.1688.com/">深圳市明光照明有限公司</a>')  # fmt: skip
    facts = read_page("1688", html, "https://detail.1688.com/offer/1.html")
    assert (facts.store_id, facts.seller_name) == ("mingguang", "深圳市明光照明有限公司")


def test_a_page_without_structured_data_gives_its_title_only():
    assert read_page("aliexpress", page(""), "https://www.aliexpress.com/item/1.html").as_dict() == {
        "title": "Shop page"
    }


@pytest.mark.parametrize(("status", "said"), [(404, "404 Not Found"), (410, "410 Gone")])
def test_gone_statuses_confirm_removal(status, said):
    assert said in removal_reason(
        "amazon", status=status, page_html="", final_url="https://a/x", requested_url="https://a/x"
    )


def test_the_platforms_unavailable_wording_confirms_removal():
    html = page("<h1>Sorry, this item is no longer available</h1>")
    url = "https://www.aliexpress.com/item/1.html"
    assert "no longer available" in removal_reason("aliexpress", status=200, page_html=html, final_url=url,
                                                   requested_url=url)  # fmt: skip


def test_a_redirect_to_a_search_page_confirms_removal():
    reason = removal_reason("ebay", status=200, page_html=page(""), final_url="https://www.ebay.com/sch/i.html?_nkw=lamp",
                            requested_url="https://www.ebay.com/itm/123")  # fmt: skip
    assert "redirects to a search page" in reason


def test_a_live_product_page_is_not_removal():
    url = "https://www.aliexpress.com/item/1.html"
    assert removal_reason("aliexpress", status=200, page_html=page("<h1>Lamp</h1>", product=PRODUCT), final_url=url,
                          requested_url=url) == ""  # fmt: skip


def test_phone_numbers_and_e_mails_written_on_the_page_are_found_once_and_scripts_are_ignored():
    from evidence.capture.pages.contacts import contacts_in

    html = page("<p>Call +86 138 2468 1357 or 13824681357, mail Sales@Glow.example</p>"
                "<script>var hotline = '+86 139 0000 0000';</script>")  # fmt: skip
    assert contacts_in(html, "aliexpress") == [
        {"kind": "phone", "value": "+86 138 2468 1357"},
        {"kind": "email", "value": "Sales@Glow.example"},
    ]
