"""Monthly client reports: asked for by staff, the command or the monthly schedule; compiled, signed and stored
by a worker like dossiers; then e-mailed to the client's members."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from evidence.models import Listing, Matter, MatterListing
from ownership.models import RightsHolder
from ownership.shared.audit import AuditEvent, audit_change
from ownership.shared.jobs import job_dispatch
from ownership.shared.registry import IssuedDocument
from ownership.shared.users import User
from portal.bundle.pdf.report import ReportInput, ReportTable, build_report
from portal.models import ClientReport, ListingOutcome
from portal.results.charts import monthly_columns, takedown_rates
from portal.results.kpis import MonthRow, Period, Results, enforcement_results, local_midnight
from portal.services.compiled import Compilation, compiled_run

logger = logging.getLogger(__name__)
NOTABLE = 15  # removals and reappearances listed by name


@transaction.atomic
def client_report_request(
    *, rights_holder: RightsHolder, month: datetime.date, by: User | None, next_steps: str = ""
) -> ClientReport:
    """A report of ``month`` for the client, queued for a worker. ``by`` None: the monthly schedule."""
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": f"{month:%B %Y} has not begun: a report covers a month that has."})
    report = ClientReport.objects.create(rights_holder=rights_holder, month=month, requested_by=by,
                                         next_steps=next_steps.strip())  # fmt: skip
    audit_change(action=AuditEvent.Action.ADDED, actor=by, obj=report, fields=["rights_holder", "month"])
    job_dispatch(report)
    return report


def client_reports_monthly(*, today: datetime.date | None = None) -> list[ClientReport]:
    """The schedule's run on the first of a month: last month's report for every client with a matter."""
    last_month = ((today or timezone.localdate()).replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    holders = RightsHolder.objects.filter(matters__isnull=False).exclude(reports__month=last_month).distinct()
    return [client_report_request(rights_holder=holder, month=last_month, by=None) for holder in holders]


def client_report_compile(*, report_id: int) -> ClientReport:
    """Build the report from the figures as they stand, sign it with the firm's key, store it, and e-mail it."""

    def plan(report: ClientReport) -> Compilation:
        period = Period.months_to(report.month, 1)
        matters = Matter.objects.filter(rights_holder=report.rights_holder)
        results = enforcement_results(matters, period=period)
        trend = enforcement_results(matters, period=Period.months_to(report.month, 12)).months
        contents = report_input(report, results, trend, matters)
        client, month = report.rights_holder.name, f"{report.month:%B %Y}"
        return Compilation(
            build=lambda path: build_report(contents, path), folder="reports", reason=f"Monthly report {report.pk}",
            kind=IssuedDocument.Kind.CLIENT_REPORT, recipient=client,
            certifies=f"Monthly enforcement report of {client} for {month}: {results.totals.reported} listings "
            f"reported, {results.totals.removed} removed",
        )  # fmt: skip

    report = compiled_run(ClientReport, report_id, plan)
    if report.status == ClientReport.Status.READY and not report.emailed_to:
        client_report_email(report=report)
    return report


def client_report_email(*, report: ClientReport) -> int:
    """E-mail each member of the client, one message each; a mail failure is logged and never undoes the report."""
    link = settings.PORTAL_BASE_URL + reverse("web:client_report_download", args=[report.pk])
    sent = 0
    for user in User.objects.filter(is_active=True, memberships__rights_holder=report.rights_holder_id).distinct():
        context = {"report": report, "user": user, "link": link, "firm_name": settings.PORTAL_FIRM_NAME}
        subject = " ".join(render_to_string("portal/email/report_ready_subject.txt", context).split())
        try:
            sent += send_mail(subject, render_to_string("portal/email/report_ready.txt", context), None, [user.email])
        except Exception:
            logger.warning("Could not e-mail %s report %s.", user.email, report.pk, exc_info=True)
    ClientReport.objects.filter(pk=report.pk).update(emailed_to=sent)
    report.emailed_to = sent
    return sent


def _percent(value) -> str:
    return "—" if value is None else f"{value}%"


