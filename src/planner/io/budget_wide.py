"""Wide budgets: a header row with months across, a line name on the left, one line per row.

Rows below the header are line items, section headers, subtotals or totals;
subtotals are told by their label (`is_total_label`) or by their formulas
(a SUM down the month column), and an unlabelled row that repeats a sum is
left out, so nothing is counted twice. The table ends at a second month
header with other months.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime

import numpy as np
import numpy.typing as npt

from planner.io.budget_currency import budget_currency, guess_language
from planner.io.budget_lines import (
    Line,
    Total,
    check_plausible,
    check_total,
    finish_lines,
    fold_section_sums,
)
from planner.io.budget_sheet import (
    MAX_MONTHS,
    MIN_MONTH_COLUMNS,
    Amounts,
    Grid,
    GridBudget,
    NotABudget,
    as_year,
    is_blank,
    is_numeric_text,
    is_total_label,
    label_text,
    listed,
    month_cells,
    texts_of,
    year_places,
    years_or_hint,
)
from planner.io.months import MonthRef, month_from_index
from planner.io.notices import Notice
from planner.io.sniff import detect_decimal, parse_number
from planner.io.spend_classes import classify_category, is_category_header
from planner.io.text import cell_text
from planner.io.vocab import LINE_HEADER_STEMS


def parse_wide(
    grid: Grid,
    h: int,
    header_cells: list[tuple[int, MonthRef]],
    hints: Sequence[tuple[str, str]],
    today: date,
) -> GridBudget:
    """The budget of a sheet whose row `h` holds month labels (`header_cells`) across."""
    rows = grid.rows
    notices: list[Notice] = []
    header_cells = _without_far_years(header_cells, grid, h, notices)
    refs = [ref for _, ref in header_cells]
    if h > 0:  # a year row above the months ("2026" merged over Jan..Dec)
        for i, (c, (y, m)) in enumerate(header_cells):
            year = as_year(grid.cell(h - 1, c))
            if y is None and year is not None:
                refs[i] = (year, m)
    title_texts = texts_of(rows[:h])
    indexes, year_from = years_or_hint(
        refs, year_places(title_texts, grid.name, hints), today, notices
    )

    col_month: dict[int, int] = {}
    dupes: list[str] = []
    for (c, _), idx in zip(header_cells, indexes, strict=True):
        if idx in col_month.values():
            dupes.append(month_from_index(idx))
            continue
        col_month[c] = idx
    if dupes:
        notices.append(
            Notice(
                "months_repeated",
                f"month columns repeated ({listed(dupes)}); the first of each was read",
                len(dupes),
            )
        )
    first, last = min(col_month.values()), max(col_month.values())
    if last - first + 1 > MAX_MONTHS:
        raise NotABudget(
            f"month columns span {last - first + 1} months ({month_from_index(first)} to "
            f"{month_from_index(last)}); not a monthly budget",
            promise=2,
        )
    months = tuple(month_from_index(i) for i in range(first, last + 1))
    missing = sorted(set(range(first, last + 1)) - set(col_month.values()))
    if missing:
        notices.append(
            Notice(
                "months_missing",
                f"no column for {listed([month_from_index(i) for i in missing])}; counted as 0",
                len(missing),
            )
        )
    month_cols = sorted(col_month)
    slot = {c: col_month[c] - first for c in month_cols}

    # The table ends at a second month header with other months (another table).
    end = len(rows)
    header_months = {m for _, m in refs}
    for r in range(h + 1, len(rows)):
        row = rows[r]
        if sum(1 for c in month_cols if c < len(row) and isinstance(row[c], str)) >= 3:
            found = month_cells([row[c] if c < len(row) else None for c in month_cols])
            if (
                len(found) >= MIN_MONTH_COLUMNS
                and {m for _, m in (f[1] for f in found)} != header_months
            ):
                end = r
                break

    if all(all(is_blank(v) for v in rows[r]) for r in range(h + 1, end)):
        raise NotABudget(f"found month columns in row {h + 1} but no rows below them", promise=2)
    name_col, category_col, group_cols = _label_columns(grid, h, end, month_cols)
    if name_col is None:
        raise NotABudget(
            f"found month columns in row {h + 1} but no column of line names left of them",
            promise=2,
        )
    decimal = detect_decimal(
        rows[r][c]
        for r in range(h + 1, min(end, h + 2001))
        for c in month_cols
        if c < len(rows[r]) and isinstance(rows[r][c], str)
    )
    reader = Amounts(grid, decimal)
    header_row = rows[h]

    events: list[Line | Total | str] = []
    lines: list[Line] = []
    unnamed: list[str] = []
    section: str | None = None
    table_top = h + 1
    last_total: Total | None = None
    n = len(months)
    for r in range(h + 1, end):
        row = rows[r]
        name = label_text(row[name_col]) if name_col < len(row) else ""
        group = next((t for c in group_cols if c < len(row) and (t := label_text(row[c]))), "")
        label = name or group
        cells = [(c, row[c] if c < len(row) else None) for c in month_cols]
        has_values = any(not is_blank(v) or (r, c) in reader.formulas for c, v in cells)
        if not label and not has_values:
            continue
        if label and is_total_label(label):
            amounts = _total_amounts(reader, r, cells, slot, n)
            last_total = Total(r, label, amounts)
            events.append(last_total)
            section, table_top = None, r + 1
            continue
        if has_values and reader.formulas:
            sums = [
                reader.is_sum_down(r, c, table_top) for c, v in cells if (r, c) in reader.formulas
            ]
            if sums and sum(sums) * 2 > len(sums):  # a subtotal row, labelled or not
                if label and not is_total_label(label):
                    section = label  # a section header that carries its sum
                events.append(Total(r, label or "(subtotal)", None))
                continue
        if not has_values:
            if _parse_row_header(row, month_cols, header_months):
                continue  # the header repeated (printed page breaks)
            section = label
            events.append(label)
            continue
        if name and group:
            section = group
        amounts = np.zeros(n)
        problems: list[str] = []
        for c, v in cells:
            value, problem = reader.read(r, c, v)
            if value is not None:
                amounts[slot[c]] += value
            if problem:
                problems.append(f"{_header_label(header_row, c)}: {problem}")
        if not label:
            if _matches_a_sum(amounts, lines, events):
                events.append(Total(r, "(total)", amounts))
                continue
            unnamed.append(f"row {r + 1}")
            continue
        category = (
            row[category_col] if category_col is not None and category_col < len(row) else None
        )
        line = Line(r, label, amounts, section, category, problems)
        lines.append(line)
        events.append(line)

    fold_section_sums(events)
    lines = [ln for ln in lines if not ln.is_section]
    if not lines:
        raise NotABudget(
            f"found month columns in row {h + 1} but no line items with amounts below them",
            promise=2,
        )
    if unnamed:
        notices.append(
            Notice(
                "rows_left_out",
                f"amounts without a line name were left out: {listed(unnamed)}",
                len(unnamed),
            )
        )
    check_total(last_total, lines, notices)
    check_plausible(lines)
    budget_lines = finish_lines(lines, notices)

    last_row = max(ln.row for ln in lines)
    notes = title_texts + texts_of(rows[last_row + 1 : last_row + 30])
    header_texts = [
        label_text(header_row[c]) for c in range(len(header_row)) if label_text(header_row[c])
    ]
    formats = [
        grid.formats[(ln.row, c)]
        for ln in lines[:200]
        for c in month_cols
        if (ln.row, c) in grid.formats
    ]
    language = guess_language(header_texts + title_texts + [ln.label for ln in lines[:200]])
    currency = budget_currency(
        header_texts, notes, formats, reader.currency_texts, grid.name, language
    )
    return GridBudget(months, budget_lines, currency, tuple(notices), "wide", h, year_from)


FIRST_YEAR, LAST_YEAR = 1900, 2200
"""Years a budget month may name; others are placeholders (9999-12-31) or typos."""


def _without_far_years(
    header_cells: list[tuple[int, MonthRef]], grid: Grid, h: int, notices: list[Notice]
) -> list[tuple[int, MonthRef]]:
    """The month columns without those dated outside FIRST_YEAR-LAST_YEAR, which a notice names.

    Left in, one "Dec 9999" column would make the budget span 95,000 months
    and be refused; dropped without a word, its spend would vanish.
    """
    far = [(c, ref) for c, ref in header_cells if ref[0] is not None and not FIRST_YEAR <= ref[0] <= LAST_YEAR]
    if not far or len(far) == len(header_cells):
        return header_cells
    labels = ", ".join(repr(cell_text(grid.cell(h, c))) for c, _ in far[:3])
    notices.append(
        Notice(
            "months_out_of_range",
            f"{len(far)} month {'column' if len(far) == 1 else 'columns'} dated outside "
            f"{FIRST_YEAR}-{LAST_YEAR} ({labels}) left out, with the amounts under them",
            len(far),
        )
    )
    return [hc for hc in header_cells if hc not in far]


def _parse_row_header(row: Sequence[object], month_cols: list[int], months: set[int]) -> bool:
    cells = [row[c] if c < len(row) else None for c in month_cols]
    found = month_cells(cells)
    return len(found) >= MIN_MONTH_COLUMNS and {m for _, (_, m) in found} == months


def _total_amounts(
    reader: Amounts, r: int, cells: list[tuple[int, object]], slot: Mapping[int, int], n: int
) -> np.ndarray | None:
    """The numbers a total row shows, or None when it holds formulas without saved values."""
    amounts = np.zeros(n)
    for c, v in cells:
        if is_blank(v):
            if (r, c) in reader.formulas:
                return None
            continue
        if isinstance(v, int | float) and not isinstance(v, bool):
            amounts[slot[c]] += float(v)
        else:
            try:
                amounts[slot[c]] += parse_number(v, reader.decimal) or 0.0
            except ValueError:
                return None
    return amounts


def _matches_a_sum(
    amounts: npt.NDArray[np.float64], lines: list[Line], events: list[Line | Total | str]
) -> bool:
    """Whether an unlabelled row repeats the sum of all lines, or of those since the last total."""
    if not lines:
        return False
    since: list[np.ndarray] = []
    for ev in reversed(events):
        if isinstance(ev, Total):
            break
        if isinstance(ev, Line):
            since.append(ev.amounts)
    candidates = [np.sum([ln.amounts for ln in lines], axis=0)]
    if since:
        candidates.append(np.sum(since, axis=0))
    return any(np.allclose(amounts, c, rtol=1e-6, atol=0.01) for c in candidates)


def _header_label(header: Sequence[object], c: int) -> str:
    value = header[c] if c < len(header) else None
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m")
    return label_text(value) or f"column {c + 1}"


NAME_HEADER = re.compile(r"(?i)(?:" + "|".join(LINE_HEADER_STEMS) + ")")
"""A header naming the line-name column ("Budgetpost", "Maßnahme", "Channel")."""


def _label_columns(
    grid: Grid, h: int, end: int, month_cols: list[int]
) -> tuple[int | None, int | None, list[int]]:
    """(name column, category column, other label columns) of a wide table.

    The name column is the text column left of the months with the most
    distinct values; a category column is named like one ("Kategori",
    "Objective") or mostly holds class words ("Brand", "Lead gen").
    """
    rows = grid.rows
    header = rows[h]
    sample = range(h + 1, min(end, h + 1 + 2000))
    month_set = set(month_cols)
    width = max((len(rows[r]) for r in sample), default=0)
    distinct: dict[int, set[str]] = {}
    class_votes: dict[int, tuple[int, int]] = {}
    for c in range(width):
        if c in month_set:
            continue
        values = [label_text(rows[r][c]) for r in sample if c < len(rows[r])]
        texts = [t for t in values if t and not is_numeric_text(t)]
        if not texts:
            continue
        distinct[c] = set(texts)
        classed = sum(1 for t in texts if classify_category(t) is not None)
        class_votes[c] = (classed, len(texts))
    category_col = None
    for c, (classed, total) in class_votes.items():
        named = is_category_header(header[c] if c < len(header) else None)
        if (named and classed * 3 >= total) or (total >= 2 and classed * 10 >= total * 6):
            if NAME_HEADER.search(label_text(header[c] if c < len(header) else None)) and not named:
                continue
            category_col = c
            break
    left = [c for c in distinct if c < month_cols[0] and c != category_col]
    if not left:
        return None, category_col, []
    name_col = max(left, key=lambda c: (len(distinct[c]), -c))
    groups = [c for c in left if c != name_col and c < name_col]
    return name_col, category_col, groups
