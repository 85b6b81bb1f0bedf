"""The upload endpoint contract (portal.web.uploads), driven through the test page in tests/support/urls.py."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.support.files import pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.support.urls")]

JSON = {"HTTP_ACCEPT": "application/json"}


def pdf(name="order.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def html_as_pdf(name="listing.pdf"):
    return SimpleUploadedFile(name, b"<html><script>alert(1)</script></html>", content_type="application/pdf")


@pytest.fixture
def signed_in(client, member_a):
    client.force_login(member_a)
    return client


def test_page_carries_the_component_with_its_endpoint(signed_in):
    content = signed_in.get(reverse("test_upload_page")).content.decode()
    assert f'data-upload-url="{reverse("test_upload")}"' in content
    assert 'id="upload-dropzone"' in content and 'aria-live="polite"' in content
    assert 'type="file" name="files"' in content and "multiple" in content
    assert "portal/js/upload.js" in content


def test_json_upload_answers_the_hash_and_name(signed_in):
    response = signed_in.post(reverse("test_upload"), {"files": pdf(), "kind": "listing"}, **JSON)
    assert response.status_code == 201
    assert response.json() == {
        "ok": True,
        "name": "order.pdf",
        "sha256": hashlib.sha256(pdf_bytes()).hexdigest(),
        "size": len(pdf_bytes()),
        "warning": "",
    }


def test_json_refusal_answers_the_policys_reason(signed_in):
    response = signed_in.post(reverse("test_upload"), {"files": html_as_pdf(), "kind": "listing"}, **JSON)
    assert response.status_code == 400
    answer = response.json()
    assert answer["ok"] is False and answer["name"] == "listing.pdf"
    assert "web page or SVG markup" in answer["error"]


def test_json_missing_kind_names_the_field(signed_in):
    response = signed_in.post(reverse("test_upload"), {"files": pdf()}, **JSON)
    assert response.status_code == 400
    assert response.json()["error"] == "Kind of evidence: This field is required."


def test_json_takes_one_file_per_request(signed_in):
    response = signed_in.post(reverse("test_upload"), {"files": [pdf("a.pdf"), pdf("b.pdf")], "kind": "other"}, **JSON)
    assert response.status_code == 400
    assert response.json()["error"] == "Send one file per request."


def test_plain_form_stores_each_file_and_reports_on_the_page(signed_in):
    response = signed_in.post(
        reverse("test_upload"), {"files": [pdf("a.pdf"), html_as_pdf("b.pdf")], "kind": "other"}, follow=True
    )
    content = response.content.decode()
    assert response.redirect_chain == [(reverse("test_upload_page"), 302)]
    assert f"a.pdf was stored. SHA-256: {hashlib.sha256(pdf_bytes()).hexdigest()}" in content
    assert "b.pdf was refused: The file contains web page or SVG markup" in content


def test_plain_form_without_a_file_says_which_field(signed_in):
    response = signed_in.post(reverse("test_upload"), {"kind": "other"}, follow=True)
    assert "Files: This field is required." in response.content.decode()


def test_csrf_token_is_required(client, member_a):
    client.handler.enforce_csrf_checks = True
    client.force_login(member_a)
    response = client.post(reverse("test_upload"), {"files": pdf(), "kind": "other"}, **JSON)
    assert response.status_code == 403


def test_help_text_states_the_current_upload_limit(signed_in, settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = 3 * 1024 * 1024
    assert "Largest file: 3.0 MB." in signed_in.get(reverse("test_upload_page")).content.decode()