def report_input(report: ClientReport, results: Results, trend: list[MonthRow], matters) -> ReportInput:
    """The report's contents: ``results`` of its month, and ``trend``, the twelve months to it, for the chart."""
    totals, end = results.totals, results.period.end
    figures = (
        ("Listings found", str(results.found)), ("Listings reported", str(totals.reported)),
        ("Removed", str(totals.removed)), ("Rejected", str(totals.rejected)),
        ("Counter-notices", str(totals.counter_notices)), ("Awaiting the platform", str(totals.pending)),
        ("Takedown rate (removed of answered)", _percent(totals.takedown_rate)),
        ("Days from filing to removal, median / 90th percentile",
         f"{results.median_days if results.median_days is not None else '—'} / "
         f"{results.p90_days if results.p90_days is not None else '—'}"),
    )  # fmt: skip
    standing = tuple(
        f"{item.programme.name}: {verdict.line.describe()}: {_percent(verdict.percent)} "
        f"({ {'clear': 'clear', 'warning': 'close to the line', 'crossed': 'below the line'}.get(verdict.state, '')}; "
        f"past {item.programme.window_months} months; source: {item.programme.source})"
        for item in results.standing for verdict in item.verdicts
    )  # fmt: skip
    month_start, month_end = local_midnight(results.period.start), local_midnight(end)
    removed = list(
        ListingOutcome.objects.filter(submission__bundle__matter__in=matters, outcome=ListingOutcome.Outcome.REMOVED,
                                      recorded_at__gte=month_start, recorded_at__lt=month_end)
        .select_related("listing", "submission__bundle__matter").order_by("-recorded_at", "-pk")[:NOTABLE]
    )  # fmt: skip
    titles = dict(MatterListing.objects.filter(matter__in=matters, listing__in=[o.listing for o in removed])
                  .values_list("listing_id", "title"))  # fmt: skip
    back = MatterListing.objects.filter(
        matter__in=matters, listing__status=Listing.Status.REAPPEARED,
        listing__status_changed_at__gte=month_start, listing__status_changed_at__lt=month_end,
    ).select_related("listing", "matter").order_by("-listing__status_changed_at", "-pk")[:NOTABLE]  # fmt: skip
    tables = (
        ReportTable("Platforms", ("Platform", "Reported", "Removed", "Rejected", "Counter-notices", "Takedown rate"),
                    tuple((row.label, str(row.counts.reported), str(row.counts.removed), str(row.counts.rejected),
                           str(row.counts.counter_notices), _percent(row.counts.takedown_rate))
                          for row in results.platforms), "No complaint was filed this month."),
        ReportTable("Notable removals", ("Listing", "Complaint", "Matter", "Recorded"),
                    tuple((titles.get(o.listing_id) or o.listing.url, o.submission.platform_reference,
                           o.submission.bundle.matter.reference, f"{o.recorded_at:%d %b %Y}") for o in removed),
                    "No removal was recorded this month."),
        ReportTable("Listings back after removal", ("Listing", "Matter", "Seen again"),
                    tuple((link.title or link.listing.url, link.matter.reference,
                           f"{link.listing.status_changed_at:%d %b %Y}") for link in back),
                    "No removed listing came back this month."),
        ReportTable("Repeat infringers", ("Store", "Platform", "Reported", "Removed"),
                    tuple((row.name or "Store without a recorded name", row.platform_label, str(row.reported),
                           str(row.removed)) for row in results.repeat_infringers),
                    "No store had more than one listing complained of this month."),
        ReportTable("Seller networks", ("Store", "Stores in the network", "Reported", "Removed"),
                    tuple((row.name or "Store without a recorded name", str(row.stores), str(row.reported),
                           str(row.removed)) for row in results.networks),
                    "No network had more than one store complained of this month."),
    )  # fmt: skip
    charts = [(f"Listings reported each month, the twelve months to {report.month:%B %Y}, by the platform's answer",
               monthly_columns(trend))]  # fmt: skip
    if any(row.counts.answered for row in results.platforms):  # else the chart would have no bar
        charts.append(("Takedown rate per platform, with the programmes' lines", takedown_rates(results.platforms)))
    return ReportInput(
        firm=settings.PORTAL_FIRM_NAME, client=report.rights_holder.name, month=f"{report.month:%B %Y}",
        generated_at=f"{timezone.localtime():%d %B %Y, %H:%M %Z}", figures=figures, standing=standing,
        charts=tuple(charts),
        tables=tables, next_steps=report.next_steps,
    )  # fmt: skip
