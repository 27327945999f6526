"""Any supported file as plain sheets of rows, after the safety check.

Budget and CRM readers both start from `read_sheets`, so encoding, delimiter
and workbook quirks are solved once. Workbooks are read with python-calamine
(cached cell values, Rust speed); text files are decoded and split with the
csv module after sniffing the delimiter.
"""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from planner.errors import InputError
from planner.io import safety
from planner.io.sniff import decode_bytes, sniff_delimiter

Cell = str | float | int | bool | datetime | date | None


@dataclass(frozen=True)
class Sheet:
    """One worksheet (or the one table of a text file): rows of cells, blanks as None."""

    name: str
    rows: list[list[object]]


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
    give str cells. `blanks_as_none=False` keeps empty cells as "" (calamine's
    own form), which saves a pass over every cell for callers that clean
    whole columns at once anyway.
    """
    path = Path(path)
    kind = safety.check_file(path)
    with paused_gc():
        if kind == "zip":
            return _read_workbook(path, blanks_as_none)
        return [_read_text(path, blanks_as_none)]


def _read_workbook(path: Path, blanks_as_none: bool) -> list[Sheet]:
    import python_calamine as pc  # lazy: keeps `planner inspect` on a CSV quick to start

    try:
        workbook = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError:
        raise InputError(path, "is password protected; save an unprotected copy") from None
    except Exception as exc:  # calamine raises several types for broken zips/XML
        raise InputError(path, f"cannot be read as an Excel workbook ({_short(exc)})") from None
    sheets: list[Sheet] = []
    try:
        for meta in workbook.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue  # chart sheets, macro sheets: no cells to read
            try:
                rows = workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            except Exception as exc:
                raise InputError(
                    path, f"sheet {meta.name!r} cannot be read ({_short(exc)})"
                ) from None
            if blanks_as_none:
                rows = [[None if c == "" else c for c in row] for row in rows]
            sheets.append(Sheet(meta.name, rows))
    finally:
        workbook.close()
    if not sheets:
        raise InputError(path, "the workbook has no worksheets")
    return sheets


def _read_text(path: Path, blanks_as_none: bool) -> Sheet:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    text = decode_bytes(data)
    del data
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        if blanks_as_none:
            rows: list[list[object]] = [[c if c.strip() else None for c in row] for row in reader]
        else:
            rows = [list(row) for row in reader]
    except csv.Error as exc:
        raise InputError(path, f"is not a readable delimited text file ({exc})") from None
    return Sheet(path.stem, rows)


def _short(exc: BaseException) -> str:
    """First line of an exception, capped: parser messages can be long."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
