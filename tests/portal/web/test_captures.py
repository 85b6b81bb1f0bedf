"""Captures on the pages: "Capture now", capturing a filter's selection, the capture's page, and the listings
still online after filing on the matter page and the work queue."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evidence.capture.services import capture_request, takedown_watches_start
from evidence.models import Capture, TakedownWatch
from tests.evidence.factories import SellerFactory, listing_in


@pytest.fixture
def queued(monkeypatch):
    """Capture ids handed to the capture queue (no browser runs in these tests)."""
    sent: list[int] = []
    monkeypatch.setattr("evidence.tasks.capture_task.apply_async", lambda args: sent.extend(args))
    return sent


@pytest.fixture
def listed(matter_a):
    seller = SellerFactory(platform="alibaba", store_name="Glowhome")
    made = [listing_in(matter_a, listing__seller=seller, title=f"Lamp {n}") for n in range(3)]
    return made


def test_capture_now_queues_a_capture_and_opens_its_page(staff_client, matter_a, listed, queued,
                                                         django_capture_on_commit_callbacks):  # fmt: skip
    url = reverse("web:capture_listing", args=[matter_a.reference, listed[0].pk])
    with django_capture_on_commit_callbacks(execute=True):
        page = staff_client.post(url, follow=True)
    capture = Capture.objects.get()
    assert queued == [capture.pk] and capture.listing == listed[0]
    text = page.content.decode()
    assert "Queued" in text and listed[0].url in text and "this page refreshes until it is done" in text


def test_the_listings_page_offers_capture_now_to_staff_only(staff_client, client, member_a, matter_a, listed):
    url = reverse("web:listing_list", args=[matter_a.reference])
    assert "Capture now" in staff_client.get(url).content.decode()
    client.force_login(member_a)
    assert "Capture now" not in client.get(url).content.decode()


def test_every_listing_the_filter_selects_is_queued_for_capture(staff_client, matter_a, listed, queued,
                                                                django_capture_on_commit_callbacks):  # fmt: skip
    url = reverse("web:capture_selection", args=[matter_a.reference])
    with django_capture_on_commit_callbacks(execute=True):
        page = staff_client.post(url, {"q": "Lamp 1"}, follow=True)
    assert list(Capture.objects.values_list("listing", flat=True)) == [listed[1].pk]
    assert "1 captures queued." in page.content.decode()


def test_a_selection_over_the_limit_is_refused_and_nothing_is_queued(staff_client, matter_a, listed, monkeypatch):
    monkeypatch.setattr("portal.web.captures.BULK_LIMIT", 2)
    page = staff_client.post(reverse("web:capture_selection", args=[matter_a.reference]), follow=True)
    assert not Capture.objects.exists()
    assert "more than 2 listings: narrow it" in page.content.decode()


def test_the_capture_page_puts_what_the_page_says_beside_the_recorded_value(client, member_a, matter_a, listed, staff):
    capture = capture_request(matter=matter_a, listing=listed[0], by=staff, enqueue=False)
    Capture.objects.filter(pk=capture.pk).update(status="done", page_facts={"title": "Lamp REPLICA", "price": "9.99"})
    client.force_login(member_a)
    text = client.get(capture.get_absolute_url()).content.decode()
    assert "Lamp REPLICA" in text and "Lamp 0" in text and "differs" in text


def test_a_failed_capture_says_why_and_that_nothing_was_stored(client, member_a, matter_a, listed, staff):
    capture = capture_request(matter=matter_a, listing=listed[0], by=staff, enqueue=False)
    Capture.objects.filter(pk=capture.pk).update(status="failed", failure_reason="The host could not be found.")
    client.force_login(member_a)
    text = client.get(capture.get_absolute_url()).content.decode()
    assert "The capture failed and stored nothing: The host could not be found." in text


def test_a_listing_still_online_after_filing_is_on_the_matter_page_and_the_work_queue(staff_client, matter_a,
                                                                                      listed):  # fmt: skip
    filed = timezone.now() - datetime.timedelta(days=9)
    takedown_watches_start(listing_ids=[listed[2].pk], matter=matter_a, filed_at=filed)
    TakedownWatch.objects.filter(listing=listed[2]).update(online_flagged_at=timezone.now())
    matter_page = staff_client.get(reverse("web:matter_detail", args=[matter_a.reference])).content.decode()
    assert "Still online after filing (1 listing):" in matter_page and "Lamp 2" in matter_page
    queue = staff_client.get(reverse("web:staff_queue")).content.decode()
    assert "Still online after filing" in queue and "Lamp 2 still online since filing" in queue


def test_staff_record_a_contact_the_capture_found_as_the_sellers_identifier(staff_client, matter_a, listed, staff):
    capture = capture_request(matter=matter_a, listing=listed[0], by=staff, enqueue=False)
    contact = {"kind": "phone", "value": "+86 138 2468 1357"}
    Capture.objects.filter(pk=capture.pk).update(status="done", page_facts={"contacts": [contact]})
    url = reverse("web:capture_identifier_record", args=[capture.pk])
    staff_client.post(url, contact)
    identifier = listed[0].seller.identifiers.get()
    assert (identifier.key, identifier.capture_id) == ("+8613824681357", capture.pk)


def test_a_value_the_capture_did_not_find_cannot_be_recorded_with_it_as_evidence(staff_client, matter_a, listed,
                                                                                 staff):  # fmt: skip
    capture = capture_request(matter=matter_a, listing=listed[0], by=staff, enqueue=False)
    Capture.objects.filter(pk=capture.pk).update(status="done", page_facts={"contacts": []})
    page = staff_client.post(reverse("web:capture_identifier_record", args=[capture.pk]),
                             {"kind": "phone", "value": "+86 138 0013 8000"}, follow=True)  # fmt: skip
    assert "Only a contact this capture found" in page.content.decode()
    assert not listed[0].seller.identifiers.exists()
