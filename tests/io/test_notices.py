"""planner.io.notices: what an import wants the user to know, as records both Budget and Deals carry."""

from __future__ import annotations

from datetime import date

import pytest
from tests.filegen import budget_files as bg
from tests.filegen import crm_files as cg

from planner.io.budget import load_budget
from planner.io.crm import load_deals
from planner.io.notices import KINDS, Notice


def test_skipped_crm_rows_are_one_notice_with_count_and_first_reasons(tmp_path) -> None:
    path = tmp_path / "with-tbd.xlsx"
    cg.write_hubspot_xlsx(path, cg.make_deals(60, bad_amounts=3))
    deals = load_deals(path)
    [notice] = deals.notices
    assert notice.kind == "rows_skipped" and notice.count == 3
    assert notice.details[0] == "row 5: amount 'TBD' is not a number"
    # the old reading path still answers, from the same record
    assert (deals.skipped.count, deals.skipped.reasons) == (notice.count, notice.details)


def test_a_clean_export_has_no_notices(tmp_path) -> None:
    path = tmp_path / "clean.csv"
    cg.write_salesforce_csv(path, cg.make_deals(30, seed=2))
    deals = load_deals(path)
    assert deals.notices == () and deals.skipped.count == 0


def test_budget_notices_have_kinds_and_the_warnings_are_their_messages(tmp_path) -> None:
    path = tmp_path / "no-year.xlsx"
    bg.write_wide_xlsx(path, bg.make_lines(seed=1), title="Marketing budget", sheet="Plan")
    budget = load_budget(path, today=date(2031, 6, 1))
    kinds = [n.kind for n in budget.notices]
    assert "year_assumed" in kinds
    assert budget.warnings == tuple(n.message for n in budget.notices)
    assert all(n.kind in KINDS for n in budget.notices)


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="KINDS"):
        Notice("dates_missin", "typo in a kind")
