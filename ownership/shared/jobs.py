"""Background work: one job lifecycle, one way to hand a job to a worker, one sweep.

A service records the work as a job row (a bundle, a capture, an import, a notice, an OCR reading…) in its own
transaction and calls ``job_dispatch``. Only after that transaction commits is the task sent, and a broker that
cannot be reached is logged, never raised to the caller: the row stays queued, and ``jobs_sweep`` (beat, every
minute) sends it again. A worker takes the row with ``job_claim`` (one run at a time, counted in ``attempts``),
keeps ``heartbeat_at`` fresh while it works (``job_heartbeat``) and ends it with ``job_finish``, which is audited.
A run whose worker died stops beating; the sweep hands its row back to the queue, or fails it with the reason
after ``MAX_ATTEMPTS`` runs, so a job that kills its worker cannot come back for ever.

This module is the only place that calls ``transaction.on_commit`` to start work.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from celery import current_app
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from ownership.shared.audit import AuditEvent, audit_change

logger = logging.getLogger(__name__)

HEARTBEAT_INTERVAL_SECONDS = 30
# Runs a job may start before the sweep gives up on it: a job whose worker dies every time (a file that
# exhausts its memory) is failed with the reason instead of killing workers for ever.
MAX_ATTEMPTS = 2
# Runs a job given back to the queue (the file store was down) may start before it fails with its last reason:
# an outage of two hours at the sweep's one-minute pace, and a missing file that will never come back.
MAX_TRIES = 120
QUEUED = "queued"


class Job(models.Model):
    """The lifecycle fields every kind of background work shares (abstract).

    A concrete job names its task (``job_task``), which status value means a run holds it (``job_running``),
    and which fields hold its status and its failure reason when they are not ``status`` and ``error``. Its
    queued status value is always ``"queued"``.
    """

    job_task: ClassVar[str]
    job_running: ClassVar[str] = "running"
    job_failed: ClassVar[str] = "failed"
    job_status_field: ClassVar[str] = "status"
    job_error_field: ClassVar[str] = "error"
    # A field holding when a queued job may next be sent (a retry after a pause); None: as soon as it is queued.
    job_due_field: ClassVar[str | None] = None

    dispatched_at = models.DateTimeField(
        "sent to a worker at", null=True, blank=True, help_text="When the broker accepted the task."
    )
    attempts = models.PositiveSmallIntegerField("runs started", default=0, help_text="Runs a worker started.")
    claim_token = models.CharField("held by run", max_length=32, blank=True, help_text="Which worker run holds it.")
    heartbeat_at = models.DateTimeField(
        "worker last alive at", null=True, blank=True, help_text="When its worker last said it was alive."
    )

    class Meta:
        abstract = True


JOB_FIELDS = frozenset({"dispatched_at", "attempts", "claim_token", "heartbeat_at"})


def job_models() -> list[type[Job]]:
    return [model for model in apps.get_models() if issubclass(model, Job)]


def after_commit(action: Callable[[], Any]) -> None:
    """Run ``action`` once the current transaction commits; its failure is logged and never reaches the caller
    (what it does is already recorded, so a sweep or a person can do it again)."""
    transaction.on_commit(action, robust=True)


def job_dispatch(*jobs: Job) -> None:
    """Send the jobs (of one kind) to workers once the current transaction commits (at once outside one)."""
    if not jobs:
        return
    model, pks = type(jobs[0]), [job.pk for job in jobs]
    after_commit(lambda: job_send(model, *pks))


def job_send(model: type[Job], *pks: int) -> bool:
    """Hand the jobs' tasks to the broker; False, logged, when the broker cannot take them (the sweep retries).

    The rows are marked sent first, in one update: a worker may take a task, and even give the job back to the
    queue, before this call returns. At the first refusal the rest are marked unsent again and left to the
    sweep, so a broker that is down costs one attempt, not one per job.
    """
    sent_at = timezone.now()
    model._default_manager.filter(pk__in=pks, dispatched_at__isnull=True).update(dispatched_at=sent_at)
    task = current_app.tasks[model.job_task]
    for index, pk in enumerate(pks):
        try:
            task.apply_async(args=[pk])
        except Exception:
            unsent = pks[index:]
            model._default_manager.filter(pk__in=unsent, dispatched_at=sent_at).update(dispatched_at=None)
            logger.warning("%s %s (and %d more) could not be sent to a worker; the sweep will send them again.",
                           model._meta.verbose_name, pk, len(unsent) - 1, exc_info=True)  # fmt: skip
            return False
    return True


def _status(model: type[Job], value: str) -> Q:
    return Q(**{model.job_status_field: value})


def _stalled(model: type[Job], now: datetime.datetime) -> Q:
    """Held by a run that has not said it was alive for ``PORTAL_JOB_STALL_SECONDS``: its worker died."""
    cutoff = now - datetime.timedelta(seconds=settings.PORTAL_JOB_STALL_SECONDS)
    return _status(model, model.job_running) & (Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True))


def job_claim(model: type[Job], pk: int, **fields: Any) -> str | None:
    """Take the job for this run (queued, or held by a run that died); None when it is done, failed or held by
    a live run. ``fields`` are set in the same update (a progress message, a start time)."""
    token, now = uuid.uuid4().hex, timezone.now()
    claimed = (
        model._default_manager.filter(pk=pk)
        .filter(_status(model, QUEUED) | _stalled(model, now))
        .update(
            **{model.job_status_field: model.job_running},
            claim_token=token,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            **fields,
        )  # fmt: skip
    )
    return token if claimed else None


def job_held(model: type[Job], pk: int, token: str) -> models.QuerySet:
    """The job's row while this run still holds it: writes through it do nothing once another run took over."""
    return model._default_manager.filter(pk=pk, claim_token=token, **{model.job_status_field: model.job_running})


