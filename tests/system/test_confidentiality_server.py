"""Confidentiality through the running portal: client B, signed in through the login form (CSRF enforced), reads
its listings page and both exports over HTTP, and finds none of what client A's matter recorded of the same page.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.portal.test_confidentiality import A_SAYS, URL, assert_says_nothing_of_a, recorded_by_a, seller  # noqa: F401 (fixtures)
from tests.portal.test_confidentiality import matter_of_b as matter_of_b
from tests.system.test_hostile_server import Browser

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def b_browser(live_server, member_b, matter_of_b, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False  # plain HTTP on loopback
    return Browser(live_server.url, member_b.email)


def get(browser: Browser, path: str) -> bytes:
    answer = browser.session.get(f"{browser.base}{path}", timeout=30)
    assert answer.status_code == 200, (path, answer.status_code)
    return answer.content


def test_confidentiality_over_http_the_page_and_both_exports_hold_only_the_clients_own_facts(b_browser, matter_of_b):
    reference = matter_of_b.reference
    page = get(b_browser, reverse("web:listing_list", args=[reference])).decode()
    exported = get(b_browser, reverse("web:listing_export", args=[reference, "csv"])).decode("utf-8-sig")
    csv_rows = list(csv.reader(io.StringIO(exported)))
    xlsx = get(b_browser, reverse("web:listing_export", args=[reference, "xlsx"]))
    xlsx_rows = list(load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True))
    assert URL in page and csv_rows[1][0] == URL and xlsx_rows[1][0] == URL
    for field in A_SAYS:
        for text in (page, repr(csv_rows), repr(xlsx_rows)):
            assert_says_nothing_of_a(field, text)
