"""Hostile files sent through the real upload page: each is refused with a clear reason or stored safely.

None may cause a server error or leave a partial file, an exhibit row or a custody entry behind. The policy
itself is tested file by file in tests/ownership/shared/test_file_policy.py; these prove the HTTP path keeps
its promises.
"""

import threading
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from evidence.models import CustodyEvent, Exhibit
from tests.support import files as samples

JSON = {"HTTP_ACCEPT": "application/json"}


def media_files(settings) -> list[Path]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def upload(client, member_a, matter_a):
    client.force_login(member_a)

    def send(name: str, data: bytes, content_type: str = "application/octet-stream", *, as_json: bool = True):
        files = SimpleUploadedFile(name, data, content_type=content_type)
        url = reverse("web:exhibit_create", args=[matter_a.reference])
        return client.post(
            url, {"files": files, "kind": "listing_capture"}, **(JSON if as_json else {}), follow=not as_json
        )

    return send


HOSTILE = [
    ("x.pdf.exe", samples.pdf_bytes, 400, "ends in .exe, but its contents are a PDF document"),
    ("listing.pdf", lambda: b"<!DOCTYPE html><html><script>alert(1)</script></html>", 400, "web page or SVG markup"),
    ("photo.png", lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 400, "web page or SVG"),
    ("capture.pdf", lambda: b"<script>fetch('https://evil.example')</script>", 400, "web page or SVG markup"),
    ("app.png", lambda: b"window.location='https://evil.example'", 400, "plain text"),
    ("polyglot.png", lambda: samples.png_with_text_chunk(b"<html><script>x</script></html>"), 400, "markup"),
    ("bomb.png", lambda: samples.png_declaring_size(50_000, 50_000), 400, "pixels"),
    ("locked.pdf", lambda: samples.encrypted_pdf_bytes(user_password="open"), 400, "password"),
]


@pytest.mark.parametrize(("name", "make", "status", "reason"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_file_is_refused_with_its_reason_and_leaves_nothing(upload, settings, name, make, status, reason):
    response = upload(name, make())
    assert response.status_code == status
    assert reason in response.json()["error"] and response.json()["name"] == name
    assert not Exhibit.objects.exists() and not CustodyEvent.objects.exists()
    assert media_files(settings) == []


def test_an_empty_file_is_refused_and_leaves_nothing(upload, settings):
    response = upload("empty.pdf", b"")
    assert response.status_code == 400 and response.json()["error"] == "Files: The submitted file is empty."
    assert not Exhibit.objects.exists() and media_files(settings) == []


def test_plain_form_shows_the_refusal_on_the_matter_page(upload, settings):
    response = upload("listing.pdf", b"<html><script>alert(1)</script></html>", as_json=False)
    assert response.status_code == 200
    assert "listing.pdf was refused:" in response.content.decode()
    assert not Exhibit.objects.exists() and media_files(settings) == []


def test_file_one_byte_over_the_limit_is_refused_413_and_not_kept(upload, settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = 2048
    data = samples.pdf_bytes()
    data += b"%" * (settings.PORTAL_MAX_UPLOAD_BYTES + 1 - len(data))
    response = upload("order.pdf", data)
    assert response.status_code == 413 and "the largest file accepted is" in response.json()["error"]
    assert not Exhibit.objects.exists() and media_files(settings) == []


@pytest.mark.parametrize(
    "name", ["../../etc/order.pdf", "order\x00.pdf", "a\r\nSet-Cookie: x=1\r\n.pdf", 'say "hi"; x=.pdf']
)
def test_a_hostile_name_is_stored_under_a_generated_key_and_downloads_without_header_injection(
    upload, settings, client, name
):
    response = upload(name, samples.pdf_bytes())
    assert response.status_code == 201
    exhibit = Exhibit.objects.get()
    assert [p.name for p in media_files(settings)] == [Path(exhibit.file.name).name]
    assert ".." not in exhibit.file.name and "order" not in exhibit.file.name
    assert not any(c in exhibit.original_name for c in "\x00\r\n/")
    download = client.get(reverse("web:exhibit_download", args=[exhibit.pk]))
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\r" not in disposition and "\n" not in disposition
    assert "Set-Cookie" not in download.headers and download["X-Content-Type-Options"] == "nosniff"


def test_content_type_that_disagrees_with_the_bytes_is_ignored(upload):
    assert upload("order.pdf", samples.pdf_bytes(), content_type="image/png").status_code == 201
    assert Exhibit.objects.get().content_type == "application/pdf"  # decided from the bytes


def test_more_files_than_allowed_in_one_request_is_a_clear_400(client, member_a, matter_a, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    client.force_login(member_a)
    files = [SimpleUploadedFile(f"o{n}.pdf", samples.pdf_bytes(), "application/pdf") for n in range(3)]
    response = client.post(
        reverse("web:exhibit_create", args=[matter_a.reference]), {"files": files, "kind": "listing_capture"}
    )
    assert response.status_code == 400 and "Too many files in one upload" in response.content.decode()
    assert not Exhibit.objects.exists() and media_files(settings) == []


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_uploads_with_the_same_name_are_two_exhibits(member_a, matter_a, settings):
    url = reverse("web:exhibit_create", args=[matter_a.reference])
    answers = []

    def send(text: str) -> None:
        client = Client()
        client.force_login(member_a)
        files = SimpleUploadedFile("order.pdf", samples.pdf_bytes(text), "application/pdf")
        answers.append(client.post(url, {"files": files, "kind": "listing_capture"}, **JSON).status_code)

    threads = [threading.Thread(target=send, args=(f"Order {n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [201, 201]
    exhibits = list(Exhibit.objects.order_by("number"))
    assert [e.number for e in exhibits] == [1, 2] and exhibits[0].file.name != exhibits[1].file.name
    assert exhibits[0].sha256 != exhibits[1].sha256 and len(media_files(settings)) == 2


def test_a_chunked_body_without_a_length_is_not_read_and_stores_nothing(client, member_a, matter_a, settings):
    """A WSGI server hands a chunked body over without CONTENT_LENGTH; Django then reads none of it."""
    client.force_login(member_a)
    body = b"--x\r\n" + b"A" * (4 * 1024 * 1024)
    response = client.generic(
        "POST",
        reverse("web:exhibit_create", args=[matter_a.reference]),
        body,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400 and "This field is required" in response.json()["error"]
    assert not Exhibit.objects.exists() and media_files(settings) == []
