"""Every paged list is served by an index: PostgreSQL's plan for each holds no sort of the whole set.

The tables are small in a test, where a sequential scan and a sort would be cheapest, so each plan is asked for
with sequential scans discouraged (``enable_seqscan = off``): the plan then shows whether an index can give the
rows in the page's order. A ``Sort`` node over the rows means it cannot, and the page would sort every row.
"""

import datetime

import pytest
from django.db import connection, transaction

from evidence.models import Listing, Matter
from evidence.selectors import ListingFilter, after, matter_listings
from evidence.services import listing_record
from portal.models import Bundle, ListingOutcome
from portal.services import submission_record
from portal.web.queue import complaints_awaiting
from tests.conftest import require_env
from tests.evidence.factories import SellerFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def filed(matter_a, staff):
    require_env("DATABASE_URL")
    bundle = Bundle.objects.create(matter=matter_a, platform="alibaba", version=1, inputs_digest="x",
                                   status="ready", requested_by=staff)  # fmt: skip
    seller = SellerFactory(platform="alibaba")
    for n in range(30):
        url = f"https://www.alibaba.com/product-detail/x_{n}.html"
        bundle.listings.add(listing_record(matter=matter_a, url=url, seller=seller, title=f"Lamp {n}")[0])
    return submission_record(bundle=bundle, platform_reference="IPP-1", submitted_on=datetime.date(2026, 3, 5),
                             submitted_by=staff)  # fmt: skip


def plan_of(queryset) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


def assert_no_sort(plan: str) -> None:
    sorts = [line for line in plan.splitlines() if "Sort" in line and "Incremental Sort" not in line]
    assert not sorts, plan


def test_the_listings_page_is_read_in_order_from_the_matter_link_index(filed, matter_a):
    plan = plan_of(matter_listings(matter_a, ListingFilter())[:51])
    assert "listing_link_page_idx" in plan
    assert_no_sort(plan)


def test_the_listings_page_after_a_cursor_is_read_from_the_same_index(filed, matter_a):
    last = Listing.objects.in_matter(matter_a).order_by("-first_seen", "-pk")[10]
    plan = plan_of(after(matter_listings(matter_a, ListingFilter()), (last.first_seen, last.pk))[:51])
    assert "listing_link_page_idx" in plan
    assert "Index Cond: ((matter_id = " in plan and "AND (first_seen <= " in plan, plan  # seeks to the cursor
    assert_no_sort(plan)


def test_a_complaints_page_of_items_is_read_from_its_index(filed):
    plan = plan_of(filed.outcomes.order_by("pk").filter(pk__gt=0)[:101])
    assert "outcome_page_idx" in plan
    assert_no_sort(plan)


def test_a_complaints_page_of_one_answer_is_read_from_its_index(filed):
    pending = filed.outcomes.filter(outcome=ListingOutcome.Outcome.PENDING).order_by("pk")[:101]
    plan = plan_of(pending)
    assert "outcome_answer_page_idx" in plan
    assert_no_sort(plan)


def test_the_work_queue_counts_each_complaints_items_from_its_index(filed, matter_a):
    plan = plan_of(complaints_awaiting(Matter.objects.filter(pk=matter_a.pk))[:20])
    assert "Index Only Scan using outcome_answer_page_idx" in plan, plan  # counted from each complaint's entries
    assert "portal_listingoutcome" not in plan.split("SubPlan", 1)[0], plan  # items only inside the counts
