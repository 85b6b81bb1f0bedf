"""The matter's proof of ownership as its page lists it: each unmet rule with the statement the portal can draft
for it, and the cross-checks' warnings with the staff's way to overrule one."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evidence.models import Matter, TestPurchase
from evidence.readiness import PurchaseGap
from ownership.crosschecks import CheckWarning
from ownership.models import OwnershipDocument, StatementDraft
from ownership.readiness import MatterReadiness
from ownership.services import ownership_document_overrule_check
from ownership.shared.users import User
from portal.staff_access import staff_required
from portal.statement_wording import KIND_LABELS, RULE_KINDS, TEST_BUY_REPORT


@dataclass(frozen=True)
class ProofLine:
    """One unmet readiness rule as the matter page lists it, with the statement the portal can draft for it."""

    text: str
    kind: str = ""  # the statement that satisfies it, when the portal drafts one
    right_id: int | None = None
    draft: StatementDraft | None = None  # an open draft of it already
    purchase_id: int | None = None  # for a test-buy report


@dataclass(frozen=True)
class ProofStatus:
    title: str
    is_complete: bool
    lines: tuple[ProofLine, ...]
    warnings: tuple[CheckWarning, ...] = ()


def proof_status(report: MatterReadiness) -> list[ProofStatus]:
    """The matter's readiness, the rights holder's own items first, each missing statement with its draft."""
    drafts = {
        (draft.kind, draft.right_id): draft
        for draft in StatementDraft.objects.filter(
            rights_holder=report.holder.rights_holder, status__in=StatementDraft.OPEN_STATUSES
        ).order_by("created_at")
    }

    def lines(items, right_id: int | None) -> tuple[ProofLine, ...]:
        found = []
        for item in items:
            if item.is_satisfied:
                continue
            kind = RULE_KINDS.get(item.rule_id, "")
            found.append(ProofLine(item.message, kind, right_id, drafts.get((kind, right_id)) if kind else None))
        return tuple(found)

    holder = report.holder
    statuses = [ProofStatus(_("The rights holder: %(name)s") % {"name": holder.rights_holder.name}, holder.ready,
                            lines(holder.items, None), tuple(holder.warnings))]  # fmt: skip
    statuses += [
        ProofStatus(str(r.right), r.ready, lines(r.items, r.right.pk), tuple(r.warnings)) for r in report.rights
    ]
    return statuses


@require_POST
@staff_required
def check_overrule(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    matter = get_object_or_404(Matter.objects.visible_to(request.user), reference=reference)
    document = get_object_or_404(OwnershipDocument.objects.visible_to(request.user), pk=pk,
                                 rights_holder=matter.rights_holder_id)  # fmt: skip
    try:
        ownership_document_overrule_check(document=document, by=request.user, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, _("The check is overruled; your reason is recorded."))
    return redirect(matter.get_absolute_url() + "#proof-status")


def purchase_lines(gaps: list[PurchaseGap], holder_id: int) -> list[ProofLine]:
    """Each purchase whose test-buy report awaits signature, with its open draft when there is one."""
    drafts = {
        draft.subject_id: draft
        for draft in StatementDraft.objects.filter(
            rights_holder_id=holder_id, kind=TEST_BUY_REPORT, status__in=StatementDraft.OPEN_STATUSES,
            subject_type=ContentType.objects.get_for_model(TestPurchase),
            subject_id__in=[gap.purchase_id for gap in gaps],
        ).order_by("created_at")
    }  # fmt: skip
    return [ProofLine(gap.text, TEST_BUY_REPORT, None, drafts.get(gap.purchase_id), gap.purchase_id) for gap in gaps]


SIGNED_STATEMENTS_SHOWN = 10


def signed_statements(user: User, matter: Matter) -> dict:
    """The latest statements the rights holder signed for the matter (in the portal or in ink), and how many."""
    signed = StatementDraft.objects.visible_to(user).filter(
        rights_holder=matter.rights_holder_id, matter_reference=matter.reference,
        status__in=(StatementDraft.Status.SIGNED, StatementDraft.Status.WET_INK),
    )  # fmt: skip
    latest = list(signed.order_by("-signed_at", "-pk")[:SIGNED_STATEMENTS_SHOWN])
    for draft in latest:
        draft.label = KIND_LABELS[draft.kind]
    return {"signed_statements": latest, "signed_statements_total": signed.count()}
