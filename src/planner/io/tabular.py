"""Any supported file as plain sheets of rows, after the safety check.

Budget and CRM readers both start from `read_sheets`, so encoding, delimiter
and workbook quirks are solved once. Workbooks are read with python-calamine
(cached cell values, Rust speed); text files are decoded and split with the
csv module after sniffing the delimiter.
"""

from __future__ import annotations

import csv
import gc
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planner.errors import InputError
from planner.io import safety
from planner.io.csv_rows import CsvRows
from planner.io.notices import Notice
from planner.io.sniff import MAX_AMOUNT, decode_bytes, decode_text, sniff_delimiter, text_unit

MAX_TEXT_CELLS = 5_000_000
"""Most cells a text file may split into: the worksheet limit (`safety.MAX_SHEET_CELLS`).

Counted as delimiters plus lines on the raw bytes, so it is an upper bound
that costs one pass; blank rows at the end of the file are not counted.
"""

INTERN_LIMIT = 200_000
"""Distinct cell texts remembered for sharing before the memo starts over (bounds its size)."""

SNIFF_BYTES = 1024 * 1024
"""How much of a text file the delimiter is guessed from."""

Cell = str | float | int | bool | datetime | date | None


@dataclass(frozen=True)
class Sheet:
    """One worksheet (or the one table of a text file): rows of cells, blanks as None."""

    name: str
    rows: list[list[object]]
    notices: tuple[Notice, ...] = ()  # what reading it cost (an encoding guessed...)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building millions of cells.

    A sheet is one object per cell and none of them form cycles, but each
    allocation burst makes the collector rescan all of them: up to a third
    of the load time on a 100,000-row export. Reference counting still frees
    everything; the collector resumes (if it was on) when the block ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_ZIP_MAGIC = b"PK\x03\x04"


def is_workbook(path: str | Path) -> bool:
    """Whether a file is a zip container (xlsx/xlsm) rather than text, by its first bytes.

    Decided from the content, like `safety.check_file`, so a CSV named .xlsx
    is still a text file with one table (and no sheet names to choose from).
    """
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == _ZIP_MAGIC
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None


def read_sheets(path: str | Path, *, blanks_as_none: bool = True) -> list[Sheet]:
    """Every sheet of a workbook, or the single table of a CSV/TXT file.

    Cells are str | float | int | bool | datetime | date | None; text files
    give str cells. With `blanks_as_none` (the budget reader's form, see
    `workbook_cells`), blank cells are None and implausible numbers text.
    `blanks_as_none=False` keeps empty cells as "" (calamine's own form),
    which saves a pass over every cell for callers that clean whole columns
    at once anyway.
    """
    path = Path(path)
    kind = safety.check_file(path)
    with paused_gc():
        if kind == "zip":
            return _read_workbook(path, blanks_as_none)
        return [_read_text(path, blanks_as_none)]


def _read_workbook(path: Path, blanks_as_none: bool) -> list[Sheet]:
    """Every worksheet through python-calamine, its Rust panics turned into `InputError`.

    A panic inside the Rust reader (a date-formatted cell holding -1e14
    overflows chrono) arrives as pyo3's `PanicException`, a `BaseException`
    that `except Exception` lets through; Rust also writes the panic to
    stderr itself, so that is captured while calamine runs (see `_rust_stderr`).
    """
    import python_calamine as pc  # lazy: keeps `planner inspect` on a CSV quick to start

    with _rust_stderr():
        try:
            return _calamine_sheets(pc, path, blanks_as_none)
        except InputError:
            raise
        except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
            raise
        except BaseException as exc:  # noqa: B036 - pyo3's PanicException is a BaseException
            raise InputError(
                path, f"cannot be read as an Excel workbook ({_short(exc)})"
            ) from None


def _calamine_sheets(pc: Any, path: Path, blanks_as_none: bool) -> list[Sheet]:
    try:
        workbook = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError:
        raise InputError(path, "is password protected; save an unprotected copy") from None
    sheets: list[Sheet] = []
    try:
        for meta in workbook.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue  # chart sheets, macro sheets: no cells to read
            try:
                rows = workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
                raise
            except BaseException as exc:  # noqa: B036 - Rust panics included
                raise InputError(
                    path, f"sheet {meta.name!r} cannot be read ({_short(exc)})"
                ) from None
            sheets.append(Sheet(meta.name, workbook_cells(rows) if blanks_as_none else rows))
    finally:
        close = getattr(workbook, "close", None)  # python-calamine < 0.3 has no close()
        if close is not None:
            close()
    if not sheets:
        raise InputError(path, "the workbook has no worksheets")
    return sheets


