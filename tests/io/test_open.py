"""planner.io.open: one way to open a file, each file parsed once per open."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.filegen import budget_files as bg
from tests.filegen import crm_files as cg

from planner.errors import InputError
from planner.io import open as opening
from planner.io.budget import load_budget
from planner.io.crm import load_deals
from planner.io.open import (
    SHEET,
    SourceFile,
    inspect_file,
    load_file,
    load_mapped,
    open_file,
    top_rows,
)
from planner.io.types import Budget, Deals


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """Every time io.open parses a file's cells (the real reader runs; its calls are counted)."""
    calls: list[Path] = []
    real = opening.read_sheets

    def counted(path, **kwargs):
        calls.append(Path(path))
        return real(path, **kwargs)

    monkeypatch.setattr(opening, "read_sheets", counted)
    return calls


def _same_deals(a: Deals, b: Deals) -> None:
    assert len(a) == len(b)
    assert list(a.outcome) == list(b.outcome) and list(a.source) == list(b.source)
    assert np.array_equal(a.amount, b.amount, equal_nan=True)
    assert a.columns == b.columns and a.currency == b.currency and a.notices == b.notices


def test_a_confident_crm_export_is_parsed_once_and_reads_as_load_deals(tmp_path, reads) -> None:
    path = tmp_path / "hubspot.xlsx"
    cg.write_hubspot_xlsx(path, cg.make_deals(80, seed=3))
    got = inspect_file(path)
    assert reads == [path]
    assert got.kind == "crm" and got.request is None and got.source is None
    assert isinstance(got.data, Deals)
    _same_deals(got.data, load_deals(path))


def test_a_confident_budget_is_parsed_once_and_reads_as_load_budget(tmp_path, reads) -> None:
    path = tmp_path / "budget.xlsx"
    exp = bg.write_wide_xlsx(path, bg.make_lines(seed=4))
    got = inspect_file(path)
    assert reads == [path]
    assert got.kind == "budget" and got.request is None
    assert isinstance(got.data, Budget)
    assert got.data.months == exp.months and got.data.total == pytest.approx(exp.total)
    again = load_budget(path)
    assert [ln.name for ln in got.data.lines] == [ln.name for ln in again.lines]
    assert [ln.total for ln in got.data.lines] == [ln.total for ln in again.lines]
    assert (got.data.currency, got.data.sheet, got.data.notices) == (
        again.currency,
        again.sheet,
        again.notices,
    )


def test_an_unsure_file_keeps_its_cells_for_the_answer(tmp_path, reads) -> None:
    """Two deal sheets: the user is asked, and the answer is read from the cells already read."""
    path = tmp_path / "two.xlsx"
    _, last_year = cg.write_two_deal_sheets_xlsx(
        path, cg.make_deals(50, seed=1), cg.make_deals(90, seed=2), ("2025", "2024")
    )
    got = inspect_file(path)
    assert got.data is None and got.request is not None and got.request.choose_sheet
    assert isinstance(got.source, SourceFile)
    assert [p.name for p in got.request.previews] == ["2025", "2024"]
    answer = {**got.request.detected, SHEET: "2024"}
    deals = load_mapped(got.source, "crm", answer)
    assert reads == [path]  # previews of both sheets and the mapped load: one parse
    assert isinstance(deals, Deals) and len(deals) == last_year.rows
    _same_deals(deals, load_mapped(path, "crm", answer))


def test_an_unsure_budget_previews_sheets_from_the_top(tmp_path, reads) -> None:
    path = tmp_path / "plan-and-actuals.xlsx"
    bg.write_two_budgets_xlsx(path, bg.make_lines(seed=1), bg.make_lines(seed=2)[:5])
    got = inspect_file(path)
    assert got.request is not None and got.request.kind == "budget"
    assert got.request.sheets == ("Budget 2026", "Actuals 2025")
    assert got.request.previews[0].rows[0][0] == "Line"
    budget = load_mapped(got.source, "budget", {SHEET: "Actuals 2025"})
    assert reads == [path]
    assert isinstance(budget, Budget) and budget.sheet == "Actuals 2025"


def test_load_file_detects_and_reads_without_asking(tmp_path) -> None:
    crm, budget = tmp_path / "deals.csv", tmp_path / "plan.xlsx"
    cg.write_salesforce_csv(crm, cg.make_deals(40, seed=6))
    bg.write_wide_xlsx(budget, bg.make_lines(seed=6))
    kind, deals = load_file(crm)
    assert kind == "crm"
    _same_deals(deals, load_deals(crm))  # type: ignore[arg-type]
    kind, plan = load_file(budget)
    assert kind == "budget" and plan.total == pytest.approx(load_budget(budget).total)  # type: ignore[union-attr]


def test_a_file_that_is_neither_is_one_line(tmp_path) -> None:
    path = tmp_path / "weather.csv"
    cg.write_weather_csv(path)
    with pytest.raises(InputError) as err:
        load_file(path)
    assert "weather.csv" in str(err.value) and "\n" not in str(err.value)


def test_budget_cells_read_as_the_budget_reader_reads_them(tmp_path) -> None:
    """Blank cells are "" for the CRM reader and None for the budget reader, from one read."""
    path = tmp_path / "plan.csv"
    bg.write_wide_csv(path, bg.make_lines("da", seed=2))
    source = open_file(path)
    from planner.io.tabular import read_sheets

    assert [s.rows for s in source.budget_sheets] == [s.rows for s in read_sheets(path)]


def test_top_rows_skip_blank_rows_and_trailing_cells() -> None:
    rows = [[None, None], ["Budget 2026", None, ""], [], ["Line", "Jan", 2026.0]]
    assert top_rows(rows) == (("Budget 2026",), ("Line", "Jan", "2026"))
    assert len(top_rows([["x"]] * 50)) == opening.BUDGET_PREVIEW_ROWS
