"""Excel and CSV marketing budgets -> `Budget`.

`load_budget` reads every sheet (cached values via `tabular.read_sheets`,
which runs the safety check first), finds the sheet that holds the budget
(`budget_grid.parse_grid` on each) and returns its lines. For workbooks it
also opens the file with openpyxl, lazily and only for sheets that have
months, to see what calamine cannot: formulas (files written by openpyxl or
a script store none of their values) and number formats (`#,##0 "kr"`
tells the currency).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planner.errors import InputError
from planner.io.budget_formula import FormulaError, TextCell, evaluate
from planner.io.budget_grid import (
    Evaluator,
    Grid,
    GridBudget,
    Loader,
    NotABudget,
    Pos,
    parse_grid,
)
from planner.io.sniff import parse_number
from planner.io.tabular import Sheet, read_sheets
from planner.io.types import Budget

MAX_FORMULA_DEPTH = 60
"""Formula chains longer than this (month = last month * 1.05 ...) are not followed."""

_ZIP_MAGIC = b"PK\x03\x04"


def load_budget(path: str | Path, today: date | None = None) -> Budget:
    """The budget in a .xlsx/.xlsm/.csv/.txt file; InputError (one line) when there is none.

    `today` only decides the year of month labels that name none anywhere
    in the file (tests pass it; the UI and CLI use the real date).
    """
    path = Path(path)
    sheets = read_sheets(path)
    with open(path, "rb") as fh:
        is_workbook = fh.read(4) == _ZIP_MAGIC
    book = _Workbook(path, sheets) if is_workbook else None
    found: list[tuple[tuple[int, int, int], str, GridBudget]] = []
    failures: list[tuple[int, int, str, str]] = []
    try:
        for i, sheet in enumerate(sheets):
            grid = Grid(
                sheet.name,
                sheet.rows,
                loader=book.loader(sheet.name) if book else None,
                evaluate=book.evaluator(sheet.name) if book else None,
            )
            try:
                result = parse_grid(grid, hints=[("file name", path.stem)], today=today)
            except NotABudget as exc:
                failures.append((-exc.promise, i, sheet.name, exc.problem))
                continue
            used = sum(1 for ln in result.lines if ln.total != 0)
            found.append(((used, len(result.months), -i), sheet.name, result))
    finally:
        if book is not None:
            book.close()
    if not found:
        _, _, name, problem = min(failures)
        if len(sheets) > 1:
            problem = f"no sheet holds a budget; sheet {name!r}: {problem}"
        raise InputError(path, problem)
    _, name, result = max(found, key=lambda item: item[0])
    warnings = list(result.warnings) + (book.warnings if book else [])
    return Budget(
        months=result.months,
        lines=result.lines,
        currency=result.currency,
        sheet=name if is_workbook else None,
        path=str(path),
        warnings=tuple(warnings),
    )


class _Workbook:
    """Formulas and number formats from openpyxl, and evaluation of formulas with no saved value."""

    def __init__(self, path: Path, sheets: list[Sheet]) -> None:
        self.path = path
        self.values = {s.name: s.rows for s in sheets}
        self._names = {s.name.casefold(): s.name for s in sheets}
        self._book: Any = None
        self._failed = False
        self._extras: dict[str, tuple[dict[Pos, str], dict[Pos, str]]] = {}
        self._memo: dict[tuple[str, int, int], float | None] = {}
        self._active: list[tuple[str, int, int]] = []
        self.warnings: list[str] = []

    def loader(self, sheet: str) -> Loader:
        return lambda: self.extras(sheet)

    def evaluator(self, sheet: str) -> Evaluator:
        return lambda r, c: self.value(sheet, r, c)

    def extras(self, sheet: str) -> tuple[Mapping[Pos, str], Mapping[Pos, str]]:
        """(formulas, number formats) of one sheet, read once."""
        if sheet in self._extras:
            return self._extras[sheet]
        formulas: dict[Pos, str] = {}
        formats: dict[Pos, str] = {}
        self._extras[sheet] = (formulas, formats)
        book = self._open()
        if book is None or sheet not in book.sheetnames:
            return formulas, formats
        try:
            ws = book[sheet]
            ws.reset_dimensions()  # scripts write wrong <dimension> tags; read every row
            for row in ws.iter_rows():
                for cell in row:
                    value = getattr(cell, "value", None)
                    if value is None:
                        continue
                    pos = (cell.row - 1, cell.column - 1)
                    text = value if isinstance(value, str) else getattr(value, "text", None)
                    if isinstance(text, str) and text.startswith("="):
                        formulas[pos] = text
                    elif not isinstance(value, int | float):
                        continue
                    fmt = cell.number_format
                    if fmt and fmt != "General":
                        formats[pos] = fmt
        except Exception as exc:  # openpyxl is stricter than calamine on odd files
            self.warnings.append(
                f"formulas and number formats of sheet {sheet!r} could not be read "
                f"({type(exc).__name__}); saved values were used"
            )
        return formulas, formats

    def _open(self) -> Any:
        if self._book is None and not self._failed:
            import openpyxl  # lazy: CSV budgets never need it

            try:
                self._book = openpyxl.load_workbook(
                    self.path, read_only=True, data_only=False, keep_links=False
                )
            except Exception as exc:
                self._failed = True
                self.warnings.append(
                    f"formulas could not be read ({type(exc).__name__}); saved values were used"
                )
        return self._book

    def value(self, sheet: str | None, r: int, c: int) -> float | None:
        """A cell as a number for formula evaluation, computing formulas with no saved value."""
        name = self._names.get((sheet or "").casefold())
        if name is None:
            raise FormulaError(f"it refers to a sheet {sheet!r} that is not in the file")
        rows = self.values[name]
        raw = rows[r][c] if r < len(rows) and c < len(rows[r]) else None
        if raw is not None and raw != "":
            return _number(raw)
        formula = self.extras(name)[0].get((r, c))
        if formula is None:
            return None
        key = (name, r, c)
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            raise FormulaError("it is a circular reference")
        if len(self._active) >= MAX_FORMULA_DEPTH:
            raise FormulaError("its chain of references is too long")
        self._active.append(key)
        try:
            result = evaluate(formula, lambda s, rr, cc: self.value(s or name, rr, cc))
        finally:
            self._active.pop()
        self._memo[key] = result
        return result

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None


def _number(raw: object) -> float:
    if isinstance(raw, bool):
        return float(raw)
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, datetime | date):
        raise TextCell("it refers to a date")
    try:
        return parse_number(raw) or 0.0
    except ValueError:
        raise TextCell("it refers to text") from None
