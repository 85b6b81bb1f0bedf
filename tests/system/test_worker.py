"""A real Celery worker process consuming from Redis compiles bundles, and survives being killed mid-compile."""

import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from evidence.services import exhibit_upload, listing_record, seller_record
from ownership.shared.jobs import jobs_sweep
from portal.models import Bundle
from portal.services import bundle_request
from tests.conftest import require_env
from tests.evidence.factories import TestPurchaseFactory
from tests.support import files as samples
from tests.support.bundles import OVERRULED
from tests.support.services import celery_worker, database_url_for, kill_worker, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


@pytest.fixture
def start_worker(transactional_db, tmp_path, signing_p12, settings):
    """Start real workers sharing this test's database, storage (tmp_path/media, see isolated_media) and certificate."""
    require_env("DATABASE_URL")
    redis_url = require_env("REDIS_URL")
    env = {
        "PORTAL_DATA_DIR": str(tmp_path),  # the worker's media directory is this test's
        "PORTAL_SIGNING_P12": str(signing_p12),
        "PORTAL_SIGNING_PASSPHRASE": "",
        "PORTAL_JOB_STALL_SECONDS": "4",
    }
    settings.PORTAL_JOB_STALL_SECONDS = 4
    settings.PORTAL_SIGNING_P12 = signing_p12
    contexts = []

    def start(name: str, extra_env: dict[str, str] | None = None):
        context = celery_worker(
            database_url=database_url_for(connection.settings_dict),
            redis_url=redis_url,
            log_path=tmp_path / f"worker-{name}.log",
            extra_env={**env, **(extra_env or {})},
        )
        contexts.append(context)
        return context.__enter__()

    yield start
    for context in reversed(contexts):
        context.__exit__(None, None, None)


def matter_with_evidence(matter, staff, photos: int):
    seller, _ = seller_record(platform="alibaba", store_name="Glowhome", platform_seller_id="77")
    listing, _ = listing_record(matter=matter, url="https://www.alibaba.com/product-detail/x_1.html", seller=seller)
    purchase = TestPurchaseFactory(matter=matter, listing=listing, recorded_by=staff)
    exhibit_upload(matter=matter, purchase=purchase, kind="order_confirmation", uploaded_by=staff,
                   upload=ContentFile(samples.pdf_bytes("Order"), name="order.pdf"))  # fmt: skip
    for n in range(photos):
        exhibit_upload(matter=matter, purchase=purchase, kind="product_photo", uploaded_by=staff,
                       upload=ContentFile(samples.image_bytes("JPEG", (2400, 1800)), name=f"p{n}.jpg"))  # fmt: skip


def stored_bundle_files() -> list[str]:
    if not default_storage.exists("bundles"):
        return []
    directories, _ = default_storage.listdir("bundles")
    return [f for d in directories for f in default_storage.listdir(f"bundles/{d}")[1]]


def test_worker_answers_over_redis(start_worker):
    from portal.celery import app

    start_worker("a")
    replies = app.control.ping(timeout=5)
    assert any(name.startswith("test-") for reply in replies for name in reply)


def test_a_real_worker_compiles_a_requested_bundle(start_worker, matter_a, staff):
    start_worker("a")
    matter_with_evidence(matter_a, staff, photos=2)
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    ready = wait_for(lambda: Bundle.objects.filter(pk=bundle.pk, status__in=["ready", "failed"]).first(), 90, "compile")
    assert ready.status == "ready", ready.error_message
    assert ready.exhibit_count == 3 and stored_bundle_files() != []


def test_worker_killed_mid_compile_is_finished_exactly_once_by_another(
    start_worker, matter_a, staff, settings, tmp_path
):
    matter_with_evidence(matter_a, staff, photos=60)
    first = start_worker("a")
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    wait_for(lambda: Bundle.objects.filter(pk=bundle.pk, status="compiling", progress__gte=10).exists(), 60, "start")
    kill_worker(first)
    assert Bundle.objects.get(pk=bundle.pk).status == "compiling"  # left behind by the dead worker
    start_worker("b")
    time.sleep(settings.PORTAL_JOB_STALL_SECONDS + 1)
    assert jobs_sweep()["portal.bundle"] == 1
    ready = wait_for(lambda: Bundle.objects.filter(pk=bundle.pk, status__in=["ready", "failed"]).first(), 120, "ready")
    assert ready.status == "ready", ready.error_message
    assert ready.attempts == 2
    assert Bundle.objects.filter(matter=matter_a).count() == 1
    assert len(stored_bundle_files()) == 1


def test_request_made_while_redis_is_down_is_compiled_once_redis_is_back(
    transactional_db, matter_a, staff, tmp_path, signing_p12, settings
):
    import shutil

    from tests.conftest import require_service
    from tests.support.services import app_broker, free_port, redis_server

    require_env("DATABASE_URL")
    require_service(shutil.which("redis-server") is not None, "redis-server is not installed")
    settings.PORTAL_SIGNING_P12 = signing_p12
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    env = {"PORTAL_DATA_DIR": str(tmp_path), "PORTAL_SIGNING_P12": str(signing_p12), "PORTAL_SIGNING_PASSPHRASE": ""}
    matter_with_evidence(matter_a, staff, photos=1)
    first_redis = redis_server(port, tmp_path)
    first_redis.__enter__()
    with app_broker(url), celery_worker(
        database_url=database_url_for(connection.settings_dict), redis_url=url,
        log_path=tmp_path / "worker.log", extra_env=env,
    ):  # fmt: skip
        first_redis.__exit__(None, None, None)  # Redis goes away under the running worker
        bundle, created = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
        bundle.refresh_from_db()
        assert created and bundle.status == "queued" and bundle.dispatched_at is None  # recorded, shown as queued
        with redis_server(port, tmp_path):
            assert jobs_sweep()["portal.bundle"] == 1
            ready = wait_for(
                lambda: Bundle.objects.filter(pk=bundle.pk, status__in=["ready", "failed"]).first(), 120, "compile"
            )
    assert ready.status == "ready", ready.error_message
    assert Bundle.objects.filter(matter=matter_a).count() == 1


@pytest.mark.s3
def test_a_real_worker_compiles_onto_s3_and_the_bundle_downloads_through_a_presigned_link(
    start_worker, matter_a, staff, member_a, client, s3_storage, s3_endpoint, tmp_path
):
    """PostgreSQL, a worker over Redis and an S3 server, all real: upload, compile, download."""
    import hashlib

    import requests
    from django.urls import reverse

    from tests.support.services import S3_TEST_BUCKET, S3_TEST_CREDENTIALS

    s3_env = {
        "S3_BUCKET": S3_TEST_BUCKET,
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": S3_TEST_CREDENTIALS["access_key"],
        "S3_SECRET_ACCESS_KEY": S3_TEST_CREDENTIALS["secret_key"],
    }
    start_worker("s3", extra_env=s3_env)
    matter_with_evidence(matter_a, staff, photos=1)
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    ready = wait_for(lambda: Bundle.objects.filter(pk=bundle.pk, status__in=["ready", "failed"]).first(), 90, "compile")
    assert ready.status == "ready", ready.error_message
    client.force_login(member_a)
    response = client.get(reverse("web:bundle_download", args=[ready.pk]))
    assert response.status_code == 302 and "X-Amz-Expires=300" in response.url
    signed = requests.get(response.url, timeout=30).content
    assert hashlib.sha256(signed).hexdigest() == ready.sha256
