"""A matter's listings: filtered, searched, paged by keyset (no count of the table), and exported.

Clients see their own matters' listings, read-only; staff see every matter's.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Iterator

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from evidence.models import Listing, Matter
from evidence.selectors import ListingFilter, after, matter_listings
from ownership.shared import access
from ownership.shared.choices import Platform
from portal.web.forms import CampaignForm

PAGE_SIZE = 50
EXPORT_COLUMNS = (
    "url", "platform", "title", "price", "currency", "seller_name", "seller_id", "item_id", "status", "first_seen",
)  # fmt: skip
# A cell that a spreadsheet would read as a formula (OWASP's CSV injection guidance: =, +, -, @, and a leading
# tab or carriage return) is written with a leading apostrophe, so a counterfeiter's title never runs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ListingFilterForm(forms.Form):
    q = forms.CharField(label=_("Title or URL contains"), required=False)
    platform = forms.ChoiceField(label=_("Platform"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    seller = forms.CharField(label=_("Seller"), required=False)
    seen_from = forms.DateField(
        label=_("First seen from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    seen_to = forms.DateField(label=_("First seen to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reappeared = forms.BooleanField(
        label=_("Back after a removal"), required=False,
        help_text=_("Listings online again after their removal, and new listings of sellers who had one removed."),
    )  # fmt: skip

    def __init__(self, *args, matter: Matter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = [("", _("All platforms"))] + [
            (code, Platform(code).label) for code in matter.platforms
        ]
        self.fields["status"].choices = [("", _("Any status")), *Listing.Status.choices]

    def listing_filter(self) -> ListingFilter:
        """The valid filters; an invalid form filters nothing."""
        return (
            ListingFilter(**{k: v for k, v in self.cleaned_data.items() if v}) if self.is_valid() else ListingFilter()
        )


def _cursor(value: str) -> tuple[datetime.datetime, int] | None:
    seen, _, pk = value.rpartition("_")
    moment = parse_datetime(seen)
    return (moment, int(pk)) if moment and pk.isdigit() else None


@require_GET
@login_required
def listing_list(request: HttpRequest, reference: str) -> HttpResponse:
    matter = get_object_or_404(Matter.objects.visible_to(request.user), reference=reference)
    form = ListingFilterForm(request.GET or None, matter=matter)
    listings = matter_listings(matter, form.listing_filter())
    page = list(after(listings, _cursor(request.GET.get("after", "")))[: PAGE_SIZE + 1])
    has_next = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    query = request.GET.copy()
    query.pop("after", None)
    next_cursor = f"{page[-1].first_seen.isoformat()}_{page[-1].pk}" if has_next else ""
    context = {
        "matter": matter, "form": form, "listings": page, "next_cursor": next_cursor, "query": query.urlencode(),
        "is_first_page": not request.GET.get("after"),
        "campaign_form": CampaignForm(matter=matter) if access.is_firm_staff(request.user) else None,
        "campaign_platform": form.cleaned_data.get("platform", "") if form.is_valid() else "",
    }  # fmt: skip
    return render(request, "portal/web/listings.html", context)


@require_GET
@login_required
def listing_export(request: HttpRequest, reference: str, file_format: str) -> HttpResponse:
    matter = get_object_or_404(Matter.objects.visible_to(request.user), reference=reference)
    if file_format not in ("csv", "xlsx"):
        raise Http404("Listings export as csv or xlsx.")
    form = ListingFilterForm(request.GET or None, matter=matter)
    rows = (_export_row(listing) for listing in matter_listings(matter, form.listing_filter()).iterator(2000))
    name = f"{matter.reference}-listings-{timezone.localdate():%Y-%m-%d}"
    if file_format == "xlsx":
        return _xlsx_response(rows, name)
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _export_row(listing: Listing) -> list[str]:
    seller = listing.seller
    values = [
        listing.url, listing.platform, listing.title, "" if listing.price is None else str(listing.price),
        listing.currency, listing.seller_name, seller.platform_seller_id if seller else "",
        listing.platform_item_id, listing.status, listing.first_seen.isoformat(),
    ]  # fmt: skip
    return [safe_cell(value) for value in values]


def safe_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterator[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(EXPORT_COLUMNS)  # the byte-order mark makes Excel read UTF-8
    for row in rows:
        yield writer.writerow(row)


def _xlsx_response(rows: Iterator[list[str]], name: str) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Listings")
    sheet.append(list(EXPORT_COLUMNS))
    for row in rows:
        sheet.append(row)
    spooled = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once the file is sent
    workbook.save(spooled)
    spooled.seek(0)
    return FileResponse(spooled, as_attachment=True, filename=f"{name}.xlsx")
