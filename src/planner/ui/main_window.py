"""The main window: controls on the left, live charts in the centre, panels below.

The window owns no state of its own: every control writes to the Workspace
through `change()` (one action, one undo step) and reads back from
`scenarioChanged`, so undo, redo and panels stay in step with the slider
without the widgets knowing about each other (the glue "hub" habit).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QWidget,
)

from planner import __version__
from planner.i18n import LANGUAGES, tr
from planner.ui.best_split import BestSplit
from planner.ui.charts import Charts
from planner.ui.concurrent import Worker
from planner.ui.controls import ControlPanel
from planner.ui.format import format_number
from planner.ui.importer import Importer
from planner.ui.settings import Settings
from planner.ui.workspace import Workspace

PANELS: tuple[str, ...] = ("budget", "sources", "assumptions", "bestSplit")


def panel_titles() -> dict[str, tuple[str, str]]:
    """Tab title and tooltip of each panel, in tab order."""
    return {
        "budget": (tr("Budget"), tr("The budget lines, their class and monthly amounts")),
        "sources": (tr("Lead sources"), tr("Win rate by lead source: where intent comes from")),
        "assumptions": (tr("Assumptions"), tr("Every model assumption with its range and source")),
        "bestSplit": (tr("Best split"), tr("The optimiser's curve across brand shares")),
    }


def _warm_model(progress: object, cancel: object) -> None:
    """Import the model (and scipy) off the UI thread, so the panels that need it build at once."""
    import planner.model.optimize  # noqa: F401
    import planner.model.session  # noqa: F401
FILE_FILTER = "Budgets and CRM exports (*.xlsx *.xlsm *.csv *.txt *.tsv);;All files (*)"


class MainWindow(QMainWindow):
    """The planner window for one Workspace."""

    panelsReady = Signal()  # the four panels exist (at once, or after the model import)

    def __init__(
        self,
        workspace: Workspace,
        settings: Settings | None = None,
        parent: QWidget | None = None,
        *,
        defer_panels: bool = False,
    ) -> None:
        """`defer_panels=True` (used by `run_app`) builds the panels after the window shows.

        The lead-source panel needs the model, and the model needs scipy,
        which takes about a second to import. Deferred, that import runs in a
        background thread while the window is already on screen.
        """
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.workspace = workspace
        self.settings = settings if settings is not None else Settings.load()
        self.setWindowTitle("planner")
        self.setAcceptDrops(True)
        self.setMinimumSize(QSize(1024, 640))

        self.importer = Importer(workspace, self, settings=self.settings)
        self.controls = ControlPanel(workspace)
        self.charts = Charts(workspace)

        # The control column is a fixed left dock, so it runs the full height
        # of the window while the panels share the bottom with the charts only.
        scroll = QScrollArea()
        scroll.setObjectName("controlScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.controls)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setMinimumWidth(self.controls.sizeHint().width() + 16)
        self.controls_dock = QDockWidget(tr("Controls"), self)
        self.controls_dock.setObjectName("dock_controls")
        self.controls_dock.setTitleBarWidget(QWidget())
        self.controls_dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.controls_dock.setWidget(scroll)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.controls_dock)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.TopLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        # Charts over the panels in a splitter: the charts keep about 70 % of
        # the height at any window size (docks cannot be given a reliable
        # initial height once tabified), and the user can drag the divider.
        self.best_split = BestSplit(workspace)
        self.panels = QTabWidget()
        self.panels.setObjectName("panelTabs")
        self.panels.setDocumentMode(True)
        # The panels scroll; the charts must not be squeezed below readable on a small screen.
        self.panels.setMinimumHeight(140)
        self.panels.setAccessibleName(tr("Panels"))
        self.panels.setToolTip(tr("Budget, lead sources, assumptions and best split (Ctrl+1 to Ctrl+4)"))
        self.panels.tabBar().setAccessibleName(tr("Panel tabs"))
        self.panels.tabBar().setToolTip(self.panels.toolTip())
        self.panel_index: dict[str, int] = {key: i for i, key in enumerate(PANELS)}
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("chartsPanelsSplitter")
        self.splitter.addWidget(self.charts)
        self.splitter.addWidget(self.panels)
        self.splitter.setStretchFactor(0, 7)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self._split_sized = False

        self._error = QLabel()
        self._error.setObjectName("statusError")
        self._error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._busy = QLabel()
        self._busy.setObjectName("statusBusy")
        self._quality = QLabel()
        self._quality.setObjectName("statusQuality")
        self.statusBar().addWidget(self._error, 1)
        self.statusBar().addPermanentWidget(self._busy)
        self.statusBar().addPermanentWidget(self._quality)

        self._build_menus()
        workspace.errorRaised.connect(self.show_error)
        workspace.noticeRaised.connect(self.show_notice)
        workspace.busyChanged.connect(self._on_busy)
        workspace.resultsReady.connect(self._on_results)
        workspace.dataLoaded.connect(self._on_data_loaded)
        workspace.scenarioChanged.connect(self._update_undo_actions)
        self._update_undo_actions()
        self._on_data_loaded()
        self._warmup = Worker(self)
        self._warmup.finished.connect(self._build_panels)
        self._defer_panels = defer_panels
        if not defer_panels:
            self._build_panels()

    def _build_panels(self) -> None:
        """Create the four panels as tabs; they read the workspace's current state."""
        if self.panels.count():
            return
        from planner.ui.assumptions_panel import AssumptionsPanel
        from planner.ui.budget_table import BudgetTable
        from planner.ui.sources_view import SourcesView

        self.budget_table = BudgetTable(self.workspace)
        self.sources_view = SourcesView(self.workspace)
        self.assumptions = AssumptionsPanel(self.workspace)
        widgets = {
            "budget": self.budget_table,
            "sources": self.sources_view,
            "assumptions": self.assumptions,
            "bestSplit": self.best_split,
        }
        for key, (title, tip) in panel_titles().items():
            index = self.panels.addTab(widgets[key], title)
            self.panels.setTabToolTip(index, tip)
        from planner.ui.model_health import ModelHealth

        self.model_health = ModelHealth(self.workspace, assumptions=self.assumptions)
        index = self.panels.addTab(self.model_health, tr("Model health"))
        self.panels.setTabToolTip(index, tr("How well does this model know your business? The back-test and "
                                            "what the history taught"))
        self.panelsReady.emit()

    # ------------------------------------------------------------- menus
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(tr("&File"))
        self.open_action = self._action(tr("&Open\u2026"), QKeySequence.StandardKey.Open, self.open_dialog, tr("Open a budget and a CRM export"))
        self.demo_action = self._action(tr("Open &demo"), None, self.open_demo, tr("Open the embedded demo budget and CRM export"))
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.demo_action)
        self.recent_menu = file_menu.addMenu(tr("Open &recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        self.screenshot_action = self._action(tr("Save &screenshot\u2026"), QKeySequence("Ctrl+Shift+S"), self.save_screenshot_dialog, tr("Save a PNG of the window"))
        file_menu.addAction(self.screenshot_action)
        file_menu.addSeparator()
        self.quit_action = self._action(tr("&Quit"), QKeySequence.StandardKey.Quit, self.close, tr("Quit planner"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addAction(self.quit_action)

        edit_menu = self.menuBar().addMenu(tr("&Edit"))
        self.undo_action = self._action(tr("&Undo"), QKeySequence("Ctrl+Z"), self.workspace.undo, tr("Undo the last change"))
        self.redo_action = self._action(tr("&Redo"), QKeySequence("Ctrl+Shift+Z"), self.workspace.redo, tr("Redo the change you undid"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)

        view_menu = self.menuBar().addMenu(tr("&View"))
        self.panels_action = QAction(tr("&Panels"), self)
        self.panels_action.setCheckable(True)
        self.panels_action.setChecked(True)
        self.panels_action.setStatusTip(tr("Show or hide the budget, lead sources, assumptions and best split"))
        self.panels_action.toggled.connect(self.panels.setVisible)
        view_menu.addAction(self.panels_action)
        for number, (key, (title, tip)) in enumerate(panel_titles().items(), start=1):
            index = self.panel_index[key]
            action = self._action(
                title, QKeySequence(f"Ctrl+{number}"), lambda _=False, i=index: self.show_panel(i), tip
            )
            action.setObjectName(f"showPanel_{key}")
            view_menu.addAction(action)
        view_menu.addSeparator()
        self.controls_action = self.controls_dock.toggleViewAction()
        self.controls_action.setText(tr("&Controls column"))
        view_menu.addAction(self.controls_action)

        view_menu.addSeparator()
        self.language_menu = view_menu.addMenu(tr("&Language"))
        self.language_group = QActionGroup(self)
        current = self.settings.language
        for code, name in {None: tr("System language"), **LANGUAGES}.items():
            action = self.language_menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == current)
            action.setData(code)
            action.setStatusTip(tr("Show planner in {language} (from the next start)").format(language=name))
            self.language_group.addAction(action)
            action.triggered.connect(lambda _=False, c=code: self.choose_language(c))

        help_menu = self.menuBar().addMenu(tr("&Help"))
        self.howto_action = self._action(tr("How to &read this"), QKeySequence.StandardKey.HelpContents, self.show_how_to_read, tr("What the charts and numbers mean"))
        self.about_action = self._action(tr("&About planner"), None, self.show_about, tr("Version and licence"))
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(self.howto_action)
        help_menu.addAction(self.about_action)

    def _action(self, text: str, shortcut: object, slot: object, tip: str) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)  # type: ignore[arg-type]
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        self.addAction(action)  # shortcuts work even when the menu bar is hidden
        return action

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = list(self.settings.recent_files)
        if not recent:
            empty = self.recent_menu.addAction(tr("No recent files"))
            empty.setEnabled(False)
            return
        for entry in recent:
            paths = [str(p) for p in (entry if isinstance(entry, list | tuple) else [entry])]
            label = " + ".join(Path(p).name for p in paths)
            action = self.recent_menu.addAction(label)
            action.setToolTip("\n".join(paths))
            action.triggered.connect(lambda _=False, p=paths: self.open_files(p))

    def _update_undo_actions(self) -> None:
        history = self.workspace.history
        self.undo_action.setEnabled(history.can_undo())
        self.redo_action.setEnabled(history.can_redo())
        undo_label, redo_label = history.undo_label(), history.redo_label()
        self.undo_action.setText(tr("&Undo {what}").format(what=undo_label) if undo_label else tr("&Undo"))
        self.redo_action.setText(tr("&Redo {what}").format(what=redo_label) if redo_label else tr("&Redo"))

    def choose_language(self, code: str | None) -> None:
        """Remember the UI language; labels are built once, so it applies from the next start."""
        self.settings.language = code
        try:
            self.settings.save()
        except OSError as exc:
            self.show_error(tr("Could not save settings: {error}").format(error=exc))
            return
        self.statusBar().showMessage(tr("The language changes when planner starts next time."), 8000)

    # ------------------------------------------------------------- files
    def open_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, tr("Open a budget and a CRM export"), "", FILE_FILTER)
        if paths:
            self.open_files(paths)

    def open_files(self, paths: list[str]) -> None:
        """Forward files to the importer (off the UI thread, mapping dialog if unsure)."""
        self._error.clear()
        self.importer.open_files([str(p) for p in paths])

    def open_demo(self) -> None:
        from planner.resources import demo_paths

        self.open_files([str(p) for p in demo_paths()])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_files(paths)

    def save_screenshot_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Save screenshot"), "planner.png", "PNG (*.png)")
        if path:
            self.save_screenshot(path)

    def save_screenshot(self, path: str | Path) -> bool:
        """Render the whole window to a PNG; the status bar says where it went."""
        ok = self.grab().save(str(path), "PNG")
        if ok:
            self.statusBar().showMessage(tr("Saved {path}").format(path=path), 5000)
        else:
            self.show_error(tr("Could not write {path}").format(path=path))
        return ok

    # ------------------------------------------------------------ status
    def show_error(self, message: str) -> None:
        """One line in the status bar; the open workspace stays as it was."""
        self._error.setText("\u26a0 " + message)
        self._error.setToolTip(message)
        self._error.setStyleSheet("color: palette(bright-text); background: #b3261e; padding: 1px 6px; border-radius: 3px;")

    def show_notice(self, message: str) -> None:
        """Information (not a failure): plain status-bar text that replaces any earlier error."""
        self._error.setText(message)
        self._error.setToolTip(message)
        self._error.setStyleSheet("")

    def _on_busy(self, busy: bool) -> None:
        self._busy.setText(tr("Computing\u2026") if busy else "")

    def _on_results(self) -> None:
        results = self.workspace.results
        if results is None:
            return
        self._error.clear()
        self._error.setStyleSheet("")
        settled = results.paths >= self.workspace.paths
        text = tr("{n} simulated paths").format(n=format_number(results.paths))
        self._quality.setText(text if settled else tr("{text} (refining\u2026)").format(text=text))

    def _on_data_loaded(self) -> None:
        files = self.workspace.files
        if files:
            self.setWindowTitle(" + ".join(Path(f).name for f in files) + " \u2014 planner")
        else:
            self.setWindowTitle("planner")

    # -------------------------------------------------------------- help
    def show_how_to_read(self) -> None:
        QMessageBox.information(self, tr("How to read this"), how_to_read_text())

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            tr("About planner"),
            tr(
                "<b>planner {version}</b><br>Plan a B2B marketing budget by what it does to revenue: "
                "brand vs lead generation, win rates, pipeline, margin and volatility."
            ).format(version=__version__),
        )

    def show_panel(self, index: int) -> None:
        """Bring a panel tab to the front (View menu, Ctrl+1..4)."""
        self.panels_action.setChecked(True)
        if index < self.panels.count():
            self.panels.setCurrentIndex(index)
            self.panels.currentWidget().setFocus(Qt.FocusReason.ShortcutFocusReason)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if not self._split_sized:
            self._split_sized = True
            self.size_panels()
        if self._defer_panels:
            self._defer_panels = False
            # after the first paint, so the import does not compete with it for the GIL
            QTimer.singleShot(50, self._start_warmup)

    def _start_warmup(self) -> None:
        self._warmup.submit(_warm_model)

    def size_panels(self) -> None:
        """Charts about 70 %, panels about 30 % of the central height."""
        total = max(self.splitter.height(), self.height() - 60)
        charts_min = self.charts.minimumSizeHint().height()
        panels = max(150, min(int(total * 0.30), total - charts_min))
        self.splitter.setSizes([total - panels, panels])

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.best_split.shutdown()
        if hasattr(self, "model_health"):
            self.model_health.shutdown()
        self._warmup.wait()
        self.importer.shutdown()
        self.workspace.shutdown()
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        with contextlib.suppress(OSError):  # a read-only config folder must not block closing
            self.settings.save()
        super().closeEvent(event)


def how_to_read_text() -> str:
    """The Help text: what each chart means, in the words of a budget meeting."""
    return tr(
        "<p><b>The slider</b> moves budget between brand building and lead generation. "
        "The total stays the same unless you change it.</p>"
        "<p><b>Revenue per month</b>: the line is the average of thousands of simulated futures; "
        "the band holds the middle 80 % of them (P10\u2013P90). The dashed line is your budget as imported.</p>"
        "<p><b>MQLs</b> are an activity metric. More brand usually means fewer MQLs at first while "
        "revenue grows later: judge the plan by revenue and contribution, not by MQLs.</p>"
        "<p><b>Pipeline by class</b>: intent pipeline comes from buyers who find you by themselves "
        "(brand raises it); demand pipeline is pulled by campaigns. Qualified pipeline is weighted "
        "by the chance to win.</p>"
        "<p><b>Gross margin and contribution</b>: brand lets you hold price; contribution is gross "
        "profit minus marketing spend.</p>"
        "<p><b>Volatility</b>: the bars show the range of total revenue; a shorter bar is a steadier business.</p>"
        "<p><b>KPI strip</b>: scenario vs baseline and the difference. Green is better, red is worse.</p>"
        "<p>Brand pays back slowly: change the horizon (6\u201336 months) to see the short-term "
        "cost and the long-term payoff. <b>Best split</b> sweeps every brand share for the horizon.</p>"
    )
