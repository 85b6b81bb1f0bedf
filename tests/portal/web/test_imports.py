"""The listing import pages: staff upload or paste, see the preview, then import; clients never see them."""

import datetime
import html

import pytest
from celery import current_app
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from evidence.intake import importing
from evidence.models import Listing, ListingImport
from ownership.shared.jobs import jobs_sweep
from tests.factories import MatterFactory

ALI = "https://www.aliexpress.com/item/10050099{:05d}.html"


@pytest.fixture
def matter(holder_a):
    return MatterFactory(rights_holder=holder_a, platforms=["aliexpress"])


def upload(staff_client, matter, content: str, name="listings.csv"):
    return staff_client.post(
        reverse("web:listing_import_new", args=[matter.reference]),
        {"file": SimpleUploadedFile(name, content.encode(), content_type="text/csv"), "urls": ""},
        follow=True,
    )


def test_the_matter_page_offers_staff_the_import(staff_client, matter):
    page = staff_client.get(reverse("web:matter_detail", args=[matter.reference])).content.decode()
    assert reverse("web:listing_import_new", args=[matter.reference]) in page


def test_a_client_member_is_not_shown_the_import_page(client, member_a, matter):
    client.force_login(member_a)
    assert client.get(reverse("web:listing_import_new", args=[matter.reference])).status_code in (302, 403, 404)
    page = client.get(reverse("web:matter_detail", args=[matter.reference])).content.decode()
    assert "Import listings" not in page


def test_upload_shows_the_preview_with_refused_rows_and_writes_no_listing(staff_client, matter):
    page = upload(staff_client, matter, f"url\n{ALI.format(1)}\njavascript:x\n").content.decode()
    assert "2 rows read: 1 new listings" in page
    assert "row 3: Only web addresses (http or https) are accepted" in page
    assert "Import the accepted rows" in page and not Listing.objects.exists()


def test_importing_after_the_preview_writes_the_listings_and_shows_what_it_did(staff_client, matter):
    upload(staff_client, matter, f"url\n{ALI.format(2)}\n")
    listing_import = ListingImport.objects.get()
    page = staff_client.post(reverse("web:listing_import_start", args=[listing_import.pk]), follow=True)
    assert "What the import did" in page.content.decode()
    assert list(matter.listings.values_list("url", flat=True)) == [ALI.format(2)]


def test_the_same_preview_cannot_be_imported_twice(staff_client, matter):
    upload(staff_client, matter, f"url\n{ALI.format(3)}\n")
    start = reverse("web:listing_import_start", args=[ListingImport.objects.get().pk])
    staff_client.post(start)
    page = staff_client.post(start, follow=True).content.decode()
    assert "This import is already imported." in page and Listing.objects.count() == 1


def test_pasted_urls_are_previewed_like_a_file(staff_client, matter):
    url = reverse("web:listing_import_new", args=[matter.reference])
    page = staff_client.post(url, {"urls": f"{ALI.format(4)}\n{ALI.format(5)}\n"}, follow=True).content.decode()
    assert "2 rows read: 2 new listings" in page


def test_a_file_without_a_url_column_is_refused_on_the_form_and_nothing_is_kept(staff_client, matter):
    page = upload(staff_client, matter, "Seller,Price\nGlow,3\n").content.decode()
    assert "No column of listing URLs was found. The columns found are: “Seller”, “Price”." in page
    assert not ListingImport.objects.exists()
    assert (
        not default_storage.exists(f"imports/{matter.reference}")
        or not default_storage.listdir(f"imports/{matter.reference}")[1]
    )


