"""Campaigns: complaints built from all the listings a filter selects, their items to paste, filings and answers."""

import dataclasses

import pytest
from django.urls import reverse

from evidence.models import Listing, MatterListing
from portal import platform_rules
from portal.models import Bundle, Campaign, ListingOutcome
from tests.evidence.factories import SellerFactory, listing_in
from tests.ownership.factories import make_right
from tests.support.bundles import OVERRULED


@pytest.fixture
def listed(matter_a):
    seller = SellerFactory(platform="alibaba", store_name="Glowhome")
    made = [listing_in(matter_a, listing__seller=seller, title=f"Lamp {n}") for n in range(5)]
    return made


@pytest.fixture
def right(matter_a):
    return make_right(matter_a.rights_holder, "CN", "trademark", title="AURORA")


def build(staff_client, matter, right, **filters):
    data = {"platform": "alibaba", "rights": [right.pk], "overrule": OVERRULED, **filters}
    return staff_client.post(reverse("web:campaign_new", args=[matter.reference]), data, follow=True)


def test_every_listing_the_filter_selects_on_all_pages_is_in_the_complaints(
    staff_client, matter_a, listed, right, sent, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("portal.web.listings.PAGE_SIZE", 2)  # the page shows 2; the campaign takes all 5
    with django_capture_on_commit_callbacks(execute=True):
        page = build(staff_client, matter_a, right)
    campaign = Campaign.objects.get()
    assert list(campaign.complaints.get().listings.order_by("pk")) == listed
    assert "5 items (Listing link), one per line" in page.content.decode()
    assert sent == [campaign.bundle_id]


def test_removed_listings_are_left_out(staff_client, matter_a, listed, right, sent):
    Listing.objects.filter(pk=listed[0].pk).update(status=Listing.Status.REMOVED)
    build(staff_client, matter_a, right)
    assert listed[0] not in Campaign.objects.get().complaints.get().listings.all()


def test_ipp_complaints_split_at_the_platforms_limit(staff_client, matter_a, listed, right, sent, monkeypatch):
    smaller = dataclasses.replace(platform_rules.RULES["alibaba"], max_items=2)
    monkeypatch.setitem(platform_rules.RULES, "alibaba", smaller)
    build(staff_client, matter_a, right)
    sizes = [complaint.listings.count() for complaint in Campaign.objects.get().complaints.all()]
    assert sizes == [2, 2, 1]


def test_a_filter_without_a_platform_builds_nothing_and_says_why(staff_client, matter_a, listed, right, sent):
    page = build(staff_client, matter_a, right, platform="")
    assert "a campaign goes to one platform" in page.content.decode() and not Campaign.objects.exists()


def test_items_download_as_a_text_file(staff_client, matter_a, listed, right, sent):
    build(staff_client, matter_a, right)
    response = staff_client.get(reverse("web:complaint_items", args=[Campaign.objects.get().pk, 1]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.decode().splitlines() == [listing.url for listing in listed]


def test_the_page_shows_the_items_in_the_order_of_the_complaint_and_its_download(
    staff_client, matter_a, listed, right, sent
):
    MatterListing.objects.filter(listing=listed[0]).update(first_seen="2026-01-01T00:00:00Z")  # oldest first seen
    build(staff_client, matter_a, right)
    campaign = Campaign.objects.get()
    page = staff_client.get(reverse("web:campaign_detail", args=[campaign.pk])).content.decode()
    shown = page.split('id="items-1"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0].splitlines()
    downloaded = staff_client.get(reverse("web:complaint_items", args=[campaign.pk, 1])).content.decode().splitlines()
    assert shown == downloaded == [listing.url for listing in listed]


def file_complaint(staff_client, campaign):
    Bundle.objects.filter(pk=campaign.bundle_id).update(status=Bundle.Status.READY)
    url = reverse("web:complaint_filed", args=[campaign.pk, 1])
    return staff_client.post(url, {"c1-platform_reference": "IPP-77", "c1-submitted_on": "2026-12-02"}, follow=True)


def test_filing_a_complaint_makes_its_listings_reported_and_awaiting_answers(
    staff_client, matter_a, listed, right, sent
):
    build(staff_client, matter_a, right)
    campaign = Campaign.objects.get()
    page = file_complaint(staff_client, campaign).content.decode()
    assert "Filed on 2 Dec 2026 as IPP-77. Answers recorded: 0 of 5." in page
    assert set(Listing.objects.values_list("status", flat=True)) == {Listing.Status.REPORTED}


def test_pasted_answers_move_the_listings(staff_client, matter_a, listed, right, sent):
    build(staff_client, matter_a, right)
    campaign = Campaign.objects.get()
    file_complaint(staff_client, campaign)
    answers = f"{listed[0].url} removed\n{listed[1].url} rejected Seller not identified\n"
    staff_client.post(reverse("web:complaint_answers", args=[campaign.pk, 1]), {"answers": answers})
    statuses = dict(Listing.objects.values_list("pk", "status"))
    assert (statuses[listed[0].pk], statuses[listed[1].pk]) == (Listing.Status.REMOVED, Listing.Status.ACTIVE)
    assert ListingOutcome.objects.get(listing=listed[1]).reason == "Seller not identified"


def test_an_unknown_item_records_nothing_and_shows_the_line_beside_the_pasted_list(
    staff_client, matter_a, listed, right, sent
):
    build(staff_client, matter_a, right)
    campaign = Campaign.objects.get()
    file_complaint(staff_client, campaign)
    answers = f"{listed[0].url} removed\nhttps://www.alibaba.com/product-detail/other_9.html removed\n"
    page = staff_client.post(
        reverse("web:complaint_answers", args=[campaign.pk, 1]), {"answers": answers}, follow=True
    ).content.decode()
    assert "Line 2: “https://www.alibaba.com/product-detail/other_9.html” is not one of this complaint" in page
    assert listed[0].url in page and Listing.objects.get(pk=listed[0].pk).status == Listing.Status.REPORTED


def test_all_removed_answers_every_item(staff_client, matter_a, listed, right, sent):
    build(staff_client, matter_a, right)
    campaign = Campaign.objects.get()
    file_complaint(staff_client, campaign)
    staff_client.post(reverse("web:complaint_answers", args=[campaign.pk, 1]), {"all_removed": "1"})
    assert set(Listing.objects.values_list("status", flat=True)) == {Listing.Status.REMOVED}


def test_a_client_member_cannot_open_a_campaign(client, member_a, staff_client, matter_a, listed, right, sent):
    build(staff_client, matter_a, right)
    client.force_login(member_a)
    assert client.get(reverse("web:campaign_detail", args=[Campaign.objects.get().pk])).status_code == 404


@pytest.fixture
def on_amazon(matter_a):
    matter_a.platforms = ["alibaba", "amazon"]
    matter_a.save()
    seller = SellerFactory(platform="amazon", store_name="Copy Shop US")
    return [
        listing_in(matter_a, listing__seller=seller, listing__platform="amazon",
                   listing__url=f"https://www.amazon.com/dp/B0CAMP000{n}", title=f"Lamp {n}")
        for n in range(3)
    ]  # fmt: skip


def test_an_amazon_campaign_without_where_the_infringement_appears_is_refused(staff_client, matter_a, on_amazon,
                                                                              right, sent):  # fmt: skip
    page = build(staff_client, matter_a, right, platform="amazon").content.decode()
    assert "Amazon asks where the infringement appears for every ASIN, and 3 of these listings say nothing" in page
    assert not Campaign.objects.exists()


def test_ticking_where_it_appears_records_it_for_the_silent_listings_and_builds(staff_client, matter_a, on_amazon,
                                                                               right, sent):  # fmt: skip
    from evidence.models import MatterListing

    MatterListing.objects.filter(listing=on_amazon[0]).update(infringement_appears_in=["packaging"])
    build(staff_client, matter_a, right, platform="amazon", infringement_appears_in=["product", "image"])
    assert Campaign.objects.count() == 1
    recorded = dict(MatterListing.objects.filter(matter=matter_a).values_list("listing_id", "infringement_appears_in"))
    assert [recorded[listing.pk] for listing in on_amazon] == [
        ["packaging"],
        ["product", "image"],
        ["product", "image"],
    ]


def test_a_test_buy_order_backs_one_complaint_and_the_page_says_the_rule_is_unconfirmed(
    staff_client, matter_a, listed, right, sent
):
    from tests.evidence.factories import TestPurchaseFactory

    purchase = TestPurchaseFactory(matter=matter_a, listing=listed[0], order_number="3089981234")
    other = make_right(matter_a.rights_holder, "GB", "copyright", title="Aurora drawings")
    data = {"platform": "alibaba", "rights": [right.pk, other.pk], "overrule": OVERRULED}
    page = staff_client.post(reverse("web:campaign_new", args=[matter_a.reference]), data, follow=True)
    complaints = Campaign.objects.get().complaints.all()
    assert [complaint.purchase for complaint in complaints if complaint.purchase] == [purchase]
    assert "Each test-buy order backs one complaint only" in page.content.decode()
    assert "could not be confirmed" in page.content.decode()
