"""Enforcement figures for a set of matters: what was found, reported, removed, rejected, disputed and came back.

The reads behind the results page, the CSV downloads and the monthly report. Each figure is one grouped query
over the matters' recorded outcomes, so the cost follows the number of months and platforms shown, not the number
of listings. Every item of a complaint is one listing the platform answers (``ListingOutcome``); an item is
counted in the month its complaint was filed.

Names shown for stores are those the client's own matters recorded (``MatterListing.seller_name``), never a
shared seller row's, so nothing another client recorded reaches these figures.
"""

from __future__ import annotations

import datetime
import math
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Min, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from evidence.models import Listing, Matter, MatterListing
from ownership.shared.choices import Platform
from portal.models import ListingOutcome
from portal.results.standing import PROGRAMMES, Programme, Verdict, judge

Outcome = ListingOutcome.Outcome
TOP = 10  # stores and networks listed


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole months: from the first day of ``start``'s month to the day before ``end`` (a first of a month)."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def months_to(cls, last: datetime.date, months: int) -> Period:
        return cls(start=add_months(last, 1 - months), end=add_months(last, 1))

    def months(self) -> list[datetime.date]:
        count = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
        return [add_months(self.start, n) for n in range(count)]


@dataclass
class Counts:
    reported: int = 0
    removed: int = 0
    rejected: int = 0
    counter_notices: int = 0
    pending: int = 0
    reappeared: int = 0

    @property
    def answered(self) -> int:
        return self.removed + self.rejected + self.counter_notices

    @property
    def takedown_rate(self) -> Decimal | None:
        return percent(self.removed, self.answered)

    @property
    def counter_notice_rate(self) -> Decimal | None:
        return percent(self.counter_notices, self.answered)

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class MonthRow:
    month: datetime.date
    found: int = 0
    counts: Counts = field(default_factory=Counts)


@dataclass
class PlatformRow:
    platform: str
    counts: Counts = field(default_factory=Counts)
    median_days: int | None = None
    p90_days: int | None = None

    @property
    def label(self) -> str:
        return Platform(self.platform).label


@dataclass(frozen=True)
class Standing:
    programme: Programme
    answered: int
    verdicts: tuple[Verdict, ...]

    @property
    def worst(self) -> str:
        states = [verdict.state for verdict in self.verdicts]
        return next((state for state in ("crossed", "warning", "clear") if state in states), "no_answers")


@dataclass(frozen=True)
class StoreRow:
    seller_id: int
    platform: str
    name: str
    reported: int
    removed: int
    stores: int = 1  # for a network: the stores of it that the matters complained of

    @property
    def platform_label(self) -> str:
        return Platform(self.platform).label


@dataclass
class Results:
    computed_at: datetime.datetime
    period: Period
    months: list[MonthRow]
    platforms: list[PlatformRow]
    totals: Counts
    found: int
    median_days: int | None
    p90_days: int | None
    standing: list[Standing]
    repeat_infringers: list[StoreRow]
    networks: list[StoreRow]


def _counts() -> dict[str, Count]:
    return {
        "reported": Count("pk"),
        "removed": Count("pk", filter=Q(outcome=Outcome.REMOVED)),
        "rejected": Count("pk", filter=Q(outcome=Outcome.REJECTED)),
        "counter_notices": Count("pk", filter=Q(outcome=Outcome.COUNTER_NOTICE)),
        "pending": Count("pk", filter=Q(outcome=Outcome.PENDING)),
        "reappeared": Count("pk", filter=Q(outcome=Outcome.REMOVED, listing__status=Listing.Status.REAPPEARED)),
    }


def _as_counts(row: dict) -> Counts:
    return Counts(**{name: row[name] for name in Counts.__dataclass_fields__})


def outcomes_of(matters: QuerySet[Matter], platform: str = "") -> QuerySet[ListingOutcome]:
    outcomes = ListingOutcome.objects.filter(submission__bundle__matter__in=matters).order_by()
    return outcomes.filter(submission__bundle__platform=platform) if platform else outcomes


def percentile(histogram: dict[int, int], share: float) -> int | None:
    """The nearest-rank percentile of values given as {value: how many}."""
    if not histogram:
        return None
    values = sorted(histogram)
    cumulative = list(accumulate(histogram[value] for value in values))
    return values[bisect_left(cumulative, max(1, math.ceil(share * cumulative[-1])))]


