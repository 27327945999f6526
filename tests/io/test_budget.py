"""Budgets written the way people write them read back to exactly what the generator put in."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from tests.filegen import budget_files as g

from planner.errors import InputError
from planner.io.budget import load_budget
from planner.io.budget_grid import Grid, parse_grid
from planner.io.types import Budget

TODAY = date(2031, 6, 1)  # a year no generated file names, so a wrong fallback shows


def assert_matches(budget: Budget, expected: g.Expected) -> None:
    assert budget.months == expected.months
    assert [ln.name for ln in budget.lines] == [ln.name for ln in expected.lines]
    for got, want in zip(budget.lines, expected.lines, strict=True):
        assert got.spend_class == want.spend_class, got.name
        assert got.amounts.tolist() == pytest.approx(list(want.amounts)), got.name
    assert budget.total == pytest.approx(expected.total)
    assert budget.brand_total == pytest.approx(expected.brand_total)
    assert budget.currency == expected.currency
    assert budget.sheet == expected.sheet


@pytest.mark.parametrize("language", ["en", "da", "nb", "de"])
@pytest.mark.parametrize("style", ["short", "long", "short_year", "iso", "date"])
def test_wide_xlsx_in_four_languages(tmp_path: Path, language: str, style: str) -> None:
    path = tmp_path / f"budget-{language}-{style}.xlsx"
    expected = g.write_wide_xlsx(
        path, g.make_lines(language, seed=7), language=language, month_style=style
    )
    budget = load_budget(path, today=TODAY)
    assert_matches(budget, expected)
    assert all(ln.class_origin == "section" for ln in budget.lines)
    assert all(ln.section in g.SECTIONS[language] for ln in budget.lines)
    no_year = style in ("short", "long")
    assert any("used 2026 from the title" in w for w in budget.warnings) == no_year


def test_year_from_sheet_name_else_this_year_with_a_warning(tmp_path: Path) -> None:
    lines = g.make_lines("nb")
    path = tmp_path / "a.xlsx"
    g.write_wide_xlsx(path, lines, language="nb", title="Markedsbudsjett", sheet="Plan 2027")
    budget = load_budget(path, today=TODAY)
    assert budget.months[0] == "2027-01"
    assert any("sheet name 'Plan 2027'" in w for w in budget.warnings)

    path = tmp_path / "b.xlsx"
    g.write_wide_xlsx(path, lines, language="nb", title="Markedsbudsjett", sheet="Plan")
    budget = load_budget(path, today=TODAY)
    assert budget.months == g.month_keys((2031, 1), 12)
    assert any("assumed 2031 (this year)" in w for w in budget.warnings)


def test_fiscal_year_across_new_year_and_year_row(tmp_path: Path) -> None:
    path = tmp_path / "fy.xlsx"
    expected = g.write_wide_xlsx(
        path,
        g.make_lines("de", n_months=18),
        language="de",
        start=(2026, 7),
        year_row=True,
        title=None,
    )
    assert_matches(load_budget(path, today=TODAY), expected)


def test_extra_sheets_merged_title_no_sections_category_column(tmp_path: Path) -> None:
    path = tmp_path / "cat.xlsx"
    expected = g.write_wide_xlsx(
        path,
        g.make_lines("da"),
        language="da",
        sheet="Budget 2026",
        category_column=True,
        sections=False,
        subtotals=False,
        extra_sheets=("Forside", "Noter"),
        extra_sheets_first=True,
    )
    budget = load_budget(path, today=TODAY)
    assert_matches(budget, expected)
    assert {ln.class_origin for ln in budget.lines} == {"column"}


def test_formulas_without_saved_values(tmp_path: Path) -> None:
    lines = list(g.make_lines("en"))
    lines[0] = g.Line(lines[0].name, "brand", (1500.0,) * 12)  # spread from an assumptions sheet
    path = tmp_path / "script.xlsx"
    expected = g.write_wide_xlsx(path, lines, formulas="lines", currency="header")
    budget = load_budget(path, today=TODAY)
    assert_matches(budget, expected)
    assert not any("formula" in w for w in budget.warnings)

    path = tmp_path / "totals.xlsx"
    expected = g.write_wide_xlsx(
        path, g.make_lines("nb"), language="nb", formulas="totals", currency="format"
    )
    assert_matches(load_budget(path, today=TODAY), expected)


def test_unlabelled_sum_rows_and_section_rows_carrying_sums_count_once(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Aktivitet", "Jan 2026", "Feb 2026", "Mar 2026", "Total"])
    ws.append(["Brand", "=SUM(B3:B4)", "=SUM(C3:C4)", "=SUM(D3:D4)", "=SUM(E3:E4)"])
    ws.append(["TV", 100, 100, 100, "=SUM(B3:D3)"])
    ws.append(["Radio", 50, 60, 70, "=SUM(B4:D4)"])
    ws.append(["Demand gen", 30, 30, 30, 90])  # a section row with cached-style numbers
    ws.append(["Google Ads", 10, 10, 10, 30])
    ws.append(["Webinars", 20, 20, 20, 60])
    ws.append([None, "=B2+B5", "=C2+C5", "=D2+D5"])
    path = tmp_path / "sums.xlsx"
    wb.save(path)
    budget = load_budget(path, today=TODAY)
    assert [ln.name for ln in budget.lines] == ["TV", "Radio", "Google Ads", "Webinars"]
    assert [ln.spend_class for ln in budget.lines] == ["brand", "brand", "demand", "demand"]
    assert budget.total == pytest.approx(300 + 180 + 90)


def test_complex_formulas_and_text_amounts_are_reported(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Kanal", "Jan 2026", "Feb 2026", "Mar 2026"])
    ws.append(["Google Ads", 100, "=IF(B2>0,200,0)", "=B2*2"])
    ws.append(["Radio", "TBD", 5, 5])
    ws.append(["Diverse", 1, 2, 3])
    path = tmp_path / "odd.xlsx"
    wb.save(path)
    budget = load_budget(path, today=TODAY)
    assert budget.lines[0].amounts.tolist() == [100, 0, 200]
    assert budget.lines[1].amounts.tolist() == [0, 5, 5]
    text = " ".join(budget.warnings)
    assert "IF() is not evaluated" in text and "'TBD' is not a number" in text
    assert "'Diverse'" in text and "counted as demand" in text
    assert budget.lines[2].class_origin == "default"


def test_amounts_as_text_with_decimal_comma_in_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "text.xlsx"
    expected = g.write_wide_xlsx(
        path, g.make_lines("da", cents=True), language="da", amounts_as_text=True
    )
    assert_matches(load_budget(path, today=TODAY), expected)


@pytest.mark.parametrize(
    ("language", "encoding", "suffix", "style"),
    [
        ("da", "cp1252", ".csv", "short_year"),
        ("nb", "utf-8-sig", ".txt", "dmy"),
        ("de", "utf-8", ".csv", "iso"),
    ],
)
def test_csv_with_semicolon_decimal_comma_and_symbols(
    tmp_path: Path, language: str, encoding: str, suffix: str, style: str
) -> None:
    path = tmp_path / f"budget{suffix}"
    expected = g.write_wide_csv(
        path,
        g.make_lines(language, cents=True),
        language=language,
        encoding=encoding,
        month_style=style,
    )
    assert_matches(load_budget(path, today=TODAY), expected)


def test_csv_without_currency_marks(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    expected = g.write_wide_csv(path, g.make_lines("de", cents=True), language="de", symbols=False)
    budget = load_budget(path, today=TODAY)
    assert_matches(budget, expected)
    assert budget.currency is None


@pytest.mark.parametrize(
    ("suffix", "style"), [(".csv", "iso"), (".xlsx", "date"), (".csv", "short_year")]
)
def test_long_layout(tmp_path: Path, suffix: str, style: str) -> None:
    path = tmp_path / f"long{suffix}"
    expected = g.write_long(path, g.make_lines("en"), month_style=style)
    budget = load_budget(path, today=TODAY)
    assert_matches(budget, expected)
    assert {ln.class_origin for ln in budget.lines} == {"column"}


def test_long_layout_fills_missing_months_with_zero() -> None:
    rows: list[list[object]] = [
        ["Month", "Channel", "Amount"],
        ["2026-01", "Google Ads", "100"],
        ["2026-03", "Google Ads", "300"],
        ["2026-03", "TV", "50"],
    ]
    result = parse_grid(Grid("x", rows))
    assert result.months == ("2026-01", "2026-02", "2026-03")
    assert result.lines[0].amounts.tolist() == [100, 0, 300]
    assert any("2026-02" in w for w in result.warnings)


def test_total_row_that_disagrees_is_reported() -> None:
    rows: list[list[object]] = [
        ["Line", "Jan 2026", "Feb 2026", "Mar 2026"],
        ["TV", 10, 10, 10],
        ["Google Ads", 5, 5, 5],
        ["Total", 15, 15, 99],
    ]
    result = parse_grid(Grid("x", rows))
    assert sum(ln.amounts.sum() for ln in result.lines) == 45
    assert any("the file's total" in w for w in result.warnings)


def test_same_name_in_two_sections_stays_apart() -> None:
    rows: list[list[object]] = [
        ["Line", "Jan 2026", "Feb 2026", "Mar 2026"],
        ["Brand", None, None, None],
        ["LinkedIn", 10, 10, 10],
        ["Demand gen", None, None, None],
        ["LinkedIn", 5, 5, 5],
    ]
    lines = parse_grid(Grid("x", rows)).lines
    assert [ln.name for ln in lines] == ["LinkedIn (Brand)", "LinkedIn (Demand gen)"]
    assert [ln.spend_class for ln in lines] == ["brand", "demand"]


@pytest.mark.parametrize(
    ("writer", "name", "problem"),
    [
        (g.write_crm_export, "crm.xlsx", "no month columns or month rows found"),
        (g.write_weather_csv, "weather.csv", "no month columns or month rows found"),
    ],
)
def test_files_that_hold_no_budget(tmp_path: Path, writer, name: str, problem: str) -> None:
    path = tmp_path / name
    writer(path)
    with pytest.raises(InputError) as err:
        load_budget(path)
    assert problem in err.value.message and "\n" not in err.value.message
    assert err.value.message.startswith(name)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Line item;Jan 2026;Feb 2026;Mar 2026\n", "no rows below them"),
        ("Station;Jan;Feb;Mar\nAarhus;-2,1;-1,5;2,0\nOslo;-4,0;-3,2;0,5\n", "negative"),
        ("Kunde;Telefon\nHansen;12345678\n", "no month columns"),
    ],
)
def test_bad_budget_text_files(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=problem):
        load_budget(path)


def test_two_thousand_lines_load_quickly(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    expected = g.write_wide_xlsx(
        path, g.many_lines(2000), sections=False, subtotals=False, formulas="totals"
    )
    load_budget(path)  # warm imports
    start = time.perf_counter()
    budget = load_budget(path, today=TODAY)
    elapsed = time.perf_counter() - start
    assert len(budget.lines) == 2000
    assert budget.total == pytest.approx(expected.total)
    assert elapsed < 1.5  # ~0.2 s on a quiet machine; generous for a shared CI box
