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

Column mappings: a confirmed mapping is remembered in `Settings` per file
layout (`mapping_dialog.layout_key`). Reading a file *with* a mapping needs
the io readers to take one: `load_deals(path, ..., columns=...)` and
`load_budget(path, ..., sheet=...)`. `reader_accepts` checks for those
keywords, so when the readers gain them the dialog's choice is used without
a change here; until then a choice that differs from what the reader found
gives a clear message instead of a silently wrong import.
"""

from __future__ import annotations

import inspect
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
from planner.io.detect import sheets_kind
from planner.io.tabular import Sheet, read_sheets
from planner.io.types import Budget, Deals
from planner.ui.mapping_dialog import (
    CRM_FIELDS,
    MappingDialog,
    MappingRequest,
    field_labels,
    layout_key,
    preview_rows,
)
from planner.ui.settings import Settings
from planner.ui.workspace import Workspace

HEADER_SCAN_ROWS = 40


@dataclass(frozen=True)
class Inspection:
    """What reading one file gave: data (when the reader was sure), a question, or both."""

    path: str
    kind: str  # "crm" | "budget"
    data: Budget | Deals | None  # None when the file cannot be read without the user's mapping
    request: MappingRequest | None = None
    error: str | None = None  # shown when the user cancels a request for an unreadable file


def reader_accepts(reader: Callable[..., object], keyword: str) -> bool:
    """True when an io reader takes `keyword` (the mapping hooks the dialog needs)."""
    try:
        return keyword in inspect.signature(reader).parameters
    except (TypeError, ValueError):
        return False


def _crm_detected(layout: object) -> dict[str, str]:
    names = getattr(layout, "names", {})
    return {f: str(names[f]) for f in CRM_FIELDS if f in names}


def inspect_file(path: str | Path, remembered: Mapping[str, Mapping[str, str]] | None = None) -> Inspection:
    """Read one file as well as the readers can, and say what the user must decide (no Qt).

    Raises InputError for files that are no use at all (safety limits,
    random bytes, empty, no table of any kind).
    """
    path = Path(path)
    remembered = remembered or {}
    sheets = read_sheets(path, blanks_as_none=False)  # runs the safety check first
    try:
        kind = sheets_kind(sheets, path)
    except InputError as exc:
        return _unknown_table(path, sheets, exc)
    if kind == "crm":
        return _inspect_crm(path, sheets, remembered)
    return _inspect_budget(path, sheets, remembered)


def _inspect_crm(path: Path, sheets: Sequence[Sheet], remembered: Mapping[str, Mapping[str, str]]) -> Inspection:
    layout = crm_io.find_layout(sheets, path)
    assert layout is not None  # sheets_kind said "crm" because it found one
    header_row = layout.sheet.rows[layout.header]
    key = layout_key("crm", header_row)
    detected = _crm_detected(layout)
    chosen = remembered.get(key)
    if chosen is not None and dict(chosen) != detected:
        return Inspection(str(path), "crm", load_mapped(path, "crm", chosen))
    deals = crm_io.deals_from_sheets(sheets, path)
    missing = [f for f in CRM_FIELDS if f not in detected]
    if not missing or chosen is not None:
        return Inspection(str(path), "crm", deals)
    request = MappingRequest(
        path=str(path),
        kind="crm",
        key=key,
        reason=tr("planner could not tell which column holds: {fields}. Choose them below, "
                  "or leave them out if the file has none.").format(fields=", ".join(_field_names(missing))),  # fmt: skip
        header=tuple(_text(c) for c in header_row),
        preview={layout.sheet.name: preview_rows(layout.sheet.rows, layout.header)},
        detected=detected,
    )
    return Inspection(str(path), "crm", deals, request)


def _inspect_budget(path: Path, sheets: Sequence[Sheet], remembered: Mapping[str, Mapping[str, str]]) -> Inspection:
    budget = budget_io.load_budget(path)
    candidates = [s.name for s in sheets if _looks_like_budget(s, path)] if len(sheets) > 1 else []
    if len(candidates) < 2:
        return Inspection(str(path), "budget", budget)
    key = layout_key("budget", [s.name for s in sheets])
    chosen = remembered.get(key)
    if chosen is not None:
        if chosen.get("sheet") not in (None, budget.sheet) and chosen.get("sheet") in candidates:
            return Inspection(str(path), "budget", load_mapped(path, "budget", chosen))
        return Inspection(str(path), "budget", budget)
    request = MappingRequest(
        path=str(path),
        kind="budget",
        key=key,
        reason=tr("Several sheets look like a budget. planner chose {sheet}; check it or pick another.").format(
            sheet=budget.sheet or "?"
        ),
        preview={s.name: preview_rows(s.rows) for s in sheets if s.name in candidates},
        detected={"sheet": budget.sheet} if budget.sheet else {},
        sheets=tuple(candidates),
    )
    return Inspection(str(path), "budget", budget, request)


def _looks_like_budget(sheet: Sheet, path: Path) -> bool:
    try:
        return sheets_kind([sheet], path) == "budget"
    except InputError:
        return False


def _unknown_table(path: Path, sheets: Sequence[Sheet], error: InputError) -> Inspection:
    """A file that is neither, but has a table: maybe a CRM export with columns we do not know."""
    for sheet in sheets:
        for i, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
            texts = [_text(c) for c in row if _text(c)]
            body = [r for r in sheet.rows[i + 1 : i + 4] if any(_text(c) for c in r)]
            if len(texts) >= 3 and len(set(texts)) == len(texts) and body:
                request = MappingRequest(
                    path=str(path),
                    kind="crm",
                    key=layout_key("crm", row),
                    reason=tr("planner does not recognise this file. If it is a CRM export, choose "
                              "its stage and amount columns (and the others if it has them)."),  # fmt: skip
                    header=tuple(_text(c) for c in row),
                    preview={sheet.name: preview_rows(sheet.rows, i)},
                )
                return Inspection(str(path), "crm", None, request, error.message)
    raise error


def load_mapped(path: str | Path, kind: str, mapping: Mapping[str, str]) -> Budget | Deals:
    """Read a file with the user's mapping (no Qt); InputError when the reader cannot take one."""
    path = Path(path)
    if kind == "crm":
        reader = crm_io.load_deals
        if not reader_accepts(reader, "columns"):
            raise InputError(
                path,
                "cannot read it with the columns you chose: this version of planner only reads "
                "CRM columns it recognises by name",
            )
        return reader(path, columns=dict(mapping))  # type: ignore[call-arg]
    reader_b = budget_io.load_budget
    if not reader_accepts(reader_b, "sheet"):
        raise InputError(
            path,
            "cannot read the sheet you chose: this version of planner picks the budget sheet itself",
        )
    return reader_b(path, sheet=mapping["sheet"])  # type: ignore[call-arg]


def _field_names(fields: Sequence[str]) -> list[str]:
    labels = field_labels()
    return [labels[f] for f in fields]


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


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
            self._ws.errorRaised.emit(tr("Still reading the previous files; try again in a moment."))
            return
        remembered = {k: dict(v) for k, v in self.settings.mappings.items()}
        self._begin(tr("Reading {files}\u2026").format(files=", ".join(Path(p).name for p in paths)))
        self._run(lambda: [inspect_file(p, remembered) for p in paths], self._inspected)

    def _inspected(self, inspections: object) -> None:
        assert isinstance(inspections, list)
        results: list[tuple[str, str, Budget | Deals | None]] = []
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
                if mapping != item.request.detected or data is None:
                    reloads.append((len(results), item.path, item.kind, mapping))
            results.append((item.path, item.kind, data))
        if not reloads:
            self._finish(results)
            return
        self._show_progress(tr("Reading with your columns\u2026"))

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
            self._ws.errorRaised.emit(
                tr("Budget read; now open a CRM export to start.") if kind == "budget"
                else tr("CRM export read; now open a budget to start.")
            )  # fmt: skip
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
