"""A matter's listings page: scoped to who may see the matter, filtered, paged by keyset, exported safely."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evidence.models import Listing
from evidence.services import listing_set_status
from tests.evidence.factories import SellerFactory, listing_in


def listings_url(matter, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("web:listing_list", args=[matter.reference]) + (f"?{query}" if query else "")


@pytest.fixture
def listed(matter_a):
    seller = SellerFactory(platform="alibaba", store_name="Glowhome Lighting")
    made = [listing_in(matter_a, listing__seller=seller, title=f"Aurora lamp {n}") for n in range(3)]
    return made


def test_a_client_member_sees_their_matters_listings(client, member_a, matter_a, listed):
    client.force_login(member_a)
    page = client.get(listings_url(matter_a)).content.decode()
    assert all(listing.title in page for listing in listed) and "Glowhome Lighting" in page
    assert "Import listings" not in page


def test_another_clients_member_gets_not_found(client, member_b, matter_a, listed):
    client.force_login(member_b)
    assert client.get(listings_url(matter_a)).status_code == 404
    assert client.get(reverse("web:listing_export", args=[matter_a.reference, "csv"])).status_code == 404


def test_filters_by_status_and_text(client, member_a, matter_a, listed):
    Listing.objects.filter(pk=listed[0].pk).update(status=Listing.Status.REMOVED)
    client.force_login(member_a)
    page = client.get(listings_url(matter_a, status="removed")).content.decode()
    assert "Aurora lamp 0" in page and "Aurora lamp 1" not in page
    page = client.get(listings_url(matter_a, q="lamp 2")).content.decode()
    assert "Aurora lamp 2" in page and "Aurora lamp 1" not in page


def back_after_removal(matter, removed_in):
    """A seller with a listing removed in ``removed_in`` and, later, a new listing in ``matter``."""
    seller = SellerFactory(platform="alibaba", store_name="Returning Store")
    gone = listing_in(
        removed_in, listing__seller=seller, title="Removed lamp", first_seen=timezone.now() - timedelta(days=30)
    )
    listing_set_status(listing=gone, status=Listing.Status.REMOVED)
    listing_in(matter, listing__seller=seller, title="New lamp of a returning seller")


def test_back_after_a_removal_shows_new_listings_of_a_seller_who_had_one_removed(client, member_a, matter_a, listed):
    back_after_removal(matter_a, removed_in=matter_a)
    client.force_login(member_a)
    page = client.get(listings_url(matter_a, reappeared="on")).content.decode()
    assert "New lamp of a returning seller" in page and "Seller back after a removal" in page
    assert "Aurora lamp 0" not in page


def test_back_after_a_removal_ignores_removals_in_another_clients_matter(client, member_a, matter_a, matter_b):
    back_after_removal(matter_a, removed_in=matter_b)
    client.force_login(member_a)
    page = client.get(listings_url(matter_a, reappeared="on")).content.decode()
    assert "New lamp of a returning seller" not in page and "No listing matches these filters." in page


def test_keyset_pages_show_every_listing_once_with_a_bounded_number_of_queries(
    client, member_a, matter_a, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr("portal.web.listings.PAGE_SIZE", 4)
    seller = SellerFactory(platform="alibaba")
    for n in range(10):
        listing_in(matter_a, listing__seller=seller, title=f"Lamp #{n:02d}")
    client.force_login(member_a)
    seen, url = [], listings_url(matter_a)
    while url:
        with django_assert_max_num_queries(12):
            response = client.get(url)
        rows = response.context["listings"]
        seen += [listing.pk for listing in rows]
        cursor = response.context["next_cursor"]
        url = listings_url(matter_a, after=cursor.replace("+", "%2B")) if cursor else ""
    assert sorted(seen) == sorted(Listing.objects.values_list("pk", flat=True)) and len(seen) == len(set(seen))


def test_csv_export_escapes_cells_a_spreadsheet_would_run_as_formulas(client, member_a, matter_a):
    listing_in(matter_a, title='=HYPERLINK("http://evil.example","Click")')
    client.force_login(member_a)
    response = client.get(reverse("web:listing_export", args=[matter_a.reference, "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["url", "platform", "title"]
    assert rows[1][2] == '\'=HYPERLINK("http://evil.example","Click")'


def test_xlsx_export_holds_the_filtered_listings_as_text(client, member_a, matter_a, listed):
    listing_in(matter_a, title="@SUM(1+1)")
    client.force_login(member_a)
    response = client.get(reverse("web:listing_export", args=[matter_a.reference, "xlsx"]) + "?q=SUM")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 2 and values[1][2] == "'@SUM(1+1)"
