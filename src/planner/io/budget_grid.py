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
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

import numpy as np

from planner.io.budget_formula import FormulaError, references
from planner.io.months import (
    MonthRef,
    fill_years,
    month_day,
    month_from_index,
    month_index,
    parse_month,
    year_in_text,
)
from planner.io.sniff import detect_currency, detect_date_order, detect_decimal, parse_number
from planner.io.spend_classes import classify_category, classify_line, is_category_header
from planner.io.types import BudgetLine

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
    warnings: tuple[str, ...]
    layout: str  # "wide" | "long"
    header_row: int = -1  # 0-based row of the month header (wide) or column header (long)
    year_from: str = "labels"  # where month years came from: "labels" | "hint" | "today"


# ---------------------------------------------------------------- words

_TOTAL = re.compile(
    r"^(?:grand total|sub ?total|zwischensumme|gesamtsumme|totalsum|sum|summe|summa|total|totals"
    r"|totalt|i alt|ialt|gesamt|insgesamt|samlet|samlede|sammenlagt|delsum|delsumme|delsumma"
    r"|in summe|overall)\b"
    r"|\b(?:sum|summe|subtotal|sub total|total|totals|totalt|i alt|gesamt|insgesamt|samlet"
    r"|sammenlagt)$"
)
_MONTH_HEADER = re.compile(
    r"(?i)\b(?:month|months|måned|maaned|monat|monate|periode|period|date|dato|datum|mnd|mdr)\b"
)
_YEAR_HEADER = re.compile(r"(?i)^(?:year|år|aar|jahr|fy|fiscal year|regnskabsår|regnskapsår)$")
_AMOUNT_HEADER = re.compile(
    r"(?i)(?:amount|beløb|beløp|belob|belop|betrag|budget|planned|plan\b|spend|cost|kost"
    r"|omkostning|udgift|utgift|ausgabe|value|wert|sum\b|summe|investment|investering|invest)"
)
_NAME_HEADER = re.compile(
    r"(?i)(?:line|item|post\b|poster|budgetpost|channel|kanal|activity|aktivitet|aktivität"
    r"|maßnahme|massnahme|name|navn|bezeichnung|beschreibung|description|beskrivelse"
    r"|tiltag|tiltak|initiative|campaign|kampagne|kampanje|media|medie|medium|tactic|program)"
)
_LANGUAGE_MARKERS: dict[str, tuple[str, ...]] = {
    "da": (
        "i alt",
        "beløb",
        "marts",
        "maj",
        "mærke",
        "kendskab",
        "måned",
        "samlet",
        "udgift",
        "årsbudget",
        "kr.",
    ),
    "nb": (
        "totalt",
        "beløp",
        "mars",
        "mai",
        "desember",
        "des",
        "merkevare",
        "kjennskap",
        "måned",
        "utgift",
        "sponsing",
        "webinarer",
    ),
    "de": (
        "gesamt",
        "summe",
        "betrag",
        "märz",
        "mär",
        "dez",
        "dezember",
        "marke",
        "monat",
        "kosten",
    ),
}


_SYMBOLS = re.compile(r"[^\d\s.,()'+-]")


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def is_total_label(text: str) -> bool:
    """Whether a row label marks a subtotal or total ("Sum merkevare", "I alt", "Gesamt")."""
    return bool(_TOTAL.search(_norm(text)))


