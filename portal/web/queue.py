"""The staff work queue: what needs doing next across every client, each list with its true count.

Every list shows its first ``SHOWN`` rows, in the order they need doing, and how many there are in all; chosen
alone (the kind filter), a list is paged through to its end. The client filter of the matters list below narrows
every list. Complaints awaiting an answer are grouped per
complaint, nearest answer-by date first, so a past deadline comes first and is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from evidence.models import Exhibit, Listing, Matter, MatterListing, TakedownWatch
from ownership.models import OwnershipDocument, RightsHolder, StatementDraft
from portal.models import Bundle, ListingOutcome, Notice, Submission
from portal.staff_access import staff_required
from portal.web.forms import QueueFilterForm
from portal.web.views import STAFF_QUEUE_PAGE_SIZE, matter_summaries

SHOWN = 20


@dataclass(frozen=True)
class Section:
    items: list
    total: int
    exact: bool = True  # False: at least ``total`` (a list whose rule is not a query, counted as far as read)
    page: Page | None = None  # the list chosen alone: the page of it shown


def section(rows: QuerySet) -> Section:
    return Section(items=list(rows[:SHOWN]), total=rows.count())


def paged_section(rows: QuerySet, number: str | None) -> Section:
    """One list shown alone, ``SHOWN`` rows a page in the list's own order (each list's order is served by an
    index, so a later page reads its rows from the index and sorts nothing)."""
    page = Paginator(rows, SHOWN).get_page(number)
    return Section(items=list(page.object_list), total=page.paginator.count, page=page)


def complaints_awaiting(matters: QuerySet[Matter]) -> QuerySet[Submission]:
    """Filed complaints with items the platform has not settled, each with its counts and the nearest date a
    counter-notice must be answered by (``answer_by``); the nearest first, then the oldest filing. Each count is
    read from the complaint's own index entries (a subquery per complaint), never by sorting every item."""
    pending, disputed = ListingOutcome.Outcome.PENDING, ListingOutcome.Outcome.COUNTER_NOTICE
    items = ListingOutcome.objects.filter(submission=OuterRef("pk")).order_by().values("submission")
    return (
        Submission.objects.filter(bundle__matter__in=matters)
        .annotate(
            waiting=Subquery(items.filter(outcome=pending).annotate(n=Count("pk")).values("n")),
            disputed=Subquery(items.filter(outcome=disputed).annotate(n=Count("pk")).values("n")),
            answer_by=Subquery(items.filter(outcome=disputed).annotate(day=Min("answer_by")).values("day")),
        )
        .filter(Q(waiting__gt=0) | Q(disputed__gt=0))
        .select_related("bundle__matter")
        .order_by(F("answer_by").asc(nulls_last=True), "submitted_on", "pk")
    )


# The lists, by the kind of work they hold: its name on the page, and how a list's rows name their platform (None:
# work not tied to one platform, hidden while a platform is chosen).
KINDS: dict[str, tuple[str, str | None]] = {
    "missing_proof": (_("Matters with missing proof"), None),
    "failed_bundles": (_("Bundles failed"), "platform"),
    "unread_scans": (_("Scans that could not be read"), None),
    "still_online": (_("Still online after filing"), "listing__platform"),
    "reappeared_listings": (_("Listings reappeared"), "listing__platform"),
    "statements_returned": (_("Statements sent back by clients"), None),
    "notices_to_send": (_("Notices to send"), "seller__platform"),
    "notices_awaiting_reply": (_("Notices awaiting the seller's reply"), "seller__platform"),
    "complaints_awaiting_answer": (_("Complaints awaiting an answer"), "bundle__platform"),
}


