"""`planner report --out x.xlsx`: values equal `planner simulate --json`, native charts, formats, print setup."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, LineChart
from tests.report.conftest import SCENARIOS

from planner.io.budget import load_budget
from planner.io.crm import load_deals
from planner.report.data import build_report
from planner.report.labels import KPI_LABELS, MONTHLY_LABELS, describe
from planner.report.xlsx import write_xlsx
from planner.scenario.collection import ScenarioSet
from planner.scenario.document import Scenario

PATHS, SEED = "1500", "4"
NAMES = ("Baseline", *(s.name for s in SCENARIOS))


def same(cell: object, figure: float | None) -> bool:
    """openpyxl writes numbers with 16 significant digits ("%.16g"; Excel keeps 15): equal to that precision."""
    if figure is None:
        return cell == "n/a"  # undefined (CAC without new wins...): said, not left blank
    return cell == pytest.approx(figure, rel=1e-15, abs=0.0)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, timeout=240)


@pytest.fixture(scope="module")
def workbook(report_inputs):
    folder, budget, crm, plan = report_inputs
    out = folder / "board.xlsx"
    run = _cli("report", "--budget", str(budget), "--crm", str(crm), "--scenario", str(plan), "--out", str(out),
               "--paths", PATHS, "--seed", SEED, "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["scenarios"] == list(NAMES)
    return load_workbook(out)


@pytest.fixture(scope="module")
def simulated(report_inputs):
    """What `planner simulate --json` prints for each scenario of the file, same paths and seed."""
    _, budget, crm, plan = report_inputs
    out = {}
    for name in NAMES:
        run = _cli("simulate", "--budget", str(budget), "--crm", str(crm), "--scenario", str(plan),
                   "--scenario-name", name, "--paths", PATHS, "--seed", SEED, "--json")
        assert run.returncode == 0, run.stderr
        out[name] = json.loads(run.stdout)
    return out


def _rows_by_label(ws, header_row: int) -> dict[str, list]:
    return {row[0]: list(row[1:]) for row in ws.iter_rows(min_row=header_row + 1, values_only=True) if row[0]}


def test_sheets(workbook) -> None:
    assert workbook.sheetnames == ["Summary", *NAMES, *(f"{n} budget" for n in NAMES)]


def test_summary_figures_equal_simulate_json(workbook, simulated) -> None:
    ws = workbook["Summary"]
    assert [c.value for c in ws[4]][: len(NAMES) + 1] == ["KPI", *NAMES]
    rows = _rows_by_label(ws, 4)
    for col, name in enumerate(NAMES):
        doc = simulated[name]
        for key, value in doc["kpis"].items():
            assert same(rows[describe(key).text][col], value), (name, key, rows[describe(key).text][col], value)
        assert rows["Brand share of spend"][col] == pytest.approx(doc["brand_share"], abs=1e-6)
        assert rows["Horizon"][col] == doc["months"]


def test_monthly_figures_equal_simulate_json(workbook, simulated) -> None:
    for name in NAMES:
        ws = workbook[name]
        header = [c.value for c in ws[4]]
        doc = simulated[name]
        months = doc["months"]
        assert ws.max_row == 4 + months
        columns = {title: [ws.cell(5 + i, j + 1).value for i in range(months)] for j, title in enumerate(header)}
        assert columns["Month"][0] == "2026-01" or columns["Month"][0].startswith("20")
        for key, series in doc["monthly"].items():
            cells = columns[describe(key, MONTHLY_LABELS).text]
            assert all(same(c, v) for c, v in zip(cells, series, strict=True)), (name, key)


def test_native_charts(workbook) -> None:
    summary = workbook["Summary"]
    assert len(summary._charts) == 1 and isinstance(summary._charts[0], BarChart)
    for name in NAMES:
        charts = workbook[name]._charts
        assert [type(c) for c in charts] == [LineChart, BarChart, BarChart, LineChart]
        fan = charts[0]
        assert len(fan.series) == 3  # P10, P50, P90
        assert all(f"'{name}'" in s.val.numRef.f or f"{name}!" in s.val.numRef.f for s in fan.series)
        assert charts[2].grouping == "stacked"
    assert not any(ws._images for ws in workbook.worksheets)  # charts, not pictures


def test_number_formats_in_the_currency(workbook) -> None:
    rows = {row[0].value: row for row in workbook["Summary"].iter_rows(min_row=5) if row[0].value}
    assert rows[KPI_LABELS["revenue_mean"].text][1].number_format == '#,##0 "EUR"'
    assert rows[KPI_LABELS["win_rate"].text][1].number_format == "0.0%"
    assert rows[KPI_LABELS["cac_payback_months"].text][1].number_format == '0.0 "months"'
    monthly = workbook["Brand push"]
    header = [c.value for c in monthly[4]]
    assert monthly.cell(5, header.index("Revenue P50") + 1).number_format == '#,##0 "EUR"'
    assert monthly.cell(5, header.index("Win rate") + 1).number_format == "0.0%"
    budget = workbook["Brand push budget"]
    assert budget.cell(5, 4).number_format == '#,##0 "EUR"'


def test_frozen_headers_print_setup_and_widths(workbook) -> None:
    for ws in workbook.worksheets:
        assert ws.freeze_panes == "B5", ws.title
        assert ws.page_setup.orientation == "landscape"
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$4:$4"
    summary = workbook["Summary"]
    labels = [str(r[0]) for r in summary.iter_rows(min_row=5, values_only=True) if isinstance(r[1], int | float)]
    assert len(labels) > 30  # KPIs and assumptions
    assert 30 < max(map(len, labels)) <= summary.column_dimensions["A"].width <= 60
    monthly = workbook["Baseline"]
    for cell in monthly[4][1:]:
        width = monthly.column_dimensions[cell.column_letter].width
        assert 8 <= width <= 24  # every figure column sized, none absurd


def test_summary_has_assumptions_with_sources_and_notes(workbook) -> None:
    text = [str(v) for row in workbook["Summary"].iter_rows(values_only=True) for v in row if v is not None]
    assert "Assumptions" in text and "Data notices" in text
    assert any("Binet & Field" in t for t in text)
    assert any("activity" in t for t in text)
    rows = _rows_by_label(workbook["Summary"], 4)
    margin = rows["Gross margin at today's prices"]
    assert margin[:3] == [0.72, 0.72, 0.6]  # the Cut scenario's own assumption


def test_budget_as_adjusted(workbook, report_inputs) -> None:
    _, budget_path, *_ = report_inputs
    original = load_budget(budget_path).total
    totals = {}
    for name in NAMES:
        ws = workbook[f"{name} budget"]
        total_row = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0] == "Total"][0]
        totals[name] = total_row[-1]
    assert totals["Baseline"] == pytest.approx(original)
    assert totals["Cut 20 %"] == pytest.approx(original * 0.8)
    brand = [r for r in workbook["Brand push budget"].iter_rows(min_row=5, values_only=True) if r[0] == "Brand total"][0]
    assert brand[-1] == pytest.approx(original * 0.5)


def test_a_new_kpi_appears_without_code_changes(report_inputs, tmp_path) -> None:
    _, budget_path, crm_path, _ = report_inputs
    data = build_report(load_budget(budget_path), load_deals(crm_path),
                        ScenarioSet().add(Scenario(name="A", brand_share=0.4, months=6)), paths=200)
    extra = {"p_beats_budget": 0.7, "break_even_month": None, "shiny_new_metric": 3.5, "arr_growth_pct": 0.12}
    data = replace(data, scenarios=tuple(
        replace(f, kpis={**f.kpis, **extra}, monthly={**f.monthly, "revenue_recurring": [1.0] * len(f.labels)})
        for f in data.scenarios))
    data = replace(data, scenarios=(replace(data.scenarios[0], name="CFO's [draft]: 1/2"), *data.scenarios[1:]))
    book = load_workbook(write_xlsx(data, tmp_path / "new.xlsx"))
    assert book.sheetnames[1:3] == ["CFO's -draft-- 1-2", "A"]  # a valid sheet name, charts still point at it
    assert all("CFO''s -draft-- 1-2" in s.val.numRef.f for s in book.worksheets[1]._charts[0].series)
    ws = book["Summary"]
    cells = {row[0].value: row[1] for row in ws.iter_rows(min_row=5) if row[0].value}
    assert cells["P(beats budget)"].value == 0.7 and cells["P(beats budget)"].number_format == "0.0%"
    assert cells["Break-even month vs baseline"].value == "n/a"  # undefined: no break-even inside the horizon
    assert cells["Shiny new metric"].value == 3.5
    assert cells["Arr growth pct"].number_format == "0.0%"
    monthly = book["A"]
    assert "Recurring revenue" in [c.value for c in monthly[4]]


def test_excel_export_never_loads_qt(report_inputs, tmp_path) -> None:
    _, budget, crm, plan = report_inputs
    code = (
        "import sys\n"
        "import planner.report.charts, planner.report.labels, planner.report.data, planner.report.xlsx\n"
        "from planner.cli import main\n"
        f"rc = main(['report', '--budget', {str(budget)!r}, '--crm', {str(crm)!r}, '--scenario', {str(plan)!r},"
        f" '--out', {str(tmp_path / 'x.xlsx')!r}, '--paths', '100'])\n"
        "assert rc == 0, rc\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken', 'pyqtgraph')))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=240)
    assert (tmp_path / "x.xlsx").is_file()
