"""Requesting a bundle: one row per distinct request, sent to the broker after commit, swept when lost."""

import datetime
import threading

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from kombu.exceptions import OperationalError

from evidence.services import exhibit_upload, listing_record
from ownership.shared.jobs import MAX_ATTEMPTS, job_claim, jobs_sweep
from portal.models import Bundle
from portal.services import BundleError, bundle_request
from tests.conftest import require_env
from tests.evidence.factories import SellerFactory, TestPurchaseFactory
from tests.ownership.factories import make_right
from tests.support import files as samples
from tests.support.bundles import OVERRULED


def test_request_writes_a_queued_first_version_and_sends_it_after_commit(
    matter_a, right_a, staff, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bundle, created = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
        assert sent == []  # nothing leaves before the commit
    bundle.refresh_from_db()
    assert created and (bundle.version, bundle.status) == (1, Bundle.Status.QUEUED)
    assert list(bundle.rights.all()) == [right_a]
    assert sent == [bundle.pk] and bundle.dispatched_at is not None


def test_same_request_again_gives_the_same_bundle(matter_a, right_a, staff, sent):
    first, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    again, created = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    assert (again, created) == (first, False)
    assert Bundle.objects.count() == 1


def test_different_selection_is_a_new_version(matter_a, right_a, staff, sent):
    bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    second, created = bundle_request(
        matter=matter_a, platform="alibaba", requested_by=staff, rights=[], overrule=OVERRULED
    )
    assert created and second.version == 2


def test_failed_bundle_is_compiled_again_as_a_new_version(matter_a, right_a, staff, sent):
    first, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    Bundle.objects.filter(pk=first.pk).update(status=Bundle.Status.FAILED)
    second, created = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    assert created and second.version == 2


def test_platform_the_matter_does_not_target_is_refused(matter_a, staff, sent):
    with pytest.raises(BundleError, match="does not target eBay"):
        bundle_request(matter=matter_a, platform="ebay", requested_by=staff, overrule=OVERRULED)
    assert not Bundle.objects.exists()


def test_right_of_another_holder_is_refused(matter_a, matter_b, staff, sent):
    foreign = make_right(matter_b.rights_holder, "GB", "copyright")
    with pytest.raises(BundleError, match="belongs to another rights holder"):
        bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, rights=[foreign], overrule=OVERRULED)


def test_broker_down_leaves_the_request_queued_for_the_sweep(
    matter_a, staff, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(args):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("portal.tasks.bundle_compile_task.apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    bundle.refresh_from_db()
    assert bundle.status == Bundle.Status.QUEUED and bundle.dispatched_at is None


def test_sweep_sends_lost_requests_and_stalled_compiles_only(matter_a, right_a, staff, sent, settings):
    lost, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    stalled, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, rights=[], overrule=OVERRULED)
    other = make_right(matter_a.rights_holder, "GB", "copyright")
    alive, _ = bundle_request(
        matter=matter_a, platform="alibaba", requested_by=staff, rights=[other], overrule=OVERRULED
    )
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.PORTAL_JOB_STALL_SECONDS + 1)
    Bundle.objects.filter(pk=stalled.pk).update(status=Bundle.Status.COMPILING, heartbeat_at=long_ago)
    Bundle.objects.filter(pk=alive.pk).update(
        status=Bundle.Status.COMPILING, heartbeat_at=timezone.now(), dispatched_at=timezone.now()
    )
    Bundle.objects.filter(pk=lost.pk).update(dispatched_at=None)
    sent.clear()
    assert jobs_sweep()["portal.bundle"] == 2
    assert sorted(sent) == sorted([lost.pk, stalled.pk])
    assert Bundle.objects.get(pk=stalled.pk).status == Bundle.Status.QUEUED


def test_a_live_compile_cannot_be_claimed_twice(matter_a, staff, sent):
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    assert job_claim(Bundle, bundle.pk)
    assert job_claim(Bundle, bundle.pk) is None


