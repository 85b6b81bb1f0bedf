"""Staff record rights, see what each lacks in plain words, and fix it by uploading the missing document."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ownership import choices
from ownership.models import IPRight, OwnershipDocument
from tests.conftest import verify_with_totp
from tests.ownership.factories import OwnershipDocumentFactory, make_right
from tests.support.files import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def gb_copyright(holder_a):
    right = make_right(holder_a, "GB", choices.COPYRIGHT)
    OwnershipDocumentFactory(right=right, doc_type=choices.DocumentType.CREATION_EVIDENCE)
    return right


def _document_form(right, upload, **fields):
    return {
        "upload": upload,
        "rights_holder": right.rights_holder.pk,
        "right": right.pk,
        "doc_type": choices.DocumentType.WITNESS_STATEMENT,
        "description": "Witness statement of Claire Donnelly",
        "language": "en",
        "is_signed": "on",
        "signatory_name": "Claire Donnelly",
        "signatory_title": "Director",
        **fields,
    }


def test_the_rights_list_shows_what_is_missing(client, staff, gb_copyright):
    verify_with_totp(client, staff)
    page = client.get(reverse("admin:ownership_ipright_changelist")).content.decode()
    assert "1 item missing" in page


def test_readiness_badges_are_coloured_by_class_which_the_csp_allows(client, staff, gb_copyright):
    verify_with_totp(client, staff)
    page = client.get(reverse("admin:ownership_ipright_changelist")).content.decode()
    assert '<strong class="readiness-badge readiness-badge--missing">1 item missing</strong>' in page
    assert "style=" not in page.split("<tbody>", 1)[1] and "ownership/admin.css" in page


def test_the_right_page_explains_the_missing_document_and_links_the_upload(client, staff, gb_copyright):
    verify_with_totp(client, staff)
    page = client.get(reverse("admin:ownership_ipright_change", args=[gb_copyright.pk])).content.decode()
    assert "Upload a witness statement or statutory declaration, signed by the author" in page
    assert f"right={gb_copyright.pk}" in page and "doc_type=witness_statement" in page


def test_uploading_the_missing_document_makes_the_right_ready(client, staff, gb_copyright):
    verify_with_totp(client, staff)
    content = pdf_bytes("Witness statement with statement of truth")
    upload = SimpleUploadedFile("statement.pdf", content, content_type="application/pdf")
    response = client.post(reverse("admin:ownership_ownershipdocument_add"), _document_form(gb_copyright, upload))
    assert response.status_code == 302
    document = OwnershipDocument.objects.get(doc_type=choices.DocumentType.WITNESS_STATEMENT)
    assert (document.sha256, document.uploaded_by) == (hashlib.sha256(content).hexdigest(), staff)
    page = client.get(reverse("admin:ownership_ipright_changelist")).content.decode()
    assert "Ready" in page and "missing" not in page


def test_a_rejected_file_is_a_form_error_on_the_upload_page(client, staff, gb_copyright):
    verify_with_totp(client, staff)
    upload = SimpleUploadedFile("statement.pdf", b"<html><body>hi</body></html>", content_type="application/pdf")
    response = client.post(reverse("admin:ownership_ownershipdocument_add"), _document_form(gb_copyright, upload))
    assert response.status_code == 200
    assert "web page or SVG markup" in response.content.decode()
    assert not OwnershipDocument.objects.filter(doc_type=choices.DocumentType.WITNESS_STATEMENT).exists()


def test_an_expiry_before_issue_is_a_form_error(client, staff, gb_copyright):
    verify_with_totp(client, staff)
    upload = SimpleUploadedFile("statement.pdf", pdf_bytes(), content_type="application/pdf")
    form = _document_form(gb_copyright, upload, issued_on="2026-03-01", expires_on="2026-02-01")
    response = client.post(reverse("admin:ownership_ownershipdocument_add"), form)
    assert "The expiry date (01 Feb 2026) is before the issue date (01 Mar 2026)." in response.content.decode()
    assert not OwnershipDocument.objects.filter(doc_type=choices.DocumentType.WITNESS_STATEMENT).exists()


def test_a_stored_document_has_no_file_input(client, staff, gb_copyright):
    verify_with_totp(client, staff)
    document = gb_copyright.documents.get()
    page = client.get(reverse("admin:ownership_ownershipdocument_change", args=[document.pk])).content.decode()
    assert 'type="file"' not in page
    assert document.sha256 in page


def test_a_registration_number_on_a_gb_copyright_is_refused_in_the_admin(client, staff, holder_a):
    verify_with_totp(client, staff)
    form = {
        "rights_holder": holder_a.pk,
        "kind": choices.COPYRIGHT,
        "jurisdiction": "GB",
        "title": "Lamp drawings",
        "status": IPRight.Status.UNREGISTERED,
        "registration_number": "VA 2-123-456",
        "creation_date": "2021-03-15",
        "authors": "Claire Donnelly",
        "authorship": choices.Authorship.AUTHOR,
        "nice_classes": "",
        "designated_countries": "",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:ownership_ipright_add"), form)
    assert "UK copyright is never registered" in response.content.decode()
    assert not IPRight.objects.exists()


def test_nice_classes_are_typed_as_a_list(client, staff, holder_a):
    verify_with_totp(client, staff)
    form = {
        "rights_holder": holder_a.pk,
        "kind": choices.TRADEMARK,
        "jurisdiction": "CN",
        "title": "ALPHA",
        "status": IPRight.Status.REGISTERED,
        "registration_number": "41234567",
        "registration_date": "2020-06-07",
        "nice_classes": "11, 9",
        "designated_countries": "",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:ownership_ipright_add"), form)
    assert response.status_code == 302
    assert IPRight.objects.get().nice_classes == [9, 11]
