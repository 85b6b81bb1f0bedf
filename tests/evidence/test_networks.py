"""Seller identifiers in their normal forms, and the networks they tie sellers into."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from evidence.models import Seller, SellerLink
from evidence.networks import (
    networks_rebuild,
    seller_identifier_add,
    seller_identifier_withdraw,
    seller_link_decide,
)
from evidence.sellers.identifiers import InvalidIdentifier, identifier_key
from evidence.services import exhibit_upload
from tests.evidence.factories import SellerFactory
from tests.support import files as samples


@pytest.mark.parametrize("raw", ["+86 138-0013-8000", "13800138000", "0086 138 0013 8000", "+86 (138) 0013 8000"])
def test_phone_numbers_in_every_common_form_are_one_e164_number(raw):
    assert identifier_key("phone", raw) == "+8613800138000"


def test_a_number_that_is_not_a_phone_is_refused_with_a_reason():
    with pytest.raises(InvalidIdentifier, match="not a valid phone number"):
        identifier_key("phone", "12345")


def test_e_mail_addresses_are_case_folded_and_keep_dots_and_plus_tags():
    assert identifier_key("email", "Sales.Team+lamps@Example.COM") == "sales.team+lamps@example.com"
    assert identifier_key("email", "salesteam@example.com") != identifier_key("email", "sales.team@example.com")


def test_a_unified_social_credit_code_with_a_good_check_character_is_kept():
    assert identifier_key("uscc", "91350100m000100y43") == "91350100M000100Y43"


@pytest.mark.parametrize("code", ["91350100M000100Y44", "91350100M000100Y4", "91350100M000100I43"])
def test_a_bad_unified_social_credit_code_is_refused(code):
    with pytest.raises(InvalidIdentifier):
        identifier_key("uscc", code)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Shenzhen Glowhome Trading Co., Ltd.", "SHENZHEN GLOWHOME TRADING COMPANY LIMITED"),
        ("深圳市明峰數碼科技有限公司", "深圳市明峰数码科技有限公司"),
        ("深圳市明峰数码科技股份有限公司", "深圳市明峰数码科技"),
    ],
)
def test_company_name_variants_share_one_key(one, other):
    assert identifier_key("company", one) == identifier_key("company", other)


def test_a_legal_form_inside_a_word_stays():
    assert identifier_key("company", "Princeton Lamps Inc.") == "princetonlamps"


@pytest.mark.parametrize(
    ("kind", "raw", "key"),
    [
        ("wechat", "Glow_Lamps", "glow_lamps"),
        ("telegram", "@GlowLamps", "glowlamps"),
        ("whatsapp", "+86 138 2468 1357", "+8613824681357"),
        ("qq", "123456789", "123456789"),
        ("business_address", "Room 1203,  Building 5\nLonggang  District", "room 1203, building 5 longgang district"),
        ("return_address", "ＲＯＯＭ 8, Shenzhen", "room 8, shenzhen"),
        ("payment", "Shenzhen  Glowhome TRADING", "shenzhen glowhome trading"),
        ("domain", "https://www.Glowhome-Lighting.example/shop?id=1", "glowhome-lighting.example"),
    ],
)
def test_every_other_kind_has_one_normal_form(kind, raw, key):
    assert identifier_key(kind, raw) == key


@pytest.mark.parametrize(
    ("kind", "raw", "reason"),
    [
        ("qq", "0123", "not a QQ number"),
        ("wechat", "glow lamps!", "not a messaging handle"),
        ("domain", "localhost", "not a web domain"),
        ("email", "sales.glow.example", "not an e-mail address"),
        ("company", "Co., Ltd.", "no name left"),
    ],
)
def test_values_that_are_not_of_their_kind_are_refused_with_the_reason(kind, raw, reason):
    with pytest.raises(InvalidIdentifier, match=reason):
        identifier_key(kind, raw)


@pytest.fixture
def evidence_file(matter_a, staff):
    return exhibit_upload(matter=matter_a, upload=ContentFile(samples.pdf_bytes("Parcel label"), name="label.pdf"),
                          kind="parcel_photo", uploaded_by=staff)  # fmt: skip


def add(seller, kind, value, exhibit, **extra):
    return seller_identifier_add(seller=seller, kind=kind, value=value, exhibit=exhibit, **extra)


def network(seller) -> int | None:
    return Seller.objects.get(pk=seller.pk).network_id


def test_an_identifier_needs_the_evidence_that_shows_it(staff):
    with pytest.raises(ValidationError, match="Name the exhibit, capture or listing file"):
        seller_identifier_add(seller=SellerFactory(), kind="phone", value="13800138000", by=staff)


def test_an_invalid_value_is_refused_with_a_form_error_and_nothing_stored(evidence_file):
    with pytest.raises(ValidationError, match="not a valid Unified Social Credit Code"):
        add(SellerFactory(), "uscc", "91350100M000100Y44", evidence_file)


def test_sellers_sharing_a_strong_identifier_across_platforms_are_one_network_transitively(evidence_file):
    a, b, c = SellerFactory(platform="alibaba"), SellerFactory(platform="amazon"), SellerFactory(platform="ebay")
    add(a, "phone", "+86 138-0013-8000", evidence_file)
    add(b, "phone", "0086 138 0013 8000", evidence_file)
    add(b, "email", "Boss@Glow.example", evidence_file)
    add(c, "email", "boss@glow.example", evidence_file)
    assert network(a) == network(b) == network(c) == min(a.pk, b.pk, c.pk)


def test_a_weak_identifier_only_suggests_a_link_until_staff_confirm_it(evidence_file, staff):
    a, b = SellerFactory(), SellerFactory()
    add(a, "company", "Shenzhen Glowhome Trading Co., Ltd.", evidence_file)
    add(b, "company", "SHENZHEN GLOWHOME TRADING COMPANY LIMITED", evidence_file)
    link = SellerLink.objects.get()
    assert (link.decision, network(a), network(b)) == ("suggested", None, None)
    seller_link_decide(link=link, decision="confirmed", by=staff)
    assert network(a) == network(b) == min(a.pk, b.pk)


def test_withdrawing_the_identifier_that_tied_two_sellers_splits_them(evidence_file, staff):
    a, b, c = SellerFactory(), SellerFactory(), SellerFactory()
    add(a, "wechat", "glow_lamps", evidence_file)
    tie = add(b, "wechat", "Glow_Lamps", evidence_file)
    add(b, "payment", "Shenzhen Glowhome Trading", evidence_file)
    add(c, "payment", "shenzhen  glowhome trading", evidence_file)
    assert network(a) == network(b) == network(c)
    seller_identifier_withdraw(identifier=tie, by=staff, reason="Typed against the wrong store.")
    assert network(a) is None and network(b) == network(c) == min(b.pk, c.pk)


def test_a_rebuild_finds_the_same_networks_as_the_updates_made(evidence_file):
    sellers = [SellerFactory() for _ in range(6)]
    for first, second, phone in ((0, 1, "13800138001"), (1, 2, "13800138002"), (3, 4, "13800138003")):
        add(sellers[first], "phone", phone, evidence_file)
        add(sellers[second], "phone", phone, evidence_file)
    before = {s.pk: network(s) for s in sellers}
    Seller.objects.update(network_id=None)
    assert networks_rebuild() == 5
    assert {s.pk: network(s) for s in sellers} == before
