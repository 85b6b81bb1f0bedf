"""What the audit log records of requests, and the check of its chain.

The log itself, and the one append, are in the shared layer (``ownership.shared.audit``): every change is
audited by the service that makes it, inside its transaction. ``AuditMiddleware`` adds what only a request
shows: the views named in ``AUDITED_VIEWS`` (matter pages and downloads) and every API call, whatever their
answer (a refused download is recorded with its 404). It also tells the services which request a change came
through (address, method, path, URL name).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from ownership.shared import hashchain
from ownership.shared.audit import AuditEvent, RequestContext, audit_record, in_request, request_resolved
from portal.security import client_address

AUDITED_VIEWS = {
    "web:matter_detail": AuditEvent.Action.MATTER_VIEWED,
    "web:exhibit_download": AuditEvent.Action.EXHIBIT_DOWNLOADED,
    "web:bundle_download": AuditEvent.Action.BUNDLE_DOWNLOADED,
    "web:client_report_download": AuditEvent.Action.REPORT_DOWNLOADED,
}


def audit_subject(request: HttpRequest, subject: object) -> None:
    """Name the object a view served, for the audit entry written after the response."""
    request.audit_subject = str(subject)[:300]


def _context(request: HttpRequest) -> RequestContext:
    match = getattr(request, "resolver_match", None)
    return RequestContext(
        ip_address=client_address(request),
        method=request.method or "",
        path=request.path,
        view=match.view_name if match else "",
    )


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with in_request(_context(request)):
            response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        action = AUDITED_VIEWS.get(match.view_name) if match else None
        if match and match.namespace == "api" and match.url_name != "schema":
            action = AuditEvent.Action.API_CALL  # every call, as the token's user, whatever the answer
        if action:
            audit_record(
                action=action,
                actor=request.user,
                status_code=response.status_code,
                object_ref=",".join(f"{k}={v}" for k, v in sorted(match.kwargs.items())),
                object_label=getattr(request, "audit_subject", ""),
                request=_context(request),
            )
        return response

    def process_view(self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict) -> None:
        """The URL is resolved now: changes the view makes are recorded with its name."""
        request_resolved(request.resolver_match.view_name)


@dataclass(frozen=True)
class AuditCheck:
    entries: int
    problem: str = ""


def audit_chain_check() -> AuditCheck:
    """Walk the whole log in order; the first entry that was edited, removed or reordered is named."""
    broken = hashchain.first_break(AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000))
    return AuditCheck(AuditEvent.objects.count(), str(broken) if broken else "")
