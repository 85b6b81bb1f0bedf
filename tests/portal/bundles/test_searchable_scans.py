"""Bundles carry the searchable copies of scans (their text can be found in the bundle) while the index and the
manifest keep naming the unaltered originals; photos in the test-buy report stay the photos themselves."""

import subprocess

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import TestCase

from evidence.services import exhibit_upload, listing_record, seller_record
from ownership.services import ownership_document_upload
from portal.models import Bundle
from portal.services import CompileOutcome, bundle_compile, bundle_request
from tests.evidence.factories import TestPurchaseFactory
from tests.ownership.factories import make_right
from tests.support import files as samples
from tests.support.bundles import OVERRULED


@pytest.fixture
def compiled(matter_a, staff, signing, ocr_worker, monkeypatch):
    monkeypatch.setattr("portal.tasks.bundle_compile_task.apply_async", lambda args: None)
    mark = make_right(matter_a.rights_holder, "CN", "trademark", title="AURORA", registration_number="41234567")
    seller, _ = seller_record(platform="alibaba", store_name="Glowhome", platform_seller_id="2201234")
    listing, _ = listing_record(matter=matter_a, url="https://www.alibaba.com/product-detail/x_1.html", seller=seller)
    purchase = TestPurchaseFactory(matter=matter_a, listing=listing, recorded_by=staff)
    scan = samples.scanned_pdf_bytes(["商标注册证", "Registration No. 41234567", matter_a.rights_holder.name])
    label = samples.scanned_pdf_bytes(["PARCEL LABEL", "Sender Glowhome 0755-8888"], as_image="JPEG")
    with TestCase.captureOnCommitCallbacks(execute=True):  # the OCR tasks, as the worker runs them
        certificate = ownership_document_upload(rights_holder=matter_a.rights_holder, right=mark, language="zh",
                                                doc_type="registration_certificate",
                                                upload=ContentFile(scan, name="certificate.pdf"))  # fmt: skip
    with TestCase.captureOnCommitCallbacks(execute=True):
        photo = exhibit_upload(matter=matter_a, purchase=purchase, kind="parcel_photo", uploaded_by=staff,
                               upload=ContentFile(label, name="label.jpg"))  # fmt: skip
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    assert bundle_compile(bundle_id=bundle.pk) == CompileOutcome.READY
    bundle.refresh_from_db()
    certificate.refresh_from_db()
    photo.refresh_from_db()
    return bundle, certificate, photo


def test_the_bundle_text_holds_what_ocr_read_from_the_scans(compiled):
    bundle, certificate, photo = compiled
    assert bundle.status == Bundle.Status.READY
    assert certificate.ocr_file and photo.ocr_file
    with default_storage.open(bundle.file.name, "rb") as stream:
        text = subprocess.run(["pdftotext", "-", "-"], input=stream.read(), capture_output=True, check=True).stdout
    text = text.decode()
    assert "41234567" in text and "0755-8888" in text
    assert certificate.sha256 in text.replace("\n", "") and photo.sha256 in text.replace("\n", "")
