"""Big CRM text exports (a million deals and more) read a column at a time, in bounded memory.

The row reader (`tabular.read_sheets`) holds every cell as a Python
object: fine for 100,000 deals, over a gigabyte for 1.2 million. A text
file over `BIG_TEXT_BYTES` is read here instead: the first megabyte gives
the header (found by the same `resolve_layout` as any other file), then
pandas' C parser streams the body in chunks of `CHUNK_ROWS` rows, only
the columns a field uses, each kept as codes into its distinct cells
(`CodedColumn`) or, for deal names and amounts, as one array.
`crm.load_deals` then builds `Deals` exactly as for a small file.

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

CHUNK_ROWS = 50_000
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

    wanted = sorted({0, *fields.values()})  # column A tells a "Total" line or a footer
    # Names and amounts are mostly distinct: kept as arrays; the rest as codes.
    raw_cols = {fields[f] for f in ("name", "amount") if f in fields}
    coded = {j: _Coder() for j in fields.values() if j not in raw_cols}
    raw: dict[int, list[np.ndarray]] = {j: [] for j in raw_cols}
    # The first cell matters only where the stage is blank (a "Total" line, a footer).
    first: dict[int, object] = {}
    stage_col = fields["stage"]
    rows = 0
    try:
        reader = pd.read_csv(
            path,
            sep=delimiter,
            header=None,
            usecols=wanted,
            skiprows=header + 1,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            encoding=codec or "utf-8-sig",
            encoding_errors="replace" if codec else MIXED_ERRORS,
            chunksize=CHUNK_ROWS,
            engine="c",
            index_col=False,
        )
        with reader:
            for chunk in reader:
                rows += len(chunk)
                if rows > MAX_CRM_ROWS:
                    raise InputError(
                        path,
                        f"has more than {MAX_CRM_ROWS:,} rows, the limit for a CRM export; "
                        "export a shorter period or fewer deals",
                    )
                offset = rows - len(chunk)
                for j in wanted:
                    column = chunk[j]
                    if j in raw:
                        raw[j].append(_raw_cells(column))
                    elif j in coded:
                        coded[j].add(column.to_numpy(dtype=object))
                    if j == stage_col:
                        blank = np.flatnonzero(np.asarray(column.isna() | (column == "")))
                        cells = chunk[0].to_numpy(dtype=object, na_value="")[blank]
                        first.update(zip((blank + offset).tolist(), cells.tolist(), strict=True))
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


def _raw_cells(column: Any) -> npt.NDArray[np.float64] | npt.NDArray[np.object_]:
    """A chunk's cells for a raw column: float64 when pandas read numbers, else objects ("" for missing).

    `column` is a pandas Series (pandas ships no type information).
    """
    if column.dtype.kind in "fiu":
        numbers: npt.NDArray[np.float64] = column.to_numpy(dtype=np.float64)
        return numbers
    cells: npt.NDArray[np.object_] = column.to_numpy(dtype=object, na_value="")
    return cells


class _Sparse(dict[int, object]):
    """Row -> first cell, for the rows that kept one; "" for the others."""

    def __missing__(self, key: int) -> str:
        return ""


class _Coder:
    """Codes a column chunk by chunk into one index of its distinct cells.

    Each chunk's cells are new string objects: kept per chunk, a column with
    90,000 accounts would hold a million copies of them. The shared index
    (looked up in C, `pandas.Index.get_indexer`) keeps one of each.
    """

    def __init__(self) -> None:
        import pandas as pd

        self.known = pd.Index([""], dtype=object)  # code 0: a missing cell (a short row)
        self.parts: list[npt.NDArray[np.int32]] = []

    def add(self, values: np.ndarray) -> None:
        import pandas as pd

        codes, uniques = pd.factorize(values)  # -1 for a missing cell
        where = self.known.get_indexer(uniques)
        new = where < 0
        if new.any():
            where[new] = np.arange(len(self.known), len(self.known) + int(new.sum()))
            self.known = self.known.append(pd.Index(uniques[new], dtype=object))
        lookup = np.append(where, 0).astype(np.int32)  # index -1 -> ""
        self.parts.append(lookup[codes])

    def column(self) -> CodedColumn:
        codes: npt.NDArray[np.int32] = np.concatenate(self.parts) if self.parts else np.zeros(0, dtype=np.int32)
        self.parts = []
        return CodedColumn(codes, self.known.tolist())
