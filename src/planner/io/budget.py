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

import html
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from planner.errors import InputError
from planner.io.budget_formula import FormulaError, RangeSums, TextCell, evaluate
from planner.io.budget_grid import (
    Evaluator,
    Grid,
    GridBudget,
    Loader,
    NotABudget,
    Pos,
    currency_from_format,
    parse_grid,
)
from planner.io.notices import Notice, messages
from planner.io.sniff import parse_number
from planner.io.tabular import Sheet, is_workbook, read_sheets
from planner.io.text import layout_key, row_texts
from planner.io.types import Budget

MAX_FORMULA_DEPTH = 60
"""Formula chains longer than this (month = last month * 1.05 ...) are not followed."""


def load_budget(
    path: str | Path,
    today: date | None = None,
    *,
    sheet: str | None = None,
    sheets: list[Sheet] | None = None,
) -> Budget:
    """The budget in a .xlsx/.xlsm/.csv/.txt file; InputError (one line) when there is none.

    `today` only decides the year of month labels that name none anywhere
    in the file (tests pass it; the UI and CLI use the real date). `sheet`
    reads that sheet of a workbook instead of the one detection prefers
    (other sheets still serve formulas that refer to them). `sheets` are
    the file's cells when the caller has read them already (blanks as None,
    see `planner.io.open`), so the file is not parsed twice.
    """
    return _budget_of(_scan(Path(path), today, sheet, sheets))


def _budget_of(scan: _Scan) -> Budget:
    if scan.chosen is None:
        raise InputError(scan.path, scan.problem)
    name, result = scan.chosen
    return Budget(
        months=result.months,
        lines=result.lines,
        currency=result.currency,
        sheet=name if scan.is_workbook else None,
        path=str(scan.path),
        notices=tuple(result.notices) + scan.book_notices,
    )


@dataclass(frozen=True)
class BudgetSheet:
    """One sheet as budget detection saw it."""

    name: str
    lines: int  # line items with a non-zero total (0 when it holds no budget)
    months: int
    total: float
    layout: str | None  # "wide" | "long" | None (no budget)
    problem: str | None  # why it holds no budget


@dataclass(frozen=True)
class BudgetPreview:
    """What `load_budget` would read from a file, and where it is unsure.

    For the import dialog: the sheets with their line counts (to offer a
    sheet choice), the first rows under the chosen sheet's header, and
    `unsure` reasons that make the dialog open by itself. The choice goes
    back as `load_budget(path, sheet=...)`, remembered under `layout_key`.
    """

    path: str
    sheets: tuple[BudgetSheet, ...]  # every sheet of a workbook; one entry for a text file
    sheet: str | None  # the sheet `load_budget` would read (None: text file or no budget)
    header_row: int | None  # 0-based row of the header in that sheet
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # first rows below the header, as text
    months: tuple[str, ...]
    layout: str | None  # "wide" | "long"
    currency: str | None
    default_class_lines: tuple[str, ...]  # lines counted as demand for want of a clue
    notices: tuple[Notice, ...]
    unsure: tuple[str, ...]
    layout_key: str

    @property
    def warnings(self) -> tuple[str, ...]:
        """The notices' one-line messages."""
        return messages(self.notices)

    @property
    def confident(self) -> bool:
        """Whether the file can be read without asking the user."""
        return not self.unsure


def preview_budget(
    path: str | Path,
    *,
    rows: int = 20,
    today: date | None = None,
    sheets: list[Sheet] | None = None,
) -> BudgetPreview:
    """How a budget file would be read, with the doubts worth asking the user about.

    Detection has to parse each sheet to know whether it holds a budget, so
    this does the work of `load_budget` (2,000 lines take a fraction of a
    second); a file that fails the safety check raises InputError, a file
    without a budget returns a preview whose `unsure` says why.
    """
    return _preview_of(_scan(Path(path), today, None, sheets), rows)


def read_budget(
    path: str | Path, sheets: list[Sheet], *, rows: int = 20, today: date | None = None
) -> tuple[BudgetPreview, Budget | None]:
    """`preview_budget` and `load_budget` from one scan of sheets already read.

    The budget is None when no sheet holds one (the preview's `unsure` says why).
    """
    scan = _scan(Path(path), today, None, sheets)
    return _preview_of(scan, rows), (_budget_of(scan) if scan.chosen is not None else None)