def _lists(matters: QuerySet[Matter], holders: QuerySet[RightsHolder], request: HttpRequest) -> dict:
    """Each list's rows, unevaluated where they are a query (``section`` reads the first rows and the count)."""
    open_matters = matters.exclude(status__in=[Matter.Status.RESOLVED, Matter.Status.CLOSED])
    return {
        "missing_proof": lambda: _missing_proof(open_matters, request),
        "failed_bundles": lambda: Bundle.objects.filter(matter__in=matters, status=Bundle.Status.FAILED)
        .select_related("matter").order_by("-pk"),
        "unread_scans": lambda: _unread_scans(matters, holders),
        "still_online": lambda: TakedownWatch.objects.filter(matter__in=matters).still_online()
        .select_related("listing", "matter", "last_capture").order_by("filed_at", "pk"),
        "reappeared_listings": lambda: MatterListing.objects.filter(
            matter__in=matters, listing__status=Listing.Status.REAPPEARED,
        ).select_related("listing", "matter").order_by("-listing__status_changed_at", "-pk"),
        "statements_returned": lambda: StatementDraft.objects.filter(
            rights_holder__in=holders,
            status__in=[StatementDraft.Status.CHANGES_REQUESTED, StatementDraft.Status.DECLINED],
        ).select_related("rights_holder", "right").order_by("-decided_at", "-pk"),
        "notices_to_send": lambda: Notice.objects.filter(matter__in=matters).ready_to_send()
        .select_related("matter", "seller").order_by("pk"),
        "notices_awaiting_reply": lambda: Notice.objects.filter(matter__in=matters).awaiting_reply()
        .select_related("matter", "seller").order_by("deadline", "pk"),
        "complaints_awaiting_answer": lambda: complaints_awaiting(matters),
    }  # fmt: skip


@require_GET
@staff_required
def staff_queue(request: HttpRequest) -> HttpResponse:
    kinds = [(kind, label) for kind, (label, _path) in KINDS.items()]
    form = QueueFilterForm(request.GET or None, user=request.user, kinds=kinds)
    matters = form.filter(Matter.objects.visible_to(request.user).select_related("rights_holder", "responsible"))
    page = Paginator(matters, STAFF_QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("list_page", None)
    without_kind = query.copy()
    without_kind.pop("kind", None)
    holders = RightsHolder.objects.visible_to(request.user)  # documents and statements: clients with no matter too
    if form.is_valid() and form.cleaned_data["rights_holder"]:
        holders = holders.filter(pk=form.cleaned_data["rights_holder"].pk)
    chosen_kind, platform = form.choice("kind"), form.choice("platform")
    sections = []  # (kind, its anchor, its name, its Section) for each list the page shows, in the order of KINDS
    for kind, rows in _lists(matters, holders, request).items():
        path = KINDS[kind][1]
        if (chosen_kind and kind != chosen_kind) or (platform and path is None):
            continue  # not asked for, or not tied to a platform: the page does not show it
        built = rows()
        if isinstance(built, QuerySet):
            built = built.filter(**{path: platform}) if platform else built
            built = paged_section(built, request.GET.get("list_page")) if chosen_kind else section(built)
        sections.append((kind, kind.replace("_", "-"), KINDS[kind][0], built))
    untied = platform and any(KINDS[kind][1] is None for kind in KINDS if not chosen_kind or kind == chosen_kind)
    platform_note = _("Only the lists tied to a platform are shown while one is chosen: missing proof, unread scans "
                      "and statements returned are not.") if untied else ""  # fmt: skip
    context = {
        "form": form, "page": page, "matters": page.object_list, "filter_query": query.urlencode(),
        "lists_query": without_kind.urlencode(),
        "today": timezone.localdate(), "platform_note": platform_note, "sections": sections,
    }  # fmt: skip
    return render(request, "portal/web/staff_queue.html", context)


def _unread_scans(matters: QuerySet[Matter], holders: QuerySet[RightsHolder]) -> Section:
    exhibits = section(Exhibit.objects.filter(matter__in=matters, ocr_status=Exhibit.OcrStatus.FAILED)
                       .select_related("matter").order_by("-pk"))  # fmt: skip
    documents = section(OwnershipDocument.objects.filter(
        rights_holder__in=holders, ocr_status=OwnershipDocument.OcrStatus.FAILED).order_by("-pk"))  # fmt: skip
    return Section(items=[*exhibits.items, *documents.items][:SHOWN], total=exhibits.total + documents.total)


READINESS_READ = SHOWN * 5  # open matters whose readiness a queue view computes, most recently updated first


def _missing_proof(matters: QuerySet[Matter], request: HttpRequest) -> Section:
    """Open matters whose readiness report finds proof missing. The report is computed per matter, so only the
    ``READINESS_READ`` most recently updated are read, and a count that may go further says so."""
    read = list(matters.order_by("-updated_at", "-pk").values_list("pk", flat=True)[: READINESS_READ + 1])
    chosen = matters.filter(pk__in=read[:READINESS_READ]).order_by("-updated_at", "-pk")
    unready = [summary.matter for summary in matter_summaries(chosen, request.user) if not summary.readiness.is_ready]
    return Section(items=unready[:SHOWN], total=len(unready), exact=len(read) <= READINESS_READ)
