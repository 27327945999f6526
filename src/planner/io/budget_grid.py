"""Find the budget in one sheet's grid of cells: months, line items, sections, totals.

This is the part of budget import that knows nothing about files: it works
on rows of cell values (plus, for workbooks, the formulas and number formats
of the cells), so it is tested on plain lists and reused for xlsx and CSV.

Two layouts are recognised:

* wide: a header row with month labels across (and a name column on the
  left); every row below is a line item, a section header, a subtotal or a
  total;
* long: one row per line and month, with a month (or date) column, an
  amount column and a name column.

Subtotal and total rows are left out by their label ("Sum ...", "I alt",
"Gesamt"...) or by their formulas (a SUM down the month column), and
section rows that carry their section's sum are recognised by arithmetic,
so nothing is counted twice.

The work is in rooms: `budget_sheet` (cells, months, amounts), `budget_wide`
and `budget_long` (the two layouts), `budget_lines` (lines, sections,
totals) and `budget_currency`; this module picks the layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from planner.io.budget_currency import currency_from_format
from planner.io.budget_long import find_long, parse_long
from planner.io.budget_sheet import (
    Evaluator,
    Grid,
    GridBudget,
    Loader,
    NotABudget,
    Pos,
    find_month_header,
    is_total_label,
)
from planner.io.budget_wide import parse_wide

__all__ = [
    "Evaluator",
    "Grid",
    "GridBudget",
    "Loader",
    "NotABudget",
    "Pos",
    "currency_from_format",
    "is_total_label",
    "parse_grid",
]


def parse_grid(
    grid: Grid, hints: Sequence[tuple[str, str]] = (), today: date | None = None
) -> GridBudget:
    """The budget in one sheet; NotABudget (with a one-line reason) when there is none.

    `hints` are extra (where, text) places that may name the year, such as
    ("file name", "budget_2026.xlsx"); the title rows and sheet name are
    always looked at first.
    """
    today = today or date.today()
    header = find_month_header(grid)
    if header is not None:
        return parse_wide(grid, header[0], header[1], hints, today)
    long = find_long(grid)
    if long is not None:
        return parse_long(grid, long, hints, today)
    raise NotABudget(
        "no month columns or month rows found (expected month names like 'Jan', 'januar', "
        "'Mär', dates or 'YYYY-MM' in a header row, or a month column)"
    )
