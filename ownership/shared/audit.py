"""The audit log: who viewed, downloaded or changed what, when and from which address, hash-chained.

Every layer's services write to it, inside the transaction of the change they record (``audit_change``), so
a change and its entry commit or fail together, and the entry names the object and the fields. The request
the change came from (address, method, path, URL name) is known here through ``in_request``, which the
portal's middleware opens around each request; a change made by a task or a command has none. Page views
and downloads are recorded by that middleware (``portal.audit``). ``audit_record`` is the only append.

The model belongs to the ``ownership`` app (``ownership.models`` imports it) but keeps its original table,
``portal_auditevent``, on which a PostgreSQL trigger refuses UPDATE and DELETE.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models, transaction

from ownership.shared import access, hashchain

# Any constant: the PostgreSQL advisory lock that serialises appends, so two writers never fork the chain.
_APPEND_LOCK = 0x4155_4449_54


class AuditLogChangeForbidden(hashchain.AppendOnlyViolation):
    """The audit log is only ever appended to."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def visible_to(self, user: Any) -> AuditEventQuerySet:
        """The audit log is the firm's record: staff read it, nobody else."""
        return self.all() if access.is_firm_staff(user) else self.none()


class AuditEvent(hashchain.ChainedEntry):
    """One entry of the portal's append-only, hash-chained audit log."""

    class Action(models.TextChoices):
        MATTER_VIEWED = "matter_viewed", "Matter page viewed"
        EXHIBIT_DOWNLOADED = "exhibit_downloaded", "Exhibit downloaded"
        BUNDLE_DOWNLOADED = "bundle_downloaded", "Bundle downloaded"
        API_CALL = "api_call", "API call"
        REPORT_DOWNLOADED = "report_downloaded", "Monthly report downloaded"
        ADDED = "added", "Added"
        CHANGED = "changed", "Changed"
        REMOVED = "removed", "Removed"
        IMPORTED = "imported", "Imported"
        # Entries written before changes were audited by the services: a staff request that could change something.
        STAFF_ACTION = "staff_action", "Staff request (before changes were itemised)"

    sequence = models.PositiveBigIntegerField(unique=True)
    action = models.CharField(max_length=30, choices=Action.choices)
    ip_address = models.GenericIPAddressField(null=True)
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(max_length=500, blank=True)
    view = models.CharField(max_length=100, blank=True, help_text="The URL name the request resolved to.")
    object_ref = models.CharField(max_length=200, blank=True, help_text="The object, as in the URL or as app.model:id.")
    object_label = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=list, blank=True, help_text="The fields a change set.")
    details = models.TextField(blank=True, help_text="What an import brought: the file's SHA-256 and the counts.")
    status_code = models.PositiveSmallIntegerField(
        null=True, help_text="What the portal answered a view or download: 404 means refused."
    )

    change_forbidden = AuditLogChangeForbidden
    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        db_table = "portal_auditevent"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.get_action_display()} by {self.actor_name}"

    def chain_label(self) -> str:
        return f"audit entry #{self.sequence} (id {self.pk}, {self.get_action_display()})"

    def chained_fields(self) -> dict[str, Any]:
        fields = {
            "sequence": self.sequence,
            "created_at": self.created_at.isoformat(),
            "action": self.action,
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "ip_address": self.ip_address,
            "method": self.method,
            "path": self.path,
            "view": self.view,
            "object_ref": self.object_ref,
            "object_label": self.object_label,
            "status_code": self.status_code,
        }
        # Entries written before these fields existed keep the hash they were written with.
        if self.changes:
            fields["changes"] = self.changes
        if self.details:
            fields["details"] = self.details
        return fields


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None
    method: str
    path: str
    view: str


_request: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("audit_request", default=None)


@contextlib.contextmanager
def in_request(context: RequestContext) -> Iterator[None]:
    """Changes audited inside this block are recorded as made through this request."""
    token = _request.set(context)
    try:
        yield
    finally:
        _request.reset(token)


def request_resolved(view: str) -> None:
    """Inside ``in_request``: the request's URL resolved to the view named ``view``."""
    current = _request.get()
    if current is not None:
        _request.set(dataclasses.replace(current, view=view))


def audit_record(
    *,
    action: str,
    actor: Any,
    status_code: int | None = None,
    object_ref: str = "",
    object_label: str = "",
    changes: Iterable[str] = (),
    details: str = "",
    request: RequestContext | None = None,
    nobody: str = "anonymous",
) -> AuditEvent:
    request = request or _request.get() or RequestContext(None, "", "", "")
    with transaction.atomic():
        event = AuditEvent(
            action=action,
            ip_address=request.ip_address or None,
            method=request.method,
            path=request.path[:500],
            view=request.view,
            object_ref=object_ref[:200],
            object_label=object_label[:300],
            changes=sorted(changes),
            details=details,
            status_code=status_code,
        )
        return hashchain.append_to_log(event, lock=_APPEND_LOCK, actor=actor, nobody=nobody)


def audit_change(*, action: str, actor: Any, obj: models.Model, fields: Iterable[str] = ()) -> AuditEvent:
    """Record, inside the caller's transaction, that ``actor`` added, changed or removed ``obj`` (and which fields)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("A change is audited inside the transaction that makes it.")
    return audit_record(
        action=action,
        actor=actor,
        object_ref=f"{obj._meta.label_lower}:{obj.pk}",
        object_label=str(obj),
        changes=fields,
        nobody="system",
    )


def audit_batch(
    *, action: str, actor: Any, model: type[models.Model], pks: Iterable[int], fields: Iterable[str], label: str
) -> AuditEvent:
    """Record, inside the caller's transaction, one change made to many rows of ``model`` at once: one entry
    (one link of the chain) naming every object by id, instead of one entry per row."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("A change is audited inside the transaction that makes it.")
    ids = sorted(pks)
    return audit_record(
        action=action,
        actor=actor,
        object_ref=f"{model._meta.label_lower}:{len(ids)} rows",
        object_label=label,
        changes=fields,
        details=f"{model._meta.label_lower} ids: " + ", ".join(str(pk) for pk in ids),
        nobody="system",
    )


def _filled_fields(obj: models.Model) -> list[str]:
    """The fields a new row was given a value in (what was entered, not every column)."""
    return [
        field.name
        for field in obj._meta.concrete_fields
        if field.editable and not field.auto_created and getattr(obj, field.attname) not in (None, "", [], {})
    ]


Row = TypeVar("Row", bound=models.Model)


@transaction.atomic
def save_audited(obj: Row, *, by: Any, fields: Iterable[str] | None = None) -> Row:
    """Validate and save ``obj``, and audit it as added or changed (``fields``: what changed), in one transaction.

    The write every service uses for a row with no further rule to apply; a service with one (a lock, a
    file, a custody entry) saves its row itself and calls ``audit_change``.
    """
    adding = obj._state.adding
    obj.full_clean()
    obj.save()
    audit_change(
        action=AuditEvent.Action.ADDED if adding else AuditEvent.Action.CHANGED,
        actor=by,
        obj=obj,
        fields=_filled_fields(obj) if adding or fields is None else fields,
    )
    return obj


@transaction.atomic
def delete_audited(obj: models.Model, *, by: Any) -> None:
    """Delete ``obj`` and audit its removal, in one transaction (the entry keeps its name and id)."""
    audit_change(action=AuditEvent.Action.REMOVED, actor=by, obj=obj)
    obj.delete()
