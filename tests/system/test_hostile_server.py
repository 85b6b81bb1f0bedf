"""The hostile corpus against the running portal over HTTP, CSRF enforced, as a browser would send it.

A real server (pytest-django's live server: a threaded WSGI server in this process) runs every middleware,
CSRF included, which Django's test client skips. The client signs in through the login form, reads the CSRF
token from its cookie, and sends each file as the upload component does. For every file: the answer's
message, the exhibit count and the stored files before and after, and a byte-exact download of what was
accepted.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from django.urls import reverse

from evidence.models import CustodyEvent, Exhibit
from tests.factories import TEST_PASSWORD
from tests.support import files as samples
from tests.support.hostile import CORPUS, Case

pytestmark = pytest.mark.django_db(transaction=True)


class Browser:
    """A requests session that signs in with the form and sends the CSRF token like the portal's pages do."""

    def __init__(self, base: str, email: str):
        self.base = base
        self.session = requests.Session()
        self.session.get(f"{base}/accounts/login/", timeout=10)
        answer = self.session.post(
            f"{base}/accounts/login/",
            data={"username": email, "password": TEST_PASSWORD, "csrfmiddlewaretoken": self.token},
            headers={"Referer": f"{base}/accounts/login/"},
            timeout=10,
        )
        assert answer.ok and "/accounts/login/" not in answer.url, "sign-in failed"

    @property
    def token(self) -> str:
        return self.session.cookies["csrftoken"]

    def post_files(self, path: str, files: list[tuple[str, bytes]], *, as_json: bool = True, **fields):
        headers = {"X-CSRFToken": self.token, "Referer": f"{self.base}{path}"}
        if as_json:
            headers["Accept"] = "application/json"
        data = {"kind": "listing_capture", **fields}
        if not as_json:
            data["csrfmiddlewaretoken"] = self.token
        parts = [("files", (name, body, "application/octet-stream")) for name, body in files]
        return self.session.post(f"{self.base}{path}", data=data, files=parts, headers=headers, timeout=60,
                                 allow_redirects=False)  # fmt: skip


def stored_files(settings) -> list[Path]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def browser(live_server, member_a, settings):
    # The live server speaks plain HTTP on loopback; a browser treats localhost as secure and sends Secure
    # cookies there, requests does not, so the test server's cookies are not marked Secure.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    return Browser(live_server.url, member_a.email)


@pytest.fixture
def upload_path(matter_a):
    return reverse("web:exhibit_create", args=[matter_a.reference])


@pytest.mark.parametrize("case", CORPUS, ids=[c.name[:40] for c in CORPUS])
def test_each_file_gets_the_portals_answer_and_only_accepted_files_are_kept(browser, upload_path, settings,
                                                                           case: Case):  # fmt: skip
    data = case.make()
    before_files, before_rows = stored_files(settings), Exhibit.objects.count()
    answer = browser.post_files(upload_path, [(case.name, data)])
    body = answer.json()
    if case.accepted:
        assert answer.status_code == 201, body
        assert case.warning in body["warning"] and (bool(body["warning"]) == bool(case.warning))
        exhibit = Exhibit.objects.get()
        assert exhibit.sha256 == body["sha256"] and len(stored_files(settings)) == len(before_files) + 1
        download = browser.session.get(browser.base + reverse("web:exhibit_download", args=[exhibit.pk]), timeout=30)
        assert download.content == data  # stored exactly as received
    else:
        assert answer.status_code == 400, body
        assert case.refusal in body["error"], body
        assert Exhibit.objects.count() == before_rows and stored_files(settings) == before_files
        assert not CustodyEvent.objects.exists()


def test_twenty_one_files_in_one_plain_form_get_the_portals_message(browser, upload_path, settings):
    files = [(f"order-{n}.pdf", samples.pdf_bytes(f"Order {n}")) for n in range(21)]
    answer = browser.post_files(upload_path, files, as_json=False)
    assert answer.status_code == 400
    assert "Too many files in one upload: send at most 20 at a time." in answer.text
    assert "Nothing from this upload was stored." in answer.text
    assert not Exhibit.objects.exists() and stored_files(settings) == []


def test_twenty_one_files_to_the_upload_component_get_json(browser, upload_path, settings):
    files = [(f"order-{n}.pdf", samples.pdf_bytes(f"Order {n}")) for n in range(21)]
    answer = browser.post_files(upload_path, files)
    assert answer.status_code == 400
    assert answer.json() == {"ok": False, "error": "Too many files in one upload: send at most 20 at a time."}


@pytest.mark.parametrize("as_json", [True, False])
def test_a_thousand_character_file_name_gets_the_portals_message(browser, upload_path, settings, as_json):
    answer = browser.post_files(upload_path, [("n" * 996 + ".pdf", samples.pdf_bytes())], as_json=as_json)
    assert answer.status_code == 400
    message = answer.json()["error"] if as_json else answer.text
    assert "a file name or a form field is too long" in message
    assert "Bad Request" not in answer.text
    assert not Exhibit.objects.exists() and stored_files(settings) == []


def test_a_body_over_the_limit_is_refused_before_it_is_read(browser, upload_path, settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = 64 * 1024
    answer = browser.post_files(upload_path, [("big.pdf", samples.pdf_bytes() + b"%" * (200 * 1024))])
    assert answer.status_code == 413 and "The file is too large" in answer.json()["error"]
    assert not Exhibit.objects.exists() and stored_files(settings) == []


def test_without_the_csrf_token_nothing_is_stored(browser, upload_path, settings):
    answer = browser.session.post(browser.base + upload_path, data={"kind": "listing_capture"},
                                  files=[("files", ("order.pdf", samples.pdf_bytes()))], timeout=10)  # fmt: skip
    assert answer.status_code == 403 and not Exhibit.objects.exists() and stored_files(settings) == []


def test_a_pdf_page_of_200_by_200_inches_is_kept_and_its_reading_refused_without_rendering_it(
    browser, upload_path, ocr_worker
):
    """The OCR memory bomb: a few hundred bytes declaring one enormous page. The upload is evidence like any
    other; its reading is refused with the reason before anything is rendered, and the server goes on answering."""
    from tests.ownership.test_ocr import giant_page_pdf

    data = giant_page_pdf()
    answer = browser.post_files(upload_path, [("giant.pdf", data)])
    assert answer.status_code == 201, answer.text
    exhibit = Exhibit.objects.get()
    assert exhibit.ocr_status == Exhibit.OcrStatus.FAILED
    assert exhibit.ocr_error.startswith("Page 1 is 5,080 × 5,080 mm, larger than A0")
    download = browser.session.get(browser.base + reverse("web:exhibit_download", args=[exhibit.pk]), timeout=30)
    assert download.content == data
