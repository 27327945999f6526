"""One sheet of a budget as the parsers see it: its cells, how they read as text, amounts and months.

`Grid` holds a sheet's cached values (and, for workbooks, formulas and number
formats on first use); the helpers here are shared by the wide and the long
parser: label text, total labels, month headers, the year of month labels,
and `Amounts`, which turns a cell into a number and says why it could not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from planner.io.budget_formula import FormulaError, references
from planner.io.months import MonthRef, fill_years, parse_month, year_in_text
from planner.io.notices import Notice, messages
from planner.io.sniff import detect_date_order, parse_number
from planner.io.text import normalise
from planner.io.types import BudgetLine
from planner.io.vocab import TOTAL_SUFFIX_WORDS, TOTAL_WORDS

HEADER_SCAN_ROWS = 60
"""How far down a sheet the header row may sit (titles and notes come first)."""


MIN_MONTH_COLUMNS = 3
"""A header row needs this many month labels to be the month header of a wide budget."""


MAX_MONTHS = 120
"""A budget longer than ten years is a misread header, not a plan."""


MAX_WARNINGS_LISTED = 5
"""Warnings name at most this many rows or lines; the rest are counted."""


Pos = tuple[int, int]


Loader = Callable[[], tuple[Mapping[Pos, str], Mapping[Pos, str]]]


Evaluator = Callable[[int, int], float | None]


class NotABudget(Exception):
    """The grid holds no budget; `problem` is the one-line reason for the user."""

    def __init__(self, problem: str, promise: int = 0) -> None:
        super().__init__(problem)
        self.problem = problem
        self.promise = promise  # how far detection got: picks the most useful message


class Grid:
    """One sheet: cached cell values, and (workbooks) formulas and number formats.

    Formulas and formats are loaded on first use, so a sheet that turns out
    not to hold months costs only a look at its values.
    """

    def __init__(
        self,
        name: str,
        rows: list[list[object]],
        loader: Loader | None = None,
        evaluate: Evaluator | None = None,
    ) -> None:
        self.name = name
        self.rows = rows
        self._loader = loader
        self.evaluate = evaluate  # value of a formula cell that has no cached value

    @cached_property
    def _extras(self) -> tuple[Mapping[Pos, str], Mapping[Pos, str]]:
        return self._loader() if self._loader else ({}, {})

    @property
    def formulas(self) -> Mapping[Pos, str]:
        """(row, col) -> formula text ("=SUM(C4:C9)"), 0-based like `rows`."""
        return self._extras[0]

    @property
    def formats(self) -> Mapping[Pos, str]:
        """(row, col) -> number format of a cell, where it is not "General"."""
        return self._extras[1]

    def cell(self, r: int, c: int) -> object:
        row = self.rows[r] if 0 <= r < len(self.rows) else ()
        return row[c] if 0 <= c < len(row) else None


@dataclass(frozen=True)
class GridBudget:
    """What one sheet holds, before it becomes a `Budget`."""

    months: tuple[str, ...]
    lines: tuple[BudgetLine, ...]
    currency: str | None
    notices: tuple[Notice, ...]
    layout: str  # "wide" | "long"
    header_row: int = -1  # 0-based row of the month header (wide) or column header (long)
    year_from: str = "labels"  # where month years came from: "labels" | "hint" | "today"

    @property
    def warnings(self) -> tuple[str, ...]:
        """The notices' one-line messages."""
        return messages(self.notices)


_TOTAL = re.compile(
    r"^(?:"
    + "|".join(map(re.escape, sorted(TOTAL_WORDS, key=len, reverse=True)))
    + r")\b|\b(?:"
    + "|".join(map(re.escape, sorted(TOTAL_SUFFIX_WORDS, key=len, reverse=True)))
    + r")$"
)


def is_total_label(text: str) -> bool:
    """Whether a row label marks a subtotal or total ("Sum merkevare", "I alt", "Gesamt")."""
    return bool(_TOTAL.search(normalise(text)))


