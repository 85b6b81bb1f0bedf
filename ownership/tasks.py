"""Celery tasks of the ownership app: thin wrappers that load by id and call a service."""

from __future__ import annotations

from celery import shared_task

from ownership.services import ownership_document_read

# OCR reads a page in seconds; a long scan can take minutes. It runs on its own "ocr" queue (CELERY_TASK_ROUTES),
# so it never delays a bundle compile.
OCR_TIME_LIMIT = 20 * 60


@shared_task(name="ownership.tasks.ocr_document_task", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=OCR_TIME_LIMIT - 60, time_limit=OCR_TIME_LIMIT)  # fmt: skip
def ocr_document_task(document_id: int) -> None:
    ownership_document_read(document_id=document_id)