@contextlib.contextmanager
def job_heartbeat(model: type[Job], pk: int, token: str) -> Iterator[None]:
    """Keep telling the database this run is alive while its work runs (a browser, a merge, OCR)."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(HEARTBEAT_INTERVAL_SECONDS):
                job_held(model, pk, token).update(heartbeat_at=timezone.now())
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"{model._meta.model_name}-{pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def job_release(model: type[Job], pk: int, token: str, *, reason: str = "", **fields: Any) -> None:
    """Give the job back to the queue, to be sent again by the next sweep: its work could not be done now (the
    file store was down) but nothing of it was kept, so it can simply be tried again. ``reason`` is shown
    meanwhile, and is the failure given if it never succeeds."""
    job_held(model, pk, token).update(**{model.job_status_field: QUEUED, model.job_error_field: reason},
                                      claim_token="", heartbeat_at=None, dispatched_at=None, **fields)  # fmt: skip


@transaction.atomic
def job_finish(job: Job, *, status: str, token: str | None, error: str = "", **fields: Any) -> bool:
    """End the job (done, or failed with ``error``) and audit it, in one transaction: with ``token`` only while
    that run still holds it, without one only while it is unfinished. Returns False, writing nothing, otherwise."""
    model = type(job)
    unfinished = model._default_manager.filter(pk=job.pk).filter(
        _status(model, QUEUED) | _status(model, model.job_running)
    )
    query = job_held(model, job.pk, token) if token else unfinished
    values = {model.job_status_field: status, model.job_error_field: error, "claim_token": "", **fields}
    if not query.update(heartbeat_at=None, **values):
        return False
    for name, value in values.items():
        setattr(job, name, value)
    job.heartbeat_at = None
    audit_change(action=AuditEvent.Action.CHANGED, actor=None, obj=job, fields=sorted(set(values) - {"claim_token"}))
    return True


def jobs_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Hand back to the queue the jobs whose worker died (failing those out of attempts), and send again the
    queued jobs the broker never took or lost. Returns how many jobs of each kind were sent. The first send the
    broker refuses ends the sending: the rest wait for the next sweep rather than each failing in turn."""
    now = now or timezone.now()
    lost_before = now - datetime.timedelta(seconds=settings.PORTAL_JOB_REQUEUE_SECONDS)
    sent: dict[str, int] = {}
    broker_up = True
    for model in job_models():
        _stalled_requeued(model, now)
        _out_of_tries_failed(model)
        queued = model._default_manager.filter(_status(model, QUEUED))
        queued.filter(dispatched_at__lt=lost_before).update(dispatched_at=None)  # the broker lost them
        count = 0
        unsent = queued.filter(dispatched_at__isnull=True)
        if model.job_due_field:  # a retry waits for its time
            due = model.job_due_field
            unsent = unsent.filter(Q(**{f"{due}__isnull": True}) | Q(**{f"{due}__lte": now}))
        waiting = unsent.order_by("pk").values_list("pk", flat=True)
        for pk in waiting.iterator() if broker_up else ():
            if not job_send(model, pk):
                broker_up = False
                break
            count += 1
        sent[model._meta.label_lower] = count
    return sent


def _out_of_tries_failed(model: type[Job]) -> None:
    for job in model._default_manager.filter(_status(model, QUEUED), attempts__gte=MAX_TRIES):
        reason = getattr(job, model.job_error_field)
        job_finish(job, status=model.job_failed, token=None,
                   error=f"Tried {job.attempts} times without success; the last time: {reason}")  # fmt: skip


def _stalled_requeued(model: type[Job], now: datetime.datetime) -> None:
    stalled = model._default_manager.filter(_stalled(model, now))
    for job in stalled.filter(attempts__gte=MAX_ATTEMPTS):
        job_finish(job, status=model.job_failed, token=job.claim_token or None,
                   error=f"The worker stopped {job.attempts} times before this finished (it may be too large for "
                   "the worker's memory or time limit); nothing of it was kept. Ask an administrator.")  # fmt: skip
    stalled.filter(attempts__lt=MAX_ATTEMPTS).update(
        **{model.job_status_field: QUEUED}, claim_token="", heartbeat_at=None, dispatched_at=None
    )
