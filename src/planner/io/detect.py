"""Is this file a CRM export or a budget? Decided from header rows only.

Users drop files without saying which is which; the answer comes from the
column names (a stage and an amount column -> CRM; month columns, or a month
and an amount column -> budget), which costs a look at the first rows. The
words are `planner.io.vocab`'s, so a month the budget reader knows is a
month here too. (`layout_key` lives in `planner.io.text`; it is re-exported
here for old imports.)
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from planner.errors import InputError
from planner.io import safety
from planner.io.crm_layout import find_layout
from planner.io.sniff import decode_bytes, sniff_delimiter
from planner.io.tabular import Sheet, read_sheets
from planner.io.text import layout_key, normalise
from planner.io.vocab import MONEY_WORDS, MONTH_NUMBERS, PERIOD_WORDS

__all__ = ["HEAD_ROWS", "FileKind", "file_kind", "layout_key", "sheets_kind"]

FileKind = Literal["crm", "budget"]

HEAD_ROWS = 40
"""Rows we look at: title lines and report filters rarely take more than a dozen."""

_MONTH_RE = re.compile(
    r"^(?:"
    + "|".join(sorted(map(re.escape, MONTH_NUMBERS), key=len, reverse=True))
    + r")\.?(?:[\s\-/']*\d{2,4})?$"
)
_YM_RE = re.compile(r"^(?:\d{4}[-/.]\d{1,2}|\d{1,2}[-/.]\d{4}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})$")
_PERIOD = frozenset(PERIOD_WORDS)
_MONEY = frozenset(MONEY_WORDS)


def file_kind(path: str | Path) -> FileKind:
    """ "crm" or "budget" for a file; InputError when it looks like neither."""
    path = Path(path)
    kind = safety.check_file(path)
    if kind == "text":
        sheets = [Sheet(path.stem, _text_head(path))]
    else:
        sheets = read_sheets(path, blanks_as_none=False)
    return sheets_kind(sheets, path)


def sheets_kind(sheets: Sequence[Sheet], path: str | Path) -> FileKind:
    """`file_kind` for sheets already read, so callers parse a workbook once."""
    heads = [Sheet(s.name, s.rows[:HEAD_ROWS]) for s in sheets]
    if not any(any(c not in (None, "") for c in row) for s in heads for row in s.rows):
        raise InputError(path, "the file has no data")
    if find_layout(heads, Path(path)) is not None:
        return "crm"
    if any(_looks_like_budget_row(row) for s in heads for row in s.rows):
        return "budget"
    raise InputError(
        path,
        "is neither a CRM export (no stage and amount columns) nor a budget "
        "(no month columns, or month and amount columns) in its first rows",
    )


def _looks_like_budget_row(row: Sequence[object]) -> bool:
    months = 0
    words: set[str] = set()
    for cell in row:
        if isinstance(cell, datetime | date):
            months += 1
        elif isinstance(cell, str) and cell.strip():
            text = " ".join(cell.casefold().split())
            if _MONTH_RE.match(text) or _YM_RE.match(text):
                months += 1
            words.update(normalise(text).split())
    if months >= 3:
        return True
    return bool(words & _PERIOD) and bool(words & _MONEY)


def _text_head(path: Path) -> list[list[object]]:
    """The first rows of a text file, from its first 64 KB only."""
    with open(path, "rb") as fh:
        data = fh.read(64 * 1024)
    text = decode_bytes(data)
    lines = text.splitlines()[:HEAD_ROWS]
    delimiter = sniff_delimiter("\n".join(lines))
    return [list(r) for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)]