@contextmanager
def _rust_stderr() -> Iterator[None]:
    """Hold what native code writes to stderr while the block runs; pass it on unless it raised.

    Rust's panic hook prints "thread panicked at ..." straight to file
    descriptor 2, past Python's `sys.stderr`; the user should see our one
    line instead. Output written while nothing failed (another thread's
    warning, say) is passed on unchanged when the block ends.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no usable fd 2 (embedded, closed)
        yield
        return
    failed = True
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            yield
            failed = False
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            if not failed:
                held.seek(0)
                if data := held.read(1 << 20):
                    os.write(2, data)


def workbook_cells(rows: list[list[Any]]) -> list[list[Any]]:
    """A workbook's rows in the budget reader's form: blank cells None, implausible numbers as text.

    A number cell that is not finite or not below `sniff.MAX_AMOUNT` (a saved
    `1e308`, an INF/NaN cell) comes back as its text ("inf", "1e+308"), which
    no reader takes for an amount, so it is reported like any other text
    where a number should be.
    """
    return [
        [
            None if c == "" else c if c.__class__ is not float or -MAX_AMOUNT < c < MAX_AMOUNT else repr(c)
            for c in row
        ]
        for row in rows
    ]


def text_cells(rows: list[list[Any]]) -> list[list[Any]]:
    """A text file's rows in the budget reader's form: blank (or all-space) cells None."""
    return [[c if not isinstance(c, str) or c.strip() else None for c in r] for r in rows]


def _read_text(path: Path, blanks_as_none: bool) -> Sheet:
    """The one table of a text file, in memory bounded by `MAX_TEXT_CELLS`.

    Blank rows at the end (Excel saves a million `,,,,` lines after 100
    deals) are stripped from the bytes before anything else and cost
    nothing; the cells a file can hold at most (delimiters plus lines) are
    counted on the raw bytes before decoding, so 150 MB of commas or 40 MB
    of newlines is one line in milliseconds, not gigabytes; blank rows
    inside the table are kept (row numbers in notices stay true) but share
    one empty row.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    delimiter = sniff_delimiter(decode_bytes(data[:SNIFF_BYTES]))
    end = blank_tail_start(data, delimiter)
    _check_text_size(path, data, end, delimiter)
    text, notices = decode_text(data if end == len(data) else memoryview(data)[:end])
    del data
    reader = CsvRows(text, delimiter)
    rows: list[list[object]] = []
    blank: list[object] = []
    pending = 0  # blank rows seen since the last row with content
    # One object per distinct cell text: stages, sources, owners and dates
    # repeat on every row, and sharing them saves a third of the memory.
    seen: dict[str, str] = {}
    same = seen.setdefault
    try:
        for row in reader:
            if not any(c.strip() for c in row):
                pending += 1
                continue
            if pending:
                rows.extend([blank] * pending)
                pending = 0
            if blanks_as_none:
                rows.append([same(c, c) if c.strip() else None for c in row])
            else:
                rows.append([same(c, c) for c in row])
            if len(seen) > INTERN_LIMIT:
                seen.clear()
    except csv.Error as exc:
        raise InputError(path, f"is not a readable delimited text file ({exc})") from None
    return Sheet(path.stem, rows, notices + reader.notices())


def blank_tail_start(data: bytes, delimiter: str) -> int:
    """Where the blank rows (delimiters, spaces, line breaks) at the end of `data` begin.

    In UTF-16/32 a trailing zero byte may belong to the last character, so
    the cut is rounded up to the encoding's unit size. An offset, not a
    copy: slicing a 150 MB file would hold it twice.
    """
    blank = b"\r\n\t \x00" + delimiter.encode("ascii")
    end = len(data)
    while end > 0 and data[end - 1] in blank:
        step = min(end, 1 << 16)
        piece = data[end - step : end]
        kept = len(piece.rstrip(blank))
        end -= step - kept
        if kept:
            break
    unit = text_unit(data)
    if unit > 1:
        end = min(len(data), -(-end // unit) * unit)
    return end


def _check_text_size(path: Path, data: bytes, end: int, delimiter: str) -> None:
    """Refuse a text file that could split into more than `MAX_TEXT_CELLS` cells."""
    lines = data.count(b"\n", 0, end) + data.count(b"\r", 0, end) + 1
    cells = lines + data.count(delimiter.encode("ascii"), 0, end)
    if cells > MAX_TEXT_CELLS:
        raise InputError(
            path,
            f"could hold up to {cells:,} cells ({lines:,} lines), over the "
            f"{MAX_TEXT_CELLS:,}-cell limit for a text file; blank lines inside the "
            "table count too",
        )


def _short(exc: BaseException) -> str:
    """First line of an exception, capped: parser messages can be long."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
