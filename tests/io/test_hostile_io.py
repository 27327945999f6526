"""Issue #13 classes 2, 6, 7, 8 and 10, in process: each from a file the test builds.

The same files through the real `planner` command (time, memory, one line
on stderr) are in tests/cli/test_hostile_cli.py.
"""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from tests.filegen import hostile_files as h

from planner.errors import InputError, printable
from planner.io import budget_formula as bf
from planner.io.budget import load_budget
from planner.io.crm import load_deals
from planner.io.tabular import MAX_TEXT_CELLS, read_sheets

# ---------------------------------------------------------------- class 2: text limits


def test_blank_tail_costs_nothing(tmp_path: Path) -> None:
    """100 deals and a million `,,,,` rows read as 101 rows: the tail never becomes rows."""
    path = tmp_path / "tail.csv"
    h.write_blank_tail(path)
    rows = read_sheets(path)[0].rows
    assert len(rows) == 101
    assert rows[0] == h.DEAL_HEADER.split(",")
    assert len(load_deals(path)) == 100


def test_blank_rows_inside_the_table_keep_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    h.write_blank_rows_inside(path, deals=3, blank_rows=5)
    rows = read_sheets(path)[0].rows
    assert [bool(r) for r in rows] == [True] * 4 + [False] * 5 + [True]


def test_text_over_the_cell_limit_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "commas.csv"
    h.write_commas_then_text(path, megabytes=6)
    with pytest.raises(InputError, match=f"over the {MAX_TEXT_CELLS:,}-cell limit"):
        read_sheets(path)


def test_long_quoted_field_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "note.csv"
    h.write_long_quoted_field(path)
    with pytest.raises(InputError, match="field larger than field limit"):
        read_sheets(path)


@pytest.mark.parametrize("writer", [h.write_newlines, h.write_commas])
def test_nothing_but_separators_has_no_data(tmp_path: Path, writer) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "blank.csv"
    writer(path, 2)
    assert read_sheets(path)[0].rows == []
    with pytest.raises(InputError):
        load_deals(path)


# ---------------------------------------------------------------- class 6: Rust panics


