"""Compiling a matter's bundle through the service the workers run, from stored evidence to a signed file."""

import hashlib
import io
import re
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from evidence.models import CustodyEvent
from evidence.services import exhibit_upload, listing_record, seller_record
from ownership.models import IPRight
from portal.models import Bundle
from portal.services import CompileOutcome, bundle_compile, bundle_request
from tests.evidence.factories import TestPurchaseFactory
from tests.ownership.factories import OwnershipDocumentFactory, make_right
from tests.support import files as samples
from tests.support.bundles import OVERRULED


@pytest.fixture
def evidence(matter_a, staff):
    make_right(matter_a.rights_holder, "CN", "trademark", title="AURORA")
    seller, _ = seller_record(platform="alibaba", store_name="明峰数码旗舰店", platform_seller_id="2201234")
    listing, _ = listing_record(
        matter=matter_a, url="https://www.alibaba.com/product-detail/x_1601.html", seller=seller
    )
    purchase = TestPurchaseFactory(matter=matter_a, listing=listing, recorded_by=staff)
    exhibits = [
        exhibit_upload(matter=matter_a, purchase=purchase, kind=kind, uploaded_by=staff,
                       upload=ContentFile(data, name=name))
        for kind, data, name in [
            ("order_confirmation", samples.pdf_bytes("Order 3089912345"), "order.pdf"),
            ("product_photo", samples.image_bytes("JPEG", (800, 600)), "front.jpg"),
            ("comparison", samples.pdf_bytes("Genuine vs suspect"), "comparison.pdf"),
        ]
    ]  # fmt: skip
    return exhibits


@pytest.fixture
def compiled(evidence, matter_a, staff, signing, monkeypatch):
    monkeypatch.setattr("portal.tasks.bundle_compile_task.apply_async", lambda args: None)
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    assert bundle_compile(bundle_id=bundle.pk) == CompileOutcome.READY
    bundle.refresh_from_db()
    return bundle


def test_compile_stores_a_signed_ready_bundle(compiled):
    assert compiled.status == Bundle.Status.READY and compiled.progress == 100
    assert compiled.exhibit_count == 3 and compiled.page_count > 10
    with default_storage.open(compiled.file.name, "rb") as f:
        assert f.read(5) == b"%PDF-"
    assert len(compiled.sha256) == len(compiled.signer_fingerprint) == 64


def test_compile_logs_each_exhibit_as_included_in_the_bundle(compiled):
    assert CustodyEvent.objects.filter(action="included_in_bundle").count() == 3


def test_compiling_a_ready_bundle_again_does_nothing(compiled):
    assert bundle_compile(bundle_id=compiled.pk) == CompileOutcome.ALREADY_DONE
    assert Bundle.objects.count() == 1


def test_tampered_exhibit_fails_the_compile_naming_it(evidence, matter_a, staff, signing, monkeypatch):
    monkeypatch.setattr("portal.tasks.bundle_compile_task.apply_async", lambda args: None)
    tampered = evidence[1]
    default_storage.delete(tampered.file.name)
    default_storage.save(tampered.file.name, ContentFile(samples.image_bytes("JPEG", (10, 10))))
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    assert bundle_compile(bundle_id=bundle.pk) == CompileOutcome.FAILED
    bundle.refresh_from_db()
    assert bundle.status == Bundle.Status.FAILED and not bundle.file
    assert f"Exhibit {tampered.pk} ({matter_a.reference} exhibit 2)" in bundle.error_message


def test_missing_signing_certificate_fails_with_what_to_do(evidence, matter_a, staff, settings, tmp_path, monkeypatch):
    monkeypatch.setattr("portal.tasks.bundle_compile_task.apply_async", lambda args: None)
    settings.PORTAL_SIGNING_P12 = tmp_path / "missing.p12"
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    bundle_compile(bundle_id=bundle.pk)
    bundle.refresh_from_db()
    assert "create_signing_certificate" in bundle.error_message


def download(bundle, tmp_path):
    path = tmp_path / "bundle.pdf"
    with default_storage.open(bundle.file.name, "rb") as f:
        path.write_bytes(f.read())
    return path


def test_verify_bundle_command_calls_the_compiled_bundle_genuine(compiled, tmp_path):
    out = io.StringIO()
    call_command("verify_bundle", str(download(compiled, tmp_path)), stdout=out)
    assert "GENUINE" in out.getvalue() and compiled.matter.reference in out.getvalue()


