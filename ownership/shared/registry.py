"""The registry of issued documents: every signed PDF the portal issues, recorded as it is issued.

Bundles, notices, dossiers, statements and test-buy reports signed in the portal, and capture records each get
one entry: its kind, its SHA-256 (and a bundle's manifest SHA-256), when it was issued, the matter, whom it is
addressed to and what it certifies, in the document's own words. ``/verify/`` and ``verify_document`` answer
from it for every kind. The registry is append-only and hash-chained like the audit log, and each entry is
audited in the transaction that issues the document.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from ownership.shared import access, hashchain
from ownership.shared.audit import AuditEvent, audit_record

_APPEND_LOCK = 0x52454749  # "REGI": serialises appends to the registry's one chain on PostgreSQL


class RegistryChangeForbidden(hashchain.AppendOnlyViolation):
    """The registry of issued documents is only ever appended to."""


class IssuedDocumentQuerySet(models.QuerySet["IssuedDocument"]):
    def visible_to(self, user: Any) -> IssuedDocumentQuerySet:
        """The registry is the firm's record, read by staff; anyone else learns of one document at a time, by
        holding it (``/verify/``)."""
        return self.all() if access.is_firm_staff(user) else self.none()


class IssuedDocument(hashchain.ChainedEntry):
    """One document the portal issued, signed with the firm's key."""

    class Kind(models.TextChoices):
        BUNDLE = "bundle", "Complaint bundle"
        NOTICE = "notice", "Notice to a seller"
        DOSSIER = "dossier", "Repeat-infringer dossier"
        SIGNED_STATEMENT = "signed_statement", "Statement signed in the portal"
        SIGNED_TEST_BUY_REPORT = "signed_test_buy_report", "Test-buy report signed in the portal"
        CAPTURE_RECORD = "capture_record", "Capture record"
        ARCHIVE_TIMESTAMP = "archive_timestamp", "Archive timestamp renewal"
        CLIENT_REPORT = "client_report", "Monthly client report"

    sequence = models.PositiveBigIntegerField(unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    sha256 = models.CharField("SHA-256 of the issued file", max_length=64, db_index=True)
    manifest_sha256 = models.CharField("manifest SHA-256", max_length=64, blank=True, db_index=True)
    signer_fingerprint = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the signing certificate.")
    matter_reference = models.CharField(max_length=32, blank=True)
    recipient = models.CharField(max_length=300, blank=True, help_text="Whom it is addressed to, as it names them.")
    certifies = models.TextField(help_text="What it certifies, as the document itself says it.")
    object_ref = models.CharField(max_length=200, help_text="The record it was issued from, as app.model:id.")

    change_forbidden = RegistryChangeForbidden
    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.get_kind_display()}: {self.certifies}"

    def chain_label(self) -> str:
        return f"registry entry #{self.sequence} (id {self.pk}, {self.get_kind_display()})"

    def chained_fields(self) -> dict[str, Any]:
        return {
            "sequence": self.sequence,
            "created_at": self.created_at.isoformat(),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "kind": self.kind,
            "sha256": self.sha256,
            "manifest_sha256": self.manifest_sha256,
            "signer_fingerprint": self.signer_fingerprint,
            "matter_reference": self.matter_reference,
            "recipient": self.recipient,
            "certifies": self.certifies,
            "object_ref": self.object_ref,
        }


class ArchivalCopy(models.Model):
    """The long-term copies of an issued document: first the issued file itself, then each copy whose archive
    timestamp was renewed (``portal.services.archive_timestamps``). Each is in the registry, so each verifies."""

    document = models.ForeignKey(IssuedDocument, on_delete=models.PROTECT, related_name="archival_copies")
    file = models.CharField(max_length=300, help_text="The file in storage.")
    sha256 = models.CharField("SHA-256", max_length=64)
    timestamp_expires_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="When its last timestamp's certificate expires; empty "
        "for a document with no timestamp, which cannot be renewed.",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.document}: copy {self.sha256[:12]}…"


def document_issue(
    *,
    kind: str,
    obj: models.Model,
    sha256: str,
    certifies: str,
    by: Any = None,
    matter_reference: str = "",
    recipient: str = "",
    manifest_sha256: str = "",
    signer_fingerprint: str = "",
) -> IssuedDocument:
    """Record, inside the transaction that issues it, that the portal issued the signed file ``sha256`` made
    from ``obj``; audited in the same transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("A document is recorded inside the transaction that issues it.")
    entry = IssuedDocument(
        kind=kind, sha256=sha256, manifest_sha256=manifest_sha256, signer_fingerprint=signer_fingerprint,
        matter_reference=matter_reference, recipient=recipient[:300], certifies=certifies,
        object_ref=f"{obj._meta.label_lower}:{obj.pk}",
    )  # fmt: skip
    hashchain.append_to_log(entry, lock=_APPEND_LOCK, actor=by, nobody="the portal")
    audit_record(action=AuditEvent.Action.ADDED, actor=by, object_ref=f"ownership.issueddocument:{entry.pk}",
                 object_label=str(entry)[:300], changes=["kind", "sha256"], nobody="system")  # fmt: skip
    return entry


def issued_with(sha256: str) -> list[IssuedDocument]:
    """The documents issued as exactly these bytes, or else those issued from this manifest (a bundle's evidence)."""
    value = sha256.strip().lower()
    found = list(IssuedDocument.objects.filter(sha256=value))
    return found or list(IssuedDocument.objects.filter(manifest_sha256=value))
