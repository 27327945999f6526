"""Open files into the workspace: detect, read off the UI thread, ask when unsure, then load.

What a user sees: they drop a budget and a CRM export on the window; a busy
cursor and a progress dialog while the files are read (a 100,000-row export
takes seconds, and the window must keep painting); a mapping dialog only when
the reader is unsure; then the new data. A bad file gives a one-line message
and leaves the workspace that is already open exactly as it was.

The reading is two plain functions with no Qt (`inspect_file` and
`load_mapped`), run in a QThreadPool worker; the Qt part only schedules them,
asks the user and hands the result to `Workspace.load`. Opening only a
budget (or only a CRM export) replaces that half and keeps the other.

Everything about *how* a file is read belongs to the io layer: `file_kind`
says budget or CRM export, `preview_layout` / `preview_budget` say what the
reader would do and why it is unsure (`unsure`, empty when `confident`),
and `load_deals(columns=..., sheet=...)` / `load_budget(sheet=...)` read
what the user chose. A confirmed choice is remembered in `Settings` under
the preview's `layout_key`, so next month's export of the same report opens
without a question.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QProgressDialog, QWidget

from planner.errors import InputError
from planner.i18n import tr
from planner.io import budget as budget_io
from planner.io import crm as crm_io
from planner.io.detect import FileKind, file_kind
from planner.io.tabular import read_sheets
from planner.io.types import Budget, Deals
from planner.ui.mapping_dialog import (
    PREVIEW_ROWS,
    SHEET,
    MappingDialog,
    MappingRequest,
    SheetPreview,
    budget_sheet_label,
)
from planner.ui.settings import Settings
from planner.ui.workspace import Workspace

BUDGET_PREVIEW_ROWS = 12
"""Budget sheets are shown from the top, as in Excel: title lines, the header, then some lines."""

Remembered = Mapping[str, Mapping[str, str]]
"""layout_key -> the mapping the user confirmed (`Settings.mappings`)."""


@dataclass(frozen=True)
class Inspection:
    """What inspecting one file gave: its data (when no question is needed) or a question."""

    path: str
    kind: FileKind
    data: Budget | Deals | None  # None until the user has answered `request`
    request: MappingRequest | None = None
    error: str | None = None  # shown when the user cancels a request for an unreadable file


def inspect_file(path: str | Path, remembered: Remembered | None = None) -> Inspection:
    """Read one file if the reader is sure (or the user answered for its layout before), else ask (no Qt).

    Raises InputError for files that are no use at all (safety limits,
    random bytes, empty, no table of any kind).
    """
    path = Path(path)
    remembered = remembered or {}
    try:
        kind = file_kind(path)  # runs the safety check first
    except InputError as exc:
        return _inspect_crm(path, remembered, unknown=exc)
    if kind == "crm":
        return _inspect_crm(path, remembered)
    return _inspect_budget(path, remembered)


def _inspect_crm(path: Path, remembered: Remembered, unknown: InputError | None = None) -> Inspection:
    """A CRM export, or (`unknown` set) a file `file_kind` could not place that may be one.

    A file whose amount column no rule knows is not recognised as a CRM
    export at all, so the remembered answer for its layout is what makes it
    one: it is looked up before anything else.
    """
    try:
        preview = crm_io.preview_layout(path, rows=PREVIEW_ROWS)
    except InputError:
        if unknown is None:
            raise
        raise unknown from None
    chosen = remembered.get(preview.layout_key)
    retry: list[str] = []
    if chosen is not None and (not chosen.get(SHEET) or chosen[SHEET] in preview.sheets):
        try:
            return Inspection(str(path), "crm", load_mapped(path, "crm", chosen))
        except InputError as exc:  # the remembered answer no longer fits: ask again, saying why
            retry.append(exc.problem)
    if unknown is not None:
        if sum(1 for h in preview.headers if h) < len(crm_io.REQUIRED) or not preview.rows:
            raise unknown  # no table to map: the reader's one-line reason stands
        reason = tr("planner does not recognise this file. If it is a CRM export, choose its stage and amount "
                    "columns (and the others if it has them).")  # fmt: skip
        request = _crm_request(path, preview, reason, (*retry, *preview.unsure))
        return Inspection(str(path), "crm", None, request, unknown.message)
    if (preview.confident and not retry) or not preview.rows:
        # Sure, or nothing below the header to choose from: the reader's own result or error.
        return Inspection(str(path), "crm", crm_io.load_deals(path))
    reason = tr("planner is not sure how to read this CRM export. Check the columns below.")
    return Inspection(str(path), "crm", None, _crm_request(path, preview, reason, (*retry, *preview.unsure)))


def _crm_request(path: Path, preview: crm_io.CrmPreview, reason: str, details: Sequence[str]) -> MappingRequest:
    """The dialog's question for a CRM file; other deal sheets of a workbook are previewed too."""
    previews = [_crm_sheet(preview)]
    choose_sheet = preview.sheet is not None and len(preview.deal_sheets) > 1
    if choose_sheet:
        previews += [
            _crm_sheet(crm_io.preview_layout(path, rows=PREVIEW_ROWS, sheet=name))
            for name in preview.deal_sheets
            if name != preview.sheet
        ]
    return MappingRequest(
        path=str(path),
        kind="crm",
        key=preview.layout_key,
        reason=reason,
        details=tuple(details),
        previews=tuple(previews),
        choose_sheet=choose_sheet,
    )


