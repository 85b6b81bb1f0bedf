"""Asking for captures, the takedown schedule, and a machine without a browser (no browser runs here)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from evidence.capture.browser import CaptureBrowser
from evidence.capture.services import capture_request, capture_run, next_check_at
from evidence.models import Capture, Exhibit
from tests.evidence.factories import ListingFactory

FILED = datetime.datetime(2026, 11, 2, tzinfo=datetime.UTC)


def test_without_chromium_a_capture_fails_naming_the_package_and_stores_nothing(matter_a, staff, settings, tmp_path):
    settings.PORTAL_CHROMIUM_PATH = str(tmp_path / "no-chromium")
    queued = capture_request(matter=matter_a, by=staff, url="https://www.alibaba.com/product-detail/x_1.html",
                             enqueue=False)  # fmt: skip
    browser = CaptureBrowser()
    try:
        done = capture_run(capture_id=queued.pk, browser=browser)
    finally:
        browser.close()
    assert done.status == Capture.Status.FAILED
    assert "install Debian's package chromium" in done.failure_reason
    assert not Exhibit.objects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "ftp://example.com/a"])
def test_only_web_pages_can_be_asked_for(matter_a, staff, url):
    with pytest.raises(ValidationError, match="Only http and https"):
        capture_request(matter=matter_a, by=staff, url=url)


def test_a_listing_of_another_matter_cannot_be_captured_for_this_one(matter_a, matter_b, staff):
    listing = ListingFactory()
    listing.matters.add(matter_b)
    with pytest.raises(ValidationError, match="not part of"):
        capture_request(matter=matter_a, by=staff, listing=listing)


def test_checks_are_daily_for_fourteen_days_then_weekly_until_three_months(settings):
    moments, after = [], FILED
    while (after := next_check_at(FILED, after)) is not None:
        moments.append((after - FILED).days)
    assert moments[:15] == [*range(1, 15), 21]
    assert moments[-1] <= settings.PORTAL_TAKEDOWN_UNTIL_DAYS == 91 and moments[-1] > 84


def test_a_check_is_not_scheduled_before_the_moment_given():
    assert next_check_at(FILED, FILED + datetime.timedelta(days=3, hours=5)) == FILED + datetime.timedelta(days=4)


def test_a_capture_whose_worker_stopped_is_sent_again_by_the_sweep(matter_a, staff, monkeypatch):
    from django.utils import timezone

    from ownership.shared.jobs import jobs_sweep

    sent: list[int] = []
    monkeypatch.setattr("evidence.tasks.capture_task.apply_async", lambda args: sent.append(args[0]))
    url = "https://www.alibaba.com/product-detail/x_2.html"
    stalled = capture_request(matter=matter_a, by=staff, url=url, enqueue=False)
    alive = capture_request(matter=matter_a, by=staff, url=url, enqueue=False)
    now = timezone.now()
    Capture.objects.filter(pk=stalled.pk).update(status="running", heartbeat_at=now - datetime.timedelta(minutes=30))
    Capture.objects.filter(pk=alive.pk).update(status="running", heartbeat_at=now - datetime.timedelta(seconds=20))
    jobs_sweep(now=now)
    stalled.refresh_from_db()
    alive.refresh_from_db()
    assert sent == [stalled.pk] and stalled.status == "queued"
    assert alive.status == "running"


@pytest.mark.parametrize(
    ("purpose", "by_staff", "named"),
    [
        ("evidence", True, "Priya Shah"),
        ("check", False, "the takedown schedule"),
        ("evidence", False, "a command run on the portal's server, with no user named"),
    ],
)
def test_the_capture_record_names_who_asked(matter_a, staff, purpose, by_staff, named):
    from evidence.capture.services import requester

    staff.full_name = "Priya Shah"
    capture = Capture(matter=matter_a, requested_url="https://www.ebay.com/itm/1", purpose=purpose,
                      requested_by=staff if by_staff else None)  # fmt: skip
    assert requester(capture) == named