def enforcement_results(matters: QuerySet[Matter], *, period: Period, platform: str = "") -> Results:
    """The figures for ``matters`` (already scoped to the user) over ``period``, on one platform or all."""
    in_period = outcomes_of(matters, platform).filter(
        submission__submitted_on__gte=period.start, submission__submitted_on__lt=period.end
    )
    months = {month: MonthRow(month) for month in period.months()}
    platforms: dict[str, PlatformRow] = {}
    grouped = in_period.annotate(
        month=TruncMonth("submission__submitted_on"), platform=F("submission__bundle__platform")
    ).values("month", "platform")
    for row in grouped.annotate(**_counts()):
        counts = _as_counts(row)
        months[_as_date(row["month"])].counts.add(counts)
        platforms.setdefault(row["platform"], PlatformRow(row["platform"])).counts.add(counts)

    found = MatterListing.objects.filter(matter__in=matters, first_seen__gte=local_midnight(period.start),
                                         first_seen__lt=local_midnight(period.end)).order_by()  # fmt: skip
    if platform:
        found = found.filter(listing__platform=platform)
    for row in found.annotate(month=TruncMonth("first_seen")).values("month").annotate(n=Count("pk")):
        months[_as_date(row["month"])].found = row["n"]

    overall: dict[int, int] = defaultdict(int)
    for name, histogram in _days_to_removal(in_period).items():
        row = platforms.setdefault(name, PlatformRow(name))
        row.median_days, row.p90_days = percentile(histogram, 0.5), percentile(histogram, 0.9)
        for days, count in histogram.items():
            overall[days] += count

    totals = Counts()
    for month in months.values():
        totals.add(month.counts)
    return Results(
        computed_at=timezone.now(), period=period, months=list(months.values()),
        platforms=sorted(platforms.values(), key=lambda row: row.label), totals=totals,
        found=sum(month.found for month in months.values()),
        median_days=percentile(overall, 0.5), p90_days=percentile(overall, 0.9),
        standing=standing(matters, platform=platform),
        repeat_infringers=_repeat_infringers(in_period, matters), networks=_networks(in_period, matters),
    )  # fmt: skip


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The start of ``day`` in the portal's time zone, as month boundaries are drawn."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    """TruncMonth of a date is a date; of an aware datetime, a datetime in the current time zone."""
    return value.date() if isinstance(value, datetime.datetime) else value


def _days_to_removal(outcomes: QuerySet[ListingOutcome]) -> dict[str, dict[int, int]]:
    """Per platform, how many removals took how many days from the filing to the answer being recorded."""
    days = ExpressionWrapper(TruncDate("recorded_at") - F("submission__submitted_on"), output_field=DurationField())
    rows = (
        outcomes.filter(outcome=Outcome.REMOVED, recorded_at__isnull=False)
        .annotate(days=days, platform=F("submission__bundle__platform"))
        .values("platform", "days")
        .annotate(n=Count("pk"))
    )
    histograms: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        histograms[row["platform"]][max(row["days"].days, 0)] += row["n"]
    return histograms


def standing(matters: QuerySet[Matter], *, platform: str = "", today: datetime.date | None = None) -> list[Standing]:
    """Each programme's lines against the matters' answered items in its own window (which ignores the period
    chosen on the page: a programme measures the months ending today)."""
    today = today or timezone.localdate()
    found = []
    for programme in PROGRAMMES:
        if platform and platform not in programme.platforms:
            continue
        since = add_months(today, -programme.window_months).replace(day=min(today.day, 28))  # same day, n months ago
        counts = _as_counts(
            outcomes_of(matters, platform)
            .filter(submission__bundle__platform__in=programme.platforms, submission__submitted_on__gt=since)
            .aggregate(**_counts())
        )
        if not counts.reported:
            continue
        rates = {"takedown": counts.takedown_rate, "counter_notice": counts.counter_notice_rate}
        verdicts = tuple(judge(line, rates[line.measure]) for line in programme.lines)
        found.append(Standing(programme=programme, answered=counts.answered, verdicts=verdicts))
    return found


@dataclass(frozen=True)
class StoreName:
    name: str
    platform: str


def _stores(matters: QuerySet[Matter], seller_ids: list[int]) -> dict[int, StoreName]:
    """Each store's name as the matters recorded it (empty if none did) and its platform."""
    rows = (
        MatterListing.objects.filter(matter__in=matters, listing__seller_id__in=seller_ids).order_by()
        .values("listing__seller_id").annotate(name=Max("seller_name"), platform=Max("listing__platform"))
    )  # fmt: skip
    return {row["listing__seller_id"]: StoreName(row["name"], row["platform"]) for row in rows}


def _repeat_infringers(outcomes: QuerySet[ListingOutcome], matters: QuerySet[Matter]) -> list[StoreRow]:
    """Stores with more than one listing complained of, most first."""
    rows = list(
        outcomes.filter(listing__seller__isnull=False).values("listing__seller_id")
        .annotate(reported=Count("pk"), removed=Count("pk", filter=Q(outcome=Outcome.REMOVED)))
        .filter(reported__gt=1).order_by("-reported", "listing__seller_id")[:TOP]
    )  # fmt: skip
    stores = _stores(matters, [row["listing__seller_id"] for row in rows])
    return [
        StoreRow(seller_id=row["listing__seller_id"], platform=stores[row["listing__seller_id"]].platform,
                 name=stores[row["listing__seller_id"]].name, reported=row["reported"], removed=row["removed"])
        for row in rows
    ]  # fmt: skip


def _networks(outcomes: QuerySet[ListingOutcome], matters: QuerySet[Matter]) -> list[StoreRow]:
    """Seller networks with more than one store complained of, largest first; each named by one of its stores
    the matters recorded."""
    rows = list(
        outcomes.filter(listing__seller__network_id__isnull=False).values("listing__seller__network_id")
        .annotate(stores=Count("listing__seller", distinct=True), reported=Count("pk"),
                  removed=Count("pk", filter=Q(outcome=Outcome.REMOVED)), seller_id=Min("listing__seller_id"))
        .filter(stores__gt=1).order_by("-stores", "-reported", "listing__seller__network_id")[:TOP]
    )  # fmt: skip
    stores = _stores(matters, [row["seller_id"] for row in rows])
    return [
        StoreRow(seller_id=row["seller_id"], platform=stores[row["seller_id"]].platform,
                 name=stores[row["seller_id"]].name, reported=row["reported"], removed=row["removed"],
                 stores=row["stores"])
        for row in rows
    ]  # fmt: skip
