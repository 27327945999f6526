"""Long budgets: one row per line and month, with a month (or date) column, an amount and a name.

The header is found by words (`planner.io.vocab`: period, year and amount
words) and each candidate column is checked against the data below it, so
a CRM export's close dates (any day of the month) are not taken for months.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from planner.io.budget_currency import budget_currency, guess_language
from planner.io.budget_lines import Line, check_plausible, finish_lines
from planner.io.budget_sheet import (
    HEADER_SCAN_ROWS,
    MAX_MONTHS,
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
    texts_of,
    year_hint,
    year_places,
)
from planner.io.budget_wide import NAME_HEADER
from planner.io.months import MonthRef, month_day, month_from_index, month_index, parse_month
from planner.io.notices import Notice
from planner.io.sniff import detect_currency, detect_date_order, detect_decimal, parse_number
from planner.io.spend_classes import is_category_header
from planner.io.vocab import AMOUNT_HEADER_STEMS, PERIOD_WORDS, YEAR_WORDS

_MONTH_HEADER = re.compile(r"(?i)\b(?:" + "|".join(PERIOD_WORDS) + r")\b")


_YEAR_HEADER = re.compile(r"(?i)^(?:" + "|".join(YEAR_WORDS) + r")$")


_AMOUNT_HEADER = re.compile(r"(?i)(?:" + "|".join(AMOUNT_HEADER_STEMS) + ")")


@dataclass(frozen=True)
class LongColumns:
    header: int
    month: int
    amount: int
    name: int
    category: int | None
    group: int | None
    year: int | None
    order: str


def find_long(grid: Grid) -> LongColumns | None:
    """Header and columns of a one-row-per-month table, checked against the data below."""
    rows = grid.rows
    for h in range(min(len(rows), HEADER_SCAN_ROWS)):
        header = [label_text(v) for v in rows[h]]
        month_cols = [c for c, t in enumerate(header) if t and _MONTH_HEADER.search(t)]
        amount_cols = [
            c
            for c, t in enumerate(header)
            if t and (_AMOUNT_HEADER.search(t) or detect_currency(t)) and c not in month_cols
        ]
        if not month_cols or not amount_cols:
            continue
        data = [rows[r] for r in range(h + 1, min(len(rows), h + 301))]
        year_col = next((c for c, t in enumerate(header) if _YEAR_HEADER.match(t)), None)
        month = next((c for c in month_cols if _month_column(data, c, year_col is not None)), None)
        amount = next((c for c in amount_cols if _amount_column(data, c)), None)
        if month is None or amount is None:
            continue
        used = {month, amount, year_col}
        width = max(len(r) for r in data) if data else 0
        distinct: dict[int, set[str]] = {}
        for c in range(width):
            if c in used:
                continue
            texts = {
                t
                for row in data
                if c < len(row) and (t := label_text(row[c])) and not is_numeric_text(t)
            }
            if texts:
                distinct[c] = texts
        category = next(
            (c for c in distinct if is_category_header(header[c] if c < len(header) else "")), None
        )
        names = [c for c in distinct if c != category]
        if not names:
            continue
        named = [c for c in names if c < len(header) and NAME_HEADER.search(header[c])]
        name = named[0] if named else max(names, key=lambda c: (len(distinct[c]), -c))
        group = next((c for c in names if c != name and c < name), None)
        order = detect_date_order(row[month] for row in data if month < len(row))
        return LongColumns(h, month, amount, name, category, group, year_col, order)
    return None


def _month_column(data: list[list[object]], c: int, numbers_ok: bool) -> bool:
    values = [row[c] for row in data if c < len(row) and not is_blank(row[c])]
    if len(values) < 2:
        return False
    hits, days = 0, set()
    for v in values:
        if parse_month(v) is not None or (numbers_ok and _month_number(v) is not None):
            hits += 1
            day = month_day(v)
            if day is not None:
                days.add(day)
    # Dates must all fall on one day of the month (or month ends): a CRM's close dates do not.
    return hits >= 0.8 * len(values) and (len(days) <= 1 or days <= {28, 29, 30, 31})


def _month_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() and 1 <= number <= 12 else None


def _amount_column(data: list[list[object]], c: int) -> bool:
    values = [row[c] for row in data if c < len(row) and not is_blank(row[c])]
    if len(values) < 2:
        return False
    return sum(1 for v in values if _is_number(v)) >= 0.8 * len(values)


def _is_number(value: object) -> bool:
    if isinstance(value, bool | datetime | date):
        return False
    try:
        return parse_number(value) is not None
    except ValueError:
        return False


def parse_long(
    grid: Grid, cols: LongColumns, hints: Sequence[tuple[str, str]], today: date
) -> GridBudget:
    """The budget of a one-row-per-month table whose header and columns `find_long` found."""
    rows = grid.rows
    notices: list[Notice] = []
    h = cols.header
    decimal = detect_decimal(
        row[cols.amount] for row in rows[h + 1 : h + 2001] if cols.amount < len(row)
    )
    reader = Amounts(grid, decimal)

    # First pass: month labels (years may be missing and come from a hint).
    entries: list[tuple[int, str, MonthRef, object, object, object]] = []
    skipped: list[str] = []
    for r in range(h + 1, len(rows)):
        row = rows[r]

        def get(c: int | None, row: list[object] = row) -> object:
            return row[c] if c is not None and c < len(row) else None

        name = label_text(get(cols.name))
        month_value = get(cols.month)
        if (not name and is_blank(month_value)) or (name and is_total_label(name)):
            continue
        if isinstance(month_value, str) and is_total_label(month_value):
            continue
        ref = parse_month(month_value, cols.order)
        if ref is None and cols.year is not None:
            number = _month_number(month_value)
            ref = (None, number) if number is not None else None
        if ref is not None and ref[0] is None and cols.year is not None:
            ref = (as_year(get(cols.year)), ref[1])
        if ref is None or not name:
            if is_blank(get(cols.amount)) and (r, cols.amount) not in reader.formulas:
                continue  # a note or a blank line
            skipped.append(f"row {r + 1}")
            continue
        entries.append((r, name, ref, get(cols.amount), get(cols.category), get(cols.group)))
    if not entries:
        raise NotABudget(
            f"found a month column and an amount column in row {h + 1} but no rows with both",
            promise=2,
        )
    if skipped:
        notices.append(
            Notice(
                "rows_left_out",
                f"rows without a month or a line name were left out: {listed(skipped)}",
                len(skipped),
            )
        )

    year_from = "labels"
    if any(ref[0] is None for _, _, ref, *_ in entries):
        hint_refs = [ref for _, _, ref, *_ in entries]
        known = [y for y, _ in hint_refs if y is not None]
        if known:
            year = min(known)
        else:
            found = year_hint(year_places(texts_of(rows[:h]), grid.name, hints))
            if found:
                year, where = found
                notices.append(
                    Notice(
                        "year_assumed", f"month labels have no year; used {year} from the {where}"
                    )
                )
                year_from = "hint"
            else:
                year = today.year
                notices.append(
                    Notice("year_assumed", f"month labels have no year; assumed {year} (this year)")
                )
                year_from = "today"
        entries = [(r, n, (ref[0] or year, ref[1]), a, k, g) for r, n, ref, a, k, g in entries]

    indexes = [month_index(ref[0], ref[1]) for _, _, ref, *_ in entries]  # type: ignore[arg-type]
    first, last = min(indexes), max(indexes)
    if last - first + 1 > MAX_MONTHS:
        raise NotABudget(
            f"months span {last - first + 1} months ({month_from_index(first)} to "
            f"{month_from_index(last)}); not a monthly budget",
            promise=2,
        )
    n = last - first + 1
    months = tuple(month_from_index(i) for i in range(first, last + 1))
    by_key: dict[tuple[str, str | None], Line] = {}
    for (r, name, _, raw, category, group), idx in zip(entries, indexes, strict=True):
        section = label_text(group) or None
        key = (name, section)
        line = by_key.get(key)
        if line is None:
            line = by_key[key] = Line(r, name, np.zeros(n), section, category)
        elif is_blank(line.category) and not is_blank(category):
            line.category = category
        value, problem = reader.read(r, cols.amount, raw)
        if value is not None:
            line.amounts[idx - first] += value
        if problem:
            line.problems.append(f"{month_from_index(idx)}: {problem}")
    lines = list(by_key.values())
    present = set(indexes)
    if len(present) < n:
        absent = [month_from_index(i) for i in range(first, last + 1) if i not in present]
        notices.append(
            Notice("months_missing", f"no rows for {listed(absent)}; counted as 0", len(absent))
        )
    check_plausible(lines)
    budget_lines = finish_lines(lines, notices)

    header_texts = [t for v in rows[h] if (t := label_text(v))]
    title_texts = texts_of(rows[:h])
    formats = [
        grid.formats[(r, cols.amount)]
        for r, *_ in entries[:200]
        if (r, cols.amount) in grid.formats
    ]
    language = guess_language(header_texts + title_texts + [ln.label for ln in lines[:200]])
    currency = budget_currency(
        [label_text(rows[h][cols.amount])],
        title_texts + header_texts,
        formats,
        reader.currency_texts,
        grid.name,
        language,
    )
    return GridBudget(
        months, budget_lines, currency, tuple(notices), "long", cols.header, year_from
    )