def test_a_stalled_compile_is_taken_over(matter_a, staff, sent, settings):
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    first = job_claim(Bundle, bundle.pk)
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.PORTAL_JOB_STALL_SECONDS + 1)
    Bundle.objects.filter(pk=bundle.pk).update(heartbeat_at=long_ago)
    second = job_claim(Bundle, bundle.pk)
    assert second and second != first
    assert Bundle.objects.get(pk=bundle.pk).attempts == 2


def test_a_compile_whose_worker_keeps_dying_is_failed_with_the_reason(matter_a, staff, sent, settings):
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.PORTAL_JOB_STALL_SECONDS + 1)
    Bundle.objects.filter(pk=bundle.pk).update(
        status=Bundle.Status.COMPILING, heartbeat_at=long_ago, attempts=MAX_ATTEMPTS, claim_token="dead"
    )
    jobs_sweep()
    bundle.refresh_from_db()
    assert bundle.status == Bundle.Status.FAILED
    assert f"The worker stopped {MAX_ATTEMPTS} times" in bundle.error_message


def test_ready_bundle_is_never_claimed_again(matter_a, staff, sent):
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    Bundle.objects.filter(pk=bundle.pk).update(status=Bundle.Status.READY)
    assert job_claim(Bundle, bundle.pk) is None


@pytest.mark.postgres
def test_one_hundred_identical_requests_at_once_make_one_bundle(transactional_db, staff, monkeypatch):
    from tests.factories import MatterFactory

    require_env("DATABASE_URL")
    monkeypatch.setattr("portal.services.bundle_requests.job_dispatch", lambda job: None)
    matter = MatterFactory()
    results, errors = [], []
    start = threading.Barrier(20)

    def request_five() -> None:
        try:
            start.wait()
            for _ in range(5):
                results.append(
                    bundle_request(matter=matter, platform="alibaba", requested_by=staff, overrule=OVERRULED)
                )
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=request_five) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 100
    assert Bundle.objects.count() == 1
    assert sum(created for _, created in results) == 1


@pytest.fixture
def two_listings(matter_a, staff):
    matter_a.platforms = ["alibaba", "amazon"]
    matter_a.save()
    alibaba, _ = listing_record(
        matter=matter_a, url="https://www.alibaba.com/product-detail/x_1.html", seller=SellerFactory(platform="alibaba")
    )
    amazon, _ = listing_record(
        matter=matter_a, url="https://www.amazon.com/dp/B0TEST0001", seller=SellerFactory(platform="amazon")
    )
    return alibaba, amazon


def test_new_evidence_since_the_last_bundle_makes_the_next_request_a_new_version(matter_a, right_a, staff, sent):
    first, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    Bundle.objects.filter(pk=first.pk).update(status=Bundle.Status.READY)
    exhibit_upload(matter=matter_a, upload=ContentFile(samples.pdf_bytes(), name="new.pdf"), kind="other",
                   uploaded_by=staff)  # fmt: skip
    second, created = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    assert created and second.version == 2


def test_request_covers_every_listing_on_the_platform_when_none_is_chosen(matter_a, right_a, staff, sent, two_listings):
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    assert list(bundle.listings.all()) == [two_listings[0]]


def test_listing_on_another_platform_is_refused_by_name(matter_a, right_a, staff, sent, two_listings):
    with pytest.raises(BundleError, match="is on Amazon"):
        bundle_request(
            matter=matter_a, platform="alibaba", requested_by=staff, listings=[two_listings[1]], overrule=OVERRULED
        )
    assert not Bundle.objects.exists()


def test_purchase_of_another_matter_is_refused(matter_a, matter_b, right_a, staff, sent):
    purchase = TestPurchaseFactory(matter=matter_b)
    with pytest.raises(BundleError, match="is not part of matter"):
        bundle_request(
            matter=matter_a, platform="alibaba", requested_by=staff, purchases=[purchase], overrule=OVERRULED
        )
