"""Which compile run holds a bundle: claiming it, the heartbeat while it runs, progress, release and failure."""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Iterator

from django.db import connection
from django.db.models import F
from django.utils import timezone

from portal.models import Bundle

HEARTBEAT_INTERVAL_SECONDS = 30


def bundle_claim(*, bundle_id: int) -> str | None:
    """Take the bundle for this compile run; None when it is done, failed or held by a live run."""
    token = uuid.uuid4().hex
    now = timezone.now()
    claimed = (
        Bundle.objects.filter(pk=bundle_id)
        .claimable(now=now)
        .update(
            status=Bundle.Status.COMPILING,
            claim_token=token,
            started_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            progress=0,
            progress_message="Starting",
            error_message="",
        )
    )
    return token if claimed else None


def bundle_progress(*, bundle_id: int, token: str, percent: int, message: str) -> None:
    Bundle.objects.filter(pk=bundle_id, claim_token=token, status=Bundle.Status.COMPILING).update(
        progress=max(0, min(100, percent)), progress_message=message[:200], heartbeat_at=timezone.now()
    )


@contextlib.contextmanager
def bundle_heartbeat(*, bundle_id: int, token: str) -> Iterator[None]:
    """Keep telling the database this run is alive while a long step (merging, signing) runs."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(HEARTBEAT_INTERVAL_SECONDS):
                Bundle.objects.filter(pk=bundle_id, claim_token=token).update(heartbeat_at=timezone.now())
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"bundle-{bundle_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def bundle_release(*, bundle_id: int, token: str, message: str) -> None:
    Bundle.objects.filter(pk=bundle_id, claim_token=token, status=Bundle.Status.COMPILING).update(
        status=Bundle.Status.QUEUED, claim_token="", heartbeat_at=None, progress=0, progress_message=message[:200]
    )


def bundle_fail(*, bundle_id: int, token: str | None, message: str) -> None:
    query = Bundle.objects.filter(pk=bundle_id).exclude(status=Bundle.Status.READY)
    if token:
        query = query.filter(claim_token=token)
    query.update(status=Bundle.Status.FAILED, error_message=message, finished_at=timezone.now(), progress=100)
