"""Redis goes down under a running portal: each entry point that starts background work answers at once, keeps
every file its committed rows name, and the work is done once Redis is back (a real worker, a private Redis the
test stops and starts, PostgreSQL)."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from evidence.intake.importing import listing_import_prepare, listing_import_run
from evidence.models import Exhibit, ListingImport
from ownership.models import OwnershipDocument
from ownership.services import ownership_document_upload
from ownership.shared.jobs import jobs_sweep
from portal.models import Bundle, Dossier
from portal.services import bundle_request
from portal.services.dossiers import dossier_request
from tests.conftest import require_env, require_service
from tests.evidence.factories import SellerFactory, TestPurchaseFactory
from tests.factories import MatterFactory
from tests.ownership.factories import make_right
from tests.support import files as samples
from tests.support.services import app_broker, celery_worker, database_url_for, free_port, redis_server

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


@dataclass
class Outage:
    """A private Redis that the portal's app and a real worker (default and OCR queues) use."""

    port: int
    workdir: object
    server: object = None

    def down(self) -> None:
        self.server.__exit__(None, None, None)

    def up(self) -> None:
        self.server = redis_server(self.port, self.workdir)
        self.server.__enter__()


@pytest.fixture
def outage(transactional_db, tmp_path, signing_p12, settings):
    require_env("DATABASE_URL")
    require_env("REDIS_URL")
    require_service(shutil.which("redis-server") is not None, "redis-server is not installed")
    settings.PORTAL_SIGNING_P12 = signing_p12
    settings.PORTAL_OCR = True
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    state = Outage(port=port, workdir=tmp_path)
    state.up()
    env = {"PORTAL_DATA_DIR": str(tmp_path), "PORTAL_SIGNING_P12": str(signing_p12), "PORTAL_SIGNING_PASSPHRASE": "",
           "PORTAL_OCR": "true"}  # fmt: skip
    with app_broker(url), celery_worker(
        database_url=database_url_for(connection.settings_dict), redis_url=url,
        log_path=tmp_path / "worker.log", extra_env=env, queues="celery,ocr",
    ):  # fmt: skip
        state.down()
        yield state
        state.up()  # a worker is stopped against a running broker
    state.server.__exit__(None, None, None)


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def timed(action):
    started = time.monotonic()
    result = action()
    took = time.monotonic() - started
    assert took < 2, f"the user waited {took:.1f} s"
    return result


def stored_bytes(name: str) -> bytes:
    with default_storage.open(name, "rb") as stream:
        return stream.read()


@pytest.mark.parametrize("answer", ["page", "json"])
def test_a_photo_uploaded_while_redis_is_down_is_kept_read_once_redis_is_back_and_compiles(
    outage, client, member_a, matter_a, staff, answer
):
    photo = samples.image_bytes("PNG", (600, 400))
    client.force_login(member_a)
    headers = {"HTTP_ACCEPT": "application/json"} if answer == "json" else {}
    response = timed(lambda: client.post(
        reverse("web:exhibit_create", args=[matter_a.reference]),
        {"files": SimpleUploadedFile("photo.png", photo, "image/png"), "kind": "product_photo"}, **headers,
    ))  # fmt: skip
    assert response.status_code == (201 if answer == "json" else 302)
    exhibit = Exhibit.objects.get()
    assert stored_bytes(exhibit.file.name) == photo and exhibit.ocr_status == Exhibit.OcrStatus.QUEUED
    page = client.get(reverse("web:matter_detail", args=[matter_a.reference])).content.decode()
    assert "photo.png" in page

    outage.up()
    assert jobs_sweep()["evidence.exhibit"] == 1
    read = wait_for(lambda: Exhibit.objects.exclude(ocr_status__in=["queued", "running"]).first(), 90, "OCR")
    assert read.ocr_status in (Exhibit.OcrStatus.DONE, Exhibit.OcrStatus.NOT_NEEDED) and read.attempts == 1
    assert stored_bytes(read.file.name) == photo

    make_right(matter_a.rights_holder, "CN", "trademark", title="AURORA")
    listing = matter_a.listings.create(url="https://www.alibaba.com/product-detail/x_1.html", platform="alibaba",
                                       seller=SellerFactory(platform="alibaba"))  # fmt: skip
    TestPurchaseFactory(matter=matter_a, listing=listing, recorded_by=staff)
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff)
    ready = wait_for(
        lambda: Bundle.objects.filter(pk=bundle.pk, status__in=["ready", "failed"]).first(), 120, "compile"
    )
    assert ready.status == "ready", ready.error_message


def test_an_ownership_document_uploaded_while_redis_is_down_is_kept_and_read_once_redis_is_back(
    outage, holder_a, staff
):
    scan = samples.pdf_bytes("Certificate of registration")
    document = timed(lambda: ownership_document_upload(
        rights_holder=holder_a, right=None, doc_type="power_of_attorney", uploaded_by=staff,
        upload=ContentFile(scan, name="poa.pdf"), description="Power of attorney",
    ))  # fmt: skip
    assert stored_bytes(document.file.name) == scan
    outage.up()
    jobs_sweep()
    read = wait_for(lambda: OwnershipDocument.objects.exclude(ocr_status__in=["queued", "running"]).first(), 90, "OCR")
    assert read.ocr_status in (OwnershipDocument.OcrStatus.DONE, OwnershipDocument.OcrStatus.NOT_NEEDED)


def test_a_large_import_started_while_redis_is_down_is_imported_once_redis_is_back(outage, holder_a, staff):
    matter = MatterFactory(rights_holder=holder_a, platforms=["aliexpress"])
    urls = "\n".join(f"https://www.aliexpress.com/item/{1005000000 + n}.html" for n in range(1001))
    prepared = listing_import_prepare(matter=matter, by=staff, text=urls)
    started = timed(lambda: listing_import_run(listing_import=prepared, by=staff))
    assert started.status == ListingImport.Status.QUEUED
    outage.up()
    jobs_sweep()
    done = wait_for(lambda: ListingImport.objects.filter(pk=prepared.pk, status__in=["imported", "failed"]).first(),
                    120, "import")  # fmt: skip
    assert done.status == ListingImport.Status.IMPORTED, done.message
    assert matter.listings.count() == 1001


def test_a_dossier_asked_for_while_redis_is_down_is_compiled_once_redis_is_back(outage, staff):
    dossier = timed(lambda: dossier_request(seller=SellerFactory(platform="alibaba"), by=staff))
    assert Dossier.objects.get(pk=dossier.pk).status == Dossier.Status.QUEUED
    outage.up()
    jobs_sweep()
    done = wait_for(
        lambda: Dossier.objects.filter(pk=dossier.pk, status__in=["ready", "failed"]).first(), 90, "dossier"
    )
    assert done.status == Dossier.Status.READY, done.failure_reason
    assert default_storage.exists(done.file.name)
