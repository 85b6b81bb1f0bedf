import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError

from evidence.models import CustodyEvent, Exhibit, ExhibitChangeForbidden
from evidence.services import exhibit_upload, exhibit_withdraw
from ownership.shared.audit import AuditEvent
from ownership.shared.files.allowed import FileRejected
from tests.evidence.factories import TestPurchaseFactory
from tests.support import files as samples


def stored_files(path: str = "") -> list[str]:
    directories, files = default_storage.listdir(path)
    return files + [f for d in directories for f in stored_files(f"{path}/{d}".lstrip("/"))]


def upload(matter, user, data=None, name="order.pdf", **kwargs):
    return exhibit_upload(
        matter=matter,
        upload=ContentFile(data if data is not None else samples.pdf_bytes(), name=name),
        kind=kwargs.pop("kind", "order_confirmation"),
        uploaded_by=user,
        **kwargs,
    )


def test_upload_stores_exact_bytes_with_their_hash(matter_a, staff):
    data = samples.pdf_bytes("Order 88213")
    exhibit = upload(matter_a, staff, data)
    with default_storage.open(exhibit.file.name, "rb") as f:
        assert f.read() == data
    assert exhibit.sha256 == hashlib.sha256(data).hexdigest()
    assert (exhibit.size, exhibit.content_type, exhibit.original_name) == (len(data), "application/pdf", "order.pdf")


def test_upload_is_logged_in_the_custody_chain(matter_a, staff):
    exhibit = upload(matter_a, staff)
    event = CustodyEvent.objects.get()
    assert (event.action, event.exhibit, event.actor, event.sequence) == ("uploaded", exhibit, staff, 1)
    assert exhibit.sha256 in event.details


def test_exhibits_are_numbered_in_order_within_a_matter(matter_a, matter_b, staff):
    numbers = [upload(matter_a, staff).number, upload(matter_a, staff).number, upload(matter_b, staff).number]
    assert numbers == [1, 2, 1]


def test_refused_file_leaves_no_row_no_custody_entry_and_no_file(matter_a, staff):
    with pytest.raises(FileRejected, match="web page or SVG markup"):
        upload(matter_a, staff, b"<html><script>alert(1)</script></html>", name="listing.pdf")
    assert not Exhibit.objects.exists() and not CustodyEvent.objects.exists()
    assert not default_storage.exists("exhibits")


def test_row_that_cannot_be_saved_removes_the_stored_file(matter_a, staff):
    with pytest.raises(ValidationError) as exc:
        upload(matter_a, staff, description="x" * 501)
    assert "description" in exc.value.message_dict
    assert not Exhibit.objects.exists()
    assert not default_storage.exists("exhibits") or stored_files("exhibits") == []


def test_exhibit_for_a_purchase_of_another_matter_is_refused(matter_a, matter_b, staff):
    purchase = TestPurchaseFactory(matter=matter_b)
    with pytest.raises(ValidationError, match="another matter"):
        upload(matter_a, staff, purchase=purchase)


def test_exhibit_cannot_be_changed_after_upload(matter_a, staff):
    exhibit = upload(matter_a, staff)
    exhibit.description = "edited"
    with pytest.raises(ExhibitChangeForbidden):
        exhibit.save()
    with pytest.raises(ExhibitChangeForbidden):
        exhibit.delete()
    assert Exhibit.objects.get().description == ""


def test_withdrawal_keeps_the_file_and_records_the_reason(matter_a, staff):
    exhibit = upload(matter_a, staff)
    exhibit_withdraw(exhibit=exhibit, by=staff, reason="Duplicate of exhibit 2")
    exhibit.refresh_from_db()
    assert exhibit.is_withdrawn and exhibit.withdrawal_reason == "Duplicate of exhibit 2"
    assert default_storage.exists(exhibit.file.name)
    assert CustodyEvent.objects.order_by("sequence").last().action == "withdrawn"


def test_withdrawal_needs_a_reason(matter_a, staff):
    exhibit = upload(matter_a, staff)
    with pytest.raises(ValidationError, match="Say why"):
        exhibit_withdraw(exhibit=exhibit, by=staff, reason="  ")
    assert not Exhibit.objects.get().is_withdrawn


def test_admin_change_form_cannot_edit_an_exhibit(staff_client, matter_a, staff):
    exhibit = upload(matter_a, staff)
    url = f"/admin/evidence/exhibit/{exhibit.pk}/change/"
    page = staff_client.get(url).content.decode()
    assert exhibit.sha256 in page and 'name="description"' not in page
    staff_client.post(url, {"description": "tampered", "sha256": "0" * 64})
    exhibit.refresh_from_db()
    assert (exhibit.description, len(exhibit.sha256)) == ("", 64) and exhibit.sha256 != "0" * 64


def test_upload_is_audited_as_added_by_the_uploader(matter_a, staff):
    exhibit = upload(matter_a, staff)
    entry = AuditEvent.objects.get(object_ref=f"evidence.exhibit:{exhibit.pk}")
    assert (entry.action, entry.actor, entry.object_label) == ("added", staff, str(exhibit))


def test_upload_whose_audit_entry_fails_leaves_no_row_no_custody_entry_and_no_file(matter_a, staff, monkeypatch):
    def broken_log(**kwargs):
        raise DatabaseError("the audit log is unavailable")

    monkeypatch.setattr("ownership.shared.audit.audit_record", broken_log)
    with pytest.raises(DatabaseError):
        upload(matter_a, staff)
    assert not Exhibit.objects.exists() and not CustodyEvent.objects.exists()
    assert stored_files() == []
