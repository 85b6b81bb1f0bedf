"""Client and staff pages. Every object is resolved through a ``visible_to(request.user)`` queryset."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from evidence.exhibit_kinds import kind_hints
from evidence.models import (
    Capture,
    CustodyEvent,
    Exhibit,
    Matter,
    TakedownWatch,
    TestPurchase,
    matter_facts,
)
from evidence.readiness import purchase_readiness, unsigned_reports_per_matter
from ownership.models import IPRight, OwnershipDocument
from ownership.readiness import MatterReadiness, readiness_for_matter
from ownership.shared import access
from portal.audit import audit_subject
from portal.models import Bundle, ListingOutcome, Submission
from portal.web.forms import (
    BundleRequestForm,
    EvidenceUploadForm,
    SubmissionForm,
    TestPurchaseForm,
)
from portal.web.proof import proof_status, purchase_lines, signed_statements

STAFF_QUEUE_PAGE_SIZE = 50
# The matter page stays quick however large the matter grows: long lists come a page at a time.
PURCHASES_PER_PAGE = 5
CUSTODY_EVENTS_PER_PAGE = 25
CAPTURES_SHOWN = 20


@dataclass(frozen=True)
class Readiness:
    """A matter's verdict in one badge, as its page gives it: proof of ownership and, for IPP, the test-buy
    reports still awaiting the rights holder's signature."""

    ownership: MatterReadiness
    unsigned_reports: int = 0

    @property
    def is_ready(self) -> bool:
        return self.ownership.ready and not self.unsigned_reports

    @property
    def summary(self) -> str:
        if not self.ownership.rights:
            return self.ownership.summary
        missing = len(self.ownership.open_items) + self.unsigned_reports
        return f"{missing} item{'s' if missing != 1 else ''} missing" if missing else "Ready"


@dataclass
class MatterSummary:
    """One dashboard row. ``None`` means "not known": the row shows a dash, never a made-up value."""

    matter: Matter
    readiness: Readiness | None = None
    purchase_count: int | None = None
    exhibit_count: int | None = None
    latest_bundle: Bundle | None = None


def _count_per_matter(rows: QuerySet) -> Coalesce:
    """How many of ``rows`` belong to each matter, as a subquery: two joined counts would multiply rows."""
    per_matter = rows.filter(matter=OuterRef("pk")).order_by().values("matter").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(per_matter), 0)


def matter_summaries(matters: QuerySet[Matter], user) -> list[MatterSummary]:
    """The dashboard's rows, in a fixed number of queries however many matters there are.

    Counts come from annotations, the latest bundle from one prefetch, and the readiness report from the
    rights and documents of all the rights holders concerned, loaded once.
    """
    matters = list(
        matters.annotate(
            purchase_total=_count_per_matter(TestPurchase.objects.all()),
            exhibit_total=_count_per_matter(Exhibit.objects.current()),
        ).prefetch_related(
            Prefetch("bundles", queryset=Bundle.objects.order_by("-created_at", "-pk"), to_attr="bundles_newest_first")
        )
    )
    holders = {matter.rights_holder_id for matter in matters}
    rights: dict[int, list[IPRight]] = defaultdict(list)
    for right in IPRight.objects.visible_to(user).filter(rights_holder__in=holders).order_by("pk"):
        rights[right.rights_holder_id].append(right)
    documents: dict[int, list[OwnershipDocument]] = defaultdict(list)
    for document in OwnershipDocument.objects.filter(rights_holder__in=holders).order_by("-issued_on", "-uploaded_at"):
        documents[document.rights_holder_id].append(document)
    unsigned = unsigned_reports_per_matter(matters)
    return [
        MatterSummary(
            matter=matter,
            readiness=Readiness(
                readiness_for_matter(
                    rights_holder=matter.rights_holder,
                    rights=rights[matter.rights_holder_id],
                    platforms=matter.platforms,
                    documents=documents[matter.rights_holder_id],
                ),
                unsigned_reports=unsigned.get(matter.pk, 0),
            ),
            purchase_count=matter.purchase_total,
            exhibit_count=matter.exhibit_total,
            latest_bundle=next(iter(matter.bundles_newest_first), None),
        )
        for matter in matters
    ]


STILL_ONLINE_SHOWN = 20  # the longest-online first; the work queue and the listings page hold the rest
COMPLAINTS_SHOWN = 20  # on the matter page, newest first; each complaint's page holds its items


def complaint_summaries(submissions: QuerySet[Submission]) -> list[Submission]:
    """The newest complaints, each with its items counted by the platform's answer (``counts``), in two queries
    whatever the number of items."""
    shown = list(submissions.select_related("bundle", "submitted_by")[:COMPLAINTS_SHOWN])
    counts: dict[int, dict[str, int]] = {submission.pk: {} for submission in shown}
    rows = (
        ListingOutcome.objects.filter(submission__in=shown).order_by()
        .values_list("submission_id", "outcome").annotate(n=Count("pk"))
    )  # fmt: skip
    for submission_id, outcome, n in rows:
        counts[submission_id][outcome] = n
    for submission in shown:
        submission.total = sum(counts[submission.pk].values())
        submission.counts = [
            (value, label, counts[submission.pk][value])
            for value, label in ListingOutcome.Outcome.choices
            if counts[submission.pk].get(value)
        ]  # fmt: skip
    return shown


