"""Rights and ownership documents for the ownership tests."""

from __future__ import annotations

import hashlib

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from factory.django import DjangoModelFactory

from ownership import choices, schemas
from ownership.models import IPRight, OwnershipDocument, RightsHolder
from ownership.services import ip_right_create
from tests.support.files import pdf_bytes


def make_right(rights_holder: RightsHolder, jurisdiction: str, kind: str, **overrides) -> IPRight:
    """A valid right made from the rules' own example identifiers, through the service."""
    fields = {**schemas.schema_for(jurisdiction, kind).example, **overrides}
    fields.setdefault("title", f"{kind} in {jurisdiction}")
    if jurisdiction == "GB" and kind == choices.COPYRIGHT:
        fields.setdefault("status", IPRight.Status.UNREGISTERED)
    return ip_right_create(rights_holder=rights_holder, kind=kind, jurisdiction=jurisdiction, **fields)


def _text(document) -> str:
    """What the document's file says: a certificate shows its right's number and owner, as a real one does, so
    the cross-checks find nothing to question."""
    right = document.right
    if right is None:
        return f"{document.description} of {document.rights_holder.name}"
    shown = (right.identifier_display, right.registration_number, right.certificate_number, right.owner_name)
    return " ".join(["Registration certificate", *filter(None, shown), right.rights_holder.name])


def _stored_name(document) -> str:
    return default_storage.save("ownership/tests/document.pdf", ContentFile(document.content))


class OwnershipDocumentFactory(DjangoModelFactory):
    """A document row whose file was written straight to storage with its true hash and size, and its text read
    (as the OCR worker records a PDF with its own text layer).

    The upload path (the file policy, hashing while storing) is tested on its own.
    """

    class Meta:
        model = OwnershipDocument

    class Params:
        content = factory.LazyAttribute(lambda o: pdf_bytes(o.ocr_text))

    right = None
    rights_holder = factory.LazyAttribute(lambda o: o.right.rights_holder)
    doc_type = OwnershipDocument.Type.REGISTRATION_CERTIFICATE
    description = factory.Sequence(lambda n: f"Document {n}")
    language = "en"
    is_signed = True
    signatory_name = "Claire Donnelly"
    signatory_title = "Director"
    ocr_text = factory.LazyAttribute(_text)
    ocr_status = OwnershipDocument.OcrStatus.NOT_NEEDED
    file = factory.LazyAttribute(_stored_name)
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    size = factory.LazyAttribute(lambda o: len(o.content))
    content_type = "application/pdf"
    original_name = "document.pdf"
