"""Big CRM text exports (a million deals and more) read a column at a time, in bounded memory.

The row reader (`tabular.read_sheets`) holds every cell as a Python
object: fine for 100,000 deals, over a gigabyte for 1.2 million. A text
file over `BIG_TEXT_BYTES` is read here instead: the first megabyte gives
the header (found by the same `resolve_layout` as any other file), then
pandas' C parser streams the body in chunks of `CHUNK_ROWS` rows, only
the columns a field uses, each kept as codes into its distinct cells
(`CodedColumn`) or, for deal names and amounts, as one array.
`crm.load_deals` then builds `Deals` exactly as for a small file: text
fields are read as the text the file holds (as the row reader gives them),
never as the numbers or booleans pandas would infer from a chunk; only
amounts are left to pandas' number parser.

Above `MAX_CRM_ROWS` rows the file is refused with one line: the limit
keeps the import under about 400 MB whatever the file holds.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from planner.errors import InputError
from planner.io import safety
from planner.io.crm_columns import CodedColumn, Column
from planner.io.crm_layout import Layout, resolve_layout
from planner.io.sniff import MIXED_ERRORS, decode_text, sniff_delimiter, text_encoding
from planner.io.tabular import Sheet

BIG_TEXT_BYTES = 16 * 1024 * 1024
"""Text files above this size are read column by column (about 200,000 deals)."""

MAX_CRM_ROWS = 2_500_000
"""Most rows a CRM text export may have; above it the file is refused with one line."""

CHUNK_ROWS = 100_000
"""Rows parsed at a time: bounds the memory of the cells not yet coded."""

HEAD_BYTES = 1024 * 1024
"""How much of the file the header is looked for in."""

def is_big_text(path: Path) -> bool:
    """Whether `path` is a text file big enough for the column reader (never raises)."""
    try:
        if path.stat().st_size <= BIG_TEXT_BYTES:
            return False
        with open(path, "rb") as fh:
            return fh.read(4) != b"PK\x03\x04"
    except OSError:
        return False


def read_head(path: Path) -> tuple[Sheet, str, str | None]:
    """The first rows of a big text file as a sheet, its delimiter and its codec (None: UTF-8/mixed)."""
    if safety.check_file(path) != "text":
        raise InputError(path, "is not a text file")
    try:
        with open(path, "rb") as fh:
            data = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    codec, _ = text_encoding(data)
    text, notices = decode_text(data)
    cut = text.rfind("\n")
    text = text[: cut + 1] if cut > 0 else text
    delimiter = sniff_delimiter(text)
    try:
        rows: list[list[object]] = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise InputError(path, f"is not a readable delimited text file ({exc})") from None
    return Sheet(path.stem, rows, notices), delimiter, codec


def read_big(
    path: Path, columns: Mapping[str, str] | None = None, sheet: str | None = None
) -> tuple[Layout, dict[str, Column], Mapping[int, object], int]:
    """The layout of a big text file and each field's cells below its header, streamed.

    `crm.load_deals` turns them into `Deals` (as for any file).
    """
    head, delimiter, codec = read_head(path)
    layout = resolve_layout([head], path, columns, sheet)
    cols, first, n = _read_columns(path, layout.header, layout.columns, delimiter, codec)
    return layout, cols, first, n


def _read_columns(
    path: Path,
    header: int,
    fields: Mapping[str, int],
    delimiter: str,
    codec: str | None,
) -> tuple[dict[str, Column], Mapping[int, object], int]:
    """Each field's cells below the header, streamed in chunks and coded as they come."""
    import pandas as pd

    # Column A tells a "Total" line from a deal where the stage is blank and the amount is
    # not (`crm._NOT_A_DEAL`). When it holds no field (an ID column: a million distinct texts,
    # a third of the parsing), it is read afterwards, and only if such a row exists.
    first_is_field = 0 in fields.values()
    wanted = sorted(fields.values())
    # Names and amounts are mostly distinct: kept as arrays; the rest as codes.
    raw_cols = {fields[f] for f in ("name", "amount") if f in fields}
    # Accounts: thousands of names met again in every chunk, converted one by one (`_Coder`).
    coded = {
        j: _Coder(distinct=[f for f, k in fields.items() if k == j] != ["account"])
        for j in fields.values()
        if j not in raw_cols
    }
    raw: dict[int, list[np.ndarray]] = {j: [] for j in raw_cols}
    # Every field but the amount is text, as the row reader gives it: "007" stays "007",
    # and plain object arrays skip pandas' string-dtype checks on every cell.
    as_text = {j: object for j in fields.values() if j != fields.get("amount")}
    first: dict[int, object] = {}
    unsure: list[npt.NDArray[np.intp]] = []  # rows that need their first cell (column A not read yet)
    stage_col, amount_col = fields["stage"], fields["amount"]
    name_col = fields.get("name")
    rows = 0
    try:
        with _chunks(path, header, wanted, as_text, delimiter, codec) as reader:
            for chunk in reader:
                rows += len(chunk)
                if rows > MAX_CRM_ROWS:
                    raise InputError(
                        path,
                        f"has more than {MAX_CRM_ROWS:,} rows, the limit for a CRM export; "
                        "export a shorter period or fewer deals",
                    )
                offset = rows - len(chunk)
                blank = np.zeros(0, dtype=np.intp)
                for j in wanted:
                    column = chunk[j]
                    if j in raw:
                        raw[j].append(_raw_cells(column, blank_as=None if j == name_col else ""))
                    elif j in coded:
                        blanks = coded[j].add(column.to_numpy(dtype=object), blanks=j == stage_col)
                        if j == stage_col:
                            blank = blanks  # the coder saw which cells are blank: no second pass
                    if j == stage_col and j not in coded:
                        blank = np.flatnonzero(np.asarray(column.isna() | (column == "")))
                if not blank.size:
                    continue
                if first_is_field:
                    _keep_first_cells(first, chunk[0], blank, offset)
                else:  # a blank amount too makes a blank line or a footer: no first cell needed
                    unsure.append(blank[_filled(raw[amount_col][-1][blank])] + offset)
        if unsure and (needed := np.concatenate(unsure)).size:
            first = _first_cells(path, header, delimiter, codec, needed)
    except InputError:
        raise
    except (ValueError, UnicodeError, MemoryError, pd.errors.ParserError) as exc:
        text = str(exc).strip().splitlines()[-1][:160] if str(exc).strip() else type(exc).__name__
        raise InputError(path, f"is not a readable delimited text file ({text})") from None
    if rows == 0:
        raise InputError(path, "the deal table has a header but no rows")
    out: dict[str, Column] = {}
    for fld, j in fields.items():
        out[fld] = np.concatenate(raw[j]) if j in raw else coded[j].column()
    return out, _Sparse(first), rows


