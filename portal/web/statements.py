"""Statements the portal drafts and the rights holder signs: "Draft it" from the readiness report, the draft's
page (read, sign with the password again, decline or ask for changes, or upload the copy signed in ink)."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from evidence.models import Exhibit, Matter, TestPurchase
from ownership.models import IPRight, OwnershipDocument, RightsHolder, StatementDraft
from ownership.shared import access
from portal.downloads import file_download
from portal.services.statements import statement_decide, statement_draft, statement_sign, statement_wet_ink_upload
from portal.statement_wording import KIND_LABELS, TEMPLATES, TEST_BUY_REPORT


def _errors(exc: ValidationError | PermissionDenied) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


@require_POST
@login_required
def statement_new(request: HttpRequest) -> HttpResponse:
    """Draft the statement a readiness rule asks for, from the right (or the rights holder) and the matter."""
    kind = request.POST.get("kind", "")
    if kind not in KIND_LABELS:
        raise Http404("No such statement.")
    matter = get_object_or_404(Matter.objects.visible_to(request.user), reference=request.POST.get("matter", ""))
    right = None
    if request.POST.get("right"):
        right = get_object_or_404(IPRight.objects.visible_to(request.user), pk=request.POST["right"],
                                  rights_holder=matter.rights_holder_id)  # fmt: skip
    purchase = None
    if request.POST.get("purchase"):
        purchase = get_object_or_404(TestPurchase.objects.visible_to(request.user).select_related("listing__seller"),
                                     pk=request.POST["purchase"], matter=matter)  # fmt: skip
    if not access.can_upload_evidence(request.user, matter.rights_holder_id):
        raise PermissionDenied
    holder = get_object_or_404(RightsHolder.objects.visible_to(request.user), pk=matter.rights_holder_id)
    try:
        draft = statement_draft(kind=kind, rights_holder=holder, right=right, matter=matter, purchase=purchase,
                                by=request.user)  # fmt: skip
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect(matter.get_absolute_url() + "#proof-status")
    return redirect(draft)


class SigningForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Your full name"), max_length=200)
    title = forms.CharField(label=gettext_lazy("Your title"), max_length=200)
    confirmed = forms.BooleanField(label=gettext_lazy("I confirm the statement"))
    password = forms.CharField(label=gettext_lazy("Your password, again"), widget=forms.PasswordInput)
    shown_sha256 = forms.CharField(widget=forms.HiddenInput)


class WetInkForm(forms.Form):
    scan = forms.FileField(label=gettext_lazy("The signed scan (PDF or image)"))
    signatory_name = forms.CharField(label=gettext_lazy("Signed by"), max_length=200)
    signatory_title = forms.CharField(label=gettext_lazy("Their title"), max_length=200)


def _draft(request: HttpRequest, pk: int) -> StatementDraft:
    queryset = StatementDraft.objects.visible_to(request.user).select_related("rights_holder", "right", "document")
    return get_object_or_404(queryset, pk=pk)


@require_GET
@login_required
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    may_sign = draft.can_be_signed_by(request.user)
    confirmation = TEMPLATES[(draft.kind, "en")].confirmation
    context = {
        "draft": draft, "label": KIND_LABELS[draft.kind], "may_sign": may_sign, "confirmation": confirmation,
        "signing_form": SigningForm(initial={"shown_sha256": draft.sha256}) if may_sign else None,
        "may_decide": access.is_member_of(request.user, draft.rights_holder_id),
        "wet_ink_form": WetInkForm() if access.can_upload_evidence(request.user, draft.rights_holder_id) else None,
    }  # fmt: skip
    return render(request, "portal/web/statement.html", context)


@require_GET
@login_required
def statement_download(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    if not draft.file:
        raise Http404("This draft has no PDF: facts are missing.")
    return file_download(request, storage_name=draft.file.name, original_name=f"draft-{draft.pk}.pdf",
                         content_type="application/pdf")  # fmt: skip


def signed_copy(draft: StatementDraft) -> OwnershipDocument | Exhibit | None:
    """The signed result as stored: the proof document (a statement signed in the portal, with its certificate
    of completion, or the ink-signed scan), or for a test-buy report the purchase's signed exhibit."""
    if draft.status not in (StatementDraft.Status.SIGNED, StatementDraft.Status.WET_INK):
        return None
    if draft.document is not None:
        return draft.document
    exhibits = Exhibit.objects.filter(
        matter__rights_holder=draft.rights_holder_id, kind=Exhibit.Kind.SIGNED_TEST_BUY_REPORT
    )
    return exhibits.filter(sha256=draft.signed_sha256).first()


@require_GET
@login_required
def statement_signed_download(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    copy = signed_copy(draft)
    if copy is None:
        raise Http404("This statement is not signed yet.")
    suffix = Path(copy.original_name).suffix.lower() or ".pdf"
    name = f"{slugify(KIND_LABELS[draft.kind])}-{draft.pk}-signed{suffix}"
    return file_download(request, storage_name=copy.file.name, original_name=name, content_type=copy.content_type)


def _act(request: HttpRequest, draft: StatementDraft, action, success: str) -> HttpResponse:
    try:
        action()
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, success)
    return redirect(draft)


@require_POST
@login_required
def statement_sign_view(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    form = SigningForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(draft)
    address = request.META.get("REMOTE_ADDR")
    return _act(request, draft, lambda: statement_sign(draft=draft, by=request.user, address=address,
                                                       **form.cleaned_data),
                _("Signed. The signed report is now the purchase's signed test-buy report.")
                if draft.kind == TEST_BUY_REPORT else
                _("Signed. The signed statement is now part of the proof of ownership."))  # fmt: skip


@require_POST
@login_required
def statement_decision(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    decision, reason = request.POST.get("decision", ""), request.POST.get("reason", "")
    decide = lambda: statement_decide(draft=draft, by=request.user, decision=decision, reason=reason)  # noqa: E731
    return _act(request, draft, decide, _("Recorded; the firm will see it."))


@require_POST
@login_required
def statement_wet_ink(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    form = WetInkForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(draft)
    data = form.cleaned_data
    return _act(request, draft, lambda: statement_wet_ink_upload(
        draft=draft, by=request.user, upload=data["scan"], signatory_name=data["signatory_name"],
        signatory_title=data["signatory_title"],
    ), _("The signed scan is stored as the proof of ownership."))  # fmt: skip
