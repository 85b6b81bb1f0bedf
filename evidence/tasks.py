"""Celery tasks of the evidence app: thin wrappers that load by id and call a service."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from evidence.capture.services import (
    CAPTURE_TIME_LIMIT,
    capture_run,
    capture_stopped,
    takedown_checks_due,
)
from evidence.intake.importing import listing_import_execute
from evidence.services import exhibit_read
from ownership.tasks import OCR_TIME_LIMIT


@shared_task(name="evidence.tasks.listing_import_task", acks_late=True, reject_on_worker_lost=True)
def listing_import_task(import_id: int) -> None:
    listing_import_execute(import_id=import_id)


@shared_task(
    name="evidence.tasks.capture_task", acks_late=True, reject_on_worker_lost=True,
    soft_time_limit=CAPTURE_TIME_LIMIT - 60, time_limit=CAPTURE_TIME_LIMIT,
)  # fmt: skip
def capture_task(capture_id: int) -> None:
    """Runs on the ``capture`` queue (CELERY_TASK_ROUTES), so captures never wait behind compiles."""
    try:
        capture_run(capture_id=capture_id)
    except SoftTimeLimitExceeded:
        capture_stopped(capture_id=capture_id)


@shared_task(name="evidence.tasks.takedown_checks_task")
def takedown_checks_task() -> int:
    return takedown_checks_due()


@shared_task(name="evidence.tasks.ocr_exhibit_task", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=OCR_TIME_LIMIT - 60, time_limit=OCR_TIME_LIMIT)  # fmt: skip
def ocr_exhibit_task(exhibit_id: int) -> None:
    exhibit_read(exhibit_id=exhibit_id)
