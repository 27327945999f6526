"""The PDF export: one landscape A4 page per scenario, its main charts and its KPIs next to the baseline.

Drawn with Qt's own PDF writer (QPdfWriter + QPainter), the one Qt use in
`planner.report`; `planner.commands.report` imports this module only for a
.pdf, so an Excel export never loads Qt. Works offscreen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QPageLayout, QPageSize, QPainter, QPdfWriter

from planner.report.charts import monthly_lines, pipeline_bars, revenue_fan, spend_bars
from planner.report.data import ReportData, ScenarioFigures
from planner.report.labels import KPI_LABELS, Kind, describe, format_value, ordered_keys
from planner.report.painter import INK, MUTED, ensure_gui, font, paint_chart, paint_table

RESOLUTION = 150  # dots per inch of the page's coordinate system; text and lines are vector anyway



def write_pdf(data: ReportData, path: str | Path) -> Path:
    ensure_gui()
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setTitle(data.title)
    writer.setCreator("planner")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape, QMarginsF(12, 12, 12, 12),
                                     QPageLayout.Unit.Millimeter))
    painter = QPainter(writer)
    if not painter.isActive():
        raise OSError(f"could not open {path} for writing")
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    try:
        for i, fig in enumerate(data.scenarios):
            if i:
                writer.newPage()
            size = writer.pageLayout().paintRectPixels(RESOLUTION).size()  # the painter starts at the margin
            _page(painter, QRectF(0, 0, size.width(), size.height()), fig, data)
    finally:
        painter.end()
    return path


def _page(painter: QPainter, page: QRectF, fig: ScenarioFigures, data: ReportData) -> None:
    px = RESOLUTION / 72.0
    baseline = data.scenarios[0]
    painter.setPen(INK)
    painter.setFont(font(16, bold=True))
    title_h = painter.fontMetrics().height() * 1.2
    painter.drawText(QRectF(page.left(), page.top(), page.width(), title_h), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                     f"{data.title}: {fig.name}")
    painter.fillRect(QRectF(page.left(), page.top() + title_h, 60 * px, 3 * px), QColor(fig.colour))
    painter.setFont(font(8))
    painter.setPen(MUTED)
    line_h = painter.fontMetrics().height() * 1.3
    subtitle = (f"Brand {fig.brand_share:.0%} of spend, {len(fig.labels)} months from {fig.labels[0]}, "
                f"{data.paths:,} paths, seed {data.seed}" + (f", figures in {data.currency}" if data.currency else ""))
    painter.drawText(QRectF(page.left(), page.top() + title_h + 5 * px, page.width(), line_h),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, subtitle)
    top = page.top() + title_h + 5 * px + line_h * 1.4
    footer_h = line_h * 1.2
    body = QRectF(page.left(), top, page.width(), page.bottom() - top - footer_h)
    charts_w = body.width() * 0.58
    gap = 10 * px
    fan_h = body.height() * 0.55
    compare = [baseline, fig] if fig is not baseline else [fig]
    paint_chart(painter, QRectF(body.left(), body.top(), charts_w, fan_h), revenue_fan(compare, data.currency))
    lower = QRectF(body.left(), body.top() + fan_h + gap, charts_w, body.height() - fan_h - gap)
    half = (lower.width() - gap) / 2
    paint_chart(painter, QRectF(lower.left(), lower.top(), half, lower.height()), pipeline_bars(fig, data.currency))
    if "contribution" in fig.monthly and fig is not baseline:
        spec = monthly_lines(compare, "contribution", "Contribution per month", data.currency)
    else:
        spec = spend_bars(fig, data.currency)
    paint_chart(painter, QRectF(lower.left() + half + gap, lower.top(), half, lower.height()), spec)
    table = QRectF(body.left() + charts_w + 2 * gap, body.top(), body.width() - charts_w - 2 * gap, body.height())
    paint_table(painter, table, *_kpi_table(fig, baseline, data.currency),
                colours=[None, fig.colour] + ([baseline.colour] if fig is not baseline else []))
    painter.setFont(font(7))
    painter.setPen(MUTED)
    painter.drawText(QRectF(page.left(), page.bottom() - footer_h, page.width(), footer_h),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                     f"Made {data.created} by planner. MQLs are an activity metric, not an outcome. "
                     "P10/P90: 1 in 10 outcomes below / above.")


def _short(value: float | None, kind: Kind) -> str:
    """Table figures without the currency (the subtitle names it) and in M/k, so four columns fit."""
    if kind == "money" and value is not None and abs(value) >= 1e4:
        return f"{value / 1e6:,.2f}M" if abs(value) >= 1e6 else f"{value / 1e3:,.0f}k"
    return format_value(value, kind, None).replace(" months", " mo")


def _kpi_table(fig: ScenarioFigures, baseline: ScenarioFigures, currency: str | None) -> tuple[list[str], list[list[str]]]:
    """KPI | this scenario | baseline | difference (the baseline's own page has one figure column)."""
    own = fig is baseline
    header = ["KPI", fig.name] if own else ["KPI", fig.name, baseline.name, "Difference"]
    rows = []
    for key in ordered_keys(list(fig.kpis), KPI_LABELS):  # as many as fit: paint_table stops at the bottom
        label = describe(key)
        mine = fig.kpis.get(key)
        row = [label.text, _short(mine, label.kind)]
        if not own:
            theirs = baseline.kpis.get(key)
            diff = None if mine is None or theirs is None else mine - theirs
            text = _short(diff, label.kind)
            row += [_short(theirs, label.kind), text if text.startswith("-") or diff is None else f"+{text}"]
        rows.append(row)
    return header, rows