def _crm_sheet(preview: crm_io.CrmPreview) -> SheetPreview:
    name = preview.sheet or ""
    return SheetPreview(name, name, preview.headers, preview.rows, dict(preview.mapping), dict(preview.alternatives))


def _inspect_budget(path: Path, remembered: Remembered) -> Inspection:
    preview = budget_io.preview_budget(path)
    holding = [s for s in preview.sheets if s.lines]
    names = [s.name for s in holding]
    chosen = remembered.get(preview.layout_key)
    if chosen is not None and (not chosen.get(SHEET) or chosen[SHEET] in names):
        return Inspection(str(path), "budget", load_mapped(path, "budget", chosen))
    if preview.confident or not holding:
        # Sure, or no sheet holds a budget: the reader's own result or its one-line error.
        return Inspection(str(path), "budget", budget_io.load_budget(path))
    # Sheets are shown from the top so the user sees them as in Excel, titles included.
    raw = {s.name: s.rows for s in read_sheets(path)}
    if preview.sheet is None:  # a text file: one table, nothing to pick
        previews = [SheetPreview("", "", (), _top_rows(next(iter(raw.values()), [])))]
    else:
        ordered = sorted(holding, key=lambda s: s.name != preview.sheet)  # detected first
        previews = [
            SheetPreview(s.name, budget_sheet_label(s.name, s.lines, s.months), (), _top_rows(raw.get(s.name, [])))
            for s in ordered
        ]
    request = MappingRequest(
        path=str(path),
        kind="budget",
        key=preview.layout_key,
        reason=tr("planner is not sure how to read this budget. Check the sheet below."),
        details=preview.unsure,
        previews=tuple(previews),
        choose_sheet=preview.sheet is not None,
    )
    return Inspection(str(path), "budget", None, request)


def load_mapped(path: str | Path, kind: str, mapping: Mapping[str, str]) -> Budget | Deals:
    """Read a file with the user's mapping (no Qt): columns and sheet go straight to the reader."""
    path = Path(path)
    sheet = mapping.get(SHEET) or None
    if kind == "crm":
        columns = {f: h for f, h in mapping.items() if f != SHEET}
        return crm_io.load_deals(path, columns=columns or None, sheet=sheet)
    return budget_io.load_budget(path, sheet=sheet)


