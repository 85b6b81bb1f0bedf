"""A compile run's progress, shown on the matter page while the bundle compiles."""

from __future__ import annotations

from django.utils import timezone

from ownership.shared.jobs import job_held
from portal.models import Bundle


def bundle_progress(*, bundle_id: int, token: str, percent: int, message: str) -> None:
    """Record how far the run holding the bundle has got; it also counts as the run's heartbeat."""
    job_held(Bundle, bundle_id, token).update(
        progress=max(0, min(100, percent)), progress_message=message[:200], heartbeat_at=timezone.now()
    )
