"""A bundle compiled from hostile and damaged evidence: no active content reaches its readers, and a file that
cannot be rendered fails the compile at once, naming the exhibit."""

import io
import subprocess

import pikepdf
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from evidence.services import exhibit_upload, listing_record, seller_record
from portal.models import Bundle
from portal.services import CompileOutcome, bundle_compile, bundle_request
from tests.evidence.factories import TestPurchaseFactory
from tests.ownership.factories import make_right
from tests.portal.bundles.test_compile import download
from tests.support.bundles import OVERRULED
from tests.support.hostile import CORPUS

ACTIVE = [case for case in CORPUS if case.warning]
REPAIRABLE = next(case for case in CORPUS if case.name == "broken-xref.pdf")
ACTIVE_KEYS = {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA",
               "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/AA", "/FileAttachment"}  # fmt: skip


@pytest.fixture
def hostile_matter(matter_a, staff):
    make_right(matter_a.rights_holder, "CN", "trademark", title="AURORA")
    seller, _ = seller_record(platform="alibaba", store_name="Glowhome", platform_seller_id="2201234")
    listing, _ = listing_record(matter=matter_a, url="https://www.alibaba.com/product-detail/x_1.html", seller=seller)
    purchase = TestPurchaseFactory(matter=matter_a, listing=listing, recorded_by=staff)
    for case in [*ACTIVE, REPAIRABLE]:
        exhibit_upload(matter=matter_a, purchase=purchase, kind="listing_capture", uploaded_by=staff,
                       upload=ContentFile(case.make(), name=case.name))  # fmt: skip
    return matter_a


@pytest.fixture
def compiled(hostile_matter, staff, signing, monkeypatch, tmp_path):
    monkeypatch.setattr("portal.tasks.bundle_compile_task.apply_async", lambda args: None)
    bundle, _ = bundle_request(matter=hostile_matter, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    assert bundle_compile(bundle_id=bundle.pk) == CompileOutcome.READY, Bundle.objects.get().error_message
    bundle.refresh_from_db()
    return bundle, download(bundle, tmp_path)


def every_object_key_and_value(pdf: pikepdf.Pdf) -> set[str]:
    found = set()
    for obj in pdf.objects:
        dictionary = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
        if isinstance(dictionary, pikepdf.Dictionary):
            for key, value in dictionary.items():
                found.add(key)
                if isinstance(value, pikepdf.Name):
                    found.add(str(value))
    return found


def test_the_bundle_holds_no_javascript_launch_action_or_embedded_file(compiled):
    _, path = compiled
    with pikepdf.open(path) as pdf:
        present = every_object_key_and_value(pdf) & ACTIVE_KEYS
        assert not pdf.attachments
    assert present == set()


def test_the_manifest_names_what_was_removed_and_the_originals_hash(compiled):
    bundle, path = compiled
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    manifest = " ".join(text[text.index("Manifest SHA-256: ") :].split())  # the manifest, lines joined
    assert "JavaScript removed from the bundle copy; the original is kept unaltered, SHA-256" in manifest
    assert "An embedded file removed from the bundle copy" in manifest
    assert "An action that starts a program removed from the bundle copy" in manifest


def test_the_originals_are_unaltered_and_the_bundle_validates(compiled, capsys):
    bundle, path = compiled
    call_command("verify_evidence", bundle.matter.reference)
    assert "intact" in capsys.readouterr().out.lower()
    out = io.StringIO()
    call_command("verify_bundle", str(path), stdout=out)
    assert "GENUINE" in out.getvalue()


def test_a_damaged_image_already_stored_fails_the_compile_at_once_naming_the_exhibit(
    matter_a, staff, signing, monkeypatch
):
    make_right(matter_a.rights_holder, "CN", "trademark", title="AURORA")
    seller, _ = seller_record(platform="alibaba", store_name="Glowhome", platform_seller_id="2201234")
    listing_record(matter=matter_a, url="https://www.alibaba.com/product-detail/x_1.html", seller=seller)
    damaged = next(case for case in CORPUS if case.name == "cut-in-half.jpg").make()
    # Stored before the upload check decoded images in full, as older evidence may have been.
    monkeypatch.setattr("ownership.shared.files.checks.check_image", lambda upload, allowed: None)
    exhibit = exhibit_upload(matter=matter_a, kind="product_photo", uploaded_by=staff,
                             upload=ContentFile(damaged, name="front.jpg"))  # fmt: skip
    monkeypatch.setattr("portal.tasks.bundle_compile_task.apply_async", lambda args: None)
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    assert bundle_compile(bundle_id=bundle.pk) == CompileOutcome.FAILED  # no retry: the file, not the storage
    bundle.refresh_from_db()
    assert f"Exhibit {exhibit.number} (front.jpg) is a damaged or truncated image" in bundle.error_message
    assert "Withdraw the exhibit or upload a good copy in its place" in bundle.error_message
    assert "storage" not in bundle.error_message


def test_verify_evidence_still_passes_on_hostile_originals(hostile_matter):
    try:
        call_command("verify_evidence", hostile_matter.reference)
    except CommandError as exc:  # pragma: no cover - a failure shows its message
        pytest.fail(str(exc))


def test_a_repairable_pdf_is_kept_as_received_and_the_bundle_shows_all_its_pages(compiled):
    _, path = compiled
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert all(f"Order (page {n})" in text for n in (1, 2, 3))


def test_a_damaged_pdf_already_stored_fails_the_compile_naming_the_exhibit(matter_a, staff, signing, monkeypatch):
    make_right(matter_a.rights_holder, "CN", "trademark", title="AURORA")
    seller, _ = seller_record(platform="alibaba", store_name="Glowhome", platform_seller_id="2201234")
    listing_record(matter=matter_a, url="https://www.alibaba.com/product-detail/x_1.html", seller=seller)
    damaged = next(case for case in CORPUS if case.name == "cut-in-half.pdf").make()
    monkeypatch.setattr(
        "ownership.shared.files.checks.check_pdf", lambda upload: None
    )  # stored before pages were parsed
    monkeypatch.setattr("ownership.shared.files.checks.pdf_active_content", lambda upload: [])
    exhibit = exhibit_upload(matter=matter_a, kind="order_confirmation", uploaded_by=staff,
                             upload=ContentFile(damaged, name="order.pdf"))  # fmt: skip
    monkeypatch.setattr("portal.tasks.bundle_compile_task.apply_async", lambda args: None)
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    assert bundle_compile(bundle_id=bundle.pk) == CompileOutcome.FAILED
    bundle.refresh_from_db()
    assert f"Exhibit {exhibit.number} (order.pdf) is a damaged PDF" in bundle.error_message
    assert "/tmp" not in bundle.error_message
