"""The main window: controls on the left, live charts in the centre, panels below.

The window owns no state of its own: every control writes to the Workspace
through `change()` (one action, one undo step) and reads back from
`scenarioChanged`, so undo, redo and panels stay in step with the slider
without the widgets knowing about each other (the glue "hub" habit).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QSize, Qt, QTimer, Signal
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
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner import __version__
from planner.i18n import LANGUAGES, tr
from planner.ui.best_split import BestSplit
from planner.ui.charts import Charts
from planner.ui.concurrent import Worker
from planner.ui.controls import ControlPanel
from planner.ui.files_box import FilesBox
from planner.ui.glossary import glossary_html, how_to_read_text
from planner.ui.import_report import ImportReport, ImportReportDialog, budget_report, crm_report
from planner.ui.importer import Importer
from planner.ui.language import apply_language
from planner.ui.settings import Settings
from planner.ui.status_line import StatusLine
from planner.ui.welcome import WelcomePage
from planner.ui.workspace import Workspace

PANELS: tuple[str, ...] = ("charts", "budget", "sources", "assumptions", "bestSplit", "modelHealth")


def panel_titles() -> dict[str, tuple[str, str]]:
    """Tab title and tooltip of each panel, in tab order."""
    return {
        "charts": (tr("Charts"), tr("Revenue, MQLs, volatility, pipeline, margin and contribution")),
        "budget": (tr("Budget"), tr("The budget lines, their class and monthly amounts")),
        "sources": (tr("Lead sources"), tr("Win rate by lead source: where intent comes from")),
        "assumptions": (tr("Assumptions"), tr("Every model assumption with its range and source")),
        "bestSplit": (tr("Best split"), tr("The optimiser's curve across brand shares")),
        "modelHealth": (
            tr("Model health"),
            tr("How well does this model know your business? The back-test and what the history taught"),
        ),
    }


def _warm_model(progress: object, cancel: object) -> None:
    """Import the model (and scipy) off the UI thread, so the panels that need it build at once."""
    import planner.model.optimize  # noqa: F401
    import planner.model.session  # noqa: F401


FILE_FILTER = "Budgets and CRM exports (*.xlsx *.xlsm *.csv *.txt *.tsv);;All files (*)"



if TYPE_CHECKING:  # installed lazily (see _build_views); the type only
    from planner.ui.scenario_actions import Shortcut


class MainWindow(QMainWindow):
    """The planner window for one Workspace."""

    panelsReady = Signal()  # the panels exist (at once, or after the model import)
    menusBuilt = Signal()  # the menu bar was (re)built: extensions add their actions again

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
        self.importer.reported.connect(self.set_import_report)
        self.import_report: ImportReport | None = None
        self._waiting: list[str] = []

        # The control column is a fixed left dock, so it runs the full height
        # of the window next to whichever view is in front.
        self.control_scroll = QScrollArea()
        self.control_scroll.setObjectName("controlScroll")
        self.control_scroll.setWidgetResizable(True)
        self.control_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.control_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.control_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.controls_dock = QDockWidget(self)
        self.controls_dock.setObjectName("dock_controls")
        self.controls_dock.setTitleBarWidget(QWidget())
        self.controls_dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.controls_dock.setWidget(self.control_scroll)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.controls_dock)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.TopLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        # Charts and the four panels are tabs of one view, each with the full
        # height: at 1280x800 a panel squeezed under the charts showed 110 px
        # sweep charts, 5 of 14 lead sources and 3 assumptions. The KPI strip
        # in the left column stays in sight whichever tab is in front.
        self.panels = QTabWidget()
        self.panels.setObjectName("panelTabs")
        self.panels.setDocumentMode(True)
        self.panels.tabBar().setObjectName("panelTabBar")
        self.overview = QStackedWidget()
        self.overview.setObjectName("overview")
        self.notice_bar = QFrame()
        self.notice_bar.setObjectName("noticeBar")
        self.notice_bar.setFrameShape(QFrame.Shape.StyledPanel)
        self.notice_text = QLabel()
        self.notice_text.setObjectName("noticeText")
        self.notice_text.setWordWrap(True)
        self.notice_details = QPushButton()
        self.notice_details.setObjectName("noticeDetails")
        self.notice_details.clicked.connect(self.show_import_report)
        self.notice_close = QPushButton("\u00d7")
        self.notice_close.setObjectName("noticeClose")
        self.notice_close.setFlat(True)
        self.notice_close.setFixedWidth(28)
        self.notice_close.clicked.connect(self.notice_bar.hide)
        bar = QHBoxLayout(self.notice_bar)
        bar.setContentsMargins(8, 2, 4, 2)
        bar.addWidget(self.notice_text, 1)
        bar.addWidget(self.notice_details)
        bar.addWidget(self.notice_close)
        self.notice_bar.hide()
        central = QWidget()
        central.setObjectName("central")
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.notice_bar)
        column.addWidget(self.panels, 1)
        self.setCentralWidget(central)
        self.panel_index: dict[str, int] = {key: i for i, key in enumerate(PANELS)}
        self._build_views()

        self.status = StatusLine(self.statusBar(), workspace)

        self._build_menus()
        self._retranslate_fixed()
        workspace.errorRaised.connect(self.show_error)
        workspace.noticeRaised.connect(self.show_notice)
        workspace.resultsReady.connect(self.status.show_results)
        workspace.dataLoaded.connect(self._on_data_loaded)
        workspace.dataLoaded.connect(self._show_overview_page)
        workspace.dataLoaded.connect(lambda: self.import_report_action.setEnabled(True))
        workspace.scenarioChanged.connect(self._update_undo_actions)
        self._update_undo_actions()
        self._on_data_loaded()
        self._warmup = Worker(self)
        self._warmup.finished.connect(self._build_panels)
        self._defer_panels = defer_panels
        if not defer_panels:
            self._build_panels()
        # Scenario files, scenario list, compare, exports and workshop live in their own modules.
        from planner.ui.scenario_actions import install_scenario_actions

        install_scenario_actions(self)

    def _build_views(self) -> None:
        """The control column, the charts (or the welcome page) and the best-split panel, in the current language."""
        self.controls = ControlPanel(self.workspace)
        self.files_box = FilesBox(self.workspace, self.show_import_report)
        column = self.controls.layout()
        assert isinstance(column, QVBoxLayout)  # ControlPanel lays itself out in one column
        column.insertWidget(column.count() - 1, self.files_box)
        self.control_scroll.setWidget(self.controls)  # the previous column (if any) is deleted with it
        self.control_scroll.setMinimumWidth(self.controls.sizeHint().width() + 16)
        self.charts = Charts(self.workspace)
        self.welcome = WelcomePage(self.open_dialog, self.open_demo, self.open_files)
        self.welcome.set_recent(self._recent_entries())
        self.welcome.set_waiting(self._waiting)
        self.overview.addWidget(self.welcome)
        self.overview.addWidget(self.charts)
        self.best_split = BestSplit(self.workspace)
        title, tip = panel_titles()["charts"]
        index = self.panels.insertTab(0, self.overview, title)
        self.panels.setTabToolTip(index, tip)
        self._show_overview_page()

    def _build_panels(self) -> None:
        """Create the four panels as tabs after the charts; they read the workspace's current state."""
        if self.panels.count() > 1:
            return
        from planner.ui.assumptions_panel import AssumptionsPanel
        from planner.ui.budget_table import BudgetTable
        from planner.ui.model_health import ModelHealth
        from planner.ui.sources_view import SourcesView

        self.budget_table = BudgetTable(self.workspace)
        self.sources_view = SourcesView(self.workspace)
        self.assumptions = AssumptionsPanel(self.workspace)
        self.model_health = ModelHealth(self.workspace, assumptions=self.assumptions)
        widgets = {
            "budget": self.budget_table,
            "sources": self.sources_view,
            "assumptions": self.assumptions,
            "bestSplit": self.best_split,
            "modelHealth": self.model_health,
        }
        for key, (title, tip) in panel_titles().items():
            if key in widgets:
                index = self.panels.addTab(widgets[key], title)
                self.panels.setTabToolTip(index, tip)
        self.panelsReady.emit()

    def _show_overview_page(self) -> None:
        """The charts once files are open; the welcome page before (or after a refused first file)."""
        self.overview.setCurrentWidget(self.charts if self.workspace.has_data() else self.welcome)

    def retranslate(self) -> None:
        """Apply the current language now: rebuild every label-bearing widget from the workspace.

        Widgets only render the workspace's state, so building them again
        shows the same document, results and undo history in the new
        language; only a best-split sweep on screen is computed again.
        """
        current = self.panels.currentIndex()
        had_panels = self.panels.count() > 1
        self.setLocale(QLocale())  # spin boxes and tables take the new number format from the window
        self.best_split.shutdown()
        old: list[QWidget] = [self.charts, self.welcome, self.best_split]
        while self.panels.count():
            widget = self.panels.widget(0)
            self.panels.removeTab(0)
            if widget is not None and widget is not self.overview and widget not in old:
                old.append(widget)
        for widget in (self.charts, self.welcome):
            self.overview.removeWidget(widget)
        for widget in old:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
        self.menuBar().clear()
        self.language_group.deleteLater()
        for action in self._own_actions:
            self.removeAction(action)
            action.deleteLater()
        self._build_views()
        self._build_menus()
        self._retranslate_fixed()
        if had_panels:
            self._build_panels()
        self.panels.setCurrentIndex(min(current, self.panels.count() - 1))
        self._update_undo_actions()
        self.status.show_results()
        self._on_data_loaded()
        if self.import_report is not None:
            self.set_import_report(self.import_report, show_bar=self.notice_bar.isVisible())

    def _retranslate_fixed(self) -> None:
        """Texts of the widgets that live as long as the window."""
        self.controls_dock.setWindowTitle(tr("Controls"))
        self.panels.setAccessibleName(tr("Views"))
        self.panels.setToolTip(tr("Charts, budget, lead sources, assumptions, best split and model health (Ctrl+1 to Ctrl+6)"))
        self.panels.tabBar().setAccessibleName(tr("View tabs"))
        self.panels.tabBar().setToolTip(self.panels.toolTip())
        self.overview.setAccessibleName(tr("Charts"))
        self.notice_bar.setAccessibleName(tr("Import notices"))
        self.notice_details.setText(tr("Details\u2026"))
        self.notice_details.setToolTip(tr("Open the import report: rows skipped and why, what was assumed"))
        self.notice_details.setAccessibleName(tr("Import report details"))
        self.notice_close.setToolTip(tr("Hide this bar (File > Import report shows it again)"))
        self.notice_close.setAccessibleName(tr("Hide the import notice"))

    # ------------------------------------------------------------ imports
    def set_import_report(self, report: ImportReport, *, show_bar: bool = True) -> None:
        """Keep the last import's report (File > Import report) and say it in the notice bar."""
        self.import_report = report
        self.import_report_action.setEnabled(True)
        self._waiting = [f.name for f in report.files if f.status == "waiting"]
        self.welcome.set_waiting(self._waiting)
        self.welcome.set_recent(self._recent_entries())
        self.notice_text.setText(report.headline())
        self.files_box.refresh(report.notice_count)
        failed = bool(report.failed)
        self.notice_text.setStyleSheet("color: #c62828; font-weight: bold;" if failed else "")
        self.notice_bar.setVisible(show_bar and (failed or report.notice_count > 0 or bool(self._waiting)))

    def show_import_report(self) -> None:
        """File > Import report: the last import, file by file."""
        report = self.current_import_report()
        if report is None:
            return
        dialog = ImportReportDialog(report, self)
        dialog.exec()
        dialog.deleteLater()

    def current_import_report(self) -> ImportReport | None:
        """The last import's report; for files loaded without the importer (screenshot verb, tests), what they carry."""
        ws = self.workspace
        if self.import_report is None and ws.budget is not None and ws.deals is not None:
            return ImportReport((
                budget_report(ws.budget.path or "", ws.budget),
                crm_report(ws.deals.path or "", ws.deals, ws.budget.currency),
            ))  # fmt: skip
        return self.import_report

    def _recent_entries(self) -> list[list[str]]:
        return [
            [str(p) for p in (entry if isinstance(entry, list | tuple) else [entry])]
            for entry in self.settings.recent_files
        ]

    # ------------------------------------------------------------- menus
    def _build_menus(self) -> None:
        self._own_actions: list[QAction] = []
        self.file_menu = file_menu = self.menuBar().addMenu(tr("&File"))
        self.open_action = self._action(tr("&Open\u2026"), QKeySequence.StandardKey.Open, self.open_dialog, tr("Open a budget and a CRM export"))
        self.demo_action = self._action(tr("Open &demo"), None, self.open_demo, tr("Open the embedded demo budget and CRM export"))
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.demo_action)
        self.recent_menu = file_menu.addMenu(tr("Open &recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.import_report_action = self._action(tr("Import &report\u2026"), None, self.show_import_report, tr("What the last import read, skipped and assumed"))
        self.import_report_action.setObjectName("importReportAction")
        self.import_report_action.setEnabled(self.import_report is not None or self.workspace.has_data())
        file_menu.addAction(self.import_report_action)
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

        self.view_menu = view_menu = self.menuBar().addMenu(tr("&View"))
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
        choices: dict[str | None, str] = {None: tr("System language")}
        choices.update(LANGUAGES)
        for code, name in choices.items():
            action = self.language_menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == current)
            action.setData(code)
            action.setStatusTip(tr("Show planner in {language}").format(language=name))
            self.language_group.addAction(action)
            action.triggered.connect(lambda _=False, c=code: self.choose_language(c))

        help_menu = self.menuBar().addMenu(tr("&Help"))
        self.howto_action = self._action(tr("How to &read this"), QKeySequence.StandardKey.HelpContents, self.show_how_to_read, tr("What the charts and numbers mean"))
        self.about_action = self._action(tr("&About planner"), None, self.show_about, tr("Version and licence"))
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.glossary_action = self._action(tr("&Glossary"), None, self.show_glossary, tr("What pp, CV, CAC payback, qualified pipeline, contribution and intent mean"))
        self.glossary_action.setObjectName("glossaryAction")
        help_menu.addAction(self.howto_action)
        help_menu.addAction(self.glossary_action)
        help_menu.addAction(self.import_report_action)
        help_menu.addAction(self.about_action)
        self.menusBuilt.emit()

    def _action(self, text: str, shortcut: Shortcut, slot: Callable[..., object], tip: str) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even when the menu bar is hidden
        self._own_actions.append(action)
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
        """Switch the UI language now (the window is rebuilt in it) and remember it for the next start."""
        self.settings.language = code
        apply_language(code)
        self.retranslate()
        try:
            self.settings.save()
        except OSError as exc:
            self.show_error(tr("Could not save settings: {error}").format(error=exc))

    # ------------------------------------------------------------- files
    def open_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, tr("Open a budget and a CRM export"), "", FILE_FILTER)
        if paths:
            self.open_files(paths)

    def open_files(self, paths: list[str]) -> None:
        """Forward files to the importer (off the UI thread, mapping dialog if unsure)."""
        self.status.clear_message()
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
        self.status.show_error(message)

    def show_notice(self, message: str) -> None:
        """Information (not a failure): plain status-bar text that replaces any earlier error."""
        self.status.show_notice(message)

    def _on_data_loaded(self) -> None:
        files = self.workspace.files
        if files:
            self.setWindowTitle(" + ".join(Path(f).name for f in files) + " \u2014 planner")
        else:
            self.setWindowTitle("planner")

    # -------------------------------------------------------------- help
    def show_glossary(self) -> None:
        """Help > Glossary: every term the KPI tiles and chart titles use."""
        box = QMessageBox(QMessageBox.Icon.NoIcon, tr("Glossary"), glossary_html(), QMessageBox.StandardButton.Close, self)
        box.setObjectName("glossary")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.exec()
        box.deleteLater()

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
        if index < self.panels.count():
            self.panels.setCurrentIndex(index)
            self.panels.currentWidget().setFocus(Qt.FocusReason.ShortcutFocusReason)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._defer_panels:
            self._defer_panels = False
            # after the first paint, so the import does not compete with it for the GIL
            QTimer.singleShot(50, self._start_warmup)

    def _start_warmup(self) -> None:
        self._warmup.submit(_warm_model)

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

