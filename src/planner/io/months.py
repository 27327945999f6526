"""Months as budgets write them: "Jan", "januar", "Mär", "okt.", "Dez 2026", "2026-01", dates.

A budget's month columns (or month rows) are labelled in whatever language
and style the author likes; everything downstream wants "YYYY-MM". The
parser here tells a month label from any other cell and keeps the year apart
(None when the label has none), so the caller can fill years in from the
title, the sheet name or the neighbouring columns.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from planner.io.vocab import MONTH_NUMBERS

# Every spelling (`planner.io.vocab.MONTH_WORDS`) maps to its month number.
_NAMES: dict[str, int] = MONTH_NUMBERS

_NAME_ALT = "|".join(sorted(map(re.escape, _NAMES), key=len, reverse=True))

# "Jan", "januar 2026", "okt.", "Dez 2026", "Jan-26", "Jan '26", "mai 26", "Jan/2026".
_NAMED = re.compile(
    rf"^(?P<name>{_NAME_ALT})\.?(?:\s*[-/ '’.]\s*'?(?P<year>\d{{4}}|\d{{2}}))?$", re.IGNORECASE
)
# "2026 Jan", "2026-januar"
_YEAR_NAMED = re.compile(
    rf"^(?P<year>\d{{4}})\s*[-/ .]?\s*(?P<name>{_NAME_ALT})\.?$", re.IGNORECASE
)
# "2026-01", "2026/1", "2026.01", "2026M01"
_ISO_MONTH = re.compile(
    r"^(?P<year>(?:19|20)\d\d)\s*(?:[-/.]|M)\s*(?P<month>\d{1,2})$", re.IGNORECASE
)
# "01-2026", "1/2026", "01.2026"
_MONTH_YEAR = re.compile(r"^(?P<month>\d{1,2})\s*[-/.]\s*(?P<year>(?:19|20)\d\d)$")
# "2026-01-01", "2026-01-31 00:00:00"
_ISO_DATE = re.compile(r"^(?P<year>(?:19|20)\d\d)-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:[ T].*)?$")
# "01.01.2026", "01-01-2026", "1/31/2026"
_DMY_DATE = re.compile(
    r"^(?P<a>\d{1,2})[-./](?P<b>\d{1,2})[-./](?P<year>(?:19|20)\d\d)(?:[ T].*)?$"
)

_YEAR_IN_TEXT = re.compile(r"(?<![\d.,])(19[89]\d|20\d\d)(?![\d.,])")
_FY_IN_TEXT = re.compile(r"(?i)\bFY\s*'?(\d{2})(?!\d)")

MonthRef = tuple[int | None, int]
"""(year or None when the label has no year, month 1-12)."""


def parse_month(value: object, order: str = "dmy") -> MonthRef | None:
    """A cell as (year | None, month), or None when it is not a month label.

    `order` ("dmy" or "mdy") reads text dates like 01/02/2026; it only
    matters for text dates, and budgets label months by the first of the
    month, so both readings usually agree on the day being 1.
    """
    if isinstance(value, datetime | date):
        return value.year, value.month
    if not isinstance(value, str):
        return None
    text = " ".join(value.strip().split())
    if not text or len(text) > 24:
        return None
    m = _NAMED.match(text)
    if m:
        return _year(m.group("year")), _NAMES[m.group("name").lower()]
    m = _YEAR_NAMED.match(text)
    if m:
        return int(m.group("year")), _NAMES[m.group("name").lower()]
    for pattern in (_ISO_MONTH, _MONTH_YEAR, _ISO_DATE):
        m = pattern.match(text)
        if m:
            month = int(m.group("month"))
            return (int(m.group("year")), month) if 1 <= month <= 12 else None
    m = _DMY_DATE.match(text)
    if m:
        a, b = int(m.group("a")), int(m.group("b"))
        month = a if order == "mdy" else b
        if not 1 <= month <= 12 or a > 31 or b > 31:
            return None
        return int(m.group("year")), month
    return None


def month_day(value: object) -> int | None:
    """Day of month of a date cell or text date; None for month-only labels.

    A column of dates is a month column only when every date is the same
    day (the 1st, or month ends): a CRM's close dates are not.
    """
    if isinstance(value, datetime | date):
        return value.day
    if not isinstance(value, str):
        return None
    text = value.strip()
    m = _ISO_DATE.match(text)
    if m:
        return int(m.group("day"))
    m = _DMY_DATE.match(text)
    if m:
        return min(int(m.group("a")), int(m.group("b")))
    return None


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def year_in_text(text: str) -> int | None:
    """A budget year named in a title, note or sheet name ("Budget 2026", "FY26"), else None."""
    m = _YEAR_IN_TEXT.search(text)
    if m:
        return int(m.group(1))
    m = _FY_IN_TEXT.search(text)
    return 2000 + int(m.group(1)) if m else None


def month_key(year: int, month: int) -> str:
    """The "YYYY-MM" form every part of planner uses."""
    return f"{year:04d}-{month:02d}"


def month_index(year: int, month: int) -> int:
    """Months since year 0: consecutive months are consecutive integers."""
    return year * 12 + month - 1


def month_from_index(index: int) -> str:
    """Inverse of `month_index`, as "YYYY-MM"."""
    return month_key(index // 12, index % 12 + 1)


def fill_years(refs: list[MonthRef], start_year: int | None) -> list[int] | None:
    """Month indexes for a run of month labels, filling in missing years.

    Labels without a year take the year of the nearest labelled neighbour,
    rolling over at December -> January; when no label has a year the run
    starts in `start_year`. Returns None when no year is known at all.
    """
    anchor = next((i for i, (y, _) in enumerate(refs) if y is not None), None)
    if anchor is None:
        if start_year is None:
            return None
        anchor_index = month_index(start_year, refs[0][1])
        anchor = 0
    else:
        year, month = refs[anchor]
        anchor_index = month_index(year, month)  # type: ignore[arg-type]
    out = [0] * len(refs)
    out[anchor] = anchor_index
    for i in range(anchor + 1, len(refs)):
        year, month = refs[i]
        if year is not None:
            out[i] = month_index(year, month)
            continue
        prev = out[i - 1]
        candidate = month_index(prev // 12, month)
        out[i] = candidate if candidate > prev else candidate + 12
    for i in range(anchor - 1, -1, -1):
        year, month = refs[i]
        if year is not None:
            out[i] = month_index(year, month)
            continue
        nxt = out[i + 1]
        candidate = month_index(nxt // 12, month)
        out[i] = candidate if candidate < nxt else candidate - 12
    return out
