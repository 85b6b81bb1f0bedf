"""Writes over many rows go in sets: a few queries per batch whatever its size, one audit entry naming each row."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evidence.models import Listing, TakedownWatch
from evidence.services import listing_record
from ownership.shared.audit import AuditEvent
from portal.campaign_answers import Answer
from portal.models import Bundle, ListingOutcome
from portal.services import submission_answers_record, submission_record
from tests.evidence.factories import SellerFactory

pytestmark = pytest.mark.django_db


def bundle_of(matter, staff, count: int, start: int = 0) -> Bundle:
    bundle = Bundle.objects.create(matter=matter, platform="alibaba", version=start + 1, inputs_digest=f"d{start}",
                                   status="ready", requested_by=staff)  # fmt: skip
    seller = SellerFactory(platform="alibaba")
    for n in range(start, start + count):
        url = f"https://www.alibaba.com/product-detail/x_{n}.html"
        bundle.listings.add(listing_record(matter=matter, url=url, seller=seller)[0])
    return bundle


def file(bundle: Bundle, staff, reference: str):
    return submission_record(bundle=bundle, platform_reference=reference, submitted_on=datetime.date(2026, 3, 5),
                             submitted_by=staff)  # fmt: skip


def queries_of(work) -> int:
    with CaptureQueriesContext(connection) as captured:
        work()
    return len(captured.captured_queries)


def test_filing_costs_the_same_queries_for_3_or_30_listings(matter_a, staff):
    small, large = bundle_of(matter_a, staff, 3), bundle_of(matter_a, staff, 30, start=100)
    assert queries_of(lambda: file(small, staff, "IPP-1")) == queries_of(lambda: file(large, staff, "IPP-2"))


def test_filing_writes_one_audit_entry_naming_every_listing_it_reported(matter_a, staff):
    submission = file(bundle_of(matter_a, staff, 12), staff, "IPP-88123")
    entry = AuditEvent.objects.get(object_ref="evidence.listing:12 rows")
    ids = submission.outcomes.values_list("listing_id", flat=True)
    assert entry.details == "evidence.listing ids: " + ", ".join(str(pk) for pk in sorted(ids))
    assert entry.changes == ["status"] and "filed in complaint IPP-88123" in entry.object_label
    assert set(Listing.objects.values_list("status", flat=True)) == {Listing.Status.REPORTED}
    assert TakedownWatch.objects.filter(matter=matter_a).count() == 12


def test_answers_cost_the_same_queries_for_3_or_30_items(matter_a, staff):
    small, large = (
        file(bundle_of(matter_a, staff, 3), staff, "IPP-1"),
        file(bundle_of(matter_a, staff, 30, start=100), staff, "IPP-2"),
    )

    def answer_all(submission):
        answers = [
            Answer(listing_id=pk, result="removed") for pk in submission.outcomes.values_list("listing_id", flat=True)
        ]
        return lambda: submission_answers_record(submission=submission, answers=answers, by=staff)

    assert queries_of(answer_all(small)) == queries_of(answer_all(large))


def test_answers_write_one_audit_entry_naming_every_answer_and_statuses_follow(matter_a, staff):
    submission = file(bundle_of(matter_a, staff, 4), staff, "IPP-7")
    first, second, third, fourth = submission.outcomes.order_by("pk")
    answers = [
        Answer(listing_id=first.listing_id, result="removed"),
        Answer(listing_id=second.listing_id, result="removed"),
        Answer(listing_id=third.listing_id, result="rejected", reason="No registration shown"),
        Answer(listing_id=fourth.listing_id, result="counter_notice", received_on=datetime.date(2026, 3, 10),
               answer_by=datetime.date(2026, 3, 20)),
    ]  # fmt: skip
    assert submission_answers_record(submission=submission, answers=answers, by=staff) == 4
    entry = AuditEvent.objects.get(object_ref="portal.listingoutcome:4 rows")
    assert entry.details == "portal.listingoutcome ids: " + ", ".join(str(o.pk) for o in (first, second, third, fourth))
    statuses = dict(Listing.objects.values_list("pk", "status"))
    assert [statuses[o.listing_id] for o in (first, second, third, fourth)] == [
        "removed",
        "removed",
        "active",
        "reported",
    ]


def test_one_refused_answer_records_none_of_the_batch(matter_a, staff):
    submission = file(bundle_of(matter_a, staff, 2), staff, "IPP-9")
    first, second = submission.outcomes.order_by("pk")
    answers = [
        Answer(listing_id=first.listing_id, result="removed"),
        Answer(listing_id=second.listing_id, result="rejected"),
    ]
    with pytest.raises(Exception, match="reason"):
        submission_answers_record(submission=submission, answers=answers, by=staff)
    assert set(ListingOutcome.objects.values_list("outcome", flat=True)) == {"pending"}


def watched(matter, staff, count: int, start: int = 0) -> None:
    from evidence.capture.services import takedown_watches_start

    seller = SellerFactory(platform="alibaba")
    ids = [
        listing_record(matter=matter, url=f"https://www.alibaba.com/product-detail/w_{n}.html", seller=seller)[0].pk
        for n in range(start, start + count)
    ]
    takedown_watches_start(listing_ids=ids, matter=matter,
                           filed_at=datetime.datetime(2026, 3, 5, tzinfo=datetime.UTC))  # fmt: skip


def test_queueing_takedown_checks_costs_the_same_queries_for_3_or_30(matter_a, staff, monkeypatch):
    from evidence.capture.services import takedown_checks_due

    monkeypatch.setattr("evidence.tasks.capture_task.apply_async", lambda args: None)
    watched(matter_a, staff, 3)
    few = queries_of(lambda: takedown_checks_due(every_watch=True))
    TakedownWatch.objects.all().delete()
    watched(matter_a, staff, 30, start=100)
    assert queries_of(lambda: takedown_checks_due(every_watch=True)) == few


def test_queued_checks_are_one_audit_entry_naming_every_capture(
    matter_a, staff, monkeypatch, django_capture_on_commit_callbacks
):
    from evidence.capture.services import takedown_checks_due
    from evidence.models import Capture

    sent = []
    monkeypatch.setattr("evidence.tasks.capture_task.apply_async", lambda args: sent.extend(args))
    watched(matter_a, staff, 5)
    with django_capture_on_commit_callbacks(execute=True):
        assert takedown_checks_due(every_watch=True) == 5
    captures = list(Capture.objects.order_by("pk").values_list("pk", flat=True))
    entry = AuditEvent.objects.get(object_ref="evidence.capture:5 rows")
    assert entry.details == "evidence.capture ids: " + ", ".join(str(pk) for pk in captures)
    assert sorted(sent) == captures  # each sent to the capture worker once the batch committed
