"""Where a CRM export's deal table is: the sheet, the header row, and which column feeds which field.

Columns are found by name (`planner.io.vocab.CRM_COLUMNS`, en/da/nb/de):
exact names first, then headers that start with a name ("Amount (EUR)").
The user's answer from the mapping dialog or `--columns` (field -> header)
fixes those columns and the rest is detected around them. Nothing here
converts a cell; `crm_convert` does that once the layout is known.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from planner.errors import InputError
from planner.io.tabular import Sheet, is_workbook
from planner.io.text import normalise
from planner.io.vocab import CRM_COLUMNS, CRM_LANGUAGE_HINTS, REQUIRED_CRM_FIELDS, UNIT_WORDS

COLUMNS: dict[str, tuple[str, ...]] = CRM_COLUMNS
"""Field -> header names that mean it (normalised), most specific first."""

REQUIRED: tuple[str, ...] = REQUIRED_CRM_FIELDS
"""Fields without which a table is not a deal table."""


FIELDS: tuple[str, ...] = tuple(COLUMNS)
"""The fields a column can feed, in the order the mapping dialog lists them."""


HEAD_ROWS = 40
"""Rows searched for the header: report titles and filters rarely take more than a dozen."""

_ALL_NAMES = {n: fld for fld, names in COLUMNS.items() for n in names}


@dataclass(frozen=True)
class Layout:
    sheet: Sheet
    header: int
    columns: dict[str, int]  # field -> column index
    names: dict[str, str]  # field -> header text as written
    language: str | None
    guessed: tuple[str, ...] = ()  # fields matched only by the start of their header
    rivals: dict[str, tuple[int, ...]] = field(default_factory=dict)  # field -> other columns


@dataclass(frozen=True)
class RowMatch:
    """How one candidate header row maps to fields (see `map_row`)."""

    columns: dict[str, int]
    guessed: tuple[str, ...]
    rivals: dict[str, tuple[int, ...]]


def _header_texts(row: Sequence[object]) -> list[str]:
    return [c if isinstance(c, str) else "" for c in row]


def map_row(
    row: Sequence[object],
    fixed: Mapping[str, int] | None = None,
    skip: frozenset[str] = frozenset(),
) -> RowMatch:
    """Field -> column for one candidate header row: exact names first, then prefixes.

    `fixed` are columns the user chose (kept, and taken away from the other
    fields); `skip` are fields the user said the file does not have. Besides
    the mapping, it tells which fields were matched only by the start of the
    header ("Auftragswert netto" for "auftragswert") and which other columns
    would match a field as well as the one used (two exact "Amount" and
    "Betrag" columns): both are reasons for `preview_layout` to be unsure.
    """
    normed = [normalise(c) if c else "" for c in _header_texts(row)]
    fixed = dict(fixed or {})
    claimed = set(fixed.values())
    exact: dict[str, list[int]] = {}
    prefixes: dict[str, list[int]] = {}
    for j, h in enumerate(normed):
        if not h or j in claimed:
            continue
        exact.setdefault(h, []).append(j)
        if h not in _ALL_NAMES:
            words = h.split()
            for k in range(1, len(words)):
                prefixes.setdefault(" ".join(words[:k]), []).append(j)
    columns = dict(fixed)
    taken = set(claimed)
    todo = [f for f in COLUMNS if f not in fixed and f not in skip]
    # First pass: a header that is exactly a known name.
    for fld in todo:
        for syn in COLUMNS[fld]:
            free = [j for j in exact.get(syn, ()) if j not in taken]
            if free:
                columns[fld] = free[0]
                taken.add(free[0])
                break
    # Second pass: "Amount (EUR)", "Betrag in €", "Close Date (2)": header starts with a name.
    guessed: list[str] = []
    for fld in todo:
        if fld in columns:
            continue
        for syn in COLUMNS[fld]:
            if len(syn) < 4:
                continue
            free = [j for j in prefixes.get(syn, ()) if j not in taken]
            if free:
                columns[fld] = free[0]
                taken.add(free[0])
                rest = normed[free[0]][len(syn) :].split()
                if not set(rest) <= UNIT_WORDS:
                    guessed.append(fld)
                break
    # Rivals: other free columns that match the field at least as well.
    rivals: dict[str, tuple[int, ...]] = {}
    for fld in todo:
        if fld not in columns:
            continue
        used = columns[fld]
        by_exact = {j for syn in COLUMNS[fld] for j in exact.get(syn, ())}
        if used in by_exact:
            others = by_exact
        else:
            others = {j for syn in COLUMNS[fld] if len(syn) >= 4 for j in prefixes.get(syn, ())}
        others = {j for j in others if j not in taken}
        if others:
            rivals[fld] = tuple(sorted(others))
    return RowMatch(columns, tuple(guessed), rivals)


def _language(names: Mapping[str, str]) -> str | None:
    language = None
    normed = {normalise(n) for n in names.values()}
    for lang, words in CRM_LANGUAGE_HINTS.items():
        if normed & set(words):
            language = lang
    return language


def is_header_candidate(row: Sequence[object]) -> bool:
    return sum(1 for c in row if isinstance(c, str) and c.strip()) >= 2


def _layout_of(sheet: Sheet, i: int, match: RowMatch) -> Layout:
    row = sheet.rows[i]
    names = {f: str(row[j]).strip() for f, j in match.columns.items()}
    return Layout(
        sheet, i, dict(match.columns), names, _language(names), match.guessed, match.rivals
    )


def find_layout(sheets: Sequence[Sheet], path: Path) -> Layout | None:
    """The sheet and header row that name the most deal columns (None if none has stage+amount)."""
    best: Layout | None = None
    best_score = 0
    for sheet in sheets:
        found = best_in_sheet(sheet)
        if found is not None and len(found.columns) > best_score:
            best, best_score = found, len(found.columns)
    return best


def best_in_sheet(
    sheet: Sheet, fixed_names: Mapping[str, str] | None = None, skip: frozenset[str] = frozenset()
) -> Layout | None:
    """The header row of one sheet naming the most deal columns, with stage and amount.

    With `fixed_names` (field -> header text the user chose), only rows that
    hold every one of those headers qualify, and those columns are used as given.
    """
    best: Layout | None = None
    best_score = 0
    for i, row in enumerate(sheet.rows[:HEAD_ROWS]):
        if not is_header_candidate(row):
            continue
        fixed: dict[str, int] | None = None
        if fixed_names:
            fixed = find_named(row, fixed_names)
            if fixed is None:
                continue
        match = map_row(row, fixed, skip)
        score = len(match.columns)
        if score > best_score and all(f in match.columns for f in REQUIRED):
            best, best_score = _layout_of(sheet, i, match), score
    return best


def find_named(row: Sequence[object], names: Mapping[str, str]) -> dict[str, int] | None:
    """Column of each header the user named (exact text, then case/spacing-insensitive)."""
    texts = [c.strip() if isinstance(c, str) else "" for c in row]
    normed = [normalise(t) for t in texts]
    out: dict[str, int] = {}
    for fld, header in names.items():
        want = header.strip()
        j = next((k for k, t in enumerate(texts) if t and t == want), None)
        if j is None:
            key = normalise(want)
            j = next((k for k, t in enumerate(normed) if t and t == key), None)
        if j is None:
            return None
        out[fld] = j
    return out


def parse_column_mapping(text: str) -> dict[str, str]:
    """`--columns` text ("amount=Auftragswert (EUR),stage=Phase") as field -> header.

    Headers may hold commas ("Amount (EUR, net)"): a comma only separates
    entries when a known field name and "=" follow it. An empty header
    ("deal_type=") means the file has no column for that field.
    """
    keys = "|".join(re.escape(f) for f in sorted(FIELDS, key=len, reverse=True))
    parts = re.split(rf",(?=\s*(?:{keys})\s*=)", text.strip()) if text.strip() else []
    mapping: dict[str, str] = {}
    for part in parts:
        key, sep, header = part.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InputError(None, f"--columns: expected field=Header, got {part.strip()!r}")
        if key in mapping:
            raise InputError(None, f"--columns: field {key!r} is given twice")
        mapping[key] = header.strip()
    check_column_mapping(mapping)
    return mapping


def check_column_mapping(columns: Mapping[str, str], path: str | Path | None = None) -> None:
    """InputError for a mapping naming unknown fields, leaving out a required one, or
    giving one column to two fields."""
    unknown = [k for k in columns if k not in COLUMNS]
    if unknown:
        raise InputError(
            path,
            f"unknown field {unknown[0]!r} in the column mapping; fields are {', '.join(FIELDS)}",
        )
    for fld in REQUIRED:
        if fld in columns and not str(columns[fld]).strip():
            raise InputError(path, f"the {fld} column is required and cannot be left out")
    seen: dict[str, str] = {}
    for fld, header in columns.items():
        key = normalise(header)
        if key and key in seen:
            raise InputError(
                path, f"column {header.strip()!r} is given for both {seen[key]} and {fld}"
            )
        if key:
            seen[key] = fld


def pick_sheets(sheets: Sequence[Sheet], path: Path, sheet: str | None) -> list[Sheet]:
    """All sheets, or only the one the user named (exact name, then ignoring case)."""
    if sheet is None:
        return list(sheets)
    if not is_workbook(path):
        raise InputError(path, f"is a text file with one table; there is no sheet {sheet!r}")
    matchers: tuple[Callable[[Sheet], bool], ...] = (
        lambda s: s.name == sheet,
        lambda s: s.name.casefold() == sheet.casefold(),
    )
    for match in matchers:
        hits = [s for s in sheets if match(s)]
        if hits:
            return hits[:1]
    names = ", ".join(repr(s.name) for s in sheets)
    raise InputError(path, f"has no sheet {sheet!r}; its sheets are {names}")


def resolve_layout(
    sheets: Sequence[Sheet],
    path: Path,
    columns: Mapping[str, str] | None,
    sheet: str | None,
) -> Layout:
    """The layout to read: detected, or built around the columns the user named."""
    chosen = pick_sheets(sheets, path, sheet)
    if columns:
        check_column_mapping(columns, path)
    named = {f: h for f, h in (columns or {}).items() if str(h).strip()}
    skip = frozenset(f for f, h in (columns or {}).items() if not str(h).strip())
    best: Layout | None = None
    for sh in chosen:
        found = best_in_sheet(sh, named, skip)
        if found is not None and (best is None or len(found.columns) > len(best.columns)):
            best = found
    if best is not None:
        return best
    if not named:
        where = f"sheet {chosen[0].name!r}" if sheet is not None else "the file"
        raise InputError(
            path,
            f"no deal table found in {where}: expected a header row with at least a stage "
            "column (Stage, Deal Stage, Phase, Fase) and an amount column (Amount, Betrag, "
            "Beløb); name them with --columns stage=HEADER,amount=HEADER",
        )
    raise InputError(path, _named_problem(chosen, named, skip))


def _named_problem(sheets: Sequence[Sheet], named: Mapping[str, str], skip: frozenset[str]) -> str:
    """Why no header row fits the user's mapping: a named column missing, or a required one."""
    best: tuple[int, int, Sheet, int] | None = None
    for sh in sheets:
        for i, row in enumerate(sh.rows[:HEAD_ROWS]):
            if not is_header_candidate(row):
                continue
            hits = sum(find_named(row, {f: h}) is not None for f, h in named.items())
            score = (hits, len(map_row(row).columns))
            if best is None or score > best[:2]:
                best = (*score, sh, i)
    if best is None:
        return "no header row found (no row with two or more text cells in the first rows)"
    _, _, sh, i = best
    row = sh.rows[i]
    for fld, header in named.items():
        if find_named(row, {fld: header}) is None:
            shown = [t.strip() for t in _header_texts(row) if t.strip()]
            listed = ", ".join(repr(t) for t in shown[:12]) + (" ..." if len(shown) > 12 else "")
            return f"no column {header.strip()!r} (given for {fld}); the header row has {listed}"
    match = map_row(row, find_named(row, named), skip)
    missing = [f for f in REQUIRED if f not in match.columns]
    return (
        f"no {missing[0]} column found next to the named ones; "
        f"name it with --columns {missing[0]}=HEADER"
    )
