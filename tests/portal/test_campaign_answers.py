"""Reading a platform's pasted answers to one complaint: matched to its items, never guessed."""

import datetime

import pytest

from portal.campaign_answers import read_answers
from tests.evidence.factories import ListingFactory, SellerFactory


@pytest.fixture
def items(db):
    seller = SellerFactory(platform="amazon")
    return [
        ListingFactory(seller=seller, platform="amazon", url=f"https://www.amazon.com/dp/B00000000{n}")
        for n in (1, 2, 3)
    ]


def test_removed_rejected_and_counter_notice_are_read_by_asin_or_link(items):
    text = (
        "B000000001\tremoved\n"
        "https://www.amazon.com/dp/B000000002?ref=abc, rejected, Not enough proof of ownership\n"
        "b000000003 counter-notice 2026-04-03 2026-04-17\n"
    )
    read = read_answers(text, platform="amazon", listings=items)
    assert read.problems == []
    assert [(a.listing_id, a.result, a.reason) for a in read.answers[:2]] == [
        (items[0].pk, "removed", ""), (items[1].pk, "rejected", "Not enough proof of ownership"),
    ]  # fmt: skip
    assert (read.answers[2].received_on, read.answers[2].answer_by) == (
        datetime.date(2026, 4, 3), datetime.date(2026, 4, 17),
    )  # fmt: skip


def test_an_item_the_complaint_does_not_hold_is_reported_not_guessed(items):
    read = read_answers("B000000009 removed\n", platform="amazon", listings=items)
    assert read.problems == ["Line 1: “B000000009” is not one of this complaint's items."] and not read.answers


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("B000000001", "say removed, rejected or counter-notice"),
        ("B000000001 rejected", "give the platform's reason"),
        ("B000000001 counter-notice 2026-04-17 2026-04-03", "the date received and the date to answer by"),
    ],
)
def test_an_answer_missing_what_it_needs_is_reported_with_its_line(items, line, problem):
    assert problem in read_answers(line, platform="amazon", listings=items).problems[0]


def test_the_same_item_twice_is_reported(items):
    read = read_answers("B000000001 removed\nB000000001 rejected late\n", platform="amazon", listings=items)
    assert read.problems == ["Line 2: the same item as line 1."]
