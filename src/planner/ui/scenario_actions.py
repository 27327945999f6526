"""File > Save, Save as, Open scenario, Share for review; the title-bar mark; the close prompt; autosave.

Installed on the window with one call (`install_scenario_actions(window)`),
so the window module stays the layout's. Everything goes through the
Workspace: opening a file calls `workspace.load(..., scenarios=...)`, saving
writes `document_of(workspace)` and calls `workspace.mark_saved()`, and the
title mark is `workspace.is_modified` (undo back to the saved state clears it).

Slow parts (reading the input files a scenario refers to) run on the
worker. Only a user's close asks about unsaved changes (the window's close
button, File > Quit): a programmatic `close()` (tests, the screenshot verb)
never blocks on a dialog. Autosave starts with `start_autosave()` (the app
does, at start-up) so headless windows never write into the user's folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from planner.errors import InputError
from planner.i18n import tr
from planner.scenario.autosave import INTERVAL_SECONDS, AutosaveSlot
from planner.scenario.files import SUFFIX, InputRef, PlannerFile, default_name, load, save
from planner.ui.concurrent import Done, Worker
from planner.ui.scenario_files import OpenedData, document_of, problems, read_inputs

if TYPE_CHECKING:
    from planner.ui.compare_view import CompareView
    from planner.ui.workshop import Workshop

MainWindow = QMainWindow  # planner.ui.main_window.MainWindow: not imported, it installs this module
Shortcut = QKeySequence | QKeySequence.StandardKey | str | None
"""What a menu action's shortcut may be given as (None: no shortcut)."""


SCENARIO_FILTER = "planner scenarios (*.planner.json);;All files (*)"
AUTOSAVE_ENV = "PLANNER_AUTOSAVE_SECONDS"  # the periodic interval (tests use a second or two)
CHANGE_DELAY_MS = 1500  # a significant change is autosaved once the user pauses this long


def autosave_interval() -> float:
    """Seconds between periodic autosaves: PLANNER_AUTOSAVE_SECONDS, else a minute."""
    try:
        value = float(os.environ.get(AUTOSAVE_ENV, INTERVAL_SECONDS))
    except ValueError:
        return INTERVAL_SECONDS
    return value if value > 0 else INTERVAL_SECONDS


