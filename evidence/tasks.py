"""Celery tasks of the evidence app: thin wrappers that load by id and call a service."""

from __future__ import annotations

from celery import shared_task

from evidence.capture.services import capture_run, takedown_checks_due
from evidence.intake.importing import listing_import_execute, listing_import_sweep


@shared_task(name="evidence.tasks.listing_import_task", acks_late=True, reject_on_worker_lost=True)
def listing_import_task(import_id: int) -> None:
    listing_import_execute(import_id=import_id)


@shared_task(name="evidence.tasks.listing_import_sweep_task")
def listing_import_sweep_task() -> int:
    return listing_import_sweep()


@shared_task(
    name="evidence.tasks.capture_task", acks_late=True, reject_on_worker_lost=True, soft_time_limit=240,
    time_limit=300,
)  # fmt: skip
def capture_task(capture_id: int) -> None:
    """Runs on the ``capture`` queue (CELERY_TASK_ROUTES), so captures never wait behind compiles."""
    capture_run(capture_id=capture_id)


@shared_task(name="evidence.tasks.takedown_checks_task")
def takedown_checks_task() -> int:
    return takedown_checks_due()
