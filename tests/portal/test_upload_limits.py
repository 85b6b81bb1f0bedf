"""Upload limits at the HTTP layer: refused before the body is read, with a clear answer."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory

from portal.upload_limits import MULTIPART_ALLOWANCE_BYTES, UploadLimitMiddleware


def read_files(request):
    return HttpResponse(str(len(request.FILES.getlist("file"))))


def run(request):
    return UploadLimitMiddleware(read_files)(request)


def oversized(settings, accept: str = "text/html"):
    settings.PORTAL_MAX_UPLOAD_BYTES = 1000
    request = RequestFactory().post("/upload", data=b"x", content_type="application/octet-stream", HTTP_ACCEPT=accept)
    request.META["CONTENT_LENGTH"] = str(1000 + MULTIPART_ALLOWANCE_BYTES + 1)
    return request


def test_body_one_byte_over_the_limit_is_refused_413_without_reading_it(settings):
    request = oversized(settings)
    response = UploadLimitMiddleware(lambda r: HttpResponse(r.body))(request)
    assert response.status_code == 413
    assert "too large" in response.content.decode()


def test_oversized_refusal_is_json_for_a_json_client(settings):
    response = UploadLimitMiddleware(lambda r: HttpResponse())(oversized(settings, "application/json"))
    assert response.status_code == 413
    body = json.loads(response.content)
    assert body["ok"] is False and "too large" in body["error"]


def test_body_within_the_limit_passes(settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = 1000
    request = RequestFactory().post("/upload", {"file": SimpleUploadedFile("a.pdf", b"x" * 1000)})
    assert run(request).content == b"1"


def test_too_many_files_get_a_clear_400(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 20
    files = [SimpleUploadedFile(f"f{i}.pdf", b"%PDF") for i in range(21)]
    response = client.post("/accounts/login/", {"file": files}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json() == {"ok": False, "error": "Too many files in one upload: send at most 20 at a time."}
