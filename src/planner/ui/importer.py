"""Open files into the workspace: detect, read off the UI thread, ask when unsure, then load.

What a user sees: they drop a budget and a CRM export on the window; a busy
cursor and a progress dialog while the files are read (a 100,000-row export
takes seconds, and the window must keep painting); a mapping dialog only when
the reader is unsure; then the new data. A bad file gives a one-line message
and leaves the workspace that is already open exactly as it was.

The reading is two plain functions of `planner.io.open` (`inspect_file` and
`load_mapped`), run by the one worker helper (`ui.concurrent.Worker`); the Qt part only schedules them,
asks the user and hands the result to `Workspace.load`. Opening only a
budget (or only a CRM export) replaces that half and keeps the other.

Everything about *how* a file is read belongs to the io layer: `io.open`
reads each file once, says budget or CRM export, previews it with the
reader's reasons for doubt, and reads what the user chose (from the cells
already read, `Inspection.source`). A confirmed choice is remembered in
`Settings` under the preview's `layout_key`, so next month's export of the
same report opens without a question.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QProgressDialog, QWidget

from planner.errors import InputError
from planner.i18n import tr
from planner.io.open import Inspection, MappingRequest, SourceFile, inspect_file, load_mapped
from planner.io.types import Budget, Deals
from planner.ui.concurrent import Done, Worker
from planner.ui.import_report import (
    FileReport,
    ImportReport,
    budget_report,
    crm_report,
    failed_report,
)
from planner.ui.mapping_dialog import MappingDialog
from planner.ui.settings import Settings
from planner.ui.workspace import Workspace


def inspect_or_error(path: str, remembered: dict) -> Inspection | InputError:
    """Inspect one file; its InputError is returned, so one bad file does not cost the others."""
    try:
        return inspect_file(path, remembered)
    except InputError as exc:
        return exc


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
    reported = Signal(object)  # ImportReport: every import ends with one, loaded or not

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
        self._worker = Worker(self)
        self._worker.finished.connect(self._on_done)
        self._busy = False
        self._progress: QProgressDialog | None = None
        self._pending: dict[str, tuple[str, Budget | Deals]] = {}
        self._remember: list[tuple[str, dict[str, str]]] = []
        self._failures: list[tuple[str, str]] = []  # (path, one-line error) of this import's bad files
        self._paths: list[str] = []

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
        names = [str(Path(p)) for p in paths]
        if not names:
            return
        if self._busy:
            self._ws.noticeRaised.emit(tr("Still reading the previous files; try again in a moment."))
            return
        remembered = {k: dict(v) for k, v in self.settings.mappings.items()}
        self._begin(tr("Reading {files}\u2026").format(files=", ".join(Path(p).name for p in names)))
        self._failures = []
        self._paths = names
        self._run(lambda: [inspect_or_error(p, remembered) for p in names], self._inspected)

    def _inspected(self, inspections: object) -> None:
        assert isinstance(inspections, list)
        results: list[tuple[str, str, Budget | Deals | None]] = []
        # Files the user answered for are read after the answer, with it.
        reloads: list[tuple[int, SourceFile | str, str, dict[str, str]]] = []
        # Mappings are remembered only once the file was read with them, so a
        # choice the reader cannot apply is not repeated on every later open.
        remember: list[tuple[str, dict[str, str]]] = []
        self._remember = remember
        self._hide_progress()
        self._failures = [
            (path, e.message) for path, e in zip(self._paths, inspections, strict=True) if isinstance(e, InputError)
        ]
        if len(self._failures) == len(inspections):
            self._report([])
            self._fail(self._failures[0][1])
            return
        for item in inspections:
            if isinstance(item, InputError):
                continue
            assert isinstance(item, Inspection)
            data = item.data
            if item.request is not None:
                mapping = self.ask_mapping(item.request, self._parent)
                if mapping is None:
                    message = item.error or tr("{file}: not opened (mapping cancelled)").format(file=Path(item.path).name)
                    self._fail(message)
                    return
                remember.append((item.request.key, mapping))
                reloads.append((len(results), item.source or item.path, item.kind, mapping))
            results.append((item.path, item.kind, data))
        if not reloads:
            self._finish(results)
            return
        self._show_progress(tr("Reading with your choice\u2026"))

        def reload() -> list[tuple[int, Budget | Deals]]:
            return [(i, load_mapped(file, kind, mapping)) for i, file, kind, mapping in reloads]

        def reloaded(done: object) -> None:
            assert isinstance(done, list)
            reloads.clear()  # the cells read for the question are no longer needed
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
        if self._failures:
            # One bad file does not cost the good one: it is kept, waiting for a
            # corrected partner, and the open workspace stays exactly as it was.
            for kind, path, data in (("budget", budget_path, budget), ("crm", crm_path, deals)):
                if data is not None:
                    self._pending[kind] = (str(path), data)
            self._report(results, waiting=True)
            kept = ", ".join(Path(p).name for p, _k, d in results if d is not None)
            self._fail(tr("{error} ({kept} read and kept)").format(error=self._failures[0][1], kept=kept))
            return
        # Keep the half the user did not replace: the open workspace's, else one read earlier.
        if budget is None:
            if "budget" in self._pending:  # read just before, for this CRM export
                budget_path, budget = self._pending["budget"]  # type: ignore[assignment]
            elif self._ws.budget is not None:
                budget, budget_path = self._ws.budget, self._ws.budget.path
        if deals is None:
            if "crm" in self._pending:  # read just before, for this budget
                crm_path, deals = self._pending["crm"]  # type: ignore[assignment]
            elif self._ws.deals is not None:
                deals, crm_path = self._ws.deals, self._ws.deals.path
        if budget is None or deals is None:
            kind = "budget" if budget is not None else "crm"
            kept_data = budget if budget is not None else deals
            self._pending[kind] = (str(budget_path or crm_path), kept_data)  # type: ignore[assignment]
            self._report(results, waiting=True)
            self._end(False)
            self._ws.noticeRaised.emit(
                tr("Budget read; now open a CRM export to start.") if kind == "budget"
                else tr("CRM export read; now open a budget to start.")
            )  # fmt: skip
            return
        from planner.model.inputs import check_currencies  # lazy: the model loads after the window

        try:
            check_currencies(budget, deals)
        except InputError as exc:  # refuse before the open workspace is replaced
            self._fail(exc.message)
            return
        self._pending.clear()
        files = tuple(str(p) for p in (budget_path, crm_path) if p)
        self._report([(str(budget_path), "budget", budget), (str(crm_path), "crm", deals)])
        self._ws.load(budget, deals, files)
        self.settings.add_recent(files)
        self._save_settings()
        self._end(True)

    # -------------------------------------------------------------- helpers
    def _report(self, results: list[tuple[str, str, Budget | Deals | None]], *, waiting: bool = False) -> None:
        """Emit the report of this import: each file read (with its notices) and each that failed."""
        budget = next((d for _p, _k, d in results if isinstance(d, Budget)), self._ws.budget)
        status = "waiting" if waiting else "loaded"
        files: list[FileReport] = []
        for path, _kind, data in results:
            if isinstance(data, Budget):
                files.append(budget_report(path, data, status))
            elif isinstance(data, Deals):
                files.append(crm_report(path, data, budget.currency if budget else None, status))
        files.extend(failed_report(path, message) for path, message in self._failures)
        self.reported.emit(ImportReport(tuple(files)))

    def _run(self, fn: Callable[[], object], then: Callable[[object], None]) -> None:
        self._worker.submit(lambda _progress, _cancel: fn(), tag=then)

    def _on_done(self, done: Done) -> None:
        then: Callable[[object], None] | None = done.tag
        result: object = done.error if done.error is not None else done.value
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
        self._worker.wait(timeout_ms)
