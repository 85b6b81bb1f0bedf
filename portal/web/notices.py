"""Notices to sellers, for staff: the form that asks for one from a matter, the notice's page (download, send by
e-mail, record a platform message, record the reply) and the wording page where a lawyer records a review."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evidence.models import Matter, Seller, SellerIdentifier
from ownership.models import IPRight
from ownership.shared import access
from ownership.shared.users import User
from portal.audit import audit_subject
from portal.downloads import file_download
from portal.models import Notice, WordingReview
from portal.notice_wording import DEFAULT_DEADLINE_DAYS, LANGUAGE_NAMES, WORDING, threats_warning
from portal.services.notices import (
    notice_addressees,
    notice_reply_record,
    notice_request,
    notice_send,
    notice_sent_by_platform,
    wording_review_record,
)
from portal.staff_access import staff_required
from portal.statement_wording import KIND_LABELS, SELLER_NOTICE, TEMPLATES, current_digest, template_key


class NoticeForm(forms.Form):
    scope = forms.ChoiceField(label=gettext_lazy("Addressed to"), choices=Notice.Scope.choices,
                              widget=forms.RadioSelect)  # fmt: skip
    rights = forms.ModelMultipleChoiceField(label=gettext_lazy("Rights infringed"), queryset=IPRight.objects.none(),
                                            widget=forms.CheckboxSelectMultiple)  # fmt: skip
    deadline = forms.DateField(
        label=gettext_lazy("Deadline to comply"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    signed_by = forms.ModelChoiceField(
        label=gettext_lazy("Signed by"), queryset=User.objects.none(),
        help_text=gettext_lazy("The firm's member who signs, named with their role. A member's role is recorded on "
                               "their user in the admin."),
    )  # fmt: skip

    def __init__(self, *args, matter: Matter, requester: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rights"].queryset = IPRight.objects.filter(rights_holder=matter.rights_holder_id)
        self.fields["deadline"].initial = timezone.localdate() + datetime.timedelta(days=DEFAULT_DEADLINE_DAYS)
        self.fields["scope"].initial = Notice.Scope.SELLER
        signers = User.objects.firm_signers().order_by("full_name")
        self.fields["signed_by"].queryset = signers
        self.fields["signed_by"].label_from_instance = lambda member: f"{member.get_full_name()}, {member.job_title}"
        preferred = [matter.responsible_id, requester.pk]
        self.fields["signed_by"].initial = next((pk for pk in preferred if signers.filter(pk=pk).exists()), None)


def _notice_matter(request: HttpRequest, pk: int, reference: str) -> tuple[Seller, Matter]:
    seller = get_object_or_404(Seller.objects.visible_to(request.user), pk=pk)
    matter = get_object_or_404(Matter.objects.visible_to(request.user), reference=reference)
    return seller, matter


@require_http_methods(["GET", "POST"])
@staff_required
def notice_new(request: HttpRequest, pk: int, reference: str) -> HttpResponse:
    seller, matter = _notice_matter(request, pk, reference)
    form = NoticeForm(request.POST or None, matter=matter, requester=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            notice = notice_request(matter=matter, seller=seller, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The notice is being compiled and signed."))
            return redirect(notice)
    listings = notice_addressees(matter=matter, seller=seller, scope=Notice.Scope.NETWORK)
    context = {
        "seller": seller, "matter": matter, "form": form, "listings": listings,
        "threats_warning": threats_warning([(r.kind, r.jurisdiction) for r in form.fields["rights"].queryset]),
    }  # fmt: skip
    return render(request, "portal/web/notice_new.html", context)


def _known_emails(notice: Notice) -> list[str]:
    """The addressed stores' e-mail addresses; for a notice to a network, every address of the network."""
    stores = notice.sellers.all()
    if notice.scope == Notice.Scope.NETWORK and notice.seller.network_id:
        stores = Seller.objects.filter(network_id=notice.seller.network_id)
    records = SellerIdentifier.objects.current().filter(seller__in=stores, kind=SellerIdentifier.Kind.EMAIL)
    return sorted(set(records.values_list("value", flat=True)))


