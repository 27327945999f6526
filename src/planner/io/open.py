"""One way to open a file: read it once, tell budget from CRM export, preview, ask when unsure, load.

The importer dialog, the app's command-line start (`load_files_now`) and
`planner inspect` all open files through here, so a file is detected and
read the same way everywhere. A `SourceFile` holds the file's cells, read
once (safety check first); detection, the preview for the mapping dialog
and the load all work on those cells, and a mapped load after the user's
answer does too (`Inspection.source`).

`inspect_file` is what the importer runs off the UI thread: it returns the
data when the reader is sure (or the user answered for this layout before,
remembered under `layout_key`), else a `MappingRequest` for the dialog. No Qt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from planner.errors import InputError
from planner.i18n import tr
from planner.io.budget import BudgetPreview, load_budget, read_budget
from planner.io.crm import REQUIRED, deals_from_sheets, load_deals, pick_sheets
from planner.io.crm_big import is_big_text, read_head
from planner.io.crm_preview import CrmPreview, preview_sheets
from planner.io.detect import FileKind, sheets_kind
from planner.io.tabular import Sheet, is_workbook, read_sheets, text_cells, workbook_cells
from planner.io.text import cell_text
from planner.io.types import Budget, Deals, SourceClass

SHEET = "sheet"
"""The mapping key for the chosen sheet (not a CRM field, so it cannot clash with one)."""

PREVIEW_ROWS = 7
"""Data rows shown under a CRM header: enough to tell a date from an amount, few enough to fit."""

BUDGET_PREVIEW_ROWS = 12
"""Budget sheets are shown from the top, as in Excel: title lines, the header, then some lines."""

Remembered = Mapping[str, Mapping[str, str]]
"""layout_key -> the mapping the user confirmed (`Settings.mappings`)."""


# ------------------------------------------------------------------ the dialog's question
@dataclass(frozen=True)
class SheetPreview:
    """One table the user can choose: its first rows and, for a CRM export, what detection found."""

    name: str  # sheet name; "" for a text file
    label: str  # what the sheet picker shows
    headers: tuple[str, ...]  # crm: the header row; budget: () (rows are shown as in Excel)
    rows: tuple[tuple[str, ...], ...]
    detected: dict[str, str] = field(default_factory=dict)  # crm: field -> header
    alternatives: dict[str, tuple[str, ...]] = field(
        default_factory=dict
    )  # crm: field -> other fits


@dataclass(frozen=True)
class MappingRequest:
    """What the readers could not decide about one file, with what the user needs to decide it."""

    path: str
    kind: str  # "crm" | "budget"
    key: str  # `planner.io.text.layout_key` of the header: where the answer is remembered
    reason: str  # one translated line: why the dialog is shown
    details: tuple[str, ...]  # the reader's reasons for doubt (`unsure`), one per line
    previews: tuple[SheetPreview, ...]  # the detected table first
    choose_sheet: bool = False  # offer a sheet picker (workbooks with several candidate tables)

    @property
    def sheets(self) -> tuple[str, ...]:
        """Names of the sheets on offer (() for a text file)."""
        return tuple(p.name for p in self.previews if p.name)

    @property
    def header(self) -> tuple[str, ...]:
        """The detected table's header row."""
        return self.previews[0].headers if self.previews else ()

    @property
    def detected(self) -> dict[str, str]:
        """The mapping the readers would use without asking (what OK returns if nothing changes)."""
        first = self.previews[0] if self.previews else None
        if first is None:
            return {}
        if self.kind == "crm":
            chosen = dict(first.detected)
            if self.choose_sheet and first.name:
                chosen[SHEET] = first.name
            return chosen
        return {SHEET: first.name} if first.name else {}

    def preview(self, sheet: str) -> SheetPreview | None:
        return next((p for p in self.previews if p.name == sheet), None)


def budget_sheet_label(name: str, lines: int, months: int) -> str:
    """What the sheet picker shows for a budget sheet: enough to tell a plan from last year's actuals."""
    return tr("{sheet} ({lines} lines, {months} months)").format(
        sheet=name, lines=lines, months=months
    )


