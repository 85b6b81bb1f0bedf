"""The monthly client report as PDF pages, from plain data: figures, the results charts (the same geometry the
results page draws as SVG), notable removals and reappearances, networks, standing, and the firm's next steps."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors

from ownership.shared.signing import SIGNATURE_BOX
from portal.bundle.pdf.layout import LATIN, MARGIN, PAGE_W, Writer, register_font
from portal.results.charts import Chart

CHART_COLOURS = {  # the results page's palette (portal.css)
    "removed": "#2e6b46", "rejected": "#a3282f", "counter": "#8a5a0b", "pending": "#9aa3b5", "line": "#1f2f4d",
    "grid": "#dedbd2",
}  # fmt: skip


@dataclass(frozen=True)
class ReportTable:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str


@dataclass(frozen=True)
class ReportInput:
    firm: str
    client: str
    month: str  # "December 2026"
    generated_at: str
    figures: tuple[tuple[str, str], ...]  # (label, value)
    standing: tuple[str, ...]  # one line per programme line
    charts: tuple[tuple[str, Chart], ...]  # (title, geometry)
    tables: tuple[ReportTable, ...]
    next_steps: str


def draw_chart(w: Writer, chart: Chart, title: str) -> None:
    """The chart scaled to the text width, drawn where the cursor is, with its legend below."""
    scale = (PAGE_W - 2 * MARGIN) / chart.width
    height = chart.height * scale
    w.ensure(height + 40)
    w.text(title, bold=True, size=10)
    top, c = w.y - 4, w.c
    for line in chart.lines:
        if line.css == "grid":
            c.setStrokeColor(colors.HexColor(CHART_COLOURS["grid"]))
            c.line(MARGIN + line.x1 * scale, top - line.y1 * scale, MARGIN + line.x2 * scale, top - line.y2 * scale)
    for bar in chart.bars:
        c.setFillColor(colors.HexColor(CHART_COLOURS[bar.css]))
        c.rect(MARGIN + bar.x * scale, top - (bar.y + bar.height) * scale, bar.width * scale, bar.height * scale,
               stroke=0, fill=1)  # fmt: skip
    c.setFont(register_font(LATIN), 7)
    c.setFillColor(colors.HexColor("#4a5163"))
    for text in chart.texts:
        draw = {"end": c.drawRightString, "middle": c.drawCentredString}.get(text.anchor, c.drawString)
        draw(MARGIN + text.x * scale, top - text.y * scale, text.label)
    c.setDash(3, 2)
    for line in chart.lines:
        if line.css != "grid":
            c.setStrokeColor(colors.HexColor(CHART_COLOURS[line.css]))
            c.line(MARGIN + line.x1 * scale, top - line.y1 * scale, MARGIN + line.x2 * scale, top - line.y2 * scale)
    c.setDash()
    w.y = top - height - 14
    x, font = MARGIN, register_font(LATIN)
    c.setFont(font, 8)
    for css, name in chart.legend:  # a key of each colour, then its name
        c.setFillColor(colors.HexColor(CHART_COLOURS[css]))
        c.rect(x, w.y, 7, 7, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.drawString(x + 10, w.y, name)
        x += 10 + c.stringWidth(name, font, 8) + 14
    c.setStrokeColor(colors.black)
    w.space(18)


def draw_table(w: Writer, table: ReportTable) -> None:
    w.title(table.title, size=12)
    if not table.rows:
        w.text(table.empty, size=9)
        w.space(6)
        return
    w.text(" · ".join(table.header), size=8, bold=True)
    for row in table.rows:
        w.text(" · ".join(row), size=9)
    w.space(6)


def build_report(data: ReportInput, path: Path) -> int:
    """Write the report to ``path``; returns its page count. Page 1 keeps its foot clear for the signature."""
    w = Writer(path, f"Monthly report: {data.client}, {data.month}", first_page_floor=SIGNATURE_BOX[3] + 10,
               heading=f"{data.firm} · Monthly enforcement report")  # fmt: skip
    w.title("Monthly enforcement report")
    w.text(f"{data.client} · {data.month}", size=12, bold=True)
    w.field("Prepared by", data.firm)
    w.field("Generated", data.generated_at)
    w.rule()
    w.title("Summary", size=13)
    for label, value in data.figures:
        w.columns(label, value, size=10)
    w.space(6)
    w.title("Standing with the platforms' programmes", size=13)
    for line in data.standing or ("No complaint on a platform with a good-faith programme was filed in its period.",):
        w.text(line, size=9)
    w.space(6)
    for title, chart in data.charts:
        draw_chart(w, chart, title)
    for table in data.tables:
        draw_table(w, table)
    w.title("Next steps", size=13)
    w.text(data.next_steps or "The firm will set out the next steps with you.", size=10)
    return w.finish()
