"""Staff record a bundle's filing with its platform and the answer per listing; the listing's status follows."""

import datetime

import pytest
from django.urls import reverse

from evidence.models import Listing, Matter, TakedownWatch
from evidence.services import listing_record
from portal.models import Bundle, ListingOutcome, Submission
from portal.services import submission_record
from tests.evidence.factories import SellerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_bundle(matter_a, staff):
    bundle = Bundle.objects.create(
        matter=matter_a, platform="alibaba", version=1, inputs_digest="x", status="ready", requested_by=staff
    )
    for n in (1, 2):
        listing, _ = listing_record(
            matter=matter_a, url=f"https://www.alibaba.com/product-detail/x_{n}.html",
            seller=SellerFactory(platform="alibaba"), title=f"Aurora copy {n}",
        )  # fmt: skip
        bundle.listings.add(listing)
    return bundle


@pytest.fixture
def submission(ready_bundle, staff):
    return submission_record(
        bundle=ready_bundle, platform_reference="IPP-88123", submitted_on=datetime.date(2026, 3, 5), submitted_by=staff
    )


def answer(staff_client, submission, *items: ListingOutcome, **fields):
    """Post the complaint page's one answer form for ``items`` (ticked), as a member of staff does."""
    data = {"items": [str(item.listing_id) for item in items], **fields}
    return staff_client.post(reverse("web:submission_answer", args=[submission.pk]), data, follow=True)


def test_staff_record_a_filing_and_every_listing_becomes_reported(staff_client, matter_a, ready_bundle):
    url = reverse("web:submission_create", args=[matter_a.reference])
    data = {"bundle": ready_bundle.pk, "platform_reference": "IPP-88123", "submitted_on": "2026-03-05"}
    response = staff_client.post(url, data, follow=True)
    assert "Complaint IPP-88123 recorded: 2 listings now await the platform&#x27;s answer." in response.content.decode()
    submission = Submission.objects.get()
    assert [o.outcome for o in submission.outcomes.all()] == ["pending", "pending"]
    assert set(ready_bundle.listings.values_list("status", flat=True)) == {Listing.Status.REPORTED}
    assert Matter.objects.get(pk=matter_a.pk).status == Matter.Status.SUBMITTED


def test_a_bundle_that_is_not_ready_cannot_be_recorded_as_filed(staff_client, matter_a, ready_bundle):
    Bundle.objects.filter(pk=ready_bundle.pk).update(status="failed")
    url = reverse("web:submission_create", args=[matter_a.reference])
    data = {"bundle": ready_bundle.pk, "platform_reference": "IPP-1", "submitted_on": "2026-03-05"}
    response = staff_client.post(url, data, follow=True)
    assert "Bundle filed: Select a valid choice." in response.content.decode()
    assert not Submission.objects.exists()


def test_matter_page_shows_each_complaint_with_its_answers_counted(client, member_a, matter_a, submission):
    client.force_login(member_a)
    content = client.get(reverse("web:matter_detail", args=[matter_a.reference])).content.decode()
    assert "Complaint IPP-88123 on Alibaba.com" in content
    assert "Awaiting the platform&#x27;s answer: 2" in content
    assert "Aurora copy 1" not in content  # the items are on the complaint's page


def test_the_complaint_page_lists_each_item_and_its_answer_read_only_for_clients(client, member_a, submission):
    client.force_login(member_a)
    content = client.get(reverse("web:submission_detail", args=[submission.pk])).content.decode()
    assert "Aurora copy 1" in content and "Aurora copy 2" in content
    assert content.count("Awaiting the platform&#x27;s answer") >= 2
    assert "answer-form" not in content  # clients read, staff record


def test_the_complaint_page_pages_its_items_by_keyset_each_once(client, member_a, submission, monkeypatch):
    monkeypatch.setattr("portal.web.submissions.ITEMS_PER_PAGE", 1)
    client.force_login(member_a)
    url, seen = reverse("web:submission_detail", args=[submission.pk]), []
    while url:
        response = client.get(url)
        seen += [outcome.pk for outcome in response.context["outcomes"]]
        after = response.context["next_after"]
        url = reverse("web:submission_detail", args=[submission.pk]) + f"?after={after}" if after else ""
    assert seen == sorted(submission.outcomes.values_list("pk", flat=True))