def _preview_of(scan: _Scan, rows: int) -> BudgetPreview:
    infos = tuple(scan.infos)
    unsure: list[str] = []
    if scan.chosen is None:
        unsure.append(scan.problem)
        first = scan.sheets[0] if scan.sheets else Sheet("", [])
        header_row = next((i for i, r in enumerate(first.rows) if any(_filled(c) for c in r)), None)
        return BudgetPreview(
            path=str(scan.path),
            sheets=infos,
            sheet=None,
            header_row=header_row,
            headers=row_texts(first.rows[header_row]) if header_row is not None else (),
            rows=_preview_rows(first.rows, header_row, rows),
            months=(),
            layout=None,
            currency=None,
            default_class_lines=(),
            notices=scan.book_notices,
            unsure=tuple(unsure),
            layout_key=layout_key(
                row_texts(first.rows[header_row]) if header_row is not None else ()
            ),
        )
    name, result = scan.chosen
    budgets = sorted((i for i in infos if i.lines), key=lambda i: -i.lines)
    if len(budgets) > 1:
        others = ", ".join(f"{i.name!r} ({i.lines} lines)" for i in budgets if i.name != name)
        used = next(i for i in infos if i.name == name)
        unsure.append(
            f"several sheets hold a budget: {name!r} ({used.lines} lines) was used, not {others}"
        )
    defaults = tuple(ln.name for ln in result.lines if ln.class_origin == "default")
    if defaults:
        listed = ", ".join(repr(n) for n in defaults[:5])
        more = f" and {len(defaults) - 5} more" if len(defaults) > 5 else ""
        unsure.append(
            f"{len(defaults)} {'lines' if len(defaults) > 1 else 'line'} could not be told brand or lead generation "
            f"({listed}{more}); they count as demand"
        )
    if result.year_from == "today":
        unsure.append(
            f"the month labels name no year and neither do the title, notes, sheet or file "
            f"name; {result.months[0][:4]} (this year) was assumed"
        )
    sheet_rows = next(s.rows for s in scan.sheets if s.name == name)
    header_row = result.header_row if result.header_row >= 0 else None
    headers = row_texts(sheet_rows[header_row]) if header_row is not None else ()
    return BudgetPreview(
        path=str(scan.path),
        sheets=infos,
        sheet=name if scan.is_workbook else None,
        header_row=header_row,
        headers=headers,
        rows=_preview_rows(sheet_rows, header_row, rows),
        months=result.months,
        layout=result.layout,
        currency=result.currency,
        default_class_lines=defaults,
        notices=tuple(result.notices) + scan.book_notices,
        unsure=tuple(unsure),
        layout_key=layout_key(headers),
    )


@dataclass
class _Scan:
    """Every sheet parsed (or the one asked for), and the one `load_budget` reads."""

    path: Path
    sheets: list[Sheet]
    is_workbook: bool
    infos: list[BudgetSheet]
    chosen: tuple[str, GridBudget] | None
    problem: str  # why there is no budget, when `chosen` is None
    book_notices: tuple[Notice, ...]


def _scan(
    path: Path, today: date | None, sheet: str | None, sheets: list[Sheet] | None = None
) -> _Scan:
    sheets = read_sheets(path) if sheets is None else sheets
    workbook = is_workbook(path)
    targets = _pick(sheets, path, sheet, workbook)
    book = _Workbook(path, sheets) if workbook else None
    found: list[tuple[tuple[int, int, int], str, GridBudget]] = []
    failures: list[tuple[int, int, str, str]] = []
    infos: list[BudgetSheet] = []
    try:
        for i, sh in enumerate(sheets):
            if sh.name not in targets:
                continue
            grid = Grid(
                sh.name,
                sh.rows,
                loader=book.loader(sh.name) if book else None,
                evaluate=book.evaluator(sh.name) if book else None,
            )
            try:
                result = parse_grid(grid, hints=[("file name", path.stem)], today=today)
            except NotABudget as exc:
                failures.append((-exc.promise, i, sh.name, exc.problem))
                infos.append(BudgetSheet(sh.name, 0, 0, 0.0, None, exc.problem))
                continue
            used = sum(1 for ln in result.lines if ln.total != 0)
            total = float(sum(ln.total for ln in result.lines))
            infos.append(BudgetSheet(sh.name, used, len(result.months), total, result.layout, None))
            found.append(((used, len(result.months), -i), sh.name, result))
    finally:
        if book is not None:
            book.close()
    notices = tuple(Notice("formulas_unread", w) for w in book.warnings) if book else ()
    notices += tuple(n for sh in sheets for n in sh.notices)  # an encoding guessed
    if not found:
        _, _, name, problem = min(failures)
        if sheet is not None:
            problem = f"sheet {name!r} holds no budget: {problem}"
        elif len(sheets) > 1:
            problem = f"no sheet holds a budget; sheet {name!r}: {problem}"
        return _Scan(path, sheets, workbook, infos, None, problem, notices)
    _, name, result = max(found, key=lambda item: item[0])
    return _Scan(path, sheets, workbook, infos, (name, result), "", notices)