def _chunks(
    path: Path, header: int, usecols: list[int], dtype: Mapping[int, type], delimiter: str, codec: str | None
) -> Any:
    """pandas' C parser over the rows below the header: only `usecols`, `CHUNK_ROWS` at a time."""
    import pandas as pd

    return pd.read_csv(
        path,
        sep=delimiter,
        header=None,
        usecols=usecols,
        dtype=dtype,
        skiprows=header + 1,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        encoding=codec or "utf-8-sig",
        encoding_errors="replace" if codec else MIXED_ERRORS,
        chunksize=CHUNK_ROWS,
        low_memory=False,  # a chunk is parsed in one piece: CHUNK_ROWS bounds it already
        engine="c",
        index_col=False,
    )


def _filled(cells: np.ndarray) -> npt.NDArray[np.bool_]:
    """Which amount cells hold something (a number, or any text but "")."""
    if cells.dtype.kind == "f":
        filled: npt.NDArray[np.bool_] = ~np.isnan(cells)
        return filled
    return np.fromiter((isinstance(c, str) and c != "" for c in cells), dtype=bool, count=len(cells))


def _first_cells(
    path: Path, header: int, delimiter: str, codec: str | None, needed: npt.NDArray[np.intp]
) -> dict[int, object]:
    """Column A's cells at the `needed` rows (sorted), read in a pass of their own."""
    first: dict[int, object] = {}
    rows = 0
    with _chunks(path, header, [0], {0: object}, delimiter, codec) as reader:
        for chunk in reader:
            start, rows = rows, rows + len(chunk)
            here = needed[(needed >= start) & (needed < rows)]
            if here.size:
                _keep_first_cells(first, chunk[0], here - start, start)
    return first