# ------------------------------------------------------------------ a file, read once
class SourceFile:
    """One file's cells, read once: detection, previews and loads all start from these.

    `sheets` keep blank cells as "" (the CRM reader's form, which saves a
    pass over 100,000 rows); `budget_sheets` is the budget reader's form
    (blanks as None), made from the same cells on first use.
    """

    def __init__(self, path: Path, sheets: list[Sheet], *, big: bool = False) -> None:
        self.path = path
        self.sheets = sheets
        self.is_workbook = is_workbook(path)
        self.big = big  # a big text file: `sheets` is its head; deals are read column by column

    @classmethod
    def read(cls, path: str | Path) -> SourceFile:
        """Run the safety check and read every sheet (InputError, one line, when it cannot be).

        A text file over `crm_big.BIG_TEXT_BYTES` (a million-deal export) is
        read only to its first megabyte here; detection and previews need no
        more, and its deals are streamed a column at a time (`crm_big`).
        """
        path = Path(path)
        if is_big_text(path):
            head, _, _ = read_head(path)
            return cls(path, [head], big=True)
        return cls(path, read_sheets(path, blanks_as_none=False))

    @cached_property
    def budget_sheets(self) -> list[Sheet]:
        """The sheets with blank cells as None, as `tabular.read_sheets` gives them by default."""
        cells = workbook_cells if self.is_workbook else text_cells
        return [Sheet(s.name, cells(s.rows), s.notices) for s in self.sheets]

    def kind(self, sheet: str | None = None) -> FileKind:
        """ "crm" or "budget", from the header rows of every sheet (or only the one named)."""
        return sheets_kind(pick_sheets(self.sheets, self.path, sheet), self.path)

    def deals(
        self,
        sources: Mapping[str, SourceClass] | None = None,
        *,
        columns: Mapping[str, str] | None = None,
        sheet: str | None = None,
    ) -> Deals:
        """The file as a CRM export (`planner.io.crm.load_deals` on these cells)."""
        if self.big:
            return load_deals(self.path, sources, columns=columns, sheet=sheet)
        return deals_from_sheets(self.sheets, self.path, sources, columns=columns, sheet=sheet)

    def budget(self, *, sheet: str | None = None, today: date | None = None) -> Budget:
        """The file as a budget (`planner.io.budget.load_budget` on these cells)."""
        if self.big:
            read_sheets(self.path)  # a budget this big is refused by the text cell limit
        return load_budget(self.path, today, sheet=sheet, sheets=self.budget_sheets)

    def crm_preview(self, *, rows: int = PREVIEW_ROWS, sheet: str | None = None) -> CrmPreview:
        """How the CRM reader would read the file (or one sheet of it), and its doubts."""
        return preview_sheets(self.sheets, self.path, rows=rows, sheet=sheet)

    def budget_preview(self, *, today: date | None = None) -> tuple[BudgetPreview, Budget | None]:
        """How the budget reader would read the file, and the budget itself, from one scan."""
        return read_budget(self.path, self.budget_sheets, today=today)

    def load(
        self,
        kind: FileKind | str,
        mapping: Mapping[str, str] | None = None,
        sources: Mapping[str, SourceClass] | None = None,
    ) -> Budget | Deals:
        """Read as `kind` with a mapping (CRM field -> header, and/or "sheet"), or as detected."""
        mapping = mapping or {}
        sheet = mapping.get(SHEET) or None
        if kind == "crm":
            columns = {f: h for f, h in mapping.items() if f != SHEET}
            return self.deals(sources, columns=columns or None, sheet=sheet)
        return self.budget(sheet=sheet)


def open_file(path: str | Path) -> SourceFile:
    """Read a file once (safety check first); InputError when it cannot be read at all."""
    return SourceFile.read(path)


def load_file(
    path: str | Path,
    sources: Mapping[str, SourceClass] | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    sheet: str | None = None,
) -> tuple[FileKind, Budget | Deals]:
    """Detect and read a file without asking anyone (CLI, headless start): (kind, data).

    A column mapping only means something for a CRM export, so with
    `columns` the file is read as one; otherwise the kind is told from the
    sheet named (or from all of them).
    """
    source = open_file(path)
    kind: FileKind = "crm" if columns else source.kind(sheet)
    mapping = {**(columns or {}), **({SHEET: sheet} if sheet else {})}
    return kind, source.load(kind, mapping, sources)


# ------------------------------------------------------------------ opening with questions
@dataclass(frozen=True)
class Inspection:
    """What inspecting one file gave: its data (when no question is needed) or a question."""

    path: str
    kind: FileKind
    data: Budget | Deals | None  # None until the user has answered `request`
    request: MappingRequest | None = None
    error: str | None = None  # shown when the user cancels a request for an unreadable file
    source: SourceFile | None = field(default=None, repr=False, compare=False)
    """The cells read, kept while a request waits, so the answer is read without parsing again."""


def inspect_file(path: str | Path, remembered: Remembered | None = None) -> Inspection:
    """Read one file if the reader is sure (or the user answered for its layout before), else ask.

    Raises InputError for files that are no use at all (safety limits,
    random bytes, empty, no table of any kind).
    """
    source = open_file(path)  # runs the safety check first
    remembered = remembered or {}
    try:
        kind = source.kind()
    except InputError as exc:
        return _inspect_crm(source, remembered, unknown=exc)
    if kind == "crm":
        return _inspect_crm(source, remembered)
    return _inspect_budget(source, remembered)


def load_mapped(
    file: str | Path | SourceFile, kind: str, mapping: Mapping[str, str]
) -> Budget | Deals:
    """Read a file (or the cells already read) with the user's mapping: columns and sheet go to the reader."""
    source = file if isinstance(file, SourceFile) else open_file(file)
    return source.load(kind, mapping)


