"""Reachability checks of the portal's dependencies, for /healthz and monitoring."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from kombu import Connection


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


def check_database() -> CheckResult:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return CheckResult("database", True, connection.vendor)


def check_storage() -> CheckResult:
    """Write and delete a small object: proves the storage is reachable and writable."""
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)
    return CheckResult("storage", True, settings.STORAGES["default"]["BACKEND"].rsplit(".", 1)[-1])


def check_broker() -> CheckResult:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return CheckResult("broker", True, "in-process worker")
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=3) as conn:
        conn.ensure_connection(max_retries=1, timeout=3)
    return CheckResult("broker", True, str(conn.transport_cls))


CHECKS: list[Callable[[], CheckResult]] = [check_database, check_storage, check_broker]


def run_checks() -> list[CheckResult]:
    results = []
    for check in CHECKS:
        name = check.__name__.removeprefix("check_")
        try:
            results.append(check())
        except Exception as exc:  # noqa: BLE001 - any failure means "down"; say which kind, not its secrets
            results.append(CheckResult(name, False, f"unreachable ({type(exc).__name__})"))
    return results
