"""Each environment variable switches the setting it names, and nothing else is needed to run."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "portal" / "settings.py"
PORTAL_VARIABLES = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "S3_", "PORTAL_", "CELERY_")


@pytest.fixture
def load_settings(monkeypatch, tmp_path):
    """Evaluate portal/settings.py afresh under exactly the given variables."""

    def load(**variables: str) -> dict:
        for name in list(os.environ):
            if name.startswith(PORTAL_VARIABLES):
                monkeypatch.delenv(name)
        monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path))
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load


def test_nothing_set_means_sqlite_local_files_and_in_process_worker(load_settings, tmp_path):
    s = load_settings(DJANGO_DEBUG="true")
    assert s["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert s["DATABASES"]["default"]["NAME"] == tmp_path / "db.sqlite3"
    assert s["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert s["STORAGES"]["default"]["OPTIONS"]["base_url"] is None
    assert s["CELERY_TASK_ALWAYS_EAGER"] is True
    assert s["DEBUG"] is True


def test_debug_is_off_unless_asked_for(load_settings):
    assert load_settings(DJANGO_SECRET_KEY="k" * 50)["DEBUG"] is False


def test_missing_secret_key_without_debug_fails_loudly(load_settings):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY must be set"):
        load_settings()


def test_malformed_boolean_is_refused_by_name(load_settings):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG must be true or false"):
        load_settings(DJANGO_DEBUG="maybe")


def test_database_url_switches_to_postgresql(load_settings):
    s = load_settings(DJANGO_DEBUG="true", DATABASE_URL="postgres://portal:pw@db.internal:5432/portal")
    db = s["DATABASES"]["default"]
    assert (db["ENGINE"], db["HOST"], db["NAME"]) == ("django.db.backends.postgresql", "db.internal", "portal")
    assert db["CONN_HEALTH_CHECKS"] is True


def test_redis_url_switches_celery_to_a_redis_broker_with_json(load_settings):
    s = load_settings(DJANGO_DEBUG="true", REDIS_URL="redis://cache.internal:6379/2")
    assert s["CELERY_BROKER_URL"] == "redis://cache.internal:6379/2"
    assert s["CELERY_TASK_ALWAYS_EAGER"] is False
    assert s["CELERY_TASK_SERIALIZER"] == "json" and s["CELERY_ACCEPT_CONTENT"] == ["json"]
    assert s["CELERY_BROKER_TRANSPORT_OPTIONS"]["visibility_timeout"] > s["CELERY_TASK_TIME_LIMIT"]


def test_s3_bucket_switches_storage_to_private_s3(load_settings):
    s = load_settings(
        DJANGO_DEBUG="true",
        S3_BUCKET="evidence",
        S3_ENDPOINT_URL="http://127.0.0.1:9000",
        S3_REGION="eu-west-2",
        S3_ACCESS_KEY_ID="AKIAEXAMPLE",
        S3_SECRET_ACCESS_KEY="secret",
    )
    storage = s["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "evidence" and options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["region_name"] == "eu-west-2" and options["default_acl"] == "private"
    assert options["file_overwrite"] is False and options["querystring_auth"] is True
    assert options["querystring_expire"] <= 300


def test_presigned_expiry_is_capped_at_five_minutes(load_settings):
    s = load_settings(DJANGO_DEBUG="true", S3_BUCKET="evidence", S3_PRESIGNED_URL_EXPIRY="3600")
    assert s["STORAGES"]["default"]["OPTIONS"]["querystring_expire"] == 300


def test_production_turns_on_secure_cookies_hsts_and_redirect(load_settings):
    s = load_settings(DJANGO_SECRET_KEY="k" * 50, DJANGO_ALLOWED_HOSTS="portal.example.com")
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SECURE_SSL_REDIRECT"]
    assert s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["ALLOWED_HOSTS"] == ["portal.example.com"]


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "9f3kq2lz8x" * 4,
        "DJANGO_ALLOWED_HOSTS": "portal.example.com",
        "PORTAL_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=SETTINGS_FILE.parents[1],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_task_that_succeeds_says_nothing_at_info(caplog, db):
    import logging

    from ownership.tasks import ocr_document_task

    caplog.set_level(logging.INFO)
    ocr_document_task.apply(args=[0])  # no such document: the task finishes at once, successfully
    assert [record.getMessage() for record in caplog.records if record.name.startswith("celery")] == []


def test_a_task_that_fails_still_logs_its_error(caplog, db, monkeypatch):
    import logging

    from ownership.tasks import ocr_document_task

    def broken(**kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("ownership.tasks.ownership_document_read", broken)
    caplog.set_level(logging.INFO)
    ocr_document_task.apply(args=[0])
    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert any("the disk is full" in message for message in errors)
