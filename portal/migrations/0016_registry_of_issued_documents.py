"""Record in the registry of issued documents what the portal issued before it existed, so that every bundle,
notice, dossier, signed statement or test-buy report and capture record already sent still verifies.

Entries are chained in the order the documents were issued, exactly as ``ownership.shared.registry`` chains
them (the hash covers the same fields), and name what each certifies in the words available for it then.
"""

from django.db import migrations

from ownership.shared.hashchain import GENESIS, entry_hash

NOBODY = "the portal (recorded when the registry began)"


def _issued(apps):
    """(issued at, entry fields) for everything issued so far."""
    Bundle = apps.get_model("portal", "Bundle")
    Notice = apps.get_model("portal", "Notice")
    Dossier = apps.get_model("portal", "Dossier")
    StatementDraft = apps.get_model("ownership", "StatementDraft")
    Exhibit = apps.get_model("evidence", "Exhibit")
    for bundle in Bundle.objects.filter(status="ready").select_related("matter"):
        platform = bundle.get_platform_display()
        yield bundle.finished_at or bundle.created_at, {
            "kind": "bundle", "sha256": bundle.sha256, "manifest_sha256": bundle.manifest_sha256,
            "signer_fingerprint": bundle.signer_fingerprint, "matter_reference": bundle.matter.reference,
            "recipient": platform, "object_ref": f"portal.bundle:{bundle.pk}",
            "certifies": f"Complaint bundle B-{bundle.pk:06d} of matter {bundle.matter.reference}, version "
            f"{bundle.version}, for {platform}: {bundle.page_count} pages, {bundle.exhibit_count} exhibit"
            f"{'' if bundle.exhibit_count == 1 else 's'}",
        }  # fmt: skip
    for notice in Notice.objects.filter(status="ready").select_related("matter"):
        reference = f"{notice.matter.reference}/N{notice.pk}"
        yield notice.finished_at or notice.requested_at, {
            "kind": "notice", "sha256": notice.sha256, "manifest_sha256": "", "signer_fingerprint": "",
            "matter_reference": notice.matter.reference, "recipient": "", "object_ref": f"portal.notice:{notice.pk}",
            "certifies": f"Notice of infringement {reference}, to comply by {notice.deadline:%d %B %Y}",
        }  # fmt: skip
    for dossier in Dossier.objects.filter(status="ready").select_related("seller"):
        yield dossier.finished_at or dossier.requested_at, {
            "kind": "dossier", "sha256": dossier.sha256, "manifest_sha256": "", "signer_fingerprint": "",
            "matter_reference": "", "recipient": "", "object_ref": f"portal.dossier:{dossier.pk}",
            "certifies": f"Repeat-infringer dossier {dossier.pk} of the network of {dossier.seller.store_name}: "
            f"{dossier.sellers} stores and the evidence linking them",
        }  # fmt: skip
    for draft in StatementDraft.objects.filter(status="signed").select_related("rights_holder"):
        kind = "signed_test_buy_report" if draft.kind == "test_buy_report" else "signed_statement"
        yield draft.signed_at or draft.created_at, {
            "kind": kind, "sha256": draft.signed_sha256, "manifest_sha256": "", "signer_fingerprint": "",
            "matter_reference": draft.matter_reference, "recipient": draft.rights_holder.name,
            "object_ref": f"ownership.statementdraft:{draft.pk}",
            "certifies": f"{draft.kind.replace('_', ' ').capitalize()} {draft.rights_holder.code}/S{draft.pk} of "
            f"{draft.rights_holder.name}, signed in the portal by {draft.signatory_name}, {draft.signatory_title}",
        }  # fmt: skip
    for record in Exhibit.objects.filter(kind="capture_record").select_related("matter"):
        yield record.uploaded_at, {
            "kind": "capture_record", "sha256": record.sha256, "manifest_sha256": "", "signer_fingerprint": "",
            "matter_reference": record.matter.reference, "recipient": "",
            "object_ref": f"evidence.capture:{record.capture_id}",
            "certifies": f"Capture record {record.capture_id} of {record.source_url}, made by the portal's browser "
            f"on {record.captured_at or record.uploaded_at:%d %B %Y at %H:%M:%S} UTC",
        }  # fmt: skip


def backfill(apps, schema_editor):
    IssuedDocument = apps.get_model("ownership", "IssuedDocument")
    if IssuedDocument.objects.exists():
        return
    previous, sequence = GENESIS, 0
    for issued_at, fields in sorted(_issued(apps), key=lambda item: item[0]):
        sequence += 1
        chained = {"sequence": sequence, "created_at": issued_at.isoformat(), "actor_id": None,
                   "actor_name": NOBODY, **fields}  # fmt: skip
        digest = entry_hash(chained, previous)
        IssuedDocument.objects.create(sequence=sequence, created_at=issued_at, actor=None, actor_name=NOBODY,
                                      previous_hash=previous, entry_hash=digest, **fields)  # fmt: skip
        previous = digest


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0015_notice_signer"),
        ("ownership", "0014_issued_document_registry"),
        ("evidence", "0017_matter_listing_facts"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
