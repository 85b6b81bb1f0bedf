"""Fixtures shared by the whole suite.

Tests of real services (PostgreSQL, Redis, S3, a browser) use them for real. A service named by an
environment variable (DATABASE_URL, REDIS_URL) is skipped, with the reason, only when the variable is absent;
once it is set, an unreachable service fails the test. A tool the machine should have (Chromium, qpdf) is
skipped when missing, except under CI=true, where CI has installed it and its absence is a failure.
"""

from __future__ import annotations

import os

import pytest
from django.test.utils import override_settings

from tests.factories import MatterFactory, MembershipFactory, RightsHolderFactory, StaffFactory


def require_env(name: str) -> str:
    """The variable's value; the test is skipped, naming the variable, when it is not set."""
    value = os.environ.get(name, "")
    if not value:
        pytest.skip(f"{name} is not set")
    return value


def require_service(available: bool, reason: str) -> None:
    """Skip when a tool or service is missing; under CI that is a failure, never a silent skip."""
    if available:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must provide this service: {reason}")
    pytest.skip(reason)


@pytest.fixture
def in_process_worker():
    """Work sent after a commit runs in this process at once, as on the embedded default, with or without a
    broker configured (the PostgreSQL and Redis run)."""
    from celery import current_app

    eager, current_app.conf.task_always_eager = current_app.conf.task_always_eager, True
    yield
    current_app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def fresh_results():
    """Each test computes its own results figures: ids come round again after a rolled-back test, and a figure
    kept by an earlier test would be served for the same scope."""
    from portal.results.cache import results_changed

    results_changed()


@pytest.fixture(autouse=True)
def isolated_media(settings, tmp_path):
    """Each test gets its own local storage, so what one test stores never shows in another. OCR of uploads is
    off unless a test turns it on (``settings.PORTAL_OCR = True``): it takes seconds a page."""
    settings.PORTAL_OCR = False
    (tmp_path / "media").mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media", "base_url": None},
        },
    }


@pytest.fixture
def staff(db):
    return StaffFactory()


def verify_with_totp(client, user):
    """Sign the test client in as ``user`` with a confirmed TOTP device already verified in the session."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def staff_client(client, staff):
    """The test client signed in as ``staff`` and past two-factor verification, as staff pages require."""
    return verify_with_totp(client, staff)


@pytest.fixture
def holder_a(db):
    return RightsHolderFactory(name="Alpha Brands Ltd", code="ALP")


@pytest.fixture
def holder_b(db):
    return RightsHolderFactory(name="Beta Goods Co", code="BET")


@pytest.fixture
def member_a(holder_a):
    return MembershipFactory(rights_holder=holder_a).user


@pytest.fixture
def member_b(holder_b):
    return MembershipFactory(rights_holder=holder_b).user


@pytest.fixture
def matter_a(holder_a):
    return MatterFactory(rights_holder=holder_a)


@pytest.fixture
def matter_b(holder_b):
    return MatterFactory(rights_holder=holder_b)


@pytest.fixture(scope="session")
def s3_endpoint():
    """An S3-compatible server (moto) on loopback for the whole session."""
    from tests.support.services import s3_server

    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    """Default storage switched to django-storages' S3 backend against the test server, as in production."""
    from tests.support.services import s3_storage_setting

    settings.STORAGES = {**settings.STORAGES, "default": s3_storage_setting(s3_endpoint)}
    yield


@pytest.fixture(scope="session")
def signing_p12(tmp_path_factory):
    """A self-signed firm certificate made once by the project's own command."""
    from django.core.management import call_command

    path = tmp_path_factory.mktemp("signing") / "firm.p12"
    call_command("create_signing_certificate", out=str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    return path


@pytest.fixture
def tsa(tmp_path):
    """A real RFC 3161 timestamp authority (openssl ts) on loopback, publishing its own CRL."""
    import shutil

    from tests.support.tsa import TimestampAuthority

    require_service(shutil.which("openssl") is not None, "openssl is missing (Debian package openssl)")
    folder = tmp_path / "tsa"
    folder.mkdir()
    authority = TimestampAuthority(folder)
    yield authority
    authority.stop()


@pytest.fixture
def signing(settings, signing_p12):
    settings.PORTAL_SIGNING_P12 = signing_p12
    settings.PORTAL_SIGNING_PASSPHRASE = ""
    return signing_p12


@pytest.fixture(scope="session")
def _media_url_of_another_host():
    """Let Django's live server start although the portal has no public media URL.

    The live server wraps the site in a handler that serves MEDIA_ROOT under MEDIA_URL; with MEDIA_URL None
    (evidence is never served publicly) that handler cannot start. While the server starts, MEDIA_URL names
    another host, so the handler hands every request to the portal and serves no file itself.
    """
    override = override_settings(MEDIA_URL="http://media.invalid/")
    override.enable()
    state = {"enabled": True}

    def restore() -> None:
        if state["enabled"]:
            override.disable()
            state["enabled"] = False

    yield restore
    restore()


@pytest.fixture(scope="session")
def live_server(_media_url_of_another_host, live_server):
    _media_url_of_another_host()  # the handler read MEDIA_URL when the server started; restore it at once
    return live_server


@pytest.fixture
def ocr_worker(settings, monkeypatch):
    """OCR on, and each OCR task run the moment it is queued, as the worker runs it: whether tasks are eager
    (no Redis) or go to a broker nobody reads in tests (Redis)."""
    from evidence.services import exhibit_read
    from ownership.services import ownership_document_read

    settings.PORTAL_OCR = True
    monkeypatch.setattr("ownership.tasks.ocr_document_task.apply_async",
                        lambda args: ownership_document_read(document_id=args[0]))  # fmt: skip
    monkeypatch.setattr("evidence.tasks.ocr_exhibit_task.apply_async", lambda args: exhibit_read(exhibit_id=args[0]))
