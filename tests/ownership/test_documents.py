"""Uploading ownership documents: the file policy, the hash, and form errors that leave nothing behind."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ownership import choices
from ownership.models import OwnershipDocument
from ownership.services import ownership_document_upload
from tests.ownership.factories import OwnershipDocumentFactory, make_right
from tests.support.files import pdf_bytes

pytestmark = pytest.mark.django_db


def _stored_files() -> list[str]:
    found = []

    def walk(folder: str) -> None:
        dirs, files = default_storage.listdir(folder)
        found.extend(f"{folder}/{name}" for name in files)
        for name in dirs:
            walk(f"{folder}/{name}")

    if default_storage.exists("ownership"):
        walk("ownership")
    return found


def _upload(holder, content: bytes, name: str = "certificate.pdf", **fields) -> OwnershipDocument:
    fields.setdefault("doc_type", choices.DocumentType.REGISTRATION_CERTIFICATE)
    return ownership_document_upload(rights_holder=holder, upload=ContentFile(content, name=name), **fields)


def test_an_upload_is_stored_under_a_generated_key_with_its_hash(holder_a, staff):
    content = pdf_bytes("Certificate of registration VA 2-123-456")
    right = make_right(holder_a, "US", choices.COPYRIGHT)
    document = _upload(holder_a, content, right=right, uploaded_by=staff)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert (document.size, document.content_type, document.original_name) == (
        len(content),
        "application/pdf",
        "certificate.pdf",
    )
    assert document.file.name.startswith("ownership/") and "certificate" not in document.file.name
    assert document.file.read() == content


def test_a_rejected_file_leaves_nothing_behind(holder_a):
    with pytest.raises(ValidationError) as caught:
        _upload(holder_a, b"<html><script>alert(1)</script></html>", name="certificate.pdf")
    assert "markup" in caught.value.message_dict["file"][0]
    assert not OwnershipDocument.objects.exists()
    assert _stored_files() == []


def test_an_expiry_before_the_issue_date_is_a_form_error_and_stores_nothing(holder_a):
    with pytest.raises(ValidationError) as caught:
        _upload(
            holder_a,
            pdf_bytes(),
            doc_type=choices.DocumentType.POWER_OF_ATTORNEY,
            issued_on=datetime.date(2026, 3, 1),
            expires_on=datetime.date(2026, 2, 1),
        )
    assert caught.value.message_dict == {
        "expires_on": ["The expiry date (01 Feb 2026) is before the issue date (01 Mar 2026)."]
    }
    assert _stored_files() == []


def test_a_document_cannot_translate_itself(holder_a):
    document = OwnershipDocumentFactory(rights_holder=holder_a, doc_type=choices.DocumentType.TRANSLATION)
    document.translation_of = document
    with pytest.raises(ValidationError) as caught:
        document.full_clean()
    assert caught.value.message_dict["translation_of"] == ["A document cannot be a translation of itself."]


def test_a_translation_of_another_rights_holders_document_is_refused(holder_a, holder_b):
    original = OwnershipDocumentFactory(rights_holder=holder_b, language="de")
    with pytest.raises(ValidationError) as caught:
        _upload(holder_a, pdf_bytes(), doc_type=choices.DocumentType.TRANSLATION, translation_of=original)
    assert caught.value.message_dict == {
        "translation_of": ["The translated document belongs to another rights holder."]
    }


def test_a_translation_must_say_what_it_translates(holder_a):
    with pytest.raises(ValidationError) as caught:
        _upload(holder_a, pdf_bytes(), doc_type=choices.DocumentType.TRANSLATION)
    assert caught.value.message_dict == {"translation_of": ["Choose the document this translates."]}


def test_a_document_cannot_attach_to_another_rights_holders_right(holder_a, holder_b):
    right = make_right(holder_b, "US", choices.COPYRIGHT)
    with pytest.raises(ValidationError) as caught:
        _upload(holder_a, pdf_bytes(), right=right)
    assert list(caught.value.message_dict) == ["right"]


def test_documents_are_visible_only_to_their_rights_holder(holder_a, holder_b, member_a, staff):
    mine = OwnershipDocumentFactory(rights_holder=holder_a)
    OwnershipDocumentFactory(rights_holder=holder_b)
    assert list(OwnershipDocument.objects.visible_to(member_a)) == [mine]
    assert OwnershipDocument.objects.visible_to(staff).count() == 2
