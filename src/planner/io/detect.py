"""Is this file a CRM export or a budget? Decided from header rows only.

Users drop files without saying which is which; the answer comes from the
column names (a stage and an amount column -> CRM; month columns, or a month
and an amount column -> budget), which costs a look at the first rows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from planner.errors import InputError
from planner.io import safety
from planner.io.sniff import decode_bytes, sniff_delimiter
from planner.io.tabular import Sheet, read_sheets

FileKind = Literal["crm", "budget"]

HEAD_ROWS = 40
"""Rows we look at: title lines and report filters rarely take more than a dozen."""

_MONTHS = (
    # en
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    # da / nb
    "januar",
    "februar",
    "marts",
    "mars",
    "maj",
    "mai",
    "juni",
    "juli",
    "okt",
    "des",
    # de
    "jänner",
    "märz",
    "mär",
    "dez",
    "oktober",
    "dezember",
)
_MONTH_RE = re.compile(
    r"^(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?(?:[\s\-/']*\d{2,4})?$"
)
_YM_RE = re.compile(r"^(?:\d{4}[-/.]\d{1,2}|\d{1,2}[-/.]\d{4}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})$")
_PERIOD_WORDS = ("month", "måned", "maned", "monat", "period", "periode", "date", "dato", "datum")
_MONEY_WORDS = (
    "amount",
    "budget",
    "spend",
    "planned",
    "plan",
    "cost",
    "costs",
    "beløb",
    "beløp",
    "betrag",
    "kosten",
    "kost",
    "kostnad",
    "udgift",
    "utgift",
    "forbrug",
    "ausgaben",
    "sum",
    "total",
    "value",
)


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
    from planner.io.crm import find_layout

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
            words.update(re.split(r"[^\w]+", text))
    if months >= 3:
        return True
    return bool(words & set(_PERIOD_WORDS)) and bool(words & set(_MONEY_WORDS))


def _text_head(path: Path) -> list[list[object]]:
    """The first rows of a text file, from its first 64 KB only."""
    with open(path, "rb") as fh:
        data = fh.read(64 * 1024)
    text = decode_bytes(data)
    lines = text.splitlines()[:HEAD_ROWS]
    delimiter = sniff_delimiter("\n".join(lines))
    return [list(r) for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)]


def layout_key(headers: Sequence[object]) -> str:
    """A stable key for a header row, under which a confirmed column mapping is remembered.

    Next month's export of the same report has the same header, so the
    mapping the user confirmed once applies again without asking. Texts are
    compared the way detection compares them (case, spacing and punctuation
    ignored; dates as ISO dates) and trailing empty cells are dropped, so a
    re-save by Excel does not change the key; the column order does. The
    "v1" prefix keeps stored keys apart from any later scheme.
    """
    texts = [_key_text(h) for h in headers]
    while texts and not texts[-1]:
        texts.pop()
    digest = hashlib.sha1("\x1f".join(texts).encode("utf-8")).hexdigest()
    return f"v1:{digest}"


def _key_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(re.sub(r"[^\w]+|_", " ", str(value).casefold()).split())