class ScenarioActions(QObject):
    """The scenario-file side of one window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.workspace = window.workspace
        self.path: Path | None = None  # the .planner.json the workspace was opened from or saved to
        self.base: PlannerFile | None = None  # that file's document (name, notes, mappings, lift results)
        self.carries_data = False  # opened from a shared file: saving keeps the data in it
        self.autosave: AutosaveSlot | None = None
        self._user_close = False
        self._pending_open: tuple[Path | None, PlannerFile, bool] | None = None
        self._loader = Worker(self)
        self._loader.finished.connect(self._on_inputs_read)

        self._autosave_timer = QTimer(self)
        self._autosave_timer.timeout.connect(self.autosave_now)
        self._change_timer = QTimer(self)
        self._change_timer.setSingleShot(True)
        self._change_timer.setInterval(CHANGE_DELAY_MS)
        self._change_timer.timeout.connect(self.autosave_now)

        self.workshop: Workshop | None = None
        self.compare_view: CompareView | None = None
        self._actions: list[QAction] = []
        self._build_actions()
        window.menusBuilt.connect(self._rebuild_actions)  # a live language switch rebuilds the menus
        self.workspace.dataLoaded.connect(self.update_title)
        self.workspace.scenarioChanged.connect(self._on_change)
        self.workspace.savedChanged.connect(self.update_title)
        window.installEventFilter(self)
        self.update_title()

    @property
    def autosave_interval_ms(self) -> int:
        """How often the periodic autosave runs (a change also saves, sooner)."""
        return self._autosave_timer.interval()

    # ------------------------------------------------------------- menus
    def _build_actions(self) -> None:
        w = self.window
        self.save_action = self._action(tr("&Save"), QKeySequence.StandardKey.Save, self.save, tr("Save the scenarios to a file"))
        self.save_as_action = self._action(tr("Save &as\u2026"), QKeySequence("Ctrl+Alt+S"), self.save_as_dialog, tr("Save the scenarios to a new file"))
        self.open_scenario_action = self._action(tr("Open s&cenario\u2026"), QKeySequence("Ctrl+Shift+O"), self.open_dialog, tr("Open a saved .planner.json scenario file"))
        self.share_action = self._action(tr("S&hare for review\u2026"), None, self.share_dialog, tr("Write one file with the data and all scenarios, for someone without the CRM export"))
        file_menu = w.file_menu
        anchor = w.screenshot_action
        items: list[QAction | None] = [self.open_scenario_action, self.save_action, self.save_as_action,
                                       self.share_action, None]
        self.file_menu = file_menu
        for item in items:
            if item is None:
                sep = QAction(self)
                sep.setSeparator(True)
                item = sep
            if anchor is not None and anchor in file_menu.actions():
                file_menu.insertAction(anchor, item)
            else:
                file_menu.addAction(item)
        from planner.ui.scenario_exports import install_exports

        self.exports = install_exports(w, file_menu, anchor if anchor in file_menu.actions() else None)
        sep = QAction(self)
        sep.setSeparator(True)
        if anchor is not None and anchor in file_menu.actions():
            file_menu.insertAction(anchor, sep)
        view_menu = w.view_menu
        view_menu.addSeparator()
        self.compare_action = self._action(tr("&Compare scenarios"), QKeySequence("Ctrl+K"), self.show_compare,
                                           tr("2 to 4 scenarios side by side: KPIs and charts"))
        view_menu.addAction(self.compare_action)
        self.workshop_action = self._action(tr("&Workshop"), QKeySequence("F11"), self.show_workshop,
                                            tr("Full screen for a meeting: the slider, three charts and one takeaway"))
        view_menu.addAction(self.workshop_action)
        self.view_menu = view_menu
        # File > Quit is a user's close: it may ask about unsaved changes
        w.quit_action.triggered.disconnect()
        w.quit_action.triggered.connect(self.request_close)

    def _rebuild_actions(self) -> None:
        """The window rebuilt its menus (in another language): add ours again, in that language."""
        for action in [*self._actions, *self.exports.actions]:
            self.window.removeAction(action)
            action.deleteLater()
        self._actions = []
        self._build_actions()

    def _action(self, text: str, shortcut: Shortcut, slot: Callable[[], object], tip: str) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _=False: slot())
        self.window.addAction(action)
        self._actions.append(action)
        return action

    def show_compare(self) -> CompareView:
        """View > Compare scenarios: its own window, made on first use."""
        if self.compare_view is None:
            from planner.ui.compare_view import CompareView

            self.compare_view = CompareView(self.workspace, self.window)
            self.compare_view.resize(self.window.size())
        self.compare_view.show()
        if QGuiApplication.platformName() != "offscreen":  # no window stack to raise offscreen
            self.compare_view.raise_()
            self.compare_view.activateWindow()
        return self.compare_view

    def show_workshop(self, *, full_screen: bool = True) -> Workshop:
        """View > Workshop (F11): full screen over the same workspace; Esc or F11 leaves it."""
        if self.workshop is None:
            from planner.ui.workshop import Workshop

            self.workshop = Workshop(self.workspace, self.window)
            self.workshop.resize(self.window.size())
        self.workshop.present(full_screen=full_screen)
        return self.workshop

    # ------------------------------------------------------------- title
    def display_name(self) -> str:
        if self.base is not None and self.base.name:
            return self.base.name
        if self.path is not None:
            return default_name(self.path)
        files = self.workspace.files
        return " + ".join(Path(f).name for f in files) if files else tr("Untitled")

    def update_title(self) -> None:
        """'<name>[*] — planner' with Qt's own modified mark (an asterisk, or the macOS dot)."""
        self.window.setWindowTitle(f"{self.display_name()}[*] \u2014 planner")
        self.window.setWindowModified(self.workspace.is_modified)

    def _on_change(self, _change: object = None) -> None:
        self.window.setWindowModified(self.workspace.is_modified)
        if self.autosave is not None and self.workspace.has_data():
            self._change_timer.start()

    # ------------------------------------------------------------- save
    def document(self, *, carry_data: bool | None = None) -> PlannerFile:
        """The workspace as a file (InputError when there is nothing to save or an input is unreadable)."""
        ws = self.workspace
        if ws.budget is None or ws.deals is None:
            raise InputError(None, tr("Open a budget and a CRM export first"))
        carry = self.carries_data if carry_data is None else carry_data
        return document_of(ws.scenarios, ws.budget, ws.deals, seed=ws.seed, paths=ws.paths, base=self.base,
                           carry_data=carry)

    def save(self) -> bool:
        """File > Save: to the file it came from, else ask where."""
        if self.path is None:
            return self.save_as_dialog()
        return self.save_to(self.path)

    def _start_path(self, name: str) -> str:
        """Where a save dialog starts: beside the scenario file, else beside the input files."""
        if self.path is not None:
            return str(self.path.parent / name)
        files = self.workspace.files
        return str(Path(files[0]).parent / name) if files else name

    def save_as_dialog(self) -> bool:
        start = str(self.path) if self.path else self._start_path(self.display_name() + SUFFIX)
        path, _ = QFileDialog.getSaveFileName(self.window, tr("Save scenarios"), start, SCENARIO_FILTER)
        return self.save_to(_with_suffix(path)) if path else False

    def save_to(self, path: str | Path) -> bool:
        """Write the scenarios to `path` (atomic); the title takes its name. False (and one line) on failure."""
        path = _with_suffix(path)
        try:
            doc = self.document()
            save(doc, path)
        except (InputError, OSError) as exc:
            self.window.show_error(_one_line(exc, path))
            return False
        self.path, self.base = path, doc
        self.workspace.mark_saved()
        self.window.statusBar().showMessage(tr("Saved {path}").format(path=path), 5000)
        self.autosave_now()
        return True

    def share_dialog(self) -> bool:
        """File > Share for review: say what the file holds (and does not), then ask where."""
        box = QMessageBox(QMessageBox.Icon.Information, tr("Share for review"), share_text(), parent=self.window)
        box.setObjectName("shareForReview")
        box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel)
        if box.exec() != QMessageBox.StandardButton.Save:
            return False
        start = self._start_path(f"{self.display_name()} (review){SUFFIX}")
        path, _ = QFileDialog.getSaveFileName(self.window, tr("Share for review"), start, SCENARIO_FILTER)
        return self.share_to(path) if path else False

    def share_to(self, path: str | Path) -> bool:
        """Write the review file: budget, the CRM reduced to the model's columns, every scenario."""
        path = _with_suffix(path)
        try:
            save(self.document(carry_data=True), path)
        except (InputError, OSError) as exc:
            self.window.show_error(_one_line(exc, path))
            return False
        self.window.statusBar().showMessage(tr("Shared for review: {path}").format(path=path), 8000)
        return True

    # ------------------------------------------------------------- open
    def open_dialog(self) -> None:
        if not self.confirm_replace():
            return
        start = str(self.path.parent) if self.path else ""
        path, _ = QFileDialog.getOpenFileName(self.window, tr("Open scenario"), start, SCENARIO_FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str | Path) -> bool:
        """Open a .planner.json: say what changed or moved (offer to re-locate), then read its inputs."""
        path = Path(path)
        try:
            doc = load(path)
        except InputError as exc:
            self.window.show_error(exc.message)
            return False
        return self.open_document(doc, path)

    def open_document(self, doc: PlannerFile, path: Path | None, *, restored: bool = False) -> bool:
        """Open a document (from a file, or restored from an autosave: then it stays marked unsaved)."""
        for check in problems(doc, path):
            if check.status == "missing":
                relocated = self.relocate(check.ref, check.message)
                if relocated is None:
                    return False
                doc = doc.with_input(relocated)
        self._pending_open = (path, doc, restored)
        self._loader.submit(lambda _p, _c: read_inputs(doc, path), tag=(path, doc, restored))
        self.window.show_notice(tr("Opening {name}\u2026").format(name=path.name if path else doc.name))
        return True

    def relocate(self, ref: InputRef, message: str) -> InputRef | None:
        """Ask where a moved input is now; its new hash is taken (the user accepts that file)."""
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Input file moved"), message, parent=self.window)
        box.setObjectName("relocateInput")
        locate = box.addButton(tr("Re-locate\u2026"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is not locate:
            return None
        found, _ = QFileDialog.getOpenFileName(self.window, tr("Where is {name} now?").format(name=Path(ref.path).name))
        if not found:
            return None
        try:
            return InputRef.of(ref.role, found, sheet=ref.sheet, columns=dict(ref.columns))
        except InputError as exc:
            self.window.show_error(exc.message)
            return None

    def _on_inputs_read(self, done: Done) -> None:
        path, doc, restored = done.tag
        self._pending_open = None
        if done.error is not None:
            error = done.error
            self.window.show_error(error.message if isinstance(error, InputError) else str(error))
            return
        opened: OpenedData = done.value
        self.path, self.base, self.carries_data = path, doc, doc.carries_data
        ws = self.workspace
        ws.load(opened.budget, opened.deals, opened.files, scenarios=doc.scenarios)
        if restored:  # restored work was never saved: keep the mark until the user saves it
            ws.mark_unsaved()
        if opened.notices:
            self.window.show_notice(" \u00b7 ".join(opened.notices))
        else:
            self.window.show_notice(tr("Opened {name}").format(name=self.display_name()))

    def is_opening(self) -> bool:
        return self._pending_open is not None

    # ------------------------------------------------------------- autosave
    def start_autosave(self, slot: AutosaveSlot | None = None) -> None:
        """Save every `autosave_interval()` seconds and after each significant change."""
        self.autosave = slot or AutosaveSlot()
        self._autosave_timer.start(int(autosave_interval() * 1000))

    def autosave_now(self) -> bool:
        if self.autosave is None or not self.workspace.has_data():
            return False
        try:
            self.autosave.save(self.document(), origin=self.path)
        except (InputError, OSError):
            return False  # the next save tries again; an autosave never interrupts the user
        return True

    # ------------------------------------------------------------- close
    def request_close(self) -> bool:
        """A user's close (File > Quit, the window's close button): may ask about unsaved changes."""
        self._user_close = True
        try:
            return self.window.close()
        finally:
            self._user_close = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.window and event.type() == QEvent.Type.Close:
            assert isinstance(event, QCloseEvent)
            if (self._user_close or event.spontaneous()) and not self.confirm_close():
                event.ignore()
                return True
            self._change_timer.stop()
            self._autosave_timer.stop()
            self._loader.wait()
            self.exports.worker.wait()
            if self.compare_view is not None:
                self.compare_view.close()
            if self.workshop is not None:
                self.workshop.close()
            if self.autosave is not None:
                self.autosave.close()
                self.autosave = None
        return False

    def confirm_close(self) -> bool:
        """Save / Discard / Cancel when there are unsaved changes; True when the window may close."""
        return self._confirm(tr("Save the changes to {name} before closing?"))

    def confirm_replace(self) -> bool:
        """Before another scenario file replaces the open work: Save / Discard / Cancel."""
        return self._confirm(tr("Save the changes to {name} before opening another scenario?"))

    def _confirm(self, question: str) -> bool:
        if not self.workspace.is_modified or not self.workspace.has_data():
            return True
        box = QMessageBox(QMessageBox.Icon.Question, tr("Unsaved changes"),
                          question.format(name=self.display_name()), parent=self.window)
        box.setObjectName("unsavedChanges")
        buttons = QMessageBox.StandardButton
        box.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
        box.setDefaultButton(buttons.Save)
        answer = box.exec()
        if answer == buttons.Save:
            return self.save()
        return answer == buttons.Discard


def share_text() -> str:
    return tr(
        "The review file carries the budget, all scenarios and the CRM export reduced to what the model "
        "needs: dates, amounts, stages, lead sources and their classes.\n\n"
        "It does not carry deal names, accounts or owners.\n\n"
        "Whoever opens it in planner can move the slider, add scenarios and save them back, "
        "without the CRM export."
    )


def install_scenario_actions(window: MainWindow) -> ScenarioActions:
    """The one hook the window calls: scenario files, title mark, close prompt (autosave: `start_autosave`)."""
    from planner.ui.scenario_bar import install_scenario_bar

    actions = ScenarioActions(window)
    window.scenario_actions = actions
    window.scenario_bar = install_scenario_bar(window)
    return actions


def _with_suffix(path: str | Path) -> Path:
    path = Path(path)
    return path if path.name.endswith(SUFFIX) else path.with_name(path.name + SUFFIX)


def _one_line(exc: BaseException, path: Path) -> str:
    if isinstance(exc, InputError):
        return exc.message
    return tr("Could not write {path}: {error}").format(path=path, error=getattr(exc, "strerror", None) or exc)


__all__ = ["AUTOSAVE_ENV", "ScenarioActions", "autosave_interval", "install_scenario_actions", "share_text"]
