"""Confidentiality: what one client's matter recorded of a listing never reaches another client.

The reproduction of issue 26: client A records a listing with its title, store name, price and the rest; client
B then imports the same page as a bare link. Every fact A recorded is checked, one at a time, on B's pages, in
B's two exports and in B's documents.
"""

import csv
import datetime
import io
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from evidence.intake.importing import listings_import
from evidence.intake.reading import read_table
from evidence.models import Listing
from evidence.services import exhibit_upload, listing_record, seller_record
from portal.bundle.build import bundle_exhibits, collect_inputs, ownership_documents
from portal.models import Notice
from portal.services import CompileOutcome, bundle_compile, bundle_request
from portal.services.notices import notice_input, notice_request
from tests.evidence.factories import TestPurchaseFactory
from tests.factories import MatterFactory
from tests.ownership.factories import make_right
from tests.portal.bundles.test_pdf import tool
from tests.portal.web.test_notices import reviewed, reviewer  # noqa: F401 (fixtures)
from tests.support import files as samples
from tests.support.bundles import OVERRULED

URL = "https://www.alibaba.com/product-detail/aurora-lamp_1601234567.html"

# What client A's matter recorded, each value distinctive enough that finding it anywhere in B's output is a leak.
A_SAYS = {
    "title": "Lumen Secret Lamp Title",
    "seller_name": "Alpha Confidential Store",
    "price": "987.65",
    "currency": "CHF",
    "first_seen": "2021-03-04",
    "notes": "alpha-only note about the supplier",
    "infringement_appears_in": "Packaging",
}
SHOWN_AS = {"first_seen": ("2021-03-04", "4 Mar 2021", "March 4, 2021")}  # how a page may print the date


def shown_forms(field: str) -> tuple[str, ...]:
    return SHOWN_AS.get(field, (A_SAYS[field],))


@pytest.fixture
def seller(db):
    return seller_record(platform="alibaba", store_name="Shared Shop", platform_seller_id="2209999")[0]


@pytest.fixture
def recorded_by_a(holder_a, seller):
    matter = MatterFactory(rights_holder=holder_a, platforms=["alibaba", "amazon"])
    listing_record(
        matter=matter, url=URL, seller=seller, title=A_SAYS["title"], seller_name=A_SAYS["seller_name"],
        price=A_SAYS["price"], currency=A_SAYS["currency"], notes=A_SAYS["notes"],
        first_seen=datetime.datetime(2021, 3, 4, 9, tzinfo=datetime.UTC), infringement_appears_in=["packaging"],
    )  # fmt: skip
    return matter


@pytest.fixture
def matter_of_b(holder_b, recorded_by_a):
    """Client B imports the same page as a bare link, through the import a listing file goes through."""
    matter = MatterFactory(rights_holder=holder_b, platforms=["alibaba"])
    table = read_table(io.BytesIO(f"url\n{URL}\n".encode()), "listings.csv")
    listings_import(matter=matter, table=table, by=None, source="file listings.csv", sha256="cd" * 32)
    return matter


@pytest.fixture
def b_client(client, member_b, matter_of_b):
    client.force_login(member_b)
    return client


def assert_says_nothing_of_a(field: str, text: str) -> None:
    for form in shown_forms(field):
        assert form not in text, f"client A's {field} ({form}) reached client B"


FIELDS = list(A_SAYS)


def test_confidentiality_the_reproduction_holds_one_shared_row_with_two_matters(recorded_by_a, matter_of_b):
    listing = Listing.objects.get()
    assert sorted(listing.matters.values_list("pk", flat=True)) == sorted([recorded_by_a.pk, matter_of_b.pk])
    assert Listing.objects.in_matter(recorded_by_a).get().title == A_SAYS["title"]
    assert Listing.objects.in_matter(matter_of_b).get().title == ""


@pytest.mark.parametrize("field", FIELDS)
def test_confidentiality_the_listings_page_shows_only_the_clients_own_facts(b_client, matter_of_b, field):
    page = b_client.get(reverse("web:listing_list", args=[matter_of_b.reference])).content.decode()
    assert URL in page
    assert_says_nothing_of_a(field, page)


