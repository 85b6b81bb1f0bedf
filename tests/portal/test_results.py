"""Enforcement figures read from recorded filings and answers (portal.results)."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from evidence.models import Listing, Matter
from evidence.services import listing_record
from portal.campaign_answers import Answer
from portal.models import Bundle
from portal.results.kpis import Period, enforcement_results, percentile, standing
from portal.results.standing import PROGRAMMES, judge
from portal.services import submission_answers_record, submission_record
from tests.evidence.factories import SellerFactory

pytestmark = pytest.mark.django_db

MARCH = Period.months_to(datetime.date(2026, 3, 1), 1)


def filed(matter, staff, *, platform="alibaba", count=1, on=datetime.date(2026, 3, 5), seller=None, tag="a"):
    """A ready bundle of ``count`` new listings on ``platform``, filed ``on`` that day; the complaint."""
    bundle = Bundle.objects.create(matter=matter, platform=platform, version=Bundle.objects.count() + 1,
                                   inputs_digest=f"{tag}{on}", status="ready", requested_by=staff)  # fmt: skip
    seller = seller or SellerFactory(platform=platform)
    for n in range(count):
        url = f"https://www.alibaba.com/product-detail/{tag}_{on:%m%d}_{n}.html"
        if platform == "amazon":
            url = f"https://www.amazon.com/dp/B0{tag.upper()}{on:%m%d}{n:03d}"
        bundle.listings.add(listing_record(matter=matter, url=url, seller=seller, seller_name=f"Store {seller.pk}")[0])
    return submission_record(bundle=bundle, platform_reference=f"C-{tag}-{on}", submitted_on=on, submitted_by=staff)


def answer(submission, staff, *results, on=None):
    """The platform's answers to the complaint's items in order, recorded on day ``on``."""
    ids = list(submission.outcomes.order_by("pk").values_list("listing_id", flat=True))
    answers = []
    for listing_id, result in zip(ids, results, strict=False):
        extra = {"reason": "Not persuaded"} if result == "rejected" else {}
        if result == "counter_notice":
            extra = {"received_on": datetime.date(2026, 3, 10), "answer_by": datetime.date(2026, 3, 20)}
        answers.append(Answer(listing_id=listing_id, result=result, **extra))
    moment = datetime.datetime.combine(on or submission.submitted_on, datetime.time(12), tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        submission_answers_record(submission=submission, answers=answers, by=staff)


def results_of(*matters, period=MARCH, platform=""):
    return enforcement_results(Matter.objects.filter(pk__in=[m.pk for m in matters]), period=period, platform=platform)


def test_counts_follow_the_recorded_answers(matter_a, staff):
    complaint = filed(matter_a, staff, count=5)
    answer(complaint, staff, "removed", "removed", "rejected", "counter_notice")
    totals = results_of(matter_a).totals
    assert (totals.reported, totals.removed, totals.rejected, totals.counter_notices, totals.pending) == (5, 2, 1, 1, 1)


def test_takedown_rate_is_removed_of_answered_items(matter_a, staff):
    answer(filed(matter_a, staff, count=5), staff, "removed", "removed", "removed", "rejected")
    assert results_of(matter_a).totals.takedown_rate == Decimal("75.0")


def test_items_are_counted_in_the_month_their_complaint_was_filed(matter_a, staff):
    filed(matter_a, staff, count=2, on=datetime.date(2026, 2, 27), tag="feb")
    filed(matter_a, staff, count=3, on=datetime.date(2026, 3, 2), tag="mar")
    months = results_of(matter_a, period=Period.months_to(datetime.date(2026, 3, 1), 2)).months
    assert [(row.month, row.counts.reported) for row in months] == [
        (datetime.date(2026, 2, 1), 2), (datetime.date(2026, 3, 1), 3),
    ]  # fmt: skip


def test_listings_found_are_counted_in_the_month_first_seen(matter_a, staff):
    seller = SellerFactory(platform="alibaba")
    for n, day in enumerate((datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), datetime.date(2026, 4, 1))):
        seen = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)
        listing_record(matter=matter_a, url=f"https://www.alibaba.com/product-detail/f_{n}.html", seller=seller,
                       first_seen=seen)  # fmt: skip
    assert results_of(matter_a).found == 2


def test_a_complaint_outside_the_period_is_not_counted(matter_a, staff):
    filed(matter_a, staff, on=datetime.date(2026, 4, 1))
    assert results_of(matter_a).totals.reported == 0


def test_days_to_removal_give_median_and_90th_percentile(matter_a, staff):
    for days in (2, 4, 6, 8, 30):
        complaint = filed(matter_a, staff, tag=f"d{days}")
        answer(complaint, staff, "removed", on=complaint.submitted_on + datetime.timedelta(days=days))
    results = results_of(matter_a)
    assert (results.median_days, results.p90_days) == (6, 30)
    assert (results.platforms[0].median_days, results.platforms[0].p90_days) == (6, 30)


def test_nearest_rank_percentile():
    assert percentile({1: 9, 50: 1}, 0.9) == 1 and percentile({1: 8, 50: 2}, 0.9) == 50
    assert percentile({}, 0.5) is None


def test_a_removed_listing_that_came_back_counts_as_reappeared(matter_a, staff):
    complaint = filed(matter_a, staff, count=2)
    answer(complaint, staff, "removed", "removed")
    back = complaint.outcomes.order_by("pk").first().listing
    listing_record(matter=matter_a, url=back.url, seller=back.seller)
    assert Listing.objects.get(pk=back.pk).status == Listing.Status.REAPPEARED
    assert results_of(matter_a).totals.reappeared == 1


def test_platform_filter_keeps_that_platforms_items(matter_a, staff):
    Matter.objects.filter(pk=matter_a.pk).update(platforms=["alibaba", "amazon"])
    matter_a.refresh_from_db()
    filed(matter_a, staff, count=2)
    filed(matter_a, staff, platform="amazon", count=3, tag="amz")
    results = results_of(matter_a, platform="amazon")
    assert results.totals.reported == 3 and [row.platform for row in results.platforms] == ["amazon"]


def test_another_clients_complaints_never_count(matter_a, matter_b, staff):
    filed(matter_a, staff, count=2)
    filed(matter_b, staff, count=7, tag="b")
    assert results_of(matter_a).totals.reported == 2


def test_repeat_infringers_are_stores_with_more_than_one_listing_complained_of(matter_a, staff):
    repeat = SellerFactory(platform="alibaba")
    answer(filed(matter_a, staff, count=3, seller=repeat), staff, "removed", "removed")
    filed(matter_a, staff, count=1, tag="once")
    rows = results_of(matter_a).repeat_infringers
    assert [(row.seller_id, row.name, row.reported, row.removed) for row in rows] == [
        (repeat.pk, f"Store {repeat.pk}", 3, 2)
    ]


def test_a_store_is_named_only_as_this_clients_matters_recorded_it(matter_a, matter_b, staff):
    repeat = SellerFactory(platform="alibaba")
    filed(matter_a, staff, count=2, seller=repeat)
    url = "https://www.alibaba.com/product-detail/other_client.html"
    listing_record(matter=matter_b, url=url, seller=repeat, seller_name="Name only client B recorded")
    assert [row.name for row in results_of(matter_a).repeat_infringers] == [f"Store {repeat.pk}"]


def test_networks_count_the_stores_complained_of(matter_a, staff):
    first, second = SellerFactory(platform="alibaba"), SellerFactory(platform="alibaba")
    type(first).objects.filter(pk__in=[first.pk, second.pk]).update(network_id=first.pk)
    filed(matter_a, staff, count=2, seller=first)
    filed(matter_a, staff, count=1, seller=second, tag="second")
    [network] = results_of(matter_a).networks
    assert (network.seller_id, network.stores, network.reported) == (first.pk, 2, 3)


def test_a_line_close_to_being_crossed_warns_and_a_crossed_one_says_so():
    takedown = PROGRAMMES[0].lines[0]
    assert [judge(takedown, Decimal(p)).state for p in ("95", "91.5", "89.9")] == ["clear", "warning", "crossed"]
    counter = PROGRAMMES[0].lines[1]
    assert [judge(counter, Decimal(p)).state for p in ("1", "3", "5.1")] == ["clear", "warning", "crossed"]


def test_standing_measures_ipp_complaints_of_the_past_three_months(matter_a, staff):
    old = filed(matter_a, staff, count=4, on=datetime.date(2026, 1, 2), tag="old")
    answer(old, staff, "rejected", "rejected", "rejected", "rejected")
    recent = filed(matter_a, staff, count=10, on=datetime.date(2026, 3, 2), tag="new")
    answer(recent, staff, *["removed"] * 9, "counter_notice")
    [ipp] = standing(Matter.objects.filter(pk=matter_a.pk), today=datetime.date(2026, 4, 15))
    assert ipp.programme.name == "Alibaba IPP Good-faith Takedown Mechanism"
    assert [(v.percent, v.state) for v in ipp.verdicts] == [(Decimal("90.0"), "warning"), (Decimal("10.0"), "crossed")]
