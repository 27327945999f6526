"""CRM cells -> values: stages to outcomes, deal types, amounts, dates, sources, the file's currency.

Cells are cleaned a whole column at a time (numpy; pandas only for the text
cells of CSV exports), never with a Python loop per field, because
100,000-deal exports are normal; text rules run once per distinct value.
Each converter returns the values and masks of the cells it could not
read; `crm.load_deals` decides what to skip and reports it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from planner.io.crm_layout import Layout
from planner.io.sniff import (
    MAX_AMOUNT,
    detect_currency,
    detect_date_order,
    detect_decimal,
    parse_number,
)
from planner.io.sources import apply_source_map, explain_source
from planner.io.text import cell_text, normalise
from planner.io.types import SourceClass
from planner.io.vocab import (
    CURRENCY_CODES,
    CURRENCY_LABEL_WORDS,
    CURRENCY_SYMBOLS,
    EXISTING_WORDS,
    LOST_WORDS,
    NEW_WORDS,
    WON_WORDS,
)


def stage_outcome(stage: object) -> str:
    """ "won", "lost" or "open" for a stage as written ("Closed Won", "Lukket - tabt"...)."""
    words = set(normalise(stage).split())
    if "closed" in words and "won" in words:
        return "won"
    if "closed" in words and "lost" in words:
        return "lost"
    if words & LOST_WORDS or any(w.startswith(("verloren", "closedlost")) for w in words):
        return "lost"
    if words & WON_WORDS or any(w.startswith(("gewonnen", "closedwon")) for w in words):
        return "won"
    return "open"


def deal_type_of(value: object) -> str:
    """ "new", "existing" or "" (unknown) for a Type cell ("Existing Business - Upgrade"...)."""
    text = normalise(value)
    if not text:
        return ""
    if _EXISTING_RE.search(text):
        return "existing"
    if _NEW_RE.search(text):
        return "new"
    return ""


_NEW_RE = re.compile(r"\b(?:" + "|".join(re.escape(w.casefold()) for w in NEW_WORDS) + r")\b")


_EXISTING_RE = re.compile(
    r"\b(?:" + "|".join(re.escape(w.casefold()) for w in EXISTING_WORDS) + r")\b"
)


def nat_column(n: int) -> np.ndarray:
    return np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")


def object_array(values: Sequence[object]) -> npt.NDArray[np.object_]:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


_PANDAS_FACTORIZE_FROM = 300_000
"""Cells from which pandas' factorize pays for its import (a million-row export)."""


def factorize(
    values: Sequence[object] | npt.NDArray[Any],
) -> tuple[npt.NDArray[np.intp], list[object]]:
    """Codes into the distinct values (first-seen order), like `pandas.factorize`.

    A dict does the hashing in C, so this costs about what pandas does and
    keeps pandas (a quarter second to import) off the path of a workbook
    whose cells are already typed. Equal values share a code (1 == 1.0,
    as in pandas).
    """
    if len(values) > _PANDAS_FACTORIZE_FROM:  # big files: pandas' hash table in C is 4x quicker
        import pandas as pd

        codes, found = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
        return codes.astype(np.intp, copy=False), list(found)
    # One pass of dict look-ups: each cell -> the row where its value was first seen (the
    # dict keeps that one, as `dict.fromkeys` would); ranking those rows gives the codes.
    n = len(values)
    seen: dict[object, int] = {}
    first = np.fromiter(map(seen.setdefault, values, range(n)), dtype=np.intp, count=n)
    rows, codes = np.unique(first, return_inverse=True)
    return codes.reshape(n).astype(np.intp, copy=False), [values[i] for i in rows.tolist()]


def text_column(values: Sequence[object]) -> np.ndarray:
    """Cells as stripped strings ("" for blank), converted once per distinct value.

    A stage or source column has 100,000 cells but a dozen values, so the
    Python work is per value and indexing does the rest.
    """
    codes, uniques = factorize(values)
    texts = object_array([cell_text(u) for u in uniques])
    return texts[codes] if uniques else np.empty(0, dtype=object)


def cell_texts(values: Sequence[object]) -> np.ndarray:
    """`cell_text` of each cell, one by one: for cells already distinct (a coded column's)."""
    strip = cast(Callable[[object], str], str.strip)  # raises TypeError on anything but text
    try:
        return object_array(list(map(strip, values)))  # all text: stripped in one C loop
    except TypeError:  # a number, a date or a missing cell among them
        return object_array([cell_text(v) for v in values])


