"""A real Celery worker on the capture queue, over Redis, captures a page of the fake marketplace."""

import time

import pytest
from django.db import connection

from evidence.capture.services import capture_request
from evidence.demo_marketplace import Marketplace
from evidence.models import Capture
from tests.conftest import require_env
from tests.evidence.factories import ListingFactory
from tests.support.services import celery_worker, database_url_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.browser]


def test_a_worker_listening_only_to_the_capture_queue_runs_captures(transactional_db, tmp_path, signing_p12, settings,
                                                                     matter_a, staff):  # fmt: skip
    require_env("DATABASE_URL")
    redis_url = require_env("REDIS_URL")
    market = Marketplace().start()
    env = {
        "PORTAL_DATA_DIR": str(tmp_path), "PORTAL_SIGNING_P12": str(signing_p12), "PORTAL_SIGNING_PASSPHRASE": "",
        "PORTAL_CAPTURE_ALLOWED_HOSTS": f"127.0.0.1:{market.port}",
    }  # fmt: skip
    try:
        with celery_worker(database_url=database_url_for(connection.settings_dict), redis_url=redis_url,
                           log_path=tmp_path / "capture-worker.log", extra_env=env, queues="capture"):  # fmt: skip
            matter_a.platforms = ["aliexpress"]
            matter_a.save()
            listing = ListingFactory(url=market.item_url("aliexpress", "w1"), seller__platform="aliexpress")
            listing.matters.add(matter_a)
            capture = capture_request(matter=matter_a, listing=listing, by=staff)
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                capture.refresh_from_db()
                if capture.status in (Capture.Status.DONE, Capture.Status.FAILED):
                    break
                time.sleep(0.5)
    finally:
        market.stop()
    assert capture.status == Capture.Status.DONE, (
        capture.failure_reason or (tmp_path / "capture-worker.log").read_text()[-3000:]
    )
    assert capture.exhibits.count() == 4 and capture.http_status == 200
