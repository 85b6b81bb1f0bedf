import pytest

from tests.conftest import require_env


def test_healthz_reports_every_part_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert set(response.json()["checks"]) == {"database", "storage", "broker"}


def test_healthz_names_a_stopped_broker(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]


def test_healthz_names_unwritable_storage(client, db, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": blocker}},
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["storage"]


@pytest.mark.redis
def test_healthz_reaches_real_redis(client, db, settings):
    redis_url = require_env("REDIS_URL")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_url
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == {"ok": True, "detail": "redis"}


@pytest.mark.postgres
def test_tests_run_on_postgresql_when_configured(db):
    from django.db import connection

    require_env("DATABASE_URL")
    assert connection.vendor == "postgresql"
