"""The audit log: who viewed or downloaded what, and every change staff made, hash-chained like the custody log.

``AuditMiddleware`` decides what is recorded, in one place: the views named in ``AUDITED_VIEWS`` whatever
their answer (a refused download is recorded with its 404), and every request that can change something
(anything but GET, HEAD and OPTIONS) made by a firm staff member, the admin included. ``audit_record`` is
the only write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse

from ownership import access, hashchain
from portal.models import AuditEvent
from portal.security import client_address

AUDITED_VIEWS = {
    "web:matter_detail": AuditEvent.Action.MATTER_VIEWED,
    "web:exhibit_download": AuditEvent.Action.EXHIBIT_DOWNLOADED,
    "web:bundle_download": AuditEvent.Action.BUNDLE_DOWNLOADED,
}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Any constant: the PostgreSQL advisory lock that serialises appends, so two requests never fork the chain.
_APPEND_LOCK = 0x4155_4449_54


def audit_subject(request: HttpRequest, subject: object) -> None:
    """Name the object a view served, for the audit entry written after the response."""
    request.audit_subject = str(subject)[:300]


def audit_record(
    *,
    action: str,
    actor,
    ip_address: str | None,
    method: str,
    path: str,
    view: str,
    status_code: int,
    object_ref: str = "",
    object_label: str = "",
) -> AuditEvent:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_APPEND_LOCK])
        # On SQLite the write transaction itself is the lock (the settings open it IMMEDIATE).
        last = AuditEvent.objects.order_by("-sequence").only("sequence", "entry_hash").first()
        signed_in = actor is not None and actor.is_authenticated
        event = AuditEvent(
            sequence=(last.sequence + 1) if last else 1,
            action=action,
            actor=actor if signed_in else None,
            actor_name=(actor.get_full_name() or actor.email) if signed_in else "anonymous",
            ip_address=ip_address or None,
            method=method,
            path=path[:500],
            view=view,
            object_ref=object_ref[:200],
            object_label=object_label[:300],
            status_code=status_code,
            previous_hash=last.entry_hash if last else hashchain.GENESIS,
        )
        event.entry_hash = hashchain.entry_hash(event.chained_fields(), event.previous_hash)
        event.save()
        return event


def audit_action_for(request: HttpRequest) -> str | None:
    """What, if anything, this request is recorded as."""
    match = getattr(request, "resolver_match", None)
    view = match.view_name if match else ""
    if view in AUDITED_VIEWS:
        return AUDITED_VIEWS[view]
    user = getattr(request, "user", None)
    if request.method not in SAFE_METHODS and user is not None and access.is_firm_staff(user):
        return AuditEvent.Action.STAFF_ACTION
    return None


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        action = audit_action_for(request)
        if action:
            match = request.resolver_match
            audit_record(
                action=action,
                actor=request.user,
                ip_address=client_address(request),
                method=request.method,
                path=request.path,
                view=match.view_name if match else "",
                status_code=response.status_code,
                object_ref=",".join(f"{k}={v}" for k, v in sorted(match.kwargs.items())) if match else "",
                object_label=getattr(request, "audit_subject", ""),
            )
        return response


@dataclass(frozen=True)
class AuditCheck:
    entries: int
    problem: str = ""


def _entries() -> Iterator[hashchain.ChainEntry]:
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        yield hashchain.ChainEntry(
            label=f"audit entry #{event.sequence} (id {event.pk}, {event.get_action_display()})",
            fields=event.chained_fields(),
            previous_hash=event.previous_hash,
            stored_hash=event.entry_hash,
        )


def audit_chain_check() -> AuditCheck:
    """Walk the whole log in order; the first entry that was edited, removed or reordered is named."""
    broken = hashchain.first_break(_entries())
    return AuditCheck(AuditEvent.objects.count(), f"{broken.label}: {broken.reason}" if broken else "")
