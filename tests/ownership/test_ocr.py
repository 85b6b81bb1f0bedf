"""Scans are read: a searchable rendition beside the unaltered original, its text cross-checked against the
recorded registration number, owner and language; a failure keeps the upload and says why."""

import hashlib
import subprocess

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import TestCase

from evidence.models import CustodyEvent
from evidence.services import exhibit_upload
from ownership.crosschecks import warnings_of
from ownership.models import OwnershipDocument
from ownership.readiness import readiness_for_matter
from ownership.services import ownership_document_overrule_check, ownership_document_upload
from tests.ownership.factories import make_right
from tests.support.files import pdf_bytes, scanned_pdf_bytes

CERTIFICATE = ["商标注册证", "Registration No. 41234567", "注册人 深圳明峰音频有限公司", "Class 9"]


@pytest.fixture
def ocr(ocr_worker):
    """OCR on, its tasks run as the worker runs them."""


def committed():
    """Run what the upload queued for after its transaction (the OCR task), as the worker would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture
def mark(holder_a):
    holder_a.name_local = "深圳明峰音频有限公司"
    holder_a.save()
    return make_right(holder_a, "CN", "trademark", title="BRIGHTPEAK", registration_number="41234567")


def upload(right, content: bytes, *, language="zh", name="certificate.pdf") -> OwnershipDocument:
    with committed():
        document = ownership_document_upload(rights_holder=right.rights_holder, right=right, language=language,
                                             doc_type="registration_certificate",
                                             upload=ContentFile(content, name=name))  # fmt: skip
    document.refresh_from_db()  # the OCR task ran once the upload's transaction committed
    return document


def text_of(name: str) -> str:
    with default_storage.open(name, "rb") as stream:
        data = stream.read()
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_a_scanned_certificate_gets_a_searchable_rendition_and_keeps_its_original(ocr, mark, db):
    scan = scanned_pdf_bytes(CERTIFICATE)
    document = upload(mark, scan)
    assert document.ocr_status == OwnershipDocument.OcrStatus.DONE, document.ocr_error
    assert document.sha256 == hashlib.sha256(scan).hexdigest()  # the original, unaltered
    with default_storage.open(document.file.name, "rb") as stream:
        assert stream.read() == scan
    with default_storage.open(document.ocr_file.name, "rb") as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == document.ocr_sha256
    searchable = text_of(document.ocr_file.name)
    assert "41234567" in searchable and "注册" in searchable
    assert text_of(document.file.name).strip() == ""


def test_an_image_exhibit_gets_a_rendition_logged_in_the_custody_chain(ocr, matter_a, staff):
    image = scanned_pdf_bytes(["Order 3089981234", "Shipped to London"], as_image="PNG")
    with committed():
        exhibit = exhibit_upload(matter=matter_a, kind="order_confirmation", uploaded_by=staff,
                                 upload=ContentFile(image, name="order.png"))  # fmt: skip
    exhibit.refresh_from_db()
    assert exhibit.ocr_status == exhibit.OcrStatus.DONE and "3089981234" in exhibit.ocr_text
    event = CustodyEvent.objects.filter(exhibit=exhibit).order_by("-sequence").first()
    assert event.action == CustodyEvent.Action.RENDITION_MADE and exhibit.ocr_sha256 in event.details


def test_a_pdf_with_its_own_text_keeps_it_and_gets_no_rendition(ocr, mark):
    document = upload(mark, pdf_bytes("Registration No. 41234567 深圳明峰音频有限公司 " * 3))
    assert document.ocr_status == OwnershipDocument.OcrStatus.NOT_NEEDED and not document.ocr_file
    assert "41234567" in document.ocr_text


def test_a_certificate_that_shows_the_recorded_number_and_owner_raises_no_warning(ocr, mark):
    assert warnings_of(upload(mark, scanned_pdf_bytes(CERTIFICATE))) == []


def test_a_certificate_of_another_number_is_flagged(ocr, mark):
    wrong = scanned_pdf_bytes(["商标注册证", "Registration No. 38123456", "注册人 深圳明峰音频有限公司"])
    assert warnings_of(upload(mark, wrong)) == [
        "The certificate uploaded for BRIGHTPEAK does not show registration number 41234567."
    ]


def test_a_certificate_naming_another_owner_is_flagged(ocr, mark):
    other = scanned_pdf_bytes(["商标注册证", "Registration No. 41234567", "注册人 广州某某贸易有限公司"])
    assert "does not name the owner" in " ".join(warnings_of(upload(mark, other)))


def test_a_document_in_another_language_than_recorded_is_flagged(ocr, mark):
    warnings = warnings_of(upload(mark, scanned_pdf_bytes(CERTIFICATE * 3), language="en"))
    assert any("is recorded as English but its text reads as Chinese" in warning for warning in warnings)


def test_the_warning_shows_in_the_readiness_report_and_never_blocks(ocr, mark, matter_a):
    upload(mark, scanned_pdf_bytes(["Registration No. 38123456", "深圳明峰音频有限公司"]))
    report = readiness_for_matter(rights_holder=mark.rights_holder, rights=[mark], platforms=["ebay"])
    right = report.rights[0]
    assert [str(w) for w in right.warnings] == [
        "The certificate uploaded for BRIGHTPEAK does not show registration number 41234567."
    ]
    assert next(item for item in right.items if item.rule_id == "cn.trademark.certificate").is_satisfied


def test_staff_overrule_a_warning_and_the_overrule_is_recorded(ocr, mark, staff):
    document = upload(mark, scanned_pdf_bytes(["Registration No. 38123456", "深圳明峰音频有限公司"]))
    ownership_document_overrule_check(document=document, by=staff, reason="Renumbered on renewal; see letter.")
    document.refresh_from_db()
    assert warnings_of(document) == [] and document.check_overruled_by == staff
    assert document.check_overrule_reason == "Renumbered on renewal; see letter."


def test_ocr_failing_keeps_the_upload_and_says_why(ocr, mark, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract, no ghostscript
    scan = scanned_pdf_bytes(CERTIFICATE, as_image="PNG")
    document = upload(mark, scan, name="certificate.png")
    assert document.ocr_status == OwnershipDocument.OcrStatus.FAILED
    assert "missing on the worker" in document.ocr_error and "tesseract" in document.ocr_error.lower()
    assert default_storage.exists(document.file.name) and document.sha256 == hashlib.sha256(scan).hexdigest()
    assert warnings_of(document)[0].startswith("The scan uploaded for BRIGHTPEAK could not be read")


def test_ocr_runs_on_its_own_queue_so_compiles_never_wait_for_it():
    routes = settings.CELERY_TASK_ROUTES
    assert routes["ownership.tasks.ocr_document_task"]["queue"] == "ocr"
    assert routes["evidence.tasks.ocr_exhibit_task"]["queue"] == "ocr"
    assert "portal.tasks.bundle_compile_task" not in routes  # compiles stay on the default queue


def test_an_overrule_without_a_reason_is_refused_and_the_warning_stays(ocr, mark, staff):
    from django.core.exceptions import ValidationError

    document = upload(mark, scanned_pdf_bytes(["Registration No. 38123456", "深圳明峰音频有限公司"]))
    with pytest.raises(ValidationError, match="Say why the document is right despite the check."):
        ownership_document_overrule_check(document=document, by=staff, reason="  ")
    document.refresh_from_db()
    assert warnings_of(document) and document.check_overruled_at is None


def giant_page_pdf() -> bytes:
    """A few hundred bytes declaring one 200 × 200 inch page: rendered at OCR resolution it would need some 19 GB."""
    import io

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200 * 72, 200 * 72))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_a_page_larger_than_a0_is_not_read_and_the_reason_is_recorded(ocr, mark):
    document = upload(mark, giant_page_pdf(), name="giant.pdf")
    assert document.ocr_status == OwnershipDocument.OcrStatus.FAILED
    assert document.ocr_error.startswith("Page 1 is 5,080 × 5,080 mm, larger than A0 (841 × 1189 mm)")
    assert default_storage.exists(document.file.name)


def test_ocr_that_needs_more_memory_than_it_may_use_fails_with_the_reason(ocr, mark, settings):
    settings.PORTAL_OCR_MEMORY_MB = 64  # far below what OCR of one A4 scan takes
    document = upload(mark, scanned_pdf_bytes(CERTIFICATE))
    assert document.ocr_status == OwnershipDocument.OcrStatus.FAILED
    assert document.ocr_error.startswith("OCR needed more than the 64 MB it may use and was stopped")
    assert default_storage.exists(document.file.name)


def test_a_certificate_uploaded_with_ocr_off_is_shown_as_not_checked(mark):
    document = upload(mark, scanned_pdf_bytes(CERTIFICATE))  # the suite's default: OCR off
    assert warnings_of(document) == [
        "The certificate uploaded for BRIGHTPEAK was not checked: OCR was off when it was uploaded, so its text "
        "was never read."
    ]


def test_a_certificate_waiting_for_the_ocr_worker_is_not_yet_checked(mark, settings):
    settings.PORTAL_OCR = True  # queued: the upload's transaction never commits here, so no worker reads it
    document = ownership_document_upload(rights_holder=mark.rights_holder, right=mark, language="zh",
                                         doc_type="registration_certificate",
                                         upload=ContentFile(scanned_pdf_bytes(CERTIFICATE), name="c.pdf"))  # fmt: skip
    assert document.ocr_status == OwnershipDocument.OcrStatus.QUEUED
    assert warnings_of(document) == [
        "The certificate uploaded for BRIGHTPEAK was not checked: it is waiting for the OCR worker to read it."
    ]


def test_an_unchecked_certificate_refuses_the_compile_until_staff_overrule_the_check(mark, matter_a, staff):
    from portal.compile_gate import bundle_gaps

    document = upload(mark, scanned_pdf_bytes(CERTIFICATE))
    gaps = bundle_gaps(matter=matter_a, platform="ebay", rights=[mark])
    assert "Cross-check: The certificate uploaded for BRIGHTPEAK was not checked: OCR was off" in " ".join(gaps)
    ownership_document_overrule_check(document=document, by=staff, reason="Read by hand: number and owner match.")
    assert not any("BRIGHTPEAK" in gap for gap in bundle_gaps(matter=matter_a, platform="ebay", rights=[mark]))
