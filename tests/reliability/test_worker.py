"""A real Celery worker process consuming from Redis, on the test database."""

import pytest

from tests.conftest import require_env
from tests.services import celery_worker, database_url_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


@pytest.fixture
def worker(transactional_db):
    from django.db import connection

    require_env("DATABASE_URL")
    redis_url = require_env("REDIS_URL")
    with celery_worker(database_url=database_url_for(connection.settings_dict), redis_url=redis_url) as process:
        yield process


def test_worker_answers_over_redis(worker):
    from portal.celery import app

    replies = app.control.ping(timeout=5)
    assert any(name.startswith("test-") for reply in replies for name in reply)