def _top_rows(rows: Sequence[Sequence[object]]) -> tuple[tuple[str, ...], ...]:
    """The first non-blank rows of a sheet as text, trailing blank cells trimmed."""
    out: list[tuple[str, ...]] = []
    for row in rows:
        cells = [_cell_text(c) for c in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            out.append(tuple(cells))
        if len(out) == BUDGET_PREVIEW_ROWS:
            break
    return tuple(out)


def _cell_text(value: object) -> str:
    """A cell as the preview shows it: dates as ISO dates, whole numbers without ".0"."""
    if value is None:
        return ""
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()[:10]  # type: ignore[union-attr]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# ------------------------------------------------------------------- worker
class _Signals(QObject):
    done = Signal(object)  # list[...] | BaseException


class _Job(QRunnable):
    """Runs one plain function in the pool and posts its result (or exception) back."""

    def __init__(self, fn: Callable[[], object], signals: _Signals) -> None:
        super().__init__()
        self._fn = fn
        self._signals = signals

    def run(self) -> None:
        try:
            result: object = self._fn()
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the UI thread
            result = exc
        self._signals.done.emit(result)


AskMapping = Callable[[MappingRequest, QWidget | None], dict[str, str] | None]


def ask_with_dialog(request: MappingRequest, parent: QWidget | None) -> dict[str, str] | None:
    """Show the mapping dialog modally; the chosen mapping, or None when the user cancels."""
    dialog = MappingDialog(request, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.mapping()
        return None
    finally:
        dialog.deleteLater()


class Importer(QObject):
    """The import flow of one window: `open_files(paths)` and nothing else to call.

    Signals: `started()` when reading begins, `finished(bool)` when the flow
    ends (True = the workspace was loaded). Errors go to
    `workspace.errorRaised` as one line.
    """

    started = Signal()
    finished = Signal(bool)

    def __init__(
        self,
        workspace: Workspace,
        parent: QWidget | None = None,
        settings: Settings | None = None,
        ask_mapping: AskMapping | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._parent = parent
        if settings is None:
            found = getattr(parent, "settings", None)
            settings = found if isinstance(found, Settings) else Settings.load()
        self.settings = settings
        self.ask_mapping: AskMapping = ask_mapping or ask_with_dialog
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals()
        self._signals.done.connect(self._on_done)
        self._next: Callable[[object], None] | None = None
        self._busy = False
        self._progress: QProgressDialog | None = None
        self._pending: dict[str, tuple[str, Budget | Deals]] = {}
        self._remember: list[tuple[str, dict[str, str]]] = []

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def pending(self) -> dict[str, tuple[str, Budget | Deals]]:
        """A half read while the workspace had no other half: kind -> (path, data)."""
        return dict(self._pending)

    # ------------------------------------------------------------ the flow
    def open_files(self, paths: Sequence[str | Path]) -> None:
        """Read `paths` off the UI thread and load them (asking the user if a reader is unsure)."""
        paths = [str(Path(p)) for p in paths]
        if not paths:
            return
        if self._busy:
            self._ws.noticeRaised.emit(tr("Still reading the previous files; try again in a moment."))
            return
        remembered = {k: dict(v) for k, v in self.settings.mappings.items()}
        self._begin(tr("Reading {files}\u2026").format(files=", ".join(Path(p).name for p in paths)))
        self._run(lambda: [inspect_file(p, remembered) for p in paths], self._inspected)

    def _inspected(self, inspections: object) -> None:
        assert isinstance(inspections, list)
        results: list[tuple[str, str, Budget | Deals | None]] = []
        # Files the user answered for are read after the answer, with it.
        reloads: list[tuple[int, str, str, dict[str, str]]] = []
        # Mappings are remembered only once the file was read with them, so a
        # choice the reader cannot apply is not repeated on every later open.
        remember: list[tuple[str, dict[str, str]]] = []
        self._remember = remember
        self._hide_progress()
        for item in inspections:
            assert isinstance(item, Inspection)
            data = item.data
            if item.request is not None:
                mapping = self.ask_mapping(item.request, self._parent)
                if mapping is None:
                    message = item.error or tr("{file}: not opened (mapping cancelled)").format(file=Path(item.path).name)
                    self._fail(message)
                    return
                remember.append((item.request.key, mapping))
                reloads.append((len(results), item.path, item.kind, mapping))
            results.append((item.path, item.kind, data))
        if not reloads:
            self._finish(results)
            return
        self._show_progress(tr("Reading with your choice\u2026"))

        def reload() -> list[tuple[int, Budget | Deals]]:
            return [(i, load_mapped(path, kind, mapping)) for i, path, kind, mapping in reloads]

        def reloaded(done: object) -> None:
            assert isinstance(done, list)
            for i, data in done:
                path, kind, _ = results[i]
                results[i] = (path, kind, data)
            self._finish(results)

        self._run(reload, reloaded)

    def _finish(self, results: list[tuple[str, str, Budget | Deals | None]]) -> None:
        for key, mapping in self._remember:
            self.settings.remember_mapping(key, mapping)
        if self._remember:
            self._save_settings()
        self._remember = []
        budgets = [(p, d) for p, k, d in results if k == "budget" and isinstance(d, Budget)]
        crms = [(p, d) for p, k, d in results if k == "crm" and isinstance(d, Deals)]
        if len(budgets) > 1 or len(crms) > 1:
            self._fail(tr("Open one budget and one CRM export at a time (got {b} budgets and {c} CRM exports).").format(b=len(budgets), c=len(crms)))
            return
        budget_path, budget = budgets[0] if budgets else (None, None)
        crm_path, deals = crms[0] if crms else (None, None)
        # Keep the half the user did not replace: the open workspace's, else one read earlier.
        if budget is None:
            if self._ws.budget is not None:
                budget, budget_path = self._ws.budget, self._ws.budget.path
            elif "budget" in self._pending:
                budget_path, budget = self._pending["budget"]  # type: ignore[assignment]
        if deals is None:
            if self._ws.deals is not None:
                deals, crm_path = self._ws.deals, self._ws.deals.path
            elif "crm" in self._pending:
                crm_path, deals = self._pending["crm"]  # type: ignore[assignment]
        if budget is None or deals is None:
            kind = "budget" if budget is not None else "crm"
            kept = budget if budget is not None else deals
            self._pending[kind] = (str(budget_path or crm_path), kept)  # type: ignore[assignment]
            self._end(False)
            self._ws.noticeRaised.emit(
                tr("Budget read; now open a CRM export to start.") if kind == "budget"
                else tr("CRM export read; now open a budget to start.")
            )  # fmt: skip
            return
        from planner.model.inputs import check_currencies  # lazy: the model loads after the window

        try:
            check_currencies(budget, deals)  # type: ignore[arg-type]
        except InputError as exc:  # refuse before the open workspace is replaced
            self._fail(exc.message)
            return
        self._pending.clear()
        files = tuple(str(p) for p in (budget_path, crm_path) if p)
        self._ws.load(budget, deals, files)  # type: ignore[arg-type]
        self.settings.add_recent(files)
        self._save_settings()
        self._end(True)

    # -------------------------------------------------------------- helpers
    def _run(self, fn: Callable[[], object], then: Callable[[object], None]) -> None:
        self._next = then
        self._pool.start(_Job(fn, self._signals))

    def _on_done(self, result: object) -> None:
        then, self._next = self._next, None
        if isinstance(result, InputError):
            self._fail(result.message)
            return
        if isinstance(result, MemoryError):
            self._fail(tr("The file is too large to read into memory."))
            return
        if isinstance(result, BaseException):
            # A reader bug, not the user's file: still one line, never a crash.
            self._fail(tr("Could not read the file ({error}).").format(error=f"{type(result).__name__}: {result}"))
            return
        if then is not None:
            try:
                then(result)
            except InputError as exc:
                self._fail(exc.message)
            except Exception as exc:  # noqa: BLE001 - a bug after reading must not leave us busy
                if self._busy:
                    self._fail(
                        tr("Could not open the files ({error}).").format(
                            error=" ".join(f"{type(exc).__name__}: {exc}".split())
                        )
                    )
                else:
                    self._ws.errorRaised.emit(" ".join(f"{type(exc).__name__}: {exc}".split()))

    def _begin(self, label: str) -> None:
        self._busy = True
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        self._show_progress(label)
        self.started.emit()

    def _show_progress(self, label: str) -> None:
        if self._progress is None:
            progress = QProgressDialog(label, "", 0, 0, self._parent)
            progress.setObjectName("importProgress")
            progress.setWindowTitle(tr("Opening files"))
            progress.setCancelButton(None)  # readers cannot be interrupted mid-file
            progress.setMinimumDuration(400)  # quick files never flash a dialog
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setAutoClose(False)
            progress.setAutoReset(False)
            progress.setAccessibleName(tr("Opening files"))
            self._progress = progress
        self._progress.setLabelText(label)
        self._progress.setValue(0)

    def _hide_progress(self) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress.hide()
            self._progress.deleteLater()
            self._progress = None

    def _end(self, ok: bool) -> None:
        self._hide_progress()
        if self._busy:
            QGuiApplication.restoreOverrideCursor()
        self._busy = False
        self.finished.emit(ok)

    def _fail(self, message: str) -> None:
        self._remember = []
        self._end(False)
        self._ws.errorRaised.emit(message)

    def _save_settings(self) -> None:
        try:
            self.settings.save()
        except OSError as exc:  # a read-only config folder must not stop an import
            self._ws.errorRaised.emit(tr("Could not save settings: {error}").format(error=exc))

    def shutdown(self, timeout_ms: int = 30_000) -> None:
        """Wait for a running read (call before the window closes)."""
        self._pool.waitForDone(timeout_ms)
