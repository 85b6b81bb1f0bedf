"""Forensic captures on the pages: "Capture now" on a listing, capture of every listing a filter selects,
and the capture's own page with its record, its exhibits and what the page said beside what is recorded."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evidence.capture.services import capture_request
from evidence.models import Capture, Listing, Matter, MatterListing
from evidence.networks import seller_identifier_add
from evidence.selectors import matter_listings
from portal.staff_access import staff_required
from portal.web.listings import ListingFilterForm

BULK_LIMIT = 500  # captures one click may queue; more would hold the capture workers for hours


@require_POST
@staff_required
def capture_listing(request: HttpRequest, reference: str, listing_pk: int) -> HttpResponse:
    matter = get_object_or_404(Matter.objects.visible_to(request.user), reference=reference)
    listing = get_object_or_404(Listing.objects.filter(matters=matter), pk=listing_pk)
    try:
        capture = capture_request(matter=matter, listing=listing, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("web:listing_list", reference=matter.reference)
    return redirect(capture)


@require_POST
@staff_required
def capture_selection(request: HttpRequest, reference: str) -> HttpResponse:
    """Capture every listing the listings page's filter selects (all pages), up to BULK_LIMIT."""
    matter = get_object_or_404(Matter.objects.visible_to(request.user), reference=reference)
    selection = ListingFilterForm(request.POST, matter=matter)
    listings = list(matter_listings(matter, selection.listing_filter())[: BULK_LIMIT + 1])
    if len(listings) > BULK_LIMIT:
        messages.error(request, _("The filter selects more than %(limit)s listings: narrow it, then capture again.")
                       % {"limit": BULK_LIMIT})  # fmt: skip
    else:
        for listing in listings:
            capture_request(matter=matter, listing=listing, by=request.user)
        messages.success(request, _("%(count)s captures queued.") % {"count": len(listings)})
    return redirect(reverse("web:matter_detail", args=[matter.reference]) + "#captures")


@require_GET
@login_required
def capture_detail(request: HttpRequest, pk: int) -> HttpResponse:
    capture = get_object_or_404(
        Capture.objects.visible_to(request.user).select_related("matter", "listing__seller", "requested_by"), pk=pk
    )
    exhibits = list(capture.exhibits.order_by("number"))
    for exhibit in exhibits:
        exhibit.download_url = reverse("web:exhibit_download", args=[exhibit.pk])
    context = {
        "capture": capture, "matter": capture.matter, "exhibits": exhibits, "facts": _facts(capture),
        "in_progress": capture.status in (Capture.Status.QUEUED, Capture.Status.RUNNING),
    }  # fmt: skip
    return render(request, "portal/web/capture.html", context)


@require_POST
@staff_required
def capture_identifier_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a phone or e-mail written on the captured page as the listing's seller's identifier, with the
    capture as its evidence. Only a contact the capture found can be recorded this way."""
    capture = get_object_or_404(Capture.objects.visible_to(request.user).select_related("listing__seller"), pk=pk)
    wanted = {"kind": request.POST.get("kind", ""), "value": request.POST.get("value", "")}
    seller = capture.listing.seller if capture.listing else None
    if seller is None or wanted not in capture.page_facts.get("contacts", []):
        messages.error(
            request, _("Only a contact this capture found, for a listing with a known seller, can be recorded.")
        )
    else:
        seller_identifier_add(seller=seller, capture=capture, seen_at=capture.started_at, by=request.user, **wanted)
        messages.success(request, _("Recorded as an identifier of the seller, with this capture as evidence."))
    return redirect(capture)


FACT_LABELS = {
    "title": "Title", "price": "Price", "currency": "Currency", "seller_name": "Seller",
    "store_id": "Store id", "store_url": "Store URL",
}  # fmt: skip


def _facts(capture: Capture) -> list[dict]:
    """What the page said, beside what this matter records for the listing; a difference is marked."""
    link = MatterListing.objects.filter(listing_id=capture.listing_id, matter_id=capture.matter_id).first()
    recorded = {}
    if link is not None:
        recorded = {"title": link.title, "price": "" if link.price is None else str(link.price),
                    "currency": link.currency, "seller_name": link.seller_name}  # fmt: skip
    rows = []
    for key, label in FACT_LABELS.items():
        said, kept = capture.page_facts.get(key, ""), recorded.get(key, "")
        if said or kept:
            rows.append(
                {"label": _(label), "said": said, "recorded": kept, "differs": bool(said and kept and said != kept)}
            )
    return rows
