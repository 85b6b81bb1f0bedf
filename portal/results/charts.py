"""Server-side SVG charts of the results, as geometry a template draws: no script, nothing fetched.

Each chart is plain shapes: bars with their titles (the figure a person hovering or a screen reader gets), grid
and reference lines, and axis text. The page puts the same figures in a table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.safestring import mark_safe

from portal.results.standing import PROGRAMMES

if TYPE_CHECKING:  # the figures' types only: the geometry is plain data, drawn on pages and in PDFs alike
    from portal.results.kpis import MonthRow, PlatformRow

WIDTH, HEIGHT = 640, 240
LEFT, BOTTOM, TOP_GAP = 44, 28, 10  # room for the value axis, the category labels, and above the tallest bar
SERIES = (  # stacked from the bottom: (field of Counts, CSS class, name)
    ("removed", "removed", "Removed"),
    ("rejected", "rejected", "Rejected"),
    ("counter_notices", "counter", "Counter-notice"),
    ("pending", "pending", "Awaiting an answer"),
)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str

    def __post_init__(self) -> None:  # a tenth of a point is finer than any screen or printer shows
        for name in ("x", "y", "width", "height"):
            object.__setattr__(self, name, round(getattr(self, name), 1))

    @property
    def svg(self) -> str:
        return _attributes(x=self.x, y=self.y, width=self.width, height=self.height)


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    css: str = "grid"
    title: str = ""

    def __post_init__(self) -> None:
        for name in ("x1", "y1", "x2", "y2"):
            object.__setattr__(self, name, round(getattr(self, name), 1))

    @property
    def svg(self) -> str:
        return _attributes(x1=self.x1, y1=self.y1, x2=self.x2, y2=self.y2)


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    label: str
    anchor: str = "middle"

    def __post_init__(self) -> None:
        object.__setattr__(self, "x", round(self.x, 1))
        object.__setattr__(self, "y", round(self.y, 1))

    @property
    def svg(self) -> str:
        return _attributes(x=self.x, y=self.y)


def _attributes(**numbers: float) -> str:
    """SVG coordinates written as plain numbers: never through the template's number formatting, which a locale
    with a thousands separator would turn into ``1,234.5`` and break the drawing."""
    return mark_safe(" ".join(f'{name}="{value:g}"' for name, value in numbers.items()))  # noqa: S308 - numbers only


@dataclass
class Chart:
    width: int
    height: int
    legend: list[tuple[str, str]]
    bars: list[Bar] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)


def nice_ceiling(value: int) -> int:
    """The axis top: 1, 2 or 5 times a power of ten, at least ``value`` (and at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def monthly_columns(months: list[MonthRow]) -> Chart:
    """Items reported each month, stacked by the platform's answer."""
    chart = Chart(WIDTH, HEIGHT, legend=[(css, name) for _field, css, name in SERIES])
    top = nice_ceiling(max((month.counts.reported for month in months), default=0))
    plot_height, baseline = HEIGHT - BOTTOM - TOP_GAP, HEIGHT - BOTTOM
    for share in (0, 0.5, 1):
        y = baseline - plot_height * share
        chart.lines.append(Line(LEFT, y, WIDTH, y))
        chart.texts.append(Text(LEFT - 6, y + 4, f"{top * share:g}", anchor="end"))
    slot = (WIDTH - LEFT) / max(len(months), 1)
    every = max(1, -(-len(months) // 12))  # at most twelve month labels
    for index, month in enumerate(months):
        x, top_of_stack = LEFT + index * slot + slot * 0.15, float(baseline)
        for name, css, series_name in SERIES:
            value = getattr(month.counts, name)
            if value:
                height = plot_height * value / top
                top_of_stack -= height
                title = f"{month.month:%b %Y}: {series_name} {value}"
                chart.bars.append(Bar(x, top_of_stack, slot * 0.7, height, css, title))
        if index % every == 0:
            chart.texts.append(Text(LEFT + (index + 0.5) * slot, HEIGHT - 10, f"{month.month:%b %y}"))
    return chart


def takedown_rates(platforms: list[PlatformRow]) -> Chart:
    """Each platform's takedown rate (removed of answered), with the programmes' lines on the same scale."""
    rows = [row for row in platforms if row.counts.answered]
    row_height, label_width = 30, 170
    height, plot_width = max(len(rows), 1) * row_height + BOTTOM, WIDTH - label_width - 20
    chart = Chart(WIDTH, height, legend=[("removed", "Takedown rate"), ("line", "A programme's line")])
    for share in (0, 0.5, 1):
        x = label_width + plot_width * share
        chart.lines.append(Line(x, 0, x, height - BOTTOM))
        chart.texts.append(Text(x, height - 10, f"{share * 100:g}%"))
    for index, row in enumerate(rows):
        rate, y = row.counts.takedown_rate or Decimal(0), index * row_height + 6
        title = f"{row.label}: {rate}% removed of {row.counts.answered} answered"
        chart.bars.append(Bar(label_width, y, plot_width * float(rate) / 100, row_height - 12, "removed", title))
        chart.texts.append(Text(label_width - 6, y + row_height / 2 - 2, row.label, anchor="end"))
    for programme in PROGRAMMES:
        for line in programme.lines:
            if line.measure == "takedown" and any(row.platform in programme.platforms for row in rows):
                x = label_width + plot_width * float(line.percent) / 100
                chart.lines.append(Line(x, 0, x, height - BOTTOM, "line", f"{programme.name}: {line.describe()}"))
    return chart