def _keep_first_cells(first: dict[int, object], column: Any, rows: np.ndarray, offset: int) -> None:
    """Put column A's text at `rows` of a chunk (starting at row `offset`) into `first` ("" for no text)."""
    cells = column.to_numpy(dtype=object)[rows]
    first.update(
        (row, cell if isinstance(cell, str) else "")
        for row, cell in zip((rows + offset).tolist(), cells.tolist(), strict=True)
    )


def _raw_cells(
    column: Any, blank_as: str | None
) -> npt.NDArray[np.float64] | npt.NDArray[np.object_]:
    """A chunk's cells for a raw column: float64 when pandas read numbers, else objects.

    A missing cell (a short row) is `blank_as`; None leaves it NaN, which
    `name_column` reads as "" anyway, without a pass that looks for it.
    `column` is a pandas Series (pandas ships no type information).
    """
    if column.dtype.kind in "fiu":
        numbers: npt.NDArray[np.float64] = column.to_numpy(dtype=np.float64)
        return numbers
    cells: npt.NDArray[np.object_] = (
        column.to_numpy(dtype=object)
        if blank_as is None
        else column.to_numpy(dtype=object, na_value=blank_as)
    )
    return cells


class _Sparse(dict[int, object]):
    """Row -> first cell, for the rows that kept one; "" for the others."""

    def __missing__(self, key: int) -> str:
        return ""


class _Coder:
    """Codes a column chunk by chunk into one list of its distinct cells, in first-seen order.

    pandas' parser boxes the equal cells of a chunk as one str object, so a
    chunk of stage cells holds a handful of objects and its account cells a
    few thousand. `add` tells a chunk's objects apart by their addresses
    (the array's raw pointers, hashed as integers: several times quicker
    than hashing the text of every cell) and keeps only those objects, never
    a million copies of the same texts; `column` then factorizes the kept
    objects of all chunks by their text at once. Equal texts held by
    distinct objects share a code there, so the result never rests on the
    parser's sharing; only speed does.

    Without `distinct`, `column` skips that merge and its cells are each
    chunk's own objects: a text may stand in it once per chunk. That suits
    a column whose cells are converted one by one and that holds tens of
    thousands of texts met again in every chunk (accounts), where looking
    each up by its text costs more than converting it; not one whose
    converter looks at the distinct values together (dates: the day-month
    order is told from a sample of them).
    """

    def __init__(self, *, distinct: bool = True) -> None:
        self.objects: list[npt.NDArray[np.object_]] = [np.array([""], dtype=object)]  # code 0: blank
        self.parts: list[npt.NDArray[np.int32]] = []
        self.size = 1
        self.distinct = distinct

    def add(self, values: npt.NDArray[np.object_], *, blanks: bool = False) -> npt.NDArray[np.intp]:
        """Code one chunk's cells (an object array).

        With `blanks`, return the rows whose cell is blank or missing (else no rows).
        """
        import pandas as pd

        by_object, addresses = pd.factorize(np.frombuffer(values.tobytes(), dtype=np.intp))
        sample = np.empty(len(addresses), dtype=np.intp)
        sample[by_object] = np.arange(len(values))  # a row holding each distinct object
        objects = values[sample]
        self.parts.append((by_object + self.size).astype(np.int32))
        self.objects.append(objects)
        self.size += len(objects)
        if not blanks:
            return np.zeros(0, dtype=np.intp)
        blank = np.flatnonzero(np.asarray(pd.isna(objects) | (objects == ""), dtype=bool))
        return np.flatnonzero(np.isin(by_object, blank)) if blank.size else blank

    def column(self) -> CodedColumn:
        import pandas as pd

        objects = np.concatenate(self.objects)
        rows: npt.NDArray[np.int32] = (
            np.concatenate(self.parts) if self.parts else np.zeros(0, dtype=np.int32)
        )
        self.parts, self.objects = [], []
        if not self.distinct:  # a missing cell stays NaN: `cell_text` reads it as ""
            return CodedColumn(rows, objects.tolist())
        codes, uniques = pd.factorize(objects)  # -1: a missing cell
        lookup = np.where(codes < 0, 0, codes).astype(np.int32)
        return CodedColumn(lookup[rows], list(uniques))