@pytest.mark.parametrize("serial", ["-1e14", "1e14", "-99999999999"])
def test_calamine_panic_is_an_input_error(
    tmp_path: Path, serial: str, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "dates.xlsx"
    h.write_date_overflow(path, serial)
    with pytest.raises(InputError) as info:
        load_deals(path)
    assert info.value.message.startswith("dates.xlsx: ")
    assert "panicked" not in capfd.readouterr().err  # Rust's own report is held back


def test_stderr_written_during_a_good_read_is_passed_on(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ok.xlsx"
    h.write_positional_cells(path, width=3, rows=4)
    assert len(read_sheets(path)[0].rows) == 5
    assert capfd.readouterr().err == ""


# ---------------------------------------------------------------- class 7: formulas


def _counting_resolver() -> tuple[list[int], bf.Resolver]:
    calls = [0]

    def resolve(sheet: str | None, row: int, col: int) -> float:
        calls[0] += 1
        return 1.0

    return calls, resolve


@pytest.mark.parametrize("depth", [bf.MAX_NESTING + 1, 250, 5_000])
def test_deep_brackets_are_a_formula_error_not_recursion(depth: int) -> None:
    _, resolve = _counting_resolver()
    with pytest.raises(bf.FormulaError):
        bf.evaluate("=" + "(" * depth + "1" + ")" * depth, resolve)


def test_brackets_within_the_limit_evaluate() -> None:
    _, resolve = _counting_resolver()
    depth = bf.MAX_NESTING
    assert bf.evaluate("=" + "(" * depth + "2*A1" + ")" * depth, resolve) == 2.0


@pytest.mark.parametrize("signs", [1, 2, 999, 4_000])
def test_long_unary_minus_chain(signs: int) -> None:
    _, resolve = _counting_resolver()
    assert bf.evaluate("=" + "-" * signs + "3", resolve) == (-3.0 if signs % 2 else 3.0)


def test_formula_longer_than_excel_allows() -> None:
    _, resolve = _counting_resolver()
    with pytest.raises(bf.FormulaError, match="longer than Excel allows"):
        bf.evaluate("=" + "+".join(["1"] * 5_000), resolve)


def test_ranges_are_read_once_with_a_cache() -> None:
    calls, resolve = _counting_resolver()
    ranges: bf.RangeSums = {}
    for _ in range(480):
        assert bf.evaluate("=SUM(Data!A1:E1000)", resolve, ranges) == 5_000.0
    assert calls[0] == 5_000


def test_range_work_is_bounded_per_formula() -> None:
    calls, resolve = _counting_resolver()
    with pytest.raises(bf.FormulaError, match="too large"):
        bf.evaluate("=SUM(Data!A1:CV1000)", resolve)
    with pytest.raises(bf.FormulaError, match="too large"):
        bf.evaluate("=SUM(A1:E1000,B1:F1000,C1:G1000)", resolve)
    assert calls[0] <= bf.MAX_FORMULA_CELLS


def test_overflow_is_a_formula_error() -> None:
    _, resolve = _counting_resolver()
    with pytest.raises(bf.FormulaError, match="overflows"):
        bf.evaluate("=1e300*1e300", resolve)


def test_budget_with_deep_and_huge_formulas_loads_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "formulas.xlsx"
    good = "=100*12/12"
    h.write_formula_budget(
        path,
        [good, "=" + "(" * 250 + "1" + ")" * 250, "=SUM(Data!A1:CV1000)", "=" + "-" * 3000 + "5"],
        lines=4,
        data_block=(1000, 100),
    )
    budget = load_budget(path)
    amounts = {ln.name: ln.amounts.tolist() for ln in budget.lines}
    assert amounts["Google Ads 1"] == [100.0] * 12
    assert amounts["Brand campaign 1"] == [5.0] * 12
    assert any("brackets nested" in w for w in budget.warnings)
    assert any("range too large" in w for w in budget.warnings)


# ---------------------------------------------------------------- class 8: non-finite numbers


@pytest.mark.parametrize("amount", [1e308, "1e308", "INF", "-inf", "NaN", "=1/0", 2e15])
@pytest.mark.parametrize("as_csv", [False, True])
def test_non_finite_amounts_are_not_numbers(tmp_path: Path, amount: object, as_csv: bool) -> None:
    path = tmp_path / ("budget.csv" if as_csv else "budget.xlsx")
    h.write_budget_with_amount(path, amount, as_csv=as_csv)
    budget = load_budget(path)
    assert math.isfinite(budget.total)
    assert all(math.isfinite(x) for ln in budget.lines for x in ln.amounts)
    assert budget.total == 21_000 * 12 - 1_000
    assert any("Mar 2027" in w for w in budget.warnings)


@pytest.mark.parametrize("raw", ["INF", "NaN", "-inf", "1e308", "1.7976931348623157e309"])
def test_non_finite_number_cells_are_not_numbers(tmp_path: Path, raw: str) -> None:
    """Number cells a reader parses to inf/nan (`<v>INF</v>`) are reported, never summed."""
    path = tmp_path / "raw.xlsx"
    h.write_budget_with_raw_value(path, raw)
    budget = load_budget(path)
    assert math.isfinite(budget.total)
    assert any("is not a number" in w for w in budget.warnings)


# ---------------------------------------------------------------- class 10: messages


@pytest.mark.parametrize("label", sorted(h.HOSTILE_NAMES))
def test_input_error_message_escapes_control_characters(label: str) -> None:
    name = h.HOSTILE_NAMES[label]
    message = InputError(Path("/tmp") / name, "the file is empty").message
    assert message.isprintable()
    assert "\x1b" not in message and "\n" not in message
    assert message.endswith(": the file is empty")


def test_printable_shows_undecodable_bytes() -> None:
    name = b"budsjett-\xe5r.csv".decode("utf-8", "surrogateescape")
    assert printable(name) == "budsjett-\\xe5r.csv"
    assert printable("Søk 2027 – plan.xlsx") == "Søk 2027 – plan.xlsx"
    assert printable("a\u202eb") == "a\\u202eb"  # a right-to-left override hides text


def test_480_sums_of_one_block_load_through_the_range_cache(tmp_path: Path) -> None:
    """40 lines x 12 months of =SUM(Data!A1:J100): the block is summed once per sheet and reused."""
    path = tmp_path / "sums.xlsx"
    h.write_formula_budget(path, "=SUM(Data!A1:J100)", lines=40, data_block=(100, 10))
    budget = load_budget(path)
    assert len(budget.lines) == 40
    assert all(ln.amounts.tolist() == [1000.0] * 12 for ln in budget.lines)


@pytest.mark.parametrize("far", ["Dec 9999", datetime(9999, 12, 1), "Jan 1066"])
def test_month_column_in_year_9999_is_a_notice_not_a_loss_or_a_refusal(tmp_path: Path, far: object) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Line", "Jan 2027", "Feb 2027", "Mar 2027", far])
    ws.append(["Google Ads", 100, 100, 100, 50])
    ws.append(["Brand TV", 200, 200, 200, 70])
    path = tmp_path / "far-month.xlsx"
    wb.save(path)
    budget = load_budget(path)
    assert budget.months == ("2027-01", "2027-02", "2027-03") and budget.total == 900
    [notice] = [n for n in budget.notices if n.kind == "months_out_of_range"]
    assert notice.count == 1 and "left out" in notice.message
