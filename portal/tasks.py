"""Celery tasks: thin wrappers that load by id and call a service."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from ownership.shared.jobs import jobs_sweep
from portal import services
from portal.services.archive_timestamps import archive_timestamps_renew
from portal.services.client_reports import client_report_compile, client_reports_monthly
from portal.services.dossiers import dossier_compile
from portal.services.notices import notice_compile
from portal.services.webhooks import webhook_deliver

STORAGE_RETRIES = 5


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    max_retries=None,
)
def bundle_compile_task(self, bundle_id: int) -> str:
    try:
        outcome = services.bundle_compile(bundle_id=bundle_id)
    except services.TransientStorageError as exc:
        if self.request.retries >= STORAGE_RETRIES:
            services.bundle_fail(
                bundle_id=bundle_id,
                token=None,
                message=f"The file storage could not be reached after {STORAGE_RETRIES + 1} attempts ({exc}). "
                "Nothing was stored; request the bundle again once storage is back.",
            )
            return "failed"
        raise self.retry(countdown=min(300, 5 * 2**self.request.retries)) from exc
    except SoftTimeLimitExceeded:
        minutes = settings.CELERY_TASK_SOFT_TIME_LIMIT // 60
        services.bundle_fail(
            bundle_id=bundle_id,
            token=None,
            message=f"The compile took longer than {minutes} minutes and was stopped. "
            "Split the matter into smaller bundles or ask an administrator to raise the time limit.",
        )
        return "failed"
    if outcome == services.CompileOutcome.BUSY:
        # Another run holds the bundle and is alive; look again once it would count as stalled.
        raise self.retry(countdown=settings.PORTAL_JOB_STALL_SECONDS)
    return outcome


@shared_task(name="portal.tasks.webhook_deliver_task", acks_late=True, reject_on_worker_lost=True)
def webhook_deliver_task(delivery_id: int) -> str:
    return webhook_deliver(delivery_id=delivery_id)


@shared_task(name="portal.tasks.client_report_compile_task", acks_late=True, reject_on_worker_lost=True)
def client_report_compile_task(report_id: int) -> str:
    return client_report_compile(report_id=report_id).status


@shared_task(name="portal.tasks.client_reports_monthly_task")
def client_reports_monthly_task() -> int:
    return len(client_reports_monthly())


@shared_task(name="portal.tasks.archive_timestamps_task")
def archive_timestamps_task() -> dict[str, object]:
    run = archive_timestamps_renew()
    return {"surveyed": run.surveyed, "renewed": run.renewed, "failed": run.failed}


@shared_task(name="portal.tasks.jobs_sweep_task")
def jobs_sweep_task() -> dict[str, int]:
    return jobs_sweep()


@shared_task(name="portal.tasks.dossier_compile_task", acks_late=True, reject_on_worker_lost=True)
def dossier_compile_task(dossier_id: int) -> None:
    dossier_compile(dossier_id=dossier_id)


@shared_task(name="portal.tasks.notice_compile_task", acks_late=True, reject_on_worker_lost=True)
def notice_compile_task(notice_id: int) -> None:
    notice_compile(notice_id=notice_id)