@require_GET
@staff_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(
        Notice.objects.visible_to(request.user).select_related("matter", "seller", "requested_by", "sent_by"), pk=pk
    )
    context = {
        "notice": notice, "stores": notice.sellers.all(), "emails": _known_emails(notice),
        "listings": notice.listings.in_matter(notice.matter_id).select_related("seller"), "rights": notice.rights.all(),
        "today": timezone.localdate(),
    }  # fmt: skip
    return render(request, "portal/web/notice.html", context)


@require_GET
@staff_required
def notice_download(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notice.objects.visible_to(request.user).select_related("matter"), pk=pk)
    if notice.status != Notice.Status.READY:
        raise Http404("The notice is not ready.")
    audit_subject(request, notice)
    return file_download(request, storage_name=notice.file.name, original_name=f"notice-{notice.pk}.pdf",
                         content_type="application/pdf")  # fmt: skip


def _act(request: HttpRequest, pk: int, action, success: str) -> HttpResponse:
    notice = get_object_or_404(Notice.objects.visible_to(request.user).select_related("matter"), pk=pk)
    try:
        action(notice)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except OSError as exc:  # the mail server refused or could not be reached: nothing is recorded as sent
        messages.error(request, _("The e-mail could not be sent (%(error)s). Nothing was recorded.") % {"error": exc})
    else:
        messages.success(request, success)
    return redirect(notice)


@require_POST
@staff_required
def notice_email(request: HttpRequest, pk: int) -> HttpResponse:
    recipients = request.POST.getlist("recipient") + request.POST.get("other", "").split(",")
    return _act(request, pk, lambda notice: notice_send(notice=notice, recipients=recipients, by=request.user),
                _("The notice was e-mailed; its Message-ID is recorded."))  # fmt: skip


@require_POST
@staff_required
def notice_platform_message(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda notice: notice_sent_by_platform(notice=notice, by=request.user),
                _("Recorded as sent through the platform's messaging."))  # fmt: skip


class ReplyForm(forms.Form):
    received_on = forms.DateField(label=gettext_lazy("Reply received on"))
    summary = forms.CharField(label=gettext_lazy("What the seller answered"), max_length=4000)


@require_POST
@staff_required
def notice_reply(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReplyForm(request.POST)
    if not form.is_valid():
        notice = get_object_or_404(Notice.objects.visible_to(request.user), pk=pk)
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect(notice)
    return _act(request, pk, lambda notice: notice_reply_record(notice=notice, by=request.user, **form.cleaned_data),
                _("The reply is recorded."))  # fmt: skip


def _reviewable(template: str, language: str, heading: str, title: str, paragraphs: list[str]) -> dict:
    return {
        "template": template, "language": language, "id": f"{template}-{language}".replace(":", "-"),
        "heading": f"{heading} · {LANGUAGE_NAMES[language]}", "title": title, "paragraphs": paragraphs,
        "digest": current_digest(template, language),
        "reviews": WordingReview.objects.current(language, template).select_related("reviewed_by"),
    }  # fmt: skip


@require_http_methods(["GET", "POST"])
@staff_required
def notice_wording(request: HttpRequest) -> HttpResponse:
    """Every notice and statement text, each with its fingerprint, its reviews and the form to record one."""
    if request.method == "POST":
        try:
            wording_review_record(template=request.POST.get("template", SELLER_NOTICE),
                                  language=request.POST.get("language", ""), note=request.POST.get("note", ""),
                                  by=request.user)  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("Your review is recorded; this text may now be used."))
        return redirect("web:notice_wording")
    texts = [
        _reviewable(SELLER_NOTICE, code, _("Notice to sellers"), wording.title, [
            wording.opening, wording.rights_heading, wording.infringement, wording.listings_heading,
            wording.demands_heading, *wording.demands, wording.deadline, wording.reservation, wording.sign_off,
            _("E-mail: %(note)s") % {"note": wording.covering_note},
        ])
        for code, wording in WORDING.items()
    ]  # fmt: skip
    texts += [
        _reviewable(
            template_key(kind),
            language,
            KIND_LABELS[kind],
            template.title,
            [paragraph.text for paragraph in template.paragraphs],
        )  # fmt: skip
        for (kind, language), template in TEMPLATES.items()
    ]
    return render(request, "portal/web/notice_wording.html",
                  {"texts": texts, "can_review": access.can_review_notice_wording(request.user)})  # fmt: skip