def test_removed_answer_takes_the_ticked_listing_down(staff_client, submission):
    outcome = submission.outcomes.first()
    response = answer(staff_client, submission, outcome, outcome="removed")
    assert "1 answers recorded for complaint IPP-88123: Removed." in response.content.decode()
    outcome.refresh_from_db()
    assert outcome.outcome == "removed" and outcome.listing.status == Listing.Status.REMOVED
    assert outcome.listing.removed_at is not None
    assert submission.outcomes.exclude(pk=outcome.pk).get().outcome == "pending"


def test_every_pending_item_takes_one_answer(staff_client, submission):
    response = answer(staff_client, submission, outcome="removed", every_pending="on")
    assert "2 answers recorded" in response.content.decode()
    assert set(submission.outcomes.values_list("outcome", flat=True)) == {"removed"}


def test_an_answer_needs_ticked_items(staff_client, submission):
    response = answer(staff_client, submission, outcome="removed")
    assert "Tick the items the answer is for" in response.content.decode()
    assert set(submission.outcomes.values_list("outcome", flat=True)) == {"pending"}


def test_rejection_needs_the_platforms_reason(staff_client, submission):
    outcome = submission.outcomes.first()
    response = answer(staff_client, submission, outcome, outcome="rejected")
    assert "Give the platform&#x27;s reason for rejecting the complaint." in response.content.decode()
    outcome.refresh_from_db()
    assert outcome.outcome == "pending" and outcome.listing.status == Listing.Status.REPORTED


def test_rejected_complaint_leaves_the_listing_active(staff_client, submission):
    outcome = submission.outcomes.first()
    answer(staff_client, submission, outcome, outcome="rejected", reason="Insufficient proof of ownership")
    outcome.refresh_from_db()
    assert outcome.reason == "Insufficient proof of ownership" and outcome.listing.status == Listing.Status.ACTIVE


def test_counter_notice_answer_date_must_follow_its_receipt(staff_client, submission):
    outcome = submission.outcomes.first()
    response = answer(staff_client, submission, outcome, outcome="counter_notice",
                      counter_notice_received_on="2026-03-10", answer_by="2026-03-01")  # fmt: skip
    assert "The answer is due after the counter-notice was received" in response.content.decode()
    assert ListingOutcome.objects.get(pk=outcome.pk).outcome == "pending"


def test_work_queue_groups_complaints_awaiting_an_answer_past_deadline_first_and_flagged(
    staff_client, submission, ready_bundle, staff
):
    later = submission_record(bundle=ready_bundle, platform_reference="IPP-99001",
                              submitted_on=datetime.date(2026, 3, 6), submitted_by=staff)  # fmt: skip
    second = submission.outcomes.order_by("pk").last()
    answer(staff_client, submission, second, outcome="counter_notice", counter_notice_received_on="2026-03-10",
           answer_by="2026-03-20")  # fmt: skip
    content = staff_client.get(reverse("web:staff_queue")).content.decode()
    section = content[content.index('id="complaints-awaiting-answer"') :]
    assert 'class="count">2</span>' in section  # two complaints, not four items
    assert section.index("IPP-88123") < section.index(later.platform_reference)
    assert "1 awaiting the platform; 1 counter-notice" in section
    assert "past deadline</strong> answer by" in section and "20 Mar 2026" in section


def test_another_clients_member_cannot_record_an_answer(client, member_b, submission):
    client.force_login(member_b)
    outcome = submission.outcomes.first()
    response = client.post(reverse("web:submission_answer", args=[submission.pk]),
                           {"items": [outcome.listing_id], "outcome": "removed"})  # fmt: skip
    assert response.status_code in (302, 403, 404)
    assert ListingOutcome.objects.get(pk=outcome.pk).outcome == "pending"


def test_another_clients_member_cannot_read_the_complaint(client, member_b, submission):
    client.force_login(member_b)
    assert client.get(reverse("web:submission_detail", args=[submission.pk])).status_code == 404


def test_every_listing_filed_is_watched_from_the_filing_date(submission, ready_bundle):
    watches = TakedownWatch.objects.filter(matter=ready_bundle.matter)
    assert {w.listing_id for w in watches} == set(ready_bundle.listings.values_list("pk", flat=True))
    filed = datetime.datetime.combine(submission.submitted_on, datetime.time.min, tzinfo=datetime.UTC)
    assert all(w.filed_at == filed and w.next_check_at == filed + datetime.timedelta(days=1) for w in watches)