def label_text(value: object) -> str:
    if isinstance(value, str):
        return " ".join(value.split())
    return ""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_year(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and float(value).is_integer() and 1990 <= value <= 2100:
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*(?:FY\s*)?(19[89]\d|20\d\d)\s*", value, re.I):
        return int(re.search(r"\d{4}", value).group())  # type: ignore[union-attr]
    return None


def is_numeric_text(text: str) -> bool:
    try:
        return parse_number(text) is not None
    except ValueError:
        return False


def texts_of(rows: Sequence[Sequence[object]]) -> list[str]:
    return [t for row in rows for v in row if (t := label_text(v))]


def listed(items: Sequence[str]) -> str:
    shown = ", ".join(items[:MAX_WARNINGS_LISTED])
    more = len(items) - MAX_WARNINGS_LISTED
    return f"{shown} and {more} more" if more > 0 else shown


_SYMBOLS = re.compile(r"[^\d\s.,()'+-]")


class Amounts:
    """Turns month cells into numbers and remembers what it could not read."""

    def __init__(self, grid: Grid, decimal: str | None) -> None:
        self.grid = grid
        self.decimal = decimal
        self.formulas = grid.formulas
        self.currency_texts: list[str] = []

    def read(self, r: int, c: int, value: object) -> tuple[float | None, str | None]:
        """(amount or None for blank, problem or None)."""
        if is_blank(value):
            formula = self.formulas.get((r, c))
            if formula is None:
                return None, None
            if self.grid.evaluate is None:
                return 0.0, f"formula {formula} has no saved value"
            try:
                return self.grid.evaluate(r, c) or 0.0, None
            except FormulaError as exc:
                return 0.0, f"formula {formula} has no saved value and {exc}"
        if isinstance(value, bool | datetime | date):
            return 0.0, f"{value!r} is not an amount"
        if isinstance(value, int | float):
            return (float(value), None) if value == value else (None, None)
        if isinstance(value, str) and len(self.currency_texts) < 50 and _SYMBOLS.search(value):
            self.currency_texts.append(value)
        try:
            return parse_number(value, self.decimal), None
        except ValueError:
            return 0.0, f"{label_text(value)!r} is not a number"

    def is_sum_down(self, r: int, c: int, top: int) -> bool:
        """Whether cell (r, c) is a subtotal formula: a SUM or a + chain of cells above it."""
        formula = self.formulas.get((r, c))
        if formula is None:
            return False
        try:
            refs, used = references(formula)
        except FormulaError:
            return False
        if not refs or used - {"SUM", "+", "(", ")", ",", ";"}:
            return False
        if any(ref.sheet or ref.col != c or ref.col2 != c for ref in refs):
            return False
        rows = sum(ref.row2 - ref.row + 1 for ref in refs)
        inside = all(top <= ref.row and ref.row2 < r for ref in refs)
        return inside and ("SUM" in used or rows >= 2)


def find_month_header(
    grid: Grid, start: int = 0, limit: int = HEADER_SCAN_ROWS
) -> tuple[int, list[tuple[int, MonthRef]]] | None:
    """The row (from `start`, within `limit` rows) with the most month labels, and those labels."""
    best: tuple[int, list[tuple[int, MonthRef]]] | None = None
    for r in range(start, min(len(grid.rows), start + limit)):
        found = month_cells(grid.rows[r])
        if len(found) >= MIN_MONTH_COLUMNS and (best is None or len(found) > len(best[1])):
            best = (r, found)
    return best


def month_cells(row: Sequence[object]) -> list[tuple[int, MonthRef]]:
    candidates = [(c, v) for c, v in enumerate(row) if isinstance(v, str | datetime | date)]
    if len(candidates) < MIN_MONTH_COLUMNS:
        return []
    order = detect_date_order(v for _, v in candidates)
    found: list[tuple[int, MonthRef]] = []
    for c, v in candidates:
        ref = parse_month(v, order)
        if ref is not None:
            found.append((c, ref))
    return found


def year_hint(texts: Sequence[tuple[str, str]]) -> tuple[int, str] | None:
    """The first year named in (where, text) pairs: title rows, sheet name, file name."""
    for where, text in texts:
        year = year_in_text(text)
        if year is not None:
            return year, where
    return None


def years_or_hint(
    refs: list[MonthRef], hints: Sequence[tuple[str, str]], today: date, notices: list[Notice]
) -> tuple[list[int], str]:
    """Month indexes for the labels, and where their year came from ("labels", "hint", "today").

    A year taken from this year's date is a guess the import dialog asks about.
    """
    if any(y is not None for y, _ in refs):
        return fill_years(refs, None), "labels"  # type: ignore[return-value]
    found = year_hint(hints)
    if found is not None:
        year, where = found
        notices.append(
            Notice("year_assumed", f"month labels have no year; used {year} from the {where}")
        )
        origin = "hint"
    else:
        year = today.year
        notices.append(
            Notice(
                "year_assumed",
                f"month labels have no year and the title, notes and sheet name name none; "
                f"assumed {year} (this year)",
            )
        )
        origin = "today"
    return fill_years(refs, year), origin  # type: ignore[return-value]


def year_places(
    titles: list[str], sheet: str, hints: Sequence[tuple[str, str]]
) -> list[tuple[str, str]]:
    places = [(f"title {t!r}", t) for t in titles]
    places.append((f"sheet name {sheet!r}", sheet))
    return places + list(hints)
