"""The places the evidence, readiness and bundle work fills: each renders what the view hands it."""

import datetime
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from portal.web.views import MatterSummary

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_of():
    def make(user):
        request = RequestFactory().get("/")
        request.user = user
        return request

    return make


def test_dashboard_shows_readiness_counts_and_latest_bundle_when_given(request_of, member_a, matter_a):
    bundle = SimpleNamespace(
        version=3, status="ready", get_status_display="Ready", created_at=datetime.datetime(2026, 3, 4, 9, 0)
    )
    summary = MatterSummary(
        matter=matter_a,
        readiness=SimpleNamespace(is_ready=False, summary="2 items missing"),
        purchase_count=1,
        exhibit_count=4,
        latest_bundle=bundle,
    )
    html = render_to_string("portal/web/dashboard.html", {"summaries": [summary]}, request_of(member_a))
    assert "2 items missing" in html
    assert "1 test purchase<br>4 exhibits" in html
    assert "v3 · Ready" in html


def test_staff_queue_shows_a_list_it_is_given_and_hides_one_it_is_not(request_of, staff):
    from portal.web.queue import Section

    class FailedBundle:
        def __str__(self) -> str:
            return "ALP-2026-001 v2 failed"

        def get_absolute_url(self) -> str:
            return "/matters/ALP-2026-001/"

    html = render_to_string(
        "portal/web/staff_queue.html",
        {
            "sections": [
                ("failed_bundles", "failed-bundles", "Bundles failed", Section(items=[FailedBundle()], total=1))
            ],
            "form": None,
            "matters": [],
        },
        request_of(staff),
    )
    assert 'href="/matters/ALP-2026-001/">ALP-2026-001 v2 failed</a>' in html
    assert "Bundles failed" in html
    assert "Listings reappeared" not in html
