"""Downloads: always an attachment under an RFC 6266 name, never sniffed, and short-lived on S3."""

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import RequestFactory

from portal.downloads import file_download

HOSTILE_NAMES = [
    'evil"\r\nSet-Cookie: session=stolen\r\n.pdf',
    "../../etc/passwd.pdf",
    "report\x00.pdf.exe",
    'quote" ; filename="other.exe',
    "测试 報告 ünïcødé.pdf",
]


def stored(data: bytes = b"%PDF-1.7 exhibit bytes") -> str:
    return default_storage.save("exhibits/test-download", ContentFile(data))


def download(name: str, original_name: str, content_type: str = "application/pdf"):
    request = RequestFactory().get("/download")
    return file_download(request, storage_name=name, original_name=original_name, content_type=content_type)


# The whole header is one attachment parameter: a quoted ASCII name (quotes and backslashes escaped) or the
# percent-encoded UTF-8 form; nothing can follow it.
SAFE_HEADER = re.compile(
    r"""attachment; (filename="(?:[^"\\\r\n]|\\.)*"|filename\*=utf-8''[A-Za-z0-9%._~!$&'()*+,;=:@-]+)"""
)


def sent_name(header: str) -> str:
    if "filename*=" in header:
        return unquote(header.split("''", 1)[1])
    return header.split('"', 1)[1][:-1].replace('\\"', '"')


@pytest.mark.parametrize("original_name", HOSTILE_NAMES)
def test_local_download_is_an_attachment_with_one_safe_header(db, original_name):
    response = download(stored(), original_name)
    header = response["Content-Disposition"]
    assert SAFE_HEADER.fullmatch(header), header
    assert "Set-Cookie" not in response
    assert "/" not in sent_name(header) and "\x00" not in sent_name(header)


def test_local_download_streams_the_exact_bytes(db):
    response = download(stored(b"exact bytes"), "order.pdf")
    assert b"".join(response.streaming_content) == b"exact bytes"
    assert response["Content-Type"] == "application/pdf"


def test_unicode_name_is_kept_exactly_in_the_utf8_form(db):
    header = download(stored(), "测试 報告.pdf")["Content-Disposition"]
    assert sent_name(header) == "测试 報告.pdf"


def test_download_is_never_sniffed_or_cached(db):
    response = download(stored(), "x.pdf", content_type="text/html")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.s3
@pytest.mark.parametrize("original_name", HOSTILE_NAMES)
def test_s3_download_redirects_to_a_short_lived_url_naming_the_file(s3_storage, original_name):
    response = download(stored(b"s3 bytes"), original_name)
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.url).query)
    assert int(query["X-Amz-Expires"][0]) <= 300
    disposition = query["response-content-disposition"][0]
    assert SAFE_HEADER.fullmatch(disposition), disposition
    fetched = requests.get(response.url, timeout=10)
    assert fetched.content == b"s3 bytes"
    assert fetched.headers["Content-Disposition"] == disposition


@pytest.mark.s3
def test_s3_expiry_is_capped_at_five_minutes_whatever_the_setting(s3_storage, settings):
    settings.PRESIGNED_URL_EXPIRY_SECONDS = 3600
    response = download(stored(), "x.pdf")
    assert int(parse_qs(urlsplit(response.url).query)["X-Amz-Expires"][0]) == 300


@pytest.mark.s3
def test_s3_object_is_not_public(s3_storage, s3_endpoint):
    name = stored(b"private")
    assert requests.get(f"{s3_endpoint}/{default_storage.bucket_name}/{name}", timeout=10).status_code == 403