def _text(value: object) -> str:
    if isinstance(value, str):
        return " ".join(value.split())
    return ""


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_year(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and float(value).is_integer() and 1990 <= value <= 2100:
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*(?:FY\s*)?(19[89]\d|20\d\d)\s*", value, re.I):
        return int(re.search(r"\d{4}", value).group())  # type: ignore[union-attr]
    return None


def _guess_language(texts: Sequence[str]) -> str | None:
    """da / nb / de from marker words, for the currency "kr" (DKK or NOK)."""
    words = Counter()
    for text in texts:
        low = f" {_norm(text)} "
        for lang, markers in _LANGUAGE_MARKERS.items():
            words[lang] += sum(1 for m in markers if f" {m.rstrip('.')} " in low)
        if "kr." in text.casefold():
            words["da"] += 1
    if not words or words.most_common(1)[0][1] == 0:
        return None
    return words.most_common(1)[0][0]


_FORMAT_LOCALE = re.compile(r"\[\$([^\]-]*)-([0-9A-Fa-f]+)\]")
_FORMAT_SYMBOL = re.compile(r"\[\$([^\]-]+)\]")
_FORMAT_QUOTED = re.compile(r'"([^"]*)"')
_LOCALE_LANGUAGE = {0x406: "da", 0x414: "nb", 0x814: "nb", 0x41D: "sv", 0x407: "de"}


def currency_from_format(fmt: str, language: str | None = None) -> str | None:
    """ISO code from an Excel number format: `#,##0 "kr"`, `[$€-407] #,##0`, `[$kr-414]`."""
    parts: list[str] = []
    for symbol, locale in _FORMAT_LOCALE.findall(fmt):
        parts.append(symbol)
        language = _LOCALE_LANGUAGE.get(int(locale, 16), language)
    parts += _FORMAT_SYMBOL.findall(fmt)
    parts += _FORMAT_QUOTED.findall(fmt)
    bare = _FORMAT_QUOTED.sub(" ", _FORMAT_LOCALE.sub(" ", fmt)).replace("\\", "")
    parts.append(re.sub(r"[#0,.;_*?()%\[\]]", " ", bare))
    for part in parts:
        code = detect_currency(part.strip(), language)
        if code:
            return code
    return None


# ---------------------------------------------------------------- detection


def find_month_header(
    grid: Grid, start: int = 0, limit: int = HEADER_SCAN_ROWS
) -> tuple[int, list[tuple[int, MonthRef]]] | None:
    """The row (from `start`, within `limit` rows) with the most month labels, and those labels."""
    best: tuple[int, list[tuple[int, MonthRef]]] | None = None
    for r in range(start, min(len(grid.rows), start + limit)):
        found = _month_cells(grid.rows[r])
        if len(found) >= MIN_MONTH_COLUMNS and (best is None or len(found) > len(best[1])):
            best = (r, found)
    return best


def _month_cells(row: Sequence[object]) -> list[tuple[int, MonthRef]]:
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


def _years_or_hint(
    refs: list[MonthRef], hints: Sequence[tuple[str, str]], today: date, warnings: list[str]
) -> tuple[list[int], str]:
    """Month indexes for the labels, and where their year came from ("labels", "hint", "today").

    A year taken from this year's date is a guess the import dialog asks about.
    """
    if any(y is not None for y, _ in refs):
        return fill_years(refs, None), "labels"  # type: ignore[return-value]
    found = year_hint(hints)
    if found is not None:
        year, where = found
        warnings.append(f"month labels have no year; used {year} from the {where}")
        origin = "hint"
    else:
        year = today.year
        warnings.append(
            f"month labels have no year and the title, notes and sheet name name none; "
            f"assumed {year} (this year)"
        )
        origin = "today"
    return fill_years(refs, year), origin  # type: ignore[return-value]


def _listed(items: Sequence[str]) -> str:
    shown = ", ".join(items[:MAX_WARNINGS_LISTED])
    more = len(items) - MAX_WARNINGS_LISTED
    return f"{shown} and {more} more" if more > 0 else shown


# ---------------------------------------------------------------- amounts


class _Amounts:
    """Turns month cells into numbers and remembers what it could not read."""

    def __init__(self, grid: Grid, decimal: str | None) -> None:
        self.grid = grid
        self.decimal = decimal
        self.formulas = grid.formulas
        self.currency_texts: list[str] = []

    def read(self, r: int, c: int, value: object) -> tuple[float | None, str | None]:
        """(amount or None for blank, problem or None)."""
        if _is_blank(value):
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
            return 0.0, f"{_text(value)!r} is not a number"

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


# ---------------------------------------------------------------- rows -> lines


@dataclass
class _Line:
    row: int
    label: str
    amounts: np.ndarray
    section: str | None
    category: object = None
    problems: list[str] = field(default_factory=list)
    is_section: bool = False


@dataclass
class _Total:
    row: int
    label: str
    amounts: np.ndarray | None  # None when it held formulas we did not evaluate


def _finish(lines: list[_Line], warnings: list[str]) -> tuple[BudgetLine, ...]:
    """Classify, name uniquely and report the lines of a sheet."""
    out: list[BudgetLine] = []
    seen: Counter[str] = Counter(ln.label for ln in lines)
    used: set[str] = set()
    unclassified: list[str] = []
    unread: list[str] = []
    renamed: list[str] = []
    for ln in lines:
        cls, origin = classify_line(ln.label, ln.category, ln.section)
        name = ln.label
        if seen[name] > 1:
            candidate = f"{name} ({ln.section})" if ln.section else name
            n = 2
            while candidate in used:
                candidate = f"{name} ({n})"
                n += 1
            if candidate != name:
                renamed.append(candidate)
            name = candidate
        used.add(name)
        if origin == "default":
            unclassified.append(repr(name))
        if ln.problems:
            unread.append(
                f"row {ln.row + 1} {name!r} ({ln.problems[0]}"
                + (f"; {len(ln.problems) - 1} more cells" if len(ln.problems) > 1 else "")
                + ")"
            )
        out.append(BudgetLine(name, cls, ln.amounts, ln.section, origin))
    if unread:
        warnings.append(f"cells read as 0: {_listed(unread)}")
    if unclassified:
        warnings.append(
            f"could not tell brand from lead generation for {_listed(unclassified)}; "
            "counted as demand (lead generation), please check"
        )
    if renamed:
        warnings.append(f"line names used twice were told apart as {_listed(renamed)}")
    return tuple(out)


def _fold_section_sums(events: list[_Line | _Total | str]) -> None:
    """A section row that carries its section's sum is a header, not a line.

    "Brand | 30 | 30" over "TV | 10 | 10" and "Radio | 20 | 20": the first
    row names a class and equals the lines below it, so it is a section.
    """
    for i, ev in enumerate(events):
        if not isinstance(ev, _Line) or classify_category(ev.label) is None:
            continue
        below: list[_Line] = []
        for nxt in events[i + 1 :]:
            if not isinstance(nxt, _Line) or classify_category(nxt.label) is not None:
                break
            below.append(nxt)
        if len(below) < 2:
            continue  # one line equal to the row above is a coincidence, not a sum
        total = np.sum([b.amounts for b in below], axis=0)
        if np.allclose(total, ev.amounts, rtol=1e-6, atol=0.01):
            ev.is_section = True
            for b in below:
                if b.section is None or b.section == ev.section:
                    b.section = ev.label


def _check_total(total: _Total | None, lines: list[_Line], warnings: list[str]) -> None:
    """Compare the file's own grand total with the sum of its lines."""
    if total is None or total.amounts is None or not lines:
        return
    if lines[-1].row > total.row or classify_category(total.label) is not None:
        return
    ours = float(sum(ln.amounts.sum() for ln in lines))
    theirs = float(total.amounts.sum())
    if abs(ours - theirs) > max(1.0, 0.001 * abs(theirs)):
        warnings.append(
            f"the file's total (row {total.row + 1}, {total.label!r}) is {theirs:,.2f} but "
            f"its lines add up to {ours:,.2f}; the lines were used"
        )


# ---------------------------------------------------------------- wide


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
        return _parse_wide(grid, header[0], header[1], hints, today)
    long = _find_long(grid)
    if long is not None:
        return _parse_long(grid, long, hints, today)
    raise NotABudget(
        "no month columns or month rows found (expected month names like 'Jan', 'januar', "
        "'Mär', dates or 'YYYY-MM' in a header row, or a month column)"
    )


def _parse_wide(
    grid: Grid,
    h: int,
    month_cells: list[tuple[int, MonthRef]],
    hints: Sequence[tuple[str, str]],
    today: date,
) -> GridBudget:
    rows = grid.rows
    warnings: list[str] = []
    refs = [ref for _, ref in month_cells]
    if h > 0:  # a year row above the months ("2026" merged over Jan..Dec)
        for i, (c, (y, m)) in enumerate(month_cells):
            year = _as_year(grid.cell(h - 1, c))
            if y is None and year is not None:
                refs[i] = (year, m)
    title_texts = _texts(rows[:h])
    indexes, year_from = _years_or_hint(
        refs, _year_places(title_texts, grid.name, hints), today, warnings
    )

    col_month: dict[int, int] = {}
    dupes: list[str] = []
    for (c, _), idx in zip(month_cells, indexes, strict=True):
        if idx in col_month.values():
            dupes.append(month_from_index(idx))
            continue
        col_month[c] = idx
    if dupes:
        warnings.append(f"month columns repeated ({_listed(dupes)}); the first of each was read")
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
        warnings.append(
            f"no column for {_listed([month_from_index(i) for i in missing])}; counted as 0"
        )
    month_cols = sorted(col_month)
    slot = {c: col_month[c] - first for c in month_cols}

    # The table ends at a second month header with other months (another table).
    end = len(rows)
    header_months = {m for _, m in refs}
    for r in range(h + 1, len(rows)):
        row = rows[r]
        if sum(1 for c in month_cols if c < len(row) and isinstance(row[c], str)) >= 3:
            found = _month_cells([row[c] if c < len(row) else None for c in month_cols])
            if (
                len(found) >= MIN_MONTH_COLUMNS
                and {m for _, m in (f[1] for f in found)} != header_months
            ):
                end = r
                break

    if all(all(_is_blank(v) for v in rows[r]) for r in range(h + 1, end)):
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
    reader = _Amounts(grid, decimal)
    header_row = rows[h]

    events: list[_Line | _Total | str] = []
    lines: list[_Line] = []
    unnamed: list[str] = []
    section: str | None = None
    table_top = h + 1
    last_total: _Total | None = None
    n = len(months)
    for r in range(h + 1, end):
        row = rows[r]
        name = _text(row[name_col]) if name_col < len(row) else ""
        group = next((t for c in group_cols if c < len(row) and (t := _text(row[c]))), "")
        label = name or group
        cells = [(c, row[c] if c < len(row) else None) for c in month_cols]
        has_values = any(not _is_blank(v) or (r, c) in reader.formulas for c, v in cells)
        if not label and not has_values:
            continue
        if label and is_total_label(label):
            amounts = _total_amounts(reader, r, cells, slot, n)
            last_total = _Total(r, label, amounts)
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
                events.append(_Total(r, label or "(subtotal)", None))
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
                events.append(_Total(r, "(total)", amounts))
                continue
            unnamed.append(f"row {r + 1}")
            continue
        category = (
            row[category_col] if category_col is not None and category_col < len(row) else None
        )
        line = _Line(r, label, amounts, section, category, problems)
        lines.append(line)
        events.append(line)

    _fold_section_sums(events)
    lines = [ln for ln in lines if not ln.is_section]
    if not lines:
        raise NotABudget(
            f"found month columns in row {h + 1} but no line items with amounts below them",
            promise=2,
        )
    if unnamed:
        warnings.append(f"amounts without a line name were left out: {_listed(unnamed)}")
    _check_total(last_total, lines, warnings)
    _check_plausible(lines)
    budget_lines = _finish(lines, warnings)

    last_row = max(ln.row for ln in lines)
    notes = title_texts + _texts(rows[last_row + 1 : last_row + 30])
    header_texts = [_text(header_row[c]) for c in range(len(header_row)) if _text(header_row[c])]
    formats = [
        grid.formats[(ln.row, c)]
        for ln in lines[:200]
        for c in month_cols
        if (ln.row, c) in grid.formats
    ]
    language = _guess_language(header_texts + title_texts + [ln.label for ln in lines[:200]])
    currency = _currency(header_texts, notes, formats, reader.currency_texts, grid.name, language)
    return GridBudget(months, budget_lines, currency, tuple(warnings), "wide", h, year_from)


def _parse_row_header(row: Sequence[object], month_cols: list[int], months: set[int]) -> bool:
    cells = [row[c] if c < len(row) else None for c in month_cols]
    found = _month_cells(cells)
    return len(found) >= MIN_MONTH_COLUMNS and {m for _, (_, m) in found} == months


def _total_amounts(
    reader: _Amounts, r: int, cells: list[tuple[int, object]], slot: Mapping[int, int], n: int
) -> np.ndarray | None:
    """The numbers a total row shows, or None when it holds formulas without saved values."""
    amounts = np.zeros(n)
    for c, v in cells:
        if _is_blank(v):
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


def _matches_a_sum(amounts: np.ndarray, lines: list[_Line], events: list) -> bool:
    """Whether an unlabelled row repeats the sum of all lines, or of those since the last total."""
    if not lines:
        return False
    since: list[np.ndarray] = []
    for ev in reversed(events):
        if isinstance(ev, _Total):
            break
        if isinstance(ev, _Line):
            since.append(ev.amounts)
    candidates = [np.sum([ln.amounts for ln in lines], axis=0)]
    if since:
        candidates.append(np.sum(since, axis=0))
    return any(np.allclose(amounts, c, rtol=1e-6, atol=0.01) for c in candidates)


def _header_label(header: Sequence[object], c: int) -> str:
    value = header[c] if c < len(header) else None
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m")
    return _text(value) or f"column {c + 1}"


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
        values = [_text(rows[r][c]) for r in sample if c < len(rows[r])]
        texts = [t for t in values if t and not _numeric(t)]
        if not texts:
            continue
        distinct[c] = set(texts)
        classed = sum(1 for t in texts if classify_category(t) is not None)
        class_votes[c] = (classed, len(texts))
    category_col = None
    for c, (classed, total) in class_votes.items():
        named = is_category_header(header[c] if c < len(header) else None)
        if (named and classed * 3 >= total) or (total >= 2 and classed * 10 >= total * 6):
            if _NAME_HEADER.search(_text(header[c] if c < len(header) else None)) and not named:
                continue
            category_col = c
            break
    left = [c for c in distinct if c < month_cols[0] and c != category_col]
    if not left:
        return None, category_col, []
    name_col = max(left, key=lambda c: (len(distinct[c]), -c))
    groups = [c for c in left if c != name_col and c < name_col]
    return name_col, category_col, groups


def _numeric(text: str) -> bool:
    try:
        return parse_number(text) is not None
    except ValueError:
        return False


def _texts(rows: Sequence[Sequence[object]]) -> list[str]:
    return [t for row in rows for v in row if (t := _text(v))]


def _year_places(
    titles: list[str], sheet: str, hints: Sequence[tuple[str, str]]
) -> list[tuple[str, str]]:
    places = [(f"title {t!r}", t) for t in titles]
    places.append((f"sheet name {sheet!r}", sheet))
    return places + list(hints)


def _currency(
    header: list[str],
    notes: list[str],
    formats: list[str],
    amount_texts: list[str],
    sheet: str,
    language: str | None,
) -> str | None:
    """ISO code from, in order: header cells, title/notes, number formats, amount text, sheet name."""
    for text in header + notes:
        code = detect_currency(text, language)
        if code:
            return code
    for fmt in dict.fromkeys(formats):
        code = currency_from_format(fmt, language)
        if code:
            return code
    for text in amount_texts + [sheet]:
        code = detect_currency(text, language)
        if code:
            return code
    return None


def _check_plausible(lines: list[_Line]) -> None:
    """Reject tables of something else that happen to have months (temperatures, balances)."""
    values = np.concatenate([ln.amounts for ln in lines])
    nonzero = values[values != 0]
    if nonzero.size == 0:
        raise NotABudget("the month columns hold no amounts", promise=2)
    if (nonzero < 0).mean() > 0.1:
        raise NotABudget(
            "many month amounts are negative; this does not look like a spending budget",
            promise=2,
        )


# ---------------------------------------------------------------- long


@dataclass(frozen=True)
class _LongColumns:
    header: int
    month: int
    amount: int
    name: int
    category: int | None
    group: int | None
    year: int | None
    order: str


def _find_long(grid: Grid) -> _LongColumns | None:
    """Header and columns of a one-row-per-month table, checked against the data below."""
    rows = grid.rows
    for h in range(min(len(rows), HEADER_SCAN_ROWS)):
        header = [_text(v) for v in rows[h]]
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
            texts = {t for row in data if c < len(row) and (t := _text(row[c])) and not _numeric(t)}
            if texts:
                distinct[c] = texts
        category = next(
            (c for c in distinct if is_category_header(header[c] if c < len(header) else "")), None
        )
        names = [c for c in distinct if c != category]
        if not names:
            continue
        named = [c for c in names if c < len(header) and _NAME_HEADER.search(header[c])]
        name = named[0] if named else max(names, key=lambda c: (len(distinct[c]), -c))
        group = next((c for c in names if c != name and c < name), None)
        order = detect_date_order(row[month] for row in data if month < len(row))
        return _LongColumns(h, month, amount, name, category, group, year_col, order)
    return None


def _month_column(data: list[list[object]], c: int, numbers_ok: bool) -> bool:
    values = [row[c] for row in data if c < len(row) and not _is_blank(row[c])]
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
    values = [row[c] for row in data if c < len(row) and not _is_blank(row[c])]
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


def _parse_long(
    grid: Grid, cols: _LongColumns, hints: Sequence[tuple[str, str]], today: date
) -> GridBudget:
    rows = grid.rows
    warnings: list[str] = []
    h = cols.header
    decimal = detect_decimal(
        row[cols.amount] for row in rows[h + 1 : h + 2001] if cols.amount < len(row)
    )
    reader = _Amounts(grid, decimal)

    # First pass: month labels (years may be missing and come from a hint).
    entries: list[tuple[int, str, MonthRef, object, object, object]] = []
    skipped: list[str] = []
    for r in range(h + 1, len(rows)):
        row = rows[r]

        def get(c: int | None, row: list[object] = row) -> object:
            return row[c] if c is not None and c < len(row) else None

        name = _text(get(cols.name))
        month_value = get(cols.month)
        if (not name and _is_blank(month_value)) or (name and is_total_label(name)):
            continue
        if isinstance(month_value, str) and is_total_label(month_value):
            continue
        ref = parse_month(month_value, cols.order)
        if ref is None and cols.year is not None:
            number = _month_number(month_value)
            ref = (None, number) if number is not None else None
        if ref is not None and ref[0] is None and cols.year is not None:
            ref = (_as_year(get(cols.year)), ref[1])
        if ref is None or not name:
            if _is_blank(get(cols.amount)) and (r, cols.amount) not in reader.formulas:
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
        warnings.append(f"rows without a month or a line name were left out: {_listed(skipped)}")

    year_from = "labels"
    if any(ref[0] is None for _, _, ref, *_ in entries):
        hint_refs = [ref for _, _, ref, *_ in entries]
        known = [y for y, _ in hint_refs if y is not None]
        if known:
            year = min(known)
        else:
            found = year_hint(_year_places(_texts(rows[:h]), grid.name, hints))
            if found:
                year, where = found
                warnings.append(f"month labels have no year; used {year} from the {where}")
                year_from = "hint"
            else:
                year = today.year
                warnings.append(f"month labels have no year; assumed {year} (this year)")
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
    by_key: dict[tuple[str, str | None], _Line] = {}
    for (r, name, _, raw, category, group), idx in zip(entries, indexes, strict=True):
        section = _text(group) or None
        key = (name, section)
        line = by_key.get(key)
        if line is None:
            line = by_key[key] = _Line(r, name, np.zeros(n), section, category)
        elif _is_blank(line.category) and not _is_blank(category):
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
        warnings.append(f"no rows for {_listed(absent)}; counted as 0")
    _check_plausible(lines)
    budget_lines = _finish(lines, warnings)

    header_texts = [t for v in rows[h] if (t := _text(v))]
    title_texts = _texts(rows[:h])
    formats = [
        grid.formats[(r, cols.amount)]
        for r, *_ in entries[:200]
        if (r, cols.amount) in grid.formats
    ]
    language = _guess_language(header_texts + title_texts + [ln.label for ln in lines[:200]])
    currency = _currency(
        [_text(rows[h][cols.amount])],
        title_texts + header_texts,
        formats,
        reader.currency_texts,
        grid.name,
        language,
    )
    return GridBudget(
        months, budget_lines, currency, tuple(warnings), "long", cols.header, year_from
    )
