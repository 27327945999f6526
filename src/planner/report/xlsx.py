"""The CFO's workbook: a summary, a monthly sheet and the adjusted budget per scenario, native charts.

Plain openpyxl, no Qt: values are numbers (never formulas, which openpyxl
cannot cache and Numbers' preview would show empty) with number formats in
the currency, so the workbook reads the same in Excel, LibreOffice and
Numbers without planner. Charts are openpyxl.chart objects (Excel's own,
editable), not pictures. Every sheet has frozen headers, widths that fit,
and a landscape print setup scaled to one page wide.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.io.types import SpendClass
from planner.report.data import ReportData, ScenarioFigures
from planner.report.labels import KPI_LABELS, MONTHLY_LABELS, describe, number_format, ordered_keys

HEADER_FILL = PatternFill("solid", fgColor="E8EAED")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
NOTE = Font(italic=True, color="555555")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
MIN_WIDTH, MAX_WIDTH = 8, 60
CHART_W, CHART_H = 17.0, 7.5  # cm
FAN = ("revenue_p10", "revenue_p50", "revenue_p90")
UNDEFINED = "n/a"


def write_xlsx(data: ReportData, path: str | Path) -> Path:
    """Write the workbook to `path` (the caller makes the write atomic if it needs to)."""
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    _summary_sheet(summary, data)
    taken = {"summary"}
    for fig in data.scenarios:
        _monthly_sheet(wb.create_sheet(_sheet_name(fig.name, taken)), fig, data)
    for fig in data.scenarios:
        _budget_sheet(wb.create_sheet(_sheet_name(f"{fig.name} budget", taken)), fig, data)
    path = Path(path)
    wb.save(path)
    return path


# ---------------------------------------------------------------- summary
def _summary_sheet(ws: Worksheet, data: ReportData) -> None:
    scenarios = data.scenarios
    ws["A1"] = data.title
    ws["A1"].font = TITLE
    money = f"figures in {data.currency}" if data.currency else "currency not stated in the files"
    ws["A2"] = (f"{len(scenarios)} scenarios, {data.paths:,} simulated paths, seed {data.seed}, {money}; "
                f"made {data.created} by planner")
    ws["A2"].font = NOTE
    header = 4
    _header_row(ws, header, ["KPI", *[f.name for f in scenarios]])
    for col, fig in enumerate(scenarios, start=2):
        cell = ws.cell(header, col)
        cell.fill = PatternFill("solid", fgColor=fig.colour.lstrip("#"))
        cell.font = Font(bold=True, color=_text_on(fig.colour))
    row = header + 1
    _label_row(ws, row, "Brand share of spend", [f.brand_share for f in scenarios], "0.0%")
    _label_row(ws, row + 1, "Horizon", [f.scenario.months for f in scenarios], '0 "months"')
    row += 2
    first_kpi = row
    for key in ordered_keys(list(scenarios[0].kpis), KPI_LABELS):
        label = describe(key)
        _label_row(ws, row, label.text, [f.kpis.get(key) for f in scenarios], number_format(label.kind, data.currency))
        if label.activity:
            ws.cell(row, 1).font = NOTE
        row += 1
    kpi_rows = {key: first_kpi + i for i, key in enumerate(ordered_keys(list(scenarios[0].kpis), KPI_LABELS))}
    ws.cell(row, 1, "MQLs are activity, not outcome: shown for reference, never a goal.").font = NOTE
    prose = {row}  # rows of free text: they run on into the empty cells to their right
    row += 2

    ws.cell(row, 1, "Assumptions").font = BOLD
    row += 1
    n = len(scenarios)
    _header_row(ws, row, ["Assumption", *[f.name for f in scenarios], "Unit", "Default", "Plausible range", "Source"])
    row += 1
    for a in data.assumptions:
        ws.cell(row, 1, a.label)
        for col, value in enumerate(a.values, start=2):
            cell = ws.cell(row, col, value)
            cell.number_format = "General"
            if value != a.default:
                cell.font = BOLD  # the user changed it in this scenario
        ws.cell(row, n + 2, a.unit)
        ws.cell(row, n + 3, a.default)
        ws.cell(row, n + 4, f"{a.low:g} to {a.high:g}")
        ws.cell(row, n + 5, a.source).alignment = Alignment(wrap_text=True, vertical="top")
        # explicit height: LibreOffice does not grow a row for wrapped text on its own
        ws.row_dimensions[row].height = 15 * max(1, math.ceil(len(a.source) / (MAX_WIDTH * 1.05)))
        row += 1
    ws.cell(row, 1, "Bold: changed from the default in that scenario.").font = NOTE
    prose.add(row)
    row += 2

    ws.cell(row, 1, "Data notices").font = BOLD
    row += 1
    for message in data.notices or ("None: the files were read without remarks.",):
        ws.cell(row, 1, message)
        prose.add(row)
        row += 1
    row += 1
    chart = BarChart()
    chart.title = "Revenue and contribution by scenario"
    chart.y_axis.title = data.currency or ""
    chart.y_axis.numFmt = number_format("money", None)
    for key in ("revenue_p50", "contribution"):
        if key in kpi_rows:
            ref = Reference(ws, min_col=1, max_col=n + 1, min_row=kpi_rows[key])
            chart.add_data(ref, from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, max_col=n + 1, min_row=header))
    _size(chart)
    ws.add_chart(chart, f"A{row}")
    ws.freeze_panes = ws.cell(header + 1, 2)
    _fit_widths(ws, data.currency, wide_first=True, prose=prose)
    ws.column_dimensions[get_column_letter(n + 5)].width = MAX_WIDTH  # sources: long prose, printed in full width
    _print_setup(ws, f"{header}:{header}")


# ---------------------------------------------------------------- monthly
def _monthly_sheet(ws: Worksheet, fig: ScenarioFigures, data: ReportData) -> None:
    ws["A1"] = f"{fig.name}: month by month"
    ws["A1"].font = TITLE
    ws["A2"] = (f"Brand {fig.brand_share:.0%} of spend, {len(fig.labels)} months, mean of {data.paths:,} paths "
                f"(P10/P50/P90: 1 in 10 months lower / median / 1 in 10 higher). {fig.notes}".strip())
    ws["A2"].font = NOTE
    header = 4
    keys = ordered_keys(list(fig.monthly), MONTHLY_LABELS)
    _header_row(ws, header, ["Month", *[describe(k, MONTHLY_LABELS).text for k in keys]])
    for i, label in enumerate(fig.labels):
        ws.cell(header + 1 + i, 1, label)
    for col, key in enumerate(keys, start=2):
        spec = describe(key, MONTHLY_LABELS)
        fmt = number_format(spec.kind, data.currency)
        if spec.activity:
            ws.cell(header, col).font = Font(bold=True, italic=True)
        for i, value in enumerate(fig.monthly[key]):
            _figure(ws, header + 1 + i, col, value, fmt)
    first, last = header + 1, header + len(fig.labels)
    cols = {key: col for col, key in enumerate(keys, start=2)}
    months = Reference(ws, min_col=1, min_row=first, max_row=last)
    anchor = last + 3
    charts = [
        _line_chart(ws, "Revenue per month: P10, P50, P90", [cols[k] for k in FAN if k in cols], header, last,
                    months, fig.colour, data.currency),
        _bar_chart(ws, "Pipeline created per month", [cols[k] for k in ("pipeline_created",) if k in cols],
                   header, last, months, [fig.colour], data.currency, stacked=False),
        _bar_chart(ws, "Spend by class per month", [cols[k] for k in ("spend_brand", "spend_demand") if k in cols],
                   header, last, months, ["0072B2", "E69F00"], data.currency, stacked=True),
        _line_chart(ws, "Contribution after marketing per month", [cols[k] for k in ("contribution",) if k in cols],
                    header, last, months, fig.colour, data.currency),
    ]
    ws.freeze_panes = ws.cell(header + 1, 2)
    _fit_widths(ws, data.currency)
    second = _column_after(ws, CHART_W + 0.5)
    for i, chart in enumerate(charts):  # two by two under the table
        ws.add_chart(chart, f"{'A' if i % 2 == 0 else second}{anchor + (i // 2) * 17}")
    _print_setup(ws, f"{header}:{header}")


def _line_chart(ws: Worksheet, title: str, cols: list[int], header: int, last: int, months: Reference,
                colour: str, currency: str | None) -> LineChart:
    chart = LineChart()
    chart.title = title
    chart.y_axis.title = currency or ""
    chart.y_axis.numFmt = "#,##0"
    for col in cols:
        chart.add_data(Reference(ws, min_col=col, min_row=header, max_row=last), titles_from_data=True)
    centre = len(chart.series) // 2
    for i, series in enumerate(chart.series):
        series.smooth = False
        series.graphicalProperties.line.solidFill = colour.lstrip("#")
        series.graphicalProperties.line.width = 28575 if i == centre else 12700  # EMU: 2.25 pt, 1 pt
        if i != centre:
            series.graphicalProperties.line.dashStyle = "dash"
    chart.set_categories(months)
    _size(chart)
    return chart


def _bar_chart(ws: Worksheet, title: str, cols: list[int], header: int, last: int, months: Reference,
               colours: list[str], currency: str | None, *, stacked: bool) -> BarChart:
    chart = BarChart()
    chart.title = title
    chart.y_axis.title = currency or ""
    chart.y_axis.numFmt = "#,##0"
    if stacked:
        chart.grouping = "stacked"
        chart.overlap = 100
    for col in cols:
        chart.add_data(Reference(ws, min_col=col, min_row=header, max_row=last), titles_from_data=True)
    for series, colour in zip(chart.series, colours, strict=False):
        series.graphicalProperties.solidFill = colour.lstrip("#")
        series.graphicalProperties.line.solidFill = colour.lstrip("#")
    chart.set_categories(months)
    _size(chart)
    return chart


# ---------------------------------------------------------------- budget
def _budget_sheet(ws: Worksheet, fig: ScenarioFigures, data: ReportData) -> None:
    budget = fig.budget
    ws["A1"] = f"{fig.name}: the budget as adjusted"
    ws["A1"].font = TITLE
    ws["A2"] = "The imported budget with this scenario's edits (classes, scales, cells, total, brand share)."
    ws["A2"].font = NOTE
    header = 4
    _header_row(ws, header, ["Line", "Class", "Section", *budget.months, "Total"])
    fmt = number_format("money", data.currency)
    row = header + 1
    for line in budget.lines:
        ws.cell(row, 1, line.name)
        ws.cell(row, 2, "Brand" if line.spend_class == "brand" else "Lead gen")
        ws.cell(row, 3, line.section or "")
        for j, value in enumerate(line.amounts):
            ws.cell(row, 4 + j, float(value)).number_format = fmt
        ws.cell(row, 4 + len(budget.months), line.total).number_format = fmt
        row += 1
    totals: tuple[tuple[str, SpendClass | None], ...] = (
        ("Brand total", "brand"), ("Lead gen total", "demand"), ("Total", None)
    )
    for label, spend_class in totals:
        ws.cell(row, 1, label).font = BOLD
        values = budget.monthly(spend_class) if spend_class else budget.monthly("brand") + budget.monthly("demand")
        for j, value in enumerate(values):
            ws.cell(row, 4 + j, float(value)).number_format = fmt
        cell = ws.cell(row, 4 + len(budget.months), float(values.sum()))
        cell.number_format, cell.font = fmt, BOLD
        row += 1
    ws.freeze_panes = ws.cell(header + 1, 2)
    _fit_widths(ws, data.currency)
    _print_setup(ws, f"{header}:{header}")


# ---------------------------------------------------------------- helpers
def _header_row(ws: Worksheet, row: int, titles: list[str]) -> None:
    for col, title in enumerate(titles, start=1):
        cell = ws.cell(row, col, title)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center" if col > 1 else "left", vertical="center", wrap_text=True)


def _label_row(ws: Worksheet, row: int, label: str, values: Sequence[float | None], fmt: str) -> None:
    ws.cell(row, 1, label)
    for col, value in enumerate(values, start=2):
        _figure(ws, row, col, value, fmt)


def _figure(ws: Worksheet, row: int, col: int, value: float | None, fmt: str) -> None:
    """A number in its format; an undefined KPI (None: no wins, no margin) says so instead of a blank."""
    if value is None:
        ws.cell(row, col, UNDEFINED).alignment = Alignment(horizontal="right")
    else:
        ws.cell(row, col, value).number_format = fmt


def _size(chart: BarChart | LineChart) -> None:
    chart.width, chart.height = CHART_W, CHART_H
    chart.legend.position = "b"


def _print_setup(ws: Worksheet, title_rows: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_options.gridLines = False


def _fit_widths(ws: Worksheet, currency: str | None, *, wide_first: bool = False, prose: AbstractSet[int] = frozenset()) -> None:
    """Column widths from the longest shown text; titles (rows 1-2) and `prose` rows may overflow."""
    widths: dict[int, float] = {}
    for row in ws.iter_rows(min_row=3):
        if row and row[0].row in prose:
            continue
        for cell in row:
            if cell.value is None:
                continue
            widths[cell.column] = max(widths.get(cell.column, 0), _shown_length(cell.value, cell.number_format, currency))
    for col, width in widths.items():
        cap = MAX_WIDTH if (col == 1 and wide_first) else 40 if col == 1 else 24
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, MIN_WIDTH), cap)


def _column_after(ws: Worksheet, cm: float) -> str:
    """The letter of the first column that starts at least `cm` from the sheet's left edge."""
    edge, col = 0.0, 1
    while edge < cm:
        width = ws.column_dimensions[get_column_letter(col)].width or 8.43
        edge += width * 0.2  # one character of the default font is about 2 mm
        col += 1
    letter: str = get_column_letter(col)  # openpyxl ships no types
    return letter


def _shown_length(value: object, fmt: str, currency: str | None) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "%" in fmt:
            return 7
        text = f"{value:,.0f}" if "0.0" not in fmt else f"{value:,.2f}"
        return len(text) + (len(currency) + 1 if currency and currency in fmt else 0) + (7 if "months" in fmt else 0)
    return max(len(part) for part in str(value).split("\n")) * 1.05


def _sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\, at most 31 characters."""
    base = _BAD_SHEET_CHARS.sub("-", wanted).strip("' ")[:31] or "Scenario"
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name.casefold())
    return name


def _text_on(colour: str) -> str:
    """Black or white text, whichever reads better on `colour` (WCAG relative luminance)."""
    r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "000000" if lum > 0.45 else "FFFFFF"
