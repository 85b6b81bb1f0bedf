"""verify_evidence names whatever changed after the fact: a stored byte, a custody row, a deleted entry."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from evidence.models import CustodyEvent, Exhibit
from evidence.services import custody_record, exhibit_upload
from tests.support import files as samples


def verify(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_evidence", *args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def exhibit(matter_a, staff):
    exhibit = exhibit_upload(
        matter=matter_a, upload=ContentFile(samples.pdf_bytes(), name="o.pdf"), kind="other", uploaded_by=staff
    )
    custody_record(matter=matter_a, action="sealed", actor=staff, item_label="evidence bag 17")
    custody_record(matter=matter_a, action="moved", actor=staff, item_label="evidence bag 17", details="Safe 2")
    return exhibit


def test_intact_evidence_verifies(exhibit):
    code, out = verify()
    assert code == 0 and "intact" in out


def test_one_flipped_byte_in_a_stored_exhibit_is_named(exhibit):
    with default_storage.open(exhibit.file.name, "rb") as f:
        data = bytearray(f.read())
    data[100] ^= 0x01
    default_storage.delete(exhibit.file.name)
    default_storage.save(exhibit.file.name, ContentFile(bytes(data)))
    code, out = verify(exhibit.matter.reference)
    assert code == 1
    assert f"Exhibit {exhibit.pk}" in out and f"expected SHA-256 {exhibit.sha256}" in out


def test_an_edited_custody_row_is_named(exhibit):
    CustodyEvent.objects.filter(sequence=2).update(item_label="evidence bag 18")
    code, out = verify()
    assert code == 1 and "custody entry #2" in out and "content was changed" in out


def test_a_deleted_custody_row_is_noticed_at_the_next_entry(exhibit):
    CustodyEvent.objects.filter(sequence=2).delete()  # a queryset delete bypasses the model's refusal
    code, out = verify()
    assert code == 1 and "custody entry #3" in out and "removed or reordered" in out


def test_deleting_the_newest_custody_entries_is_noticed(exhibit):
    CustodyEvent.objects.filter(sequence__gte=2).delete()  # what is left still links from the start
    code, out = verify()
    assert code == 1 and "ends at entry #1 but the matter recorded 3 entries" in out


def test_a_rewritten_exhibit_hash_breaks_the_chain(exhibit):
    Exhibit.objects.filter(pk=exhibit.pk).update(sha256="0" * 64)
    code, out = verify()
    assert code == 1 and "custody entry #1" in out


def test_unknown_matter_is_a_clear_error(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No matter with the reference NOPE-2026-001"):
        call_command("verify_evidence", "NOPE-2026-001")