def test_a_large_import_is_handed_to_the_worker_task(
    staff_client, matter, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(importing, "SYNC_ROWS", 1)
    monkeypatch.setattr(current_app.tasks[ListingImport.job_task], "apply_async", lambda args: sent.extend(args))
    upload(staff_client, matter, f"url\n{ALI.format(6)}\n{ALI.format(7)}\n")
    listing_import = ListingImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        page = staff_client.post(reverse("web:listing_import_start", args=[listing_import.pk]), follow=True)
    assert sent == [listing_import.pk] and not Listing.objects.exists()
    assert "Queued (waiting for a worker)" in page.content.decode() and 'http-equiv="refresh"' in page.content.decode()


def test_the_worker_task_imports_and_records_the_result(matter, staff):
    prepared = importing.listing_import_prepare(matter=matter, by=staff, text=f"{ALI.format(8)}\n")
    ListingImport.objects.filter(pk=prepared.pk).update(status=ListingImport.Status.QUEUED)
    current_app.tasks[ListingImport.job_task].apply(args=[prepared.pk])
    prepared.refresh_from_db()
    assert prepared.status == ListingImport.Status.IMPORTED and prepared.result[0].startswith("1 rows read: 1 new")
    assert matter.listings.count() == 1


def test_an_import_a_stopped_worker_left_running_is_imported_again_by_the_sweep(matter, staff, monkeypatch):
    task = current_app.tasks[ListingImport.job_task]
    monkeypatch.setattr(task, "apply_async", lambda args: task.apply(args=args))  # the worker, here and now
    prepared = importing.listing_import_prepare(matter=matter, by=staff, text=f"{ALI.format(9)}\n")
    long_ago = timezone.now() - datetime.timedelta(hours=3)
    ListingImport.objects.filter(pk=prepared.pk).update(
        status=ListingImport.Status.IMPORTING, heartbeat_at=long_ago, attempts=1
    )
    jobs_sweep()
    prepared.refresh_from_db()
    assert prepared.status == ListingImport.Status.IMPORTED and prepared.attempts == 2
    assert matter.listings.count() == 1


def test_the_sweep_leaves_an_import_whose_worker_is_alive(matter, staff, monkeypatch):
    monkeypatch.setattr(current_app.tasks[ListingImport.job_task], "apply_async", lambda args: pytest.fail("sent"))
    prepared = importing.listing_import_prepare(matter=matter, by=staff, text=f"{ALI.format(10)}\n")
    ListingImport.objects.filter(pk=prepared.pk).update(
        status=ListingImport.Status.IMPORTING, heartbeat_at=timezone.now(), dispatched_at=timezone.now()
    )
    jobs_sweep()
    assert ListingImport.objects.get(pk=prepared.pk).status == ListingImport.Status.IMPORTING


def test_an_import_goes_on_when_its_progress_cannot_be_reported(staff_client, matter, staff, monkeypatch):
    from django.core.cache import cache

    def cache_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(cache, "set", cache_down)
    monkeypatch.setattr(cache, "get", cache_down)
    prepared = importing.listing_import_prepare(matter=matter, by=staff, text=f"{ALI.format(11)}\n")
    ListingImport.objects.filter(pk=prepared.pk).update(status=ListingImport.Status.QUEUED)
    importing.listing_import_execute(import_id=prepared.pk)
    assert ListingImport.objects.get(pk=prepared.pk).status == ListingImport.Status.IMPORTED
    ListingImport.objects.filter(pk=prepared.pk).update(status=ListingImport.Status.IMPORTING)
    page = staff_client.get(reverse("web:listing_import_detail", args=[prepared.pk]))
    assert page.status_code == 200 and "Importing" in page.content.decode()


def test_a_spreadsheet_cell_that_is_not_a_number_is_a_refused_row_on_the_preview(staff_client, matter):
    from django.test import Client

    from tests.evidence.test_intake import xlsx_with_cell_replaced

    rows = [["url", "price"], [ALI.format(21), 5], [ALI.format(22), 777], [ALI.format(23), 9]]
    client = Client(raise_request_exception=False)
    client.cookies = staff_client.cookies
    response = client.post(
        reverse("web:listing_import_new", args=[matter.reference]),
        {"file": SimpleUploadedFile("export.xlsx", xlsx_with_cell_replaced(rows, "777", "twelve"))},
        follow=True,
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "3 rows read: 2 new listings" in page and "row 3: The price “twelve” is not a number." in page