def name_column(values: list[object]) -> np.ndarray:
    """Deal names as written; only non-text cells are converted (names are mostly unique)."""
    if isinstance(values, np.ndarray) and values.dtype == object:
        arr = values  # a big file's names: already an array of its own
        from pandas.api.types import infer_dtype  # pandas read it: no import to pay

        all_text = infer_dtype(arr, skipna=False) == "string"  # one C loop, not a set of types
    else:
        arr = object_array(values)
        all_text = set(map(type, values)) == {str}
    if not all_text:
        arr[:] = [v if isinstance(v, str) else cell_text(v) for v in values]
    return arr


def map_unique(values: np.ndarray, fn: Callable[[str], str]) -> np.ndarray:
    """Apply a rule once per distinct value: exports have 100,000 rows but a dozen stages."""
    codes, uniques = factorize(values if len(values) > _PANDAS_FACTORIZE_FROM else values.tolist())
    mapped = object_array([fn(u) for u in uniques])  # type: ignore[arg-type]
    return mapped[codes] if uniques else np.empty(0, dtype=object)


def classify_sources(source: np.ndarray, mapping: Mapping[str, SourceClass] | None) -> np.ndarray:
    codes, uniques = factorize(source if len(source) > _PANDAS_FACTORIZE_FROM else source.tolist())
    classes = [explain_source(u)[0] for u in uniques]
    if mapping:
        classes = apply_source_map([str(u) for u in uniques], classes, dict(mapping))
    return object_array(classes)[codes] if uniques else np.empty(0, dtype=object)


def _only_blank_text(values: Sequence[object]) -> bool:
    return all(not v.strip() for v in values if v.__class__ is str)


_CURRENCY_STRIP = re.compile(
    r"(?i)(?:\b(?:kr\.|"
    + "|".join(CURRENCY_CODES)
    + r"|kr)\b|["
    + re.escape(CURRENCY_SYMBOLS)
    + r"]|[,.][-–]$|[\s\u00a0\u202f'])"
)


def amount_column(
    values: list[object],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, str | None]:
    """Floats (NaN for blank), masks of cells that are not numbers and of blank cells,
    and a currency seen in the text.

    A value that is not finite or not below `MAX_AMOUNT` ("inf", a saved
    1e308) is no amount: it counts as a cell that is not a number. Arrays
    from pandas are copied before anything is written into them (pandas 3
    hands out read-only views).
    """
    n = len(values)
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":  # a big file's numbers
        result = values.astype(np.float64)
        bad = np.zeros(n, dtype=bool)
        return (*_implausible_to_bad(result, bad, np.isnan(result)), None)
    if isinstance(values, np.ndarray) and values.dtype == object:
        values = _flat_cells(values)
    seen = set(map(type, values))
    if seen <= {float, int, str, type(None)} and (str not in seen or _only_blank_text(values)):
        # Workbook number cells and blanks, the common case: no text to parse.
        nan = float("nan")
        result = np.array(
            [nan if v is None or v.__class__ is str else v for v in values], dtype=np.float64
        )
        blank = np.isnan(result)
        bad = np.zeros(n, dtype=bool)
        if blank.any():  # a NaN number cell is no amount, unlike a blank one
            bad[blank] = [v is not None and v.__class__ is not str for v in np.array(values, dtype=object)[blank]]
            blank &= ~bad
        return (*_implausible_to_bad(result, bad, blank), None)
    import pandas as pd
    from pandas.api.types import infer_dtype

    arr = object_array(values)
    arr[arr == ""] = None
    kind = infer_dtype(arr, skipna=True)
    if kind in ("floating", "integer", "mixed-integer-float", "empty"):
        result = np.array(pd.to_numeric(arr, errors="coerce"), dtype=np.float64)
        blank = np.isnan(result) & np.array([v is None for v in values], dtype=bool)
        bad = np.isnan(result) & ~blank
        return (*_implausible_to_bad(result, bad, blank), None)
    series = pd.Series(arr, dtype=object)
    is_str = np.fromiter((isinstance(v, str) for v in arr), dtype=bool, count=n)
    result = np.full(n, np.nan)
    bad = np.zeros(n, dtype=bool)
    blank = np.zeros(n, dtype=bool)
    nonstr = ~is_str
    if nonstr.any():
        numbers = np.array(pd.to_numeric(series[nonstr], errors="coerce"), dtype=np.float64)
        result[nonstr] = numbers
        blank[nonstr] = np.array(series[nonstr].isna(), dtype=bool)
        bad[np.flatnonzero(nonstr)[np.isnan(numbers) & ~blank[nonstr]]] = True
    currency = None
    if is_str.any():
        idx = np.flatnonzero(is_str)
        text = series[is_str].astype(object).map(str.strip)
        text_blank = np.array(text == "", dtype=bool)
        blank[idx[text_blank]] = True
        sample = text[~text_blank].head(500)
        decimal = detect_decimal(sample.tolist()) or "."
        currency = next((c for c in map(detect_currency, sample.head(20)) if c), None)
        numbers = np.full(len(idx), np.nan)
        todo = ~text_blank
        if decimal == ".":  # plain "123456.78" cells need no cleaning: one C pass
            numbers = np.array(pd.to_numeric(text, errors="coerce"), dtype=np.float64)
            todo &= np.isnan(numbers)
        if todo.any():
            cleaned = text[todo].str.replace(_CURRENCY_STRIP, "", regex=True)
            thousands = "." if decimal == "," else ","
            cleaned = cleaned.str.replace(thousands, "", regex=False)
            if decimal == ",":
                cleaned = cleaned.str.replace(",", ".", regex=False)
            numbers[todo] = np.array(pd.to_numeric(cleaned, errors="coerce"), dtype=np.float64)
        failed = np.isnan(numbers) & ~text_blank
        for k in np.flatnonzero(failed):  # only the odd cells: "(1 200)", "TBD"
            if text.iat[k].casefold() in _MISSING_WORDS:
                blank[idx[k]] = True
                continue
            try:
                value = parse_number(text.iat[k], decimal=decimal)
            except ValueError:
                bad[idx[k]] = True
                continue
            if value is None:
                blank[idx[k]] = True  # "-", "n/a": written as no amount
            numbers[k] = np.nan if value is None else value
        result[idx] = numbers
    return (*_implausible_to_bad(result, bad, blank), currency)


