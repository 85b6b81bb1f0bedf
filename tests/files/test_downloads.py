"""Downloads: always an attachment, names that cannot inject headers, S3 links that expire in five minutes."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import RequestFactory

from portal.downloads import file_download


@pytest.fixture
def stored_name():
    return default_storage.save("exhibits/test/file.pdf", ContentFile(b"%PDF-1.7 exhibit"))


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("order.pdf", 'attachment; filename="order.pdf"'),
        ("in\r\nSet-Cookie: x=y.pdf", 'attachment; filename="inSet-Cookie: x=y.pdf"'),
        ('say "hi".pdf', 'attachment; filename="say \\"hi\\".pdf"'),
        ("../../etc/passwd", 'attachment; filename="passwd"'),
        ("商标注册证.pdf", "attachment; filename*=utf-8''%E5%95%86%E6%A0%87%E6%B3%A8%E5%86%8C%E8%AF%81.pdf"),
    ],
)
def test_local_download_is_an_attachment_with_a_safe_name(stored_name, name, header):
    response = file_download(
        RequestFactory().get("/"), storage_name=stored_name, original_name=name, content_type="application/pdf"
    )
    assert response["Content-Disposition"] == header
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 exhibit"


@pytest.mark.s3
def test_s3_download_redirects_to_a_presigned_link_of_five_minutes_at_most(s3_storage):
    name = default_storage.save("exhibits/test/file.pdf", ContentFile(b"%PDF-1.7 exhibit"))
    response = file_download(
        RequestFactory().get("/"), storage_name=name, original_name="商标.pdf", content_type="application/pdf"
    )
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert int(query["X-Amz-Expires"][0]) <= 300
    fetched = requests.get(response["Location"], timeout=5)
    assert fetched.content == b"%PDF-1.7 exhibit"
    assert fetched.headers["Content-Disposition"].startswith("attachment;")