def _pick(sheets: list[Sheet], path: Path, sheet: str | None, workbook: bool) -> set[str]:
    """Names of the sheets to parse: all, or the one the user chose."""
    if sheet is None:
        return {s.name for s in sheets}
    if not workbook:
        raise InputError(path, f"is a text file with one table; there is no sheet {sheet!r}")
    matchers: tuple[Callable[[Sheet], bool], ...] = (
        lambda s: s.name == sheet,
        lambda s: s.name.casefold() == sheet.casefold(),
    )
    for match in matchers:
        hits = [s.name for s in sheets if match(s)]
        if hits:
            return {hits[0]}
    names = ", ".join(repr(s.name) for s in sheets)
    raise InputError(path, f"has no sheet {sheet!r}; its sheets are {names}")


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _preview_rows(
    rows: list[list[object]], header: int | None, limit: int
) -> tuple[tuple[str, ...], ...]:
    body = rows[(header + 1 if header is not None else 0) :]
    shown = [r for r in body if any(_filled(c) for c in r)][: max(0, limit)]
    return tuple(row_texts(r) for r in shown)


class _Workbook:
    """Formulas and number formats from openpyxl, and evaluation of formulas with no saved value."""

    def __init__(self, path: Path, sheets: list[Sheet]) -> None:
        self.path = path
        self.values = {s.name: s.rows for s in sheets}
        self._names = {s.name.casefold(): s.name for s in sheets}
        self._book: Any = None
        self._handle: BinaryIO | None = None  # the file openpyxl reads, open while `_book` is
        self._failed = False
        self._plain: bool | None = None  # no formulas and no currency formats anywhere
        self._extras: dict[str, tuple[dict[Pos, str], dict[Pos, str]]] = {}
        self._memo: dict[tuple[str, int, int], float | None] = {}
        self._ranges: dict[str, RangeSums] = {}  # range sums per sheet, see `value`
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
        if not self._needs_openpyxl():
            return formulas, formats
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

    def _needs_openpyxl(self) -> bool:
        """Whether openpyxl could tell more than calamine did, decided once per file."""
        if self._plain is None:
            self._plain = not workbook_has_formulas_or_currency_formats(self.path)
        return not self._plain

    def _open(self) -> Any:
        if self._book is None and not self._failed:
            import openpyxl  # lazy: CSV budgets never need it

            # The file is opened here, not by openpyxl: when `load_workbook` fails half-way it
            # leaves its archive open, and the handle would be closed only by the collector
            # (a ResourceWarning on the user's terminal; on Windows the file stays locked).
            handle = open(self.path, "rb")  # noqa: SIM115 - closed in `close` or below
            try:
                self._book = openpyxl.load_workbook(
                    handle, read_only=True, data_only=False, keep_links=False
                )
                self._handle = handle
            except Exception as exc:
                handle.close()
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
            # One cache of range sums per sheet the formulas stand on: 480 cells each
            # =SUM(Data!A1:CV1000) read the block once, not 480 times.
            ranges = self._ranges.setdefault(name, {})
            result = evaluate(formula, lambda s, rr, cc: self.value(s or name, rr, cc), ranges)
        finally:
            self._active.pop()
        self._memo[key] = result
        return result

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None
        if self._handle is not None:
            self._handle.close()
            self._handle = None


_FORMULA_TAGS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/")
_FORMAT_CODE = re.compile(rb'formatCode\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_FORMAT_ID = re.compile(rb'numFmtId\s*=\s*["\'](\d+)["\']')
CURRENCY_BUILTIN_FORMATS = frozenset({5, 6, 7, 8, 42, 44})
"""Built-in number format ids whose text (as openpyxl spells them) carries a "$"."""


def workbook_has_formulas_or_currency_formats(path: Path) -> bool:
    """Whether any sheet holds a formula, or any style a number format that names a currency.

    Only then can openpyxl add to what calamine read (formulas without a
    saved value, `#,##0 "kr"` telling the currency), and its read-only pass
    is most of the load time of a large budget: 0.5 s for 2,000 lines.
    Runs after `safety.check_file`, so the parts are known not to be bombs;
    anything unexpected answers True and openpyxl gets its say.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                name = info.filename.lower()
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    if _has_formula_tag(zf, info):
                        return True
                elif name == "xl/styles.xml" and _has_currency_format(zf.read(info)):
                    return True
    except Exception:  # noqa: BLE001 - any doubt: let openpyxl look
        return True
    return False


def _has_formula_tag(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """A `<f>` element in a sheet part, streamed so a big sheet is never held whole."""
    tail = b""
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            if any(tag in data for tag in _FORMULA_TAGS):
                return True
            tail = data[-3:]
    return False


def _has_currency_format(styles: bytes) -> bool:
    if any(int(i) in CURRENCY_BUILTIN_FORMATS for i in _FORMAT_ID.findall(styles)):
        return True
    for double, single in _FORMAT_CODE.findall(styles):
        code = html.unescape((double or single).decode("utf-8", "replace"))
        if '"' in code or "[$" in code:
            return True
        if any(currency_from_format(code, lang) for lang in (None, "da", "nb", "de")):
            return True
    return False


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