def _inspect_crm(
    source: SourceFile, remembered: Remembered, unknown: InputError | None = None
) -> Inspection:
    """A CRM export, or (`unknown` set) a file detection could not place that may be one.

    A file whose amount column no rule knows is not recognised as a CRM
    export at all, so the remembered answer for its layout is what makes it
    one: it is looked up before anything else.
    """
    path = str(source.path)
    try:
        preview = source.crm_preview()
    except InputError:
        if unknown is None:
            raise
        raise unknown from None
    chosen = remembered.get(preview.layout_key)
    retry: list[str] = []
    if chosen is not None and (not chosen.get(SHEET) or chosen[SHEET] in preview.sheets):
        try:
            return Inspection(path, "crm", load_mapped(source, "crm", chosen))
        except InputError as exc:  # the remembered answer no longer fits: ask again, saying why
            retry.append(exc.problem)
    if unknown is not None:
        if sum(1 for h in preview.headers if h) < len(REQUIRED) or not preview.rows:
            raise unknown  # no table to map: the reader's one-line reason stands
        reason = tr("planner does not recognise this file. If it is a CRM export, choose its stage and amount "
                    "columns (and the others if it has them).")  # fmt: skip
        request = _crm_request(source, preview, reason, (*retry, *preview.unsure))
        return Inspection(path, "crm", None, request, unknown.message, source)
    if (preview.confident and not retry) or not preview.rows:
        # Sure, or nothing below the header to choose from: the reader's own result or error.
        return Inspection(path, "crm", source.deals())
    reason = tr("planner is not sure how to read this CRM export. Check the columns below.")
    request = _crm_request(source, preview, reason, (*retry, *preview.unsure))
    return Inspection(path, "crm", None, request, None, source)


def _crm_request(
    source: SourceFile, preview: CrmPreview, reason: str, details: Sequence[str]
) -> MappingRequest:
    """The dialog's question for a CRM file; other deal sheets of a workbook are previewed too."""
    previews = [_crm_sheet(preview)]
    choose_sheet = preview.sheet is not None and len(preview.deal_sheets) > 1
    if choose_sheet:
        previews += [
            _crm_sheet(source.crm_preview(sheet=name))
            for name in preview.deal_sheets
            if name != preview.sheet
        ]
    return MappingRequest(
        path=str(source.path),
        kind="crm",
        key=preview.layout_key,
        reason=reason,
        details=tuple(details),
        previews=tuple(previews),
        choose_sheet=choose_sheet,
    )


def _crm_sheet(preview: CrmPreview) -> SheetPreview:
    name = preview.sheet or ""
    return SheetPreview(
        name, name, preview.headers, preview.rows, dict(preview.mapping), dict(preview.alternatives)
    )


def _inspect_budget(source: SourceFile, remembered: Remembered) -> Inspection:
    path = str(source.path)
    preview, budget = source.budget_preview()
    holding = [s for s in preview.sheets if s.lines]
    names = [s.name for s in holding]
    chosen = remembered.get(preview.layout_key)
    if chosen is not None and (not chosen.get(SHEET) or chosen[SHEET] in names):
        return Inspection(path, "budget", load_mapped(source, "budget", chosen))
    if preview.confident or not holding:
        # Sure, or no sheet holds a budget: the reader's own result or its one-line error.
        return Inspection(path, "budget", budget if budget is not None else source.budget())
    # Sheets are shown from the top so the user sees them as in Excel, titles included.
    raw = {s.name: s.rows for s in source.budget_sheets}
    if preview.sheet is None:  # a text file: one table, nothing to pick
        previews = [SheetPreview("", "", (), top_rows(next(iter(raw.values()), [])))]
    else:
        ordered = sorted(holding, key=lambda s: s.name != preview.sheet)  # detected first
        previews = [
            SheetPreview(
                s.name,
                budget_sheet_label(s.name, s.lines, s.months),
                (),
                top_rows(raw.get(s.name, [])),
            )
            for s in ordered
        ]
    request = MappingRequest(
        path=path,
        kind="budget",
        key=preview.layout_key,
        reason=tr("planner is not sure how to read this budget. Check the sheet below."),
        details=preview.unsure,
        previews=tuple(previews),
        choose_sheet=preview.sheet is not None,
    )
    return Inspection(path, "budget", None, request, None, source)


def top_rows(
    rows: Sequence[Sequence[object]], limit: int = BUDGET_PREVIEW_ROWS
) -> tuple[tuple[str, ...], ...]:
    """The first non-blank rows of a sheet as text (`cell_text`), trailing blank cells trimmed."""
    out: list[tuple[str, ...]] = []
    for row in rows:
        cells = [cell_text(c) for c in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            out.append(tuple(cells))
        if len(out) == limit:
            break
    return tuple(out)
