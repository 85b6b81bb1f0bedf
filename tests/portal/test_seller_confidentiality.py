"""One store sells fakes of two clients' products: each client's pages and bundles show what its own evidence
says of the store, and nothing another client's matter recorded."""

import csv
import io

import pytest
from django.urls import reverse

from evidence.services import listing_record, seller_record
from portal.bundle.build import collect_inputs
from portal.models import Bundle

LUMINA_NAME, BRIGHTPEAK_NAME = "Glowhome Lighting Store", "明峰数码旗舰店"


@pytest.fixture
def shared_store(matter_a, matter_b):
    """The same Alibaba store (id 2201234) recorded first in A's matter, then in B's under another name."""
    for matter, name, item in ((matter_a, LUMINA_NAME, "1600981234"), (matter_b, BRIGHTPEAK_NAME, "1600985678")):
        seller, _ = seller_record(platform="alibaba", store_name=name, platform_seller_id="2201234")
        listing_record(matter=matter, seller=seller, url=f"https://www.alibaba.com/product-detail/i_{item}.html",
                       title=f"Listing {item}", seller_name=name)  # fmt: skip
    return seller


def page_of(client, user, url: str) -> str:
    client.force_login(user)
    return client.get(url).content.decode()


def test_one_seller_row_serves_both_matters(shared_store, matter_a, matter_b):
    assert {listing.seller_id for listing in (*matter_a.listings.all(), *matter_b.listings.all())} == {shared_store.pk}


def test_the_other_clients_listings_page_names_the_store_as_its_own_evidence_does(client, member_b, matter_b,
                                                                                  shared_store):  # fmt: skip
    text = page_of(client, member_b, reverse("web:listing_list", args=[matter_b.reference]))
    assert BRIGHTPEAK_NAME in text and "Glowhome" not in text


def test_searching_by_the_other_clients_name_for_the_store_finds_nothing(client, member_b, matter_b, shared_store):
    text = page_of(client, member_b, reverse("web:listing_list", args=[matter_b.reference]) + "?seller=Glowhome")
    assert "No listing matches these filters." in text


def test_the_export_names_the_store_as_this_matters_evidence_does(client, member_b, matter_b, shared_store):
    client.force_login(member_b)
    response = client.get(reverse("web:listing_export", args=[matter_b.reference, "csv"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row["seller_name"] for row in rows] == [BRIGHTPEAK_NAME]


def test_the_bundle_names_the_store_as_this_matters_evidence_does(matter_b, shared_store, staff):
    bundle = Bundle.objects.create(matter=matter_b, platform="alibaba", version=1, inputs_digest="x",
                                   requested_by=staff)  # fmt: skip
    bundle.listings.set(matter_b.listings.all())
    inputs = collect_inputs(bundle, [], [], {})
    assert [listing.seller_name for listing in inputs.listings] == [BRIGHTPEAK_NAME]


def test_a_listing_without_a_name_of_its_own_shows_the_store_id_not_another_matters_name(client, member_b, matter_b,
                                                                                        shared_store):  # fmt: skip
    listing_record(matter=matter_b, seller=shared_store, url="https://www.alibaba.com/product-detail/i_99.html",
                   title="Unnamed seller listing")  # fmt: skip
    text = page_of(client, member_b, reverse("web:listing_list", args=[matter_b.reference]))
    assert "store id 2201234" in text and "Glowhome" not in text
