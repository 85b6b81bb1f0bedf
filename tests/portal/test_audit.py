"""The audit log: every view and download of evidence, every staff change, append-only and hash-chained."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from evidence.models import Matter
from evidence.services import exhibit_upload
from ownership.shared.audit import AuditEvent, AuditLogChangeForbidden
from portal.models import Bundle
from tests.support import files as samples


@pytest.fixture
def exhibit_a(matter_a, staff):
    upload = ContentFile(samples.pdf_bytes(), name="order.pdf")
    return exhibit_upload(matter=matter_a, upload=upload, kind="order_confirmation", uploaded_by=staff)


def verify() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_audit", stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def test_exhibit_download_is_recorded_with_who_what_and_the_address(client, member_a, exhibit_a):
    client.force_login(member_a)
    response = client.get(reverse("web:exhibit_download", args=[exhibit_a.pk]), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="exhibit_downloaded")
    assert (event.actor, event.ip_address) == (member_a, "203.0.113.7")
    assert event.object_label == exhibit_a.label and event.object_ref == f"pk={exhibit_a.pk}"
    assert event.status_code == 200


def test_refused_download_of_another_clients_exhibit_is_recorded_as_404(client, member_b, exhibit_a):
    client.force_login(member_b)
    assert client.get(reverse("web:exhibit_download", args=[exhibit_a.pk])).status_code == 404
    event = AuditEvent.objects.get(action="exhibit_downloaded")
    assert (event.actor, event.status_code, event.object_ref) == (member_b, 404, f"pk={exhibit_a.pk}")
    assert event.object_label == ""  # nothing about the exhibit leaks into the refused entry


def test_bundle_download_is_recorded(client, member_a, matter_a, staff):
    name = default_storage.save("bundles/audit/bundle.pdf", ContentFile(b"%PDF-1.7 signed bundle"))
    bundle = Bundle.objects.create(
        matter=matter_a, platform="alibaba", version=1, inputs_digest="x", status="ready", requested_by=staff, file=name
    )
    client.force_login(member_a)
    client.get(reverse("web:bundle_download", args=[bundle.pk]))
    event = AuditEvent.objects.get(action="bundle_downloaded")
    assert (event.actor, event.object_label) == (member_a, str(bundle))


def test_viewing_a_matter_page_is_recorded(client, member_a, matter_a):
    client.force_login(member_a)
    client.get(reverse("web:matter_detail", args=[matter_a.reference]))
    assert AuditEvent.objects.get(action="matter_viewed").actor == member_a


def _matter_form(matter, **changes) -> dict:
    data = {
        "reference": matter.reference, "rights_holder": matter.rights_holder_id, "title": matter.title,
        "platforms": matter.platforms, "status": matter.status, "responsible": "", "opened_on": matter.opened_on,
    }  # fmt: skip
    return data | changes


def test_a_staff_change_in_the_admin_names_the_object_and_the_fields(staff_client, staff, matter_a):
    url = reverse("admin:evidence_matter_change", args=[matter_a.pk])
    assert staff_client.post(url, _matter_form(matter_a, title="Renamed"), REMOTE_ADDR="203.0.113.9").status_code == 302
    event = AuditEvent.objects.get(action="changed")
    assert (event.actor, event.object_ref, event.changes) == (staff, f"evidence.matter:{matter_a.pk}", ["title"])
    assert (event.method, event.path, event.ip_address) == ("POST", url, "203.0.113.9")
    assert event.object_label == str(Matter.objects.get(pk=matter_a.pk))


def test_a_change_whose_audit_entry_cannot_be_written_is_not_saved(staff_client, matter_a, monkeypatch):
    def broken_log(**kwargs):
        raise DatabaseError("the audit log is unavailable")

    monkeypatch.setattr("ownership.shared.audit.audit_record", broken_log)
    url = reverse("admin:evidence_matter_change", args=[matter_a.pk])
    with pytest.raises(DatabaseError):
        staff_client.post(url, _matter_form(matter_a, title="Renamed"))
    assert Matter.objects.get(pk=matter_a.pk).title == matter_a.title


def test_a_clients_get_of_their_dashboard_is_not_an_audit_entry(client, member_a):
    client.force_login(member_a)
    client.get(reverse("web:dashboard"))
    assert not AuditEvent.objects.exists()


def test_the_chain_verifies_when_untouched(client, member_a, exhibit_a):
    client.force_login(member_a)
    for _ in range(3):
        client.get(reverse("web:exhibit_download", args=[exhibit_a.pk]))
    code, out = verify()
    assert code == 0 and f"intact: {AuditEvent.objects.count()} entries" in out


def test_an_edited_entry_is_named_by_verify_audit(client, member_a, exhibit_a):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's trigger refuses the edit itself (tested below)")
    client.force_login(member_a)
    for _ in range(3):
        client.get(reverse("web:exhibit_download", args=[exhibit_a.pk]))
    AuditEvent.objects.filter(sequence=2).update(ip_address="198.51.100.1")  # a queryset update bypasses save()
    code, out = verify()
    assert code == 1 and "audit entry #2" in out and "content was changed" in out


def test_a_removed_entry_is_noticed_at_the_next_one(client, member_a, exhibit_a):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's trigger refuses the delete itself (tested below)")
    client.force_login(member_a)
    for _ in range(3):
        client.get(reverse("web:exhibit_download", args=[exhibit_a.pk]))
    AuditEvent.objects.filter(sequence=2).delete()
    code, out = verify()
    assert code == 1 and "audit entry #3" in out and "removed or reordered" in out


def test_an_entry_cannot_be_saved_again_or_deleted(client, member_a, exhibit_a):
    client.force_login(member_a)
    client.get(reverse("web:exhibit_download", args=[exhibit_a.pk]))
    event = AuditEvent.objects.get(action="exhibit_downloaded")
    with pytest.raises(AuditLogChangeForbidden):
        event.save()
    with pytest.raises(AuditLogChangeForbidden):
        event.delete()


@pytest.mark.parametrize(
    "statement", ["UPDATE portal_auditevent SET actor_name = 'x'", "DELETE FROM portal_auditevent"]
)
def test_postgresql_refuses_update_and_delete_of_the_log(client, member_a, exhibit_a, statement):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL")
    client.force_login(member_a)
    client.get(reverse("web:exhibit_download", args=[exhibit_a.pk]))
    before = list(AuditEvent.objects.values_list("entry_hash", "actor_name"))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert list(AuditEvent.objects.values_list("entry_hash", "actor_name")) == before