@pytest.mark.parametrize("field", FIELDS)
def test_confidentiality_the_csv_export_holds_only_the_clients_own_facts(b_client, matter_of_b, field):
    response = b_client.get(reverse("web:listing_export", args=[matter_of_b.reference, "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][0] == URL
    assert_says_nothing_of_a(field, repr(rows))


@pytest.mark.parametrize("field", FIELDS)
def test_confidentiality_the_xlsx_export_holds_only_the_clients_own_facts(b_client, matter_of_b, field):
    response = b_client.get(reverse("web:listing_export", args=[matter_of_b.reference, "xlsx"]))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][0] == URL
    assert_says_nothing_of_a(field, repr(rows))


@pytest.mark.parametrize("field", FIELDS)
def test_confidentiality_the_matter_page_shows_only_the_clients_own_facts(b_client, matter_of_b, staff, field):
    TestPurchaseFactory(matter=matter_of_b, listing=Listing.objects.get(), recorded_by=staff)
    page = b_client.get(reverse("web:matter_detail", args=[matter_of_b.reference])).content.decode()
    assert URL in page
    assert_says_nothing_of_a(field, page)


def test_confidentiality_client_a_still_sees_what_it_recorded(client, member_a, recorded_by_a, matter_of_b):
    client.force_login(member_a)
    page = client.get(reverse("web:listing_list", args=[recorded_by_a.reference])).content.decode()
    assert A_SAYS["title"] in page and A_SAYS["seller_name"] in page and "987.65 CHF" in page


@pytest.fixture
def bundle_of_b(matter_of_b, staff, monkeypatch):
    monkeypatch.setattr("portal.tasks.bundle_compile_task.apply_async", lambda args: None)
    make_right(matter_of_b.rights_holder, "CN", "trademark", title="AURORA")
    purchase = TestPurchaseFactory(matter=matter_of_b, listing=Listing.objects.get(), recorded_by=staff)
    exhibit_upload(matter=matter_of_b, purchase=purchase, kind="order_confirmation", uploaded_by=staff,
                   upload=ContentFile(samples.pdf_bytes("Order 3089912345"), name="order.pdf"))  # fmt: skip
    return bundle_request(matter=matter_of_b, platform="alibaba", requested_by=staff, overrule=OVERRULED)[0]


@pytest.mark.parametrize("field", FIELDS)
def test_confidentiality_the_bundle_contents_hold_only_the_clients_own_facts(bundle_of_b, field):
    inputs = collect_inputs(bundle_of_b, bundle_exhibits(bundle_of_b), *ownership_documents(bundle_of_b))
    assert [listing.url for listing in inputs.listings] == [URL]
    assert_says_nothing_of_a(field, repr(inputs))


def test_confidentiality_the_compiled_bundle_says_nothing_client_a_recorded(bundle_of_b, signing):
    """The signed PDF itself, read by poppler: every fact field at once (one compile)."""
    assert bundle_compile(bundle_id=bundle_of_b.pk) == CompileOutcome.READY
    bundle_of_b.refresh_from_db()
    with bundle_of_b.file.open("rb") as stored:
        text = subprocess.run([tool("pdftotext"), "-", "-"], input=stored.read(), capture_output=True, check=True)
    assert "1601234567" in text.stdout.decode()
    for field in FIELDS:
        assert_says_nothing_of_a(field, text.stdout.decode())


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.usefixtures("reviewed")
def test_confidentiality_a_notice_names_only_the_clients_own_facts(matter_of_b, seller, staff, field):
    right = make_right(matter_of_b.rights_holder, "CN", "trademark", title="AURORA")
    notice = notice_request(
        matter=matter_of_b, seller=seller, scope=Notice.Scope.SELLER, rights=[right],
        deadline=datetime.date.today() + datetime.timedelta(days=14), by=staff,
    )  # fmt: skip
    assert_says_nothing_of_a(field, repr(notice_input(notice)))
