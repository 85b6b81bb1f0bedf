"""Celery tasks of the evidence app: thin wrappers that load by id and call a service."""

from __future__ import annotations

from celery import shared_task

from evidence.intake.importing import listing_import_execute, listing_import_sweep


@shared_task(name="evidence.tasks.listing_import_task", acks_late=True, reject_on_worker_lost=True)
def listing_import_task(import_id: int) -> None:
    listing_import_execute(import_id=import_id)


@shared_task(name="evidence.tasks.listing_import_sweep_task")
def listing_import_sweep_task() -> int:
    return listing_import_sweep()