def test_verify_bundle_command_fails_after_one_changed_byte(compiled, tmp_path):
    path = download(compiled, tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_bundle", str(path), stdout=out)
    assert exit_.value.code == 1 and "NOT GENUINE" in out.getvalue()


def test_pdfsig_calls_the_compiled_bundle_valid(compiled, tmp_path):
    out = subprocess.run(["pdfsig", str(download(compiled, tmp_path))], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out and "Total document signed" in out


def test_verify_page_recognises_a_genuine_upload(client, compiled, tmp_path):
    data = download(compiled, tmp_path).read_bytes()
    response = client.post(reverse("verify_bundle"), {"file": SimpleUploadedFile("b.pdf", data)})
    page = response.content.decode()
    assert "Genuine and unaltered" in page and compiled.matter.reference in page


def test_verify_page_by_sha256_tells_nothing_more_than_reference_date_and_count(client, compiled):
    page = client.post(reverse("verify_bundle"), {"sha256": compiled.sha256}).content.decode()
    assert "Genuine and unaltered" in page and str(compiled.exhibit_count) in page
    assert compiled.matter.title not in page and compiled.matter.rights_holder.name not in page


def test_verify_page_refuses_an_altered_file(client, compiled, tmp_path):
    data = bytearray(download(compiled, tmp_path).read_bytes())
    data[len(data) // 2] ^= 0x01
    page = client.post(reverse("verify_bundle"), {"file": SimpleUploadedFile("b.pdf", bytes(data))}).content.decode()
    assert "Not a genuine document of this portal" in page


def test_verify_page_explains_a_malformed_hash(client, db):
    page = client.post(reverse("verify_bundle"), {"sha256": "not-a-hash"}).content.decode()
    assert "A SHA-256 is 64 hexadecimal characters." in page


def test_platform_without_listings_fails_with_what_to_do(evidence, matter_a, staff, signing, monkeypatch):
    monkeypatch.setattr("portal.tasks.bundle_compile_task.apply_async", lambda args: None)
    matter_a.platforms = ["alibaba", "ebay"]
    matter_a.save()
    bundle, _ = bundle_request(matter=matter_a, platform="ebay", requested_by=staff, overrule=OVERRULED)
    assert bundle_compile(bundle_id=bundle.pk) == CompileOutcome.FAILED
    bundle.refresh_from_db()
    assert "has no listing on eBay (VeRO) yet" in bundle.error_message


def stored_document(*, right=None, rights_holder=None, doc_type, text, **fields):
    data = samples.pdf_bytes(text)
    return OwnershipDocumentFactory(
        right=right,
        rights_holder=rights_holder or right.rights_holder,
        doc_type=doc_type,
        description=text,
        file=default_storage.save("ownership/tests/doc.pdf", ContentFile(data)),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        **fields,
    )


@pytest.fixture
def proven(evidence, matter_a):
    """A CN trade mark with its certificate, and the firm's power of attorney, on file."""
    right = IPRight.objects.get(rights_holder=matter_a.rights_holder)
    right.registration_number = "41234567"
    right.nice_classes = [9, 11]
    right.save()
    stored_document(right=right, doc_type="registration_certificate", text="CNIPA certificate 41234567")
    stored_document(rights_holder=matter_a.rights_holder, doc_type="power_of_attorney", text="Authority for H&V")
    return right


def bundle_text(bundle, tmp_path) -> str:
    path = download(bundle, tmp_path)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout


def test_bundle_files_the_power_of_attorney_in_section_a_and_the_certificate_in_section_b(
    proven, matter_a, staff, signing, monkeypatch, tmp_path
):
    monkeypatch.setattr("portal.tasks.bundle_compile_task.apply_async", lambda args: None)
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    assert bundle_compile(bundle_id=bundle.pk) == CompileOutcome.READY
    bundle.refresh_from_db()
    text = bundle_text(bundle, tmp_path)
    pages = text.split("\f")

    def page_of(needle: str) -> int:  # after the cover and the index, which name every document
        return next(n for n, page in enumerate(pages) if n > 1 and needle in page)

    assert page_of("Section A") < page_of("Authority for H&V") < page_of("Section B")
    assert page_of("Section B") < page_of("CNIPA certificate 41234567") < page_of("Section C")
    assert "Registration number" in text and "41234567" in text and "9, 11" in text  # the right's identifiers
    assert "A1 (section A)" in text and "B1 (section B)" in text  # both in the manifest


def test_tampered_ownership_document_fails_the_compile_naming_it(proven, matter_a, staff, signing, monkeypatch):
    monkeypatch.setattr("portal.tasks.bundle_compile_task.apply_async", lambda args: None)
    document = proven.documents.get()
    with default_storage.open(document.file.name, "wb") as f:
        f.write(samples.pdf_bytes("A different certificate"))
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    assert bundle_compile(bundle_id=bundle.pk) == CompileOutcome.FAILED
    bundle.refresh_from_db()
    assert "CNIPA certificate 41234567" in bundle.error_message or "document.pdf" in bundle.error_message
    assert "expected SHA-256" in bundle.error_message


def test_ready_bundle_is_emailed_to_the_matters_client_members_only(
    evidence, matter_a, member_a, member_b, staff, signing, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("portal.tasks.bundle_compile_task.apply_async", lambda args: None)
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    with django_capture_on_commit_callbacks(execute=True):
        assert bundle_compile(bundle_id=bundle.pk) == CompileOutcome.READY
    assert [message.to for message in mailoutbox] == [[member_a.email]]
    message = mailoutbox[0]
    assert matter_a.reference in message.subject and "is ready" in message.subject
    assert reverse("web:matter_detail", args=[matter_a.reference]) in message.body


def test_bundle_ready_email_is_plain_text_without_html_escapes(
    evidence, matter_a, member_a, staff, signing, monkeypatch, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_FIRM_NAME = "Harcourt & Vale LLP"
    monkeypatch.setattr("portal.tasks.bundle_compile_task.apply_async", lambda args: None)
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    with django_capture_on_commit_callbacks(execute=True):
        bundle_compile(bundle_id=bundle.pk)
    assert "Harcourt & Vale LLP" in mailoutbox[0].body and "&amp;" not in mailoutbox[0].body


def test_failed_bundle_sends_no_email(
    evidence, matter_a, member_a, staff, signing, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("portal.tasks.bundle_compile_task.apply_async", lambda args: None)
    default_storage.delete(evidence[0].file.name)
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    with django_capture_on_commit_callbacks(execute=True):
        assert bundle_compile(bundle_id=bundle.pk) == CompileOutcome.FAILED
    assert mailoutbox == []


def test_verify_bundle_command_names_a_file_that_is_not_a_pdf_without_a_traceback(db, signing, tmp_path, capsys):
    path = tmp_path / "bundle.pdf"
    path.write_bytes(b"PK\x03\x04 a zip, not a pdf")
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("verify_bundle", str(path), stdout=out)
    assert "The file is not a PDF." in out.getvalue()
    assert "Traceback" not in capsys.readouterr().err


def test_verify_bundle_command_names_content_appended_after_signing(compiled, tmp_path, capsys):
    path = download(compiled, tmp_path)
    with open(path, "ab") as f:
        f.write(b"\n1 0 obj\n(appended)\nendobj\n")
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("verify_bundle", str(path), stdout=out)
    assert "Altered after signing" in out.getvalue()
    assert "Traceback" not in capsys.readouterr().err


def test_the_manifest_hash_on_the_cover_is_accepted_by_the_verify_page(client, compiled, tmp_path):
    cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(download(compiled, tmp_path)), "-"],
                           capture_output=True, text=True).stdout  # fmt: skip
    printed = re.search(r"Manifest SHA-256 \(identifies the evidence\)\s+([0-9a-f]{64})", cover).group(1)
    page = client.post(reverse("verify_bundle"), {"sha256": printed}).content.decode()
    assert "Issued by this portal from exactly this evidence" in page and compiled.matter.reference in page


def test_verify_bundle_command_names_a_manifest_that_differs_from_the_record(compiled, tmp_path):
    path = download(compiled, tmp_path)
    from ownership.shared.registry import IssuedDocument

    IssuedDocument.objects.filter(object_ref=f"portal.bundle:{compiled.pk}").update(manifest_sha256="0" * 64)
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("verify_bundle", str(path), stdout=out)
    assert "Manifest mismatch" in out.getvalue()


def test_a_failure_while_recording_the_ready_bundle_leaves_no_stored_file(evidence, matter_a, staff, signing,
                                                                          monkeypatch):  # fmt: skip
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("portal.tasks.bundle_compile_task.apply_async", lambda args: None)
    monkeypatch.setattr(sys.modules["portal.services.bundle_compile"], "custody_record", broken)
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    with pytest.raises(RuntimeError):
        bundle_compile(bundle_id=bundle.pk)
    assert not default_storage.exists("bundles") or default_storage.listdir(f"bundles/{matter_a.reference}")[1] == []


def test_an_overruled_bundle_says_in_its_manifest_what_was_missing_who_overruled_and_why(compiled):
    import shutil

    pytest.importorskip("pypdfium2") if not shutil.which("pdftotext") else None
    with default_storage.open(compiled.file.name, "rb") as stored:
        text = subprocess.run(["pdftotext", "-", "-"], input=stored.read(), capture_output=True, check=True).stdout
    text = " ".join(text.decode().split())
    assert "Compiled although not ready for Alibaba.com (IPP). Missing:" in text
    assert f"Overruled by {compiled.requested_by.get_full_name()}" in text and OVERRULED in text


def test_the_manifest_says_which_cross_check_staff_overruled_who_when_and_why(evidence, matter_a, staff, signing,
                                                                               monkeypatch):  # fmt: skip
    from ownership.models import IPRight
    from ownership.services import ownership_document_overrule_check
    from tests.ownership.factories import OwnershipDocumentFactory

    right = IPRight.objects.get(title="AURORA")
    certificate = OwnershipDocumentFactory(right=right, ocr_text="商标注册证 第38123456号 Registration certificate")
    ownership_document_overrule_check(document=certificate, by=staff, reason="Renumbered on renewal; letter on file")
    monkeypatch.setattr("portal.tasks.bundle_compile_task.apply_async", lambda args: None)
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    assert bundle_compile(bundle_id=bundle.pk) == CompileOutcome.READY
    bundle.refresh_from_db()
    with default_storage.open(bundle.file.name, "rb") as stored:
        text = subprocess.run(["pdftotext", "-", "-"], input=stored.read(), capture_output=True, check=True).stdout
    text = " ".join(text.decode().split())
    today = timezone.now()
    assert (f"Cross-check overruled by {staff.get_full_name()} on {today.day} {today:%B %Y}: Renumbered on "
            "renewal; letter on file. It had found: The certificate uploaded for AURORA does not show registration "
            "number") in text  # fmt: skip


def test_a_compiled_bundle_is_recorded_with_its_manifest_and_signer(compiled):
    from ownership.shared.registry import IssuedDocument

    record = IssuedDocument.objects.get(object_ref=f"portal.bundle:{compiled.pk}")
    assert (record.kind, record.sha256, record.manifest_sha256, record.signer_fingerprint) == (
        IssuedDocument.Kind.BUNDLE,
        compiled.sha256,
        compiled.manifest_sha256,
        compiled.signer_fingerprint,
    )
    assert record.recipient == "Alibaba.com (IPP)" and record.matter_reference == compiled.matter.reference


def test_the_registry_is_append_only_and_audited(compiled):
    from ownership.shared.audit import AuditEvent
    from ownership.shared.hashchain import AppendOnlyViolation
    from ownership.shared.registry import IssuedDocument

    record = IssuedDocument.objects.get()
    record.certifies = "Something else"
    with pytest.raises(AppendOnlyViolation):
        record.save()
    with pytest.raises(AppendOnlyViolation):
        record.delete()
    assert AuditEvent.objects.filter(object_ref=f"ownership.issueddocument:{record.pk}").exists()


def test_an_edited_registry_entry_breaks_its_chain_and_the_restore_check_says_so(compiled):
    from ownership.shared.registry import IssuedDocument
    from portal.restore import restore_problems

    IssuedDocument.objects.update(recipient="Someone else")  # behind the model's back, as a database edit would
    assert any(problem.startswith("registry of issued documents: registry entry #1") for problem in restore_problems())


def test_documents_issued_before_the_registry_are_recorded_by_its_migration_and_verify(compiled, tmp_path):
    import importlib

    from django.apps import apps

    from ownership.shared.hashchain import first_break
    from ownership.shared.registry import IssuedDocument

    IssuedDocument.objects.all().delete()  # as before the registry existed
    importlib.import_module("portal.migrations.0016_registry_of_issued_documents").backfill(apps, None)
    record = IssuedDocument.objects.get()
    assert (record.kind, record.sha256, record.manifest_sha256) == ("bundle", compiled.sha256, compiled.manifest_sha256)
    assert first_break(IssuedDocument.objects.order_by("sequence")) is None
    out = io.StringIO()
    call_command("verify_document", str(download(compiled, tmp_path)), stdout=out)
    assert out.getvalue().startswith("GENUINE: Complaint bundle")