def bundle_download_url(bundle: Bundle) -> str:
    return reverse("web:bundle_download", args=[bundle.pk]) if bundle.status == Bundle.Status.READY else ""


def _page(request: HttpRequest, param: str, rows: QuerySet, per_page: int) -> Page:
    page = Paginator(rows, per_page).get_page(request.GET.get(param))
    others = request.GET.copy()
    others.pop(param, None)
    page.param, page.query = param, others.urlencode()
    return page


def _matters_for(request: HttpRequest) -> QuerySet[Matter]:
    return Matter.objects.visible_to(request.user).select_related("rights_holder", "responsible")


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    matters = _matters_for(request)
    return render(
        request,
        "portal/web/dashboard.html",
        {
            "summaries": matter_summaries(matters, request.user),
            "show_client_column": access.is_firm_staff(request.user),
        },
    )


@require_GET
@login_required
def matter_detail(request: HttpRequest, reference: str) -> HttpResponse:
    matter = get_object_or_404(_matters_for(request), reference=reference)
    audit_subject(request, matter)
    rights = IPRight.objects.visible_to(request.user).filter(rights_holder=matter.rights_holder)
    bundles = list(Bundle.objects.visible_to(request.user).filter(matter=matter))
    for bundle in bundles:
        bundle.download_url = bundle_download_url(bundle)
    current = Exhibit.objects.current().select_related("uploaded_by").order_by("number")
    purchase_page = _page(
        request,
        "purchases",
        TestPurchase.objects.visible_to(request.user)
        .filter(matter=matter)
        .prefetch_related(matter_facts(matter), Prefetch("exhibits", queryset=current, to_attr="current_exhibits"))
        .order_by("order_date", "pk"),
        PURCHASES_PER_PAGE,
    )
    purchases = list(purchase_page.object_list)
    matter_exhibits = list(current.filter(matter=matter, purchase__isnull=True))
    for purchase in purchases:
        purchase.has_signed_report = Exhibit.signed_test_buy_report_in(purchase.current_exhibits) is not None
    for exhibit in [*matter_exhibits, *(e for p in purchases for e in p.current_exhibits)]:
        exhibit.download_url = reverse("web:exhibit_download", args=[exhibit.pk])
    custody_page = _page(
        request,
        "custody",
        CustodyEvent.objects.filter(matter=matter).select_related("actor", "exhibit").order_by("-sequence"),
        CUSTODY_EVENTS_PER_PAGE,
    )
    context = {
        "matter": matter,
        "rights": rights,
        "bundles": bundles,
        "purchases": purchases,
        "purchase_page": purchase_page,
        "matter_exhibits": matter_exhibits,
        "custody_events": custody_page.object_list,
        "custody_page": custody_page,
        "submissions": complaint_summaries(Submission.objects.visible_to(request.user).filter(bundle__matter=matter)),
        "captures": Capture.objects.filter(matter=matter).prefetch_related(matter_facts(matter))[:CAPTURES_SHOWN],
        "still_online": TakedownWatch.objects.filter(matter=matter)
        .still_online()
        .select_related("listing")
        .order_by("filed_at", "pk")[:STILL_ONLINE_SHOWN],
        "still_online_total": TakedownWatch.objects.filter(matter=matter).still_online().count(),
        "purchase_readiness": purchase_lines(purchase_readiness(matter), matter.rights_holder_id),
        **signed_statements(request.user, matter),
        "proof_status": proof_status(
            readiness_for_matter(rights_holder=matter.rights_holder, rights=rights, platforms=matter.platforms)
        ),
    }
    if access.can_upload_evidence(request.user, matter.rights_holder_id):
        upload_url = reverse("web:exhibit_create", args=[matter.reference])
        context["upload_url"] = upload_url
        context["can_draft"] = True
        every_purchase = TestPurchase.objects.filter(matter=matter).order_by("order_date", "pk").only("order_number")
        context["upload_form"] = EvidenceUploadForm(kind_choices=Exhibit.Kind.choices, purchases=every_purchase,
                                                    kind_hints=kind_hints())  # fmt: skip
        for purchase in purchases:
            purchase.upload_url = f"{upload_url}?purchase={purchase.pk}"
            purchase.upload_id = f"upload-p{purchase.pk}"
    if access.is_firm_staff(request.user) and matter.platforms:
        context["bundle_form"] = BundleRequestForm(matter=matter, user=request.user)
    if access.is_firm_staff(request.user):
        context["purchase_form"] = TestPurchaseForm(matter=matter, user=request.user)
        submission_form = SubmissionForm(matter=matter, user=request.user)
        if submission_form.fields["bundle"].queryset.exists():
            context["submission_form"] = submission_form
        context["staff_view"] = True
    return render(request, "portal/web/matter_detail.html", context)