_MISSING_WORDS = frozenset({"nan", "null"})
"""Amount text that data tools write for "no value" (pandas writes NaN): blank, not an error."""


def _flat_cells(values: np.ndarray) -> list[object]:
    """An object array of a big file's chunks (numbers and text mixed) as plain cells."""
    return [v.item() if isinstance(v, np.generic) else v for v in values.tolist()]


def _implausible_to_bad(
    result: np.ndarray, bad: np.ndarray, blank: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values that are not finite or not below `MAX_AMOUNT` become NaN and "not a number"."""
    with np.errstate(invalid="ignore"):
        wild = ~np.isnan(result) & ~(np.abs(result) < MAX_AMOUNT)
    if wild.any():
        result[wild] = np.nan
        bad = bad | wild
    return result, bad, blank & ~bad


_DATE_FORMATS = {
    "dmy": ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%y", "%d.%m.%y", "%d/%m/%y"),
    "mdy": ("%m/%d/%Y", "%m-%d-%Y", "%m.%d.%Y", "%m/%d/%y"),
    "ymd": ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"),
}


_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


_NAT_DAYS = np.iinfo(np.int64).min  # the int64 value numpy reads as NaT

FIRST_DATE = np.datetime64("1677-09-22", "D")
LAST_DATE = np.datetime64("2262-04-11", "D")
"""The dates a deal may carry: what pandas' nanosecond timestamps can hold.

Outside them are placeholders (9999-12-31 for "no close date yet",
0001-01-01 for "unknown"), read as missing and reported, never an
OutOfBoundsDatetime further on.
"""

_YEAR = re.compile(r"(?<!\d)(\d{4,})(?!\d)")


@dataclass(frozen=True)
class DateColumn:
    """A date column as read: the dates and the cells that are not dates or out of range."""

    dates: np.ndarray  # datetime64[D], NaT for blank, unreadable or out of range
    bad: np.ndarray  # bool: text that is no date
    out_of_range: np.ndarray  # bool: a date before FIRST_DATE or after LAST_DATE


def _ordinal_days(values: Sequence[object]) -> np.ndarray:
    """datetime64[D] of date/datetime cells; None, "" and anything else NaT."""
    days = np.fromiter(
        (v.toordinal() - _EPOCH_ORDINAL if isinstance(v, date) else _NAT_DAYS for v in values),
        dtype=np.int64,
        count=len(values),
    )
    return days.view("datetime64[D]")


def date_column(values: list[object]) -> DateColumn:
    """datetime64[D] (NaT for blank) and masks of cells that are not dates or out of range."""
    n = len(values)
    seen = set(map(type, values))
    if seen <= {datetime, date, str, type(None)} and (str not in seen or _only_blank_text(values)):
        # Workbook date cells and blanks, the common case. `date.toordinal`
        # mapped in C is 30x faster than numpy's or pandas' conversion of
        # datetime objects; blanks become NaT afterwards.
        if seen <= {datetime, date}:
            days = np.fromiter(map(date.toordinal, values), dtype=np.int64, count=n)  # type: ignore[arg-type]
            days -= _EPOCH_ORDINAL
            return _in_range(days.view("datetime64[D]"), np.zeros(n, dtype=bool))
        return _in_range(_ordinal_days(values), np.zeros(n, dtype=bool))
    import pandas as pd

    out = nat_column(n)
    bad = np.zeros(n, dtype=bool)
    kinds = np.fromiter(
        (
            1
            if isinstance(v, datetime | date)
            else 2
            if isinstance(v, str) and v.strip()
            else 3
            if isinstance(v, int | float) and not isinstance(v, bool)
            else 0
            for v in values
        ),
        dtype=np.int8,
        count=n,
    )
    is_date = kinds == 1
    if is_date.any():
        out[is_date] = _ordinal_days([values[i] for i in np.flatnonzero(is_date)])
    is_serial = kinds == 3
    if is_serial.any():  # a date cell saved as a plain number: Excel serial days
        serial = np.array([values[i] for i in np.flatnonzero(is_serial)], dtype=np.float64)
        ok = (serial > 1) & (serial < 2958466)
        serial_days = _EXCEL_EPOCH + np.floor(np.where(ok, serial, 0)).astype("timedelta64[D]")
        out[np.flatnonzero(is_serial)[ok]] = serial_days[ok]
        bad[np.flatnonzero(is_serial)[~ok]] = True
    is_text = kinds == 2
    far = np.zeros(n, dtype=bool)
    if is_text.any():
        idx = np.flatnonzero(is_text)
        text = pd.Series([values[i] for i in idx], dtype=object).map(str.strip)
        date_part = text.str.split(r"[ T]", n=1, regex=True).str[0]
        order = detect_date_order(date_part.head(2000).tolist())
        parsed = nat_column(len(idx))
        todo = np.ones(len(idx), dtype=bool)
        for fmt in _DATE_FORMATS[order] + _DATE_FORMATS["ymd"]:
            if not todo.any():
                break
            attempt = pd.to_datetime(date_part[todo], format=fmt, errors="coerce")
            hit = np.array(attempt.notna(), dtype=bool)
            if hit.any():
                rows = np.flatnonzero(todo)[hit]
                parsed[rows] = np.array(attempt[hit].to_numpy(), dtype="datetime64[D]")
                todo[rows] = False
        out[idx] = parsed
        for k in np.flatnonzero(todo):  # "9999-12-31" where pandas cannot hold it
            years = [int(y) for y in _YEAR.findall(date_part.iat[k])]
            if years and not 1677 <= years[0] <= 2262:
                far[idx[k]] = True
                todo[k] = False
        bad[idx[todo]] = True
    column = _in_range(out, bad)
    return DateColumn(column.dates, bad, column.out_of_range | far)


def _in_range(dates: np.ndarray, bad: np.ndarray) -> DateColumn:
    far = ~np.isnat(dates) & ((dates < FIRST_DATE) | (dates > LAST_DATE))
    if far.any():
        dates = dates.copy()
        dates[far] = np.datetime64("NaT")
    return DateColumn(dates, bad, far)


def _codes_of(column: Any) -> tuple[np.ndarray, list[object]]:
    """Codes and distinct cells of a column (a list, an array or a coded column)."""
    if hasattr(column, "codes") and hasattr(column, "uniques"):
        return column.codes, column.uniques
    return factorize(list(column))


def file_currency(
    layout: Layout, columns: Mapping[str, Any], keep: np.ndarray, hint: str | None
) -> str | None:
    """The file's currency: a currency column, the amount header, amount text, or a title line."""
    if "currency" in columns:
        codes, uniques = _codes_of(columns["currency"])
        counts = np.bincount(codes[keep], minlength=len(uniques))
        votes: Counter[str] = Counter()
        for value, count in zip(uniques, counts.tolist(), strict=True):
            text = str(value).strip() if value is not None else ""
            if count and text:
                votes[detect_currency(text, layout.language) or text.upper()] += count
        if votes:
            return votes.most_common(1)[0][0]
    found = detect_currency(layout.names.get("amount", ""), layout.language)
    if found:
        return found
    if hint:
        return hint if hint != "DKK" else (detect_currency("kr", layout.language) or hint)
    for row in layout.sheet.rows[: layout.header]:
        for cell in row:
            if isinstance(cell, str) and (code := _title_currency(cell, layout.language)):
                return code
    return None


def _title_currency(text: str, language: str | None) -> str | None:
    """A currency named in a title/notes line ("Currency: EUR", "Beløb i DKK")."""
    if _CURRENCY_LABEL.search(text):
        return detect_currency(text, language)
    return None


_CURRENCY_LABEL = re.compile(r"(?i)" + "|".join(CURRENCY_LABEL_WORDS) + r"|\bin\b|\bi\b")
