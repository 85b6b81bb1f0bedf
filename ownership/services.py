"""Every write to ownership data goes through a function here, and is audited in its transaction.

Rows with no rule beyond their model's validation (rights holders, memberships, users, edits of a right) are
written by the admin through ``ownership.shared.audit.save_audited`` and ``delete_audited``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from ownership.models import IPRight, OwnershipDocument, RightsHolder
from ownership.shared import access
from ownership.shared.audit import AuditEvent, audit_change, save_audited
from ownership.shared.files.allowed import FileRejected
from ownership.shared.files.storage import StorageUnavailable, recorded_or_removed, store_upload
from ownership.shared.jobs import job_dispatch
from ownership.shared.ocr import rendition_read
from ownership.shared.users import User


@transaction.atomic
def firm_staff_group_ensure() -> Group:
    """The group firm staff belong to, with every permission of the portal's apps but those given one by one
    (created or brought up to date)."""
    group, _ = Group.objects.get_or_create(name=access.FIRM_STAFF_GROUP)
    permissions = Permission.objects.filter(content_type__app_label__in=access.FIRM_STAFF_APPS)
    for withheld in access.FIRM_STAFF_WITHHELD:
        app_label, codename = withheld.split(".")
        permissions = permissions.exclude(content_type__app_label=app_label, codename=codename)
    group.permissions.set(permissions)
    return group


def ip_right_create(
    *, rights_holder: RightsHolder, kind: str, jurisdiction: str, title: str, by: User | None = None, **fields
) -> IPRight:
    """Record a right; identifiers are checked against the jurisdiction's rules and stored in canonical form."""
    right = IPRight(rights_holder=rights_holder, kind=kind, jurisdiction=jurisdiction, title=title, **fields)
    save_audited(right, by=by)
    return right


def ownership_document_upload(
    *,
    rights_holder: RightsHolder,
    upload: File,
    doc_type: str,
    right: IPRight | None = None,
    uploaded_by: User | None = None,
    **fields,
) -> OwnershipDocument:
    """Store and record a document proving ownership.

    The row is validated before the file is touched, so a form error stores nothing; the file then goes
    through the file policy (``store_upload``: type from its bytes, size limit, SHA-256 while storing), and
    if the row cannot be saved the stored file is removed again. Raises ValidationError (FileRejected for the
    file) with the field and the reason.
    """
    document = OwnershipDocument(
        rights_holder=rights_holder, right=right, doc_type=doc_type, uploaded_by=uploaded_by, **fields
    )
    document.full_clean(exclude=["file", "sha256", "size", "content_type", "original_name"])
    try:
        stored = store_upload(upload, folder="ownership")
    except FileRejected as exc:
        raise ValidationError({"file": exc.messages}) from exc
    except StorageUnavailable as exc:
        raise ValidationError({"file": str(exc)}) from exc
    with recorded_or_removed(stored.name):
        document.file = stored.name
        document.sha256 = stored.sha256
        document.size = stored.size
        document.content_type = stored.content_type
        document.original_name = stored.original_name
        if settings.PORTAL_OCR:
            document.ocr_status = OwnershipDocument.OcrStatus.QUEUED
        document.full_clean()
        document.save()
        audit_change(action=AuditEvent.Action.ADDED, actor=uploaded_by, obj=document, fields=["file"])
        if settings.PORTAL_OCR:
            job_dispatch(document)
    return document


def ownership_document_read(*, document_id: int) -> OwnershipDocument | None:
    """Keep the document's text, making a searchable rendition of a scan (the OCR worker runs this)."""
    return rendition_read(OwnershipDocument, document_id, folder="ownership-ocr")


@transaction.atomic
def ownership_document_overrule_check(*, document: OwnershipDocument, by: User, reason: str) -> OwnershipDocument:
    """Staff accept a document whose text the cross-checks questioned; who, when and why are recorded."""
    if not access.is_firm_staff(by):
        raise PermissionDenied("Only the firm's staff overrule a check.")
    if not reason.strip():
        raise ValidationError("Say why the document is right despite the check.")
    document.check_overruled_by, document.check_overruled_at = by, timezone.now()
    document.check_overrule_reason = reason.strip()
    document.save(update_fields=["check_overruled_by", "check_overruled_at", "check_overrule_reason"])
    audit_change(action=AuditEvent.Action.CHANGED, actor=by, obj=document,
                 fields=["check_overruled_at", "check_overrule_reason"])  # fmt: skip
    return document
