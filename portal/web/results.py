"""The results page: enforcement figures with charts, tables beside them, and each table as CSV.

Staff see every client, and filter; a client user sees the figures of their own matters only (every figure is
read from ``Matter.objects.visible_to``).
"""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ownership.shared import access
from portal.models import ClientReport
from portal.results.cache import kept_results
from portal.results.charts import monthly_columns, takedown_rates
from portal.results.kpis import Results
from portal.web.forms import ResultsFilterForm
from portal.web.listings import safe_cell
from portal.web.reports import ClientReportForm

REPORTS_SHOWN = 24


def _results(request: HttpRequest) -> tuple[ResultsFilterForm, Results]:
    form = ResultsFilterForm(request.GET or None, user=request.user)
    matters, platform, period = form.scope()
    return form, kept_results(matters, period=period, platform=platform)


@require_GET
@login_required
def results_page(request: HttpRequest) -> HttpResponse:
    form, results = _results(request)
    query = request.GET.urlencode()
    reports = ClientReport.objects.visible_to(request.user).select_related("rights_holder")
    if form.is_valid() and form.cleaned_data["rights_holder"]:
        reports = reports.filter(rights_holder=form.cleaned_data["rights_holder"])
    is_staff = access.is_firm_staff(request.user)
    context = {
        "form": form, "results": results, "query": query, "is_staff": is_staff, "reports": reports[:REPORTS_SHOWN],
        "report_form": ClientReportForm() if is_staff else None,
        "show_client_filter": is_staff or len(form.fields["rights_holder"].queryset[:2]) > 1,
        "monthly_chart": monthly_columns(results.months), "rate_chart": takedown_rates(results.platforms),
    }  # fmt: skip
    return render(request, "portal/web/results.html", context)


def _rate(value) -> str:
    return "" if value is None else str(value)


TABLES = {
    "months": (
        ["month", "found", "reported", "removed", "rejected", "counter_notices", "awaiting_answer", "reappeared"],
        lambda results: [
            [f"{row.month:%Y-%m}", row.found, row.counts.reported, row.counts.removed, row.counts.rejected,
             row.counts.counter_notices, row.counts.pending, row.counts.reappeared]
            for row in results.months
        ],
    ),
    "platforms": (
        ["platform", "reported", "removed", "rejected", "counter_notices", "awaiting_answer", "reappeared",
         "takedown_rate_percent", "counter_notice_rate_percent", "median_days_to_removal", "p90_days_to_removal"],
        lambda results: [
            [row.label, row.counts.reported, row.counts.removed, row.counts.rejected, row.counts.counter_notices,
             row.counts.pending, row.counts.reappeared, _rate(row.counts.takedown_rate),
             _rate(row.counts.counter_notice_rate), _rate(row.median_days), _rate(row.p90_days)]
            for row in results.platforms
        ],
    ),
    "stores": (
        ["store", "listings_reported", "removed"],
        lambda results: [[row.name, row.reported, row.removed] for row in results.repeat_infringers],
    ),
    "networks": (
        ["network_store", "stores", "listings_reported", "removed"],
        lambda results: [[row.name, row.stores, row.reported, row.removed] for row in results.networks],
    ),
}  # fmt: skip


@require_GET
@login_required
def results_csv(request: HttpRequest, table: str) -> HttpResponse:
    if table not in TABLES:
        raise Http404("No such table of results.")
    _form, results = _results(request)
    header, rows = TABLES[table]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"results-{table}-{results.period.start:%Y-%m}-to-{results.period.months()[-1]:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # the byte-order mark makes Excel read UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows(results):
        writer.writerow([safe_cell(value) if isinstance(value, str) else value for value in row])
    return response
