"""Listing files that name who is behind a store: phones, e-mails, companies… are recorded as seller
identifiers with the kept file as their evidence, and link stores into networks like any other identifier."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from evidence.intake.importing import listing_import_prepare, listing_import_run
from evidence.models import ListingImport, Seller, SellerIdentifier
from tests.factories import MatterFactory

ALI = "https://www.aliexpress.com/item/10050012345{}.html"
FILE = (
    "Listing URL,Seller,Phone,E-mail,Company,统一社会信用代码\n"
    f"{ALI.format(1)},Glowhome Lighting Store,+86 138-0013-8000,Sales@Glowhome.example,"
    "Shenzhen Glowhome Trading Co.; Ltd.,\n"
    f"{ALI.format(2)},Deskglow Official,0086 138 0013 8000,,,91350100M000100Y44\n"
)


@pytest.fixture
def matter(holder_a):
    return MatterFactory(rights_holder=holder_a, platforms=["aliexpress"])


def imported(matter, staff, content=FILE) -> ListingImport:
    upload = ContentFile(content.encode(), name="monitoring.csv")
    return listing_import_run(listing_import=listing_import_prepare(matter=matter, by=staff, upload=upload), by=staff)


def test_the_preview_says_how_many_identifiers_it_found_and_which_it_skips(matter, staff):
    prepared = listing_import_prepare(matter=matter, by=staff, upload=ContentFile(FILE.encode(), name="m.csv"))
    lines = "\n".join(prepared.preview)
    assert "Seller identifiers: 4 found" in lines
    assert "row 3: Unified Social Credit Code “91350100M000100Y44” skipped:" in lines
    assert "check character" in lines and "2 rows read: 2 new listings" in lines


def test_identifiers_are_recorded_with_the_file_as_their_evidence(matter, staff):
    listing_import = imported(matter, staff)
    glowhome = Seller.objects.get(store_name="Glowhome Lighting Store")
    recorded = {(i.kind, i.value): i for i in SellerIdentifier.objects.filter(seller=glowhome)}
    assert set(recorded) == {
        ("phone", "+86 138-0013-8000"), ("email", "Sales@Glowhome.example"),
        ("company", "Shenzhen Glowhome Trading Co.; Ltd."),
    }  # fmt: skip
    assert all(i.listing_import == listing_import for i in recorded.values())


def test_a_phone_shared_in_the_file_puts_both_stores_in_one_network(matter, staff):
    imported(matter, staff)
    glowhome = Seller.objects.get(store_name="Glowhome Lighting Store")
    deskglow = Seller.objects.get(store_name="Deskglow Official")
    assert glowhome.network_id and glowhome.network_id == deskglow.network_id


def test_a_bad_identifier_never_costs_the_listing(matter, staff):
    listing_import = imported(matter, staff)
    assert listing_import.status == ListingImport.Status.IMPORTED
    assert matter.listings.count() == 2
    assert not SellerIdentifier.objects.filter(kind="uscc").exists()


def test_the_network_page_cites_the_listing_file(staff_client, matter, staff):
    listing_import = imported(matter, staff)
    glowhome = Seller.objects.get(store_name="Glowhome Lighting Store")
    page = staff_client.get(reverse("web:seller_network", args=[glowhome.pk])).content.decode()
    assert f"listing file {listing_import.source_name}" in page
