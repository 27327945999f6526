"""The list of scenarios above the charts: one chip per scenario in its colour; duplicate, rename, delete, reorder.

A toolbar, so it takes one row whatever the window's layout does, and the
View menu can hide it. Every button is one `workspace.change_scenarios(...)`
call, so each is an undo step like a slider move. The chip colour is the
entry's colour from the ScenarioSet, the same one the compare view, the
workshop and the exports draw that scenario in; the main charts' scenario
line is tinted with it too (`tint_charts`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QInputDialog,
    QMainWindow,
    QToolBar,
    QToolButton,
    QWidget,
)

from planner.i18n import tr
from planner.scenario.collection import BASELINE_ID, BASELINE_NAME, ScenarioSet
from planner.scenario.document import Scenario
from planner.scenario.workspace import Change

if TYPE_CHECKING:
    from planner.ui.workspace import Workspace

MainWindow = QMainWindow  # planner.ui.main_window.MainWindow: not imported, it installs this module


def swatch(colour: str, size: int = 12) -> QIcon:
    """A filled circle in the scenario's colour."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


# The name a scenario gets when nobody named it (stored in English, like the Baseline's).
DEFAULT_SCENARIO_NAME: str = Scenario().name


def display_name(name: str) -> str:
    """The Baseline's and the unnamed scenario's names in the UI language (stored names stay English)."""
    if name == BASELINE_NAME:
        return tr("Baseline")
    if name == DEFAULT_SCENARIO_NAME:
        return tr("Scenario")
    return name


class ScenarioBar(QToolBar):
    """Chips for Baseline and every named scenario; the checked one is on screen."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(tr("Scenarios"), parent)
        self.setObjectName("scenarioBar")
        self.setMovable(False)
        self.workspace = workspace
        self._chips_host = QWidget()
        self._chips = QHBoxLayout(self._chips_host)
        self._chips.setContentsMargins(0, 0, 0, 0)
        self._chips.setSpacing(4)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.addWidget(self._chips_host)
        self.addSeparator()
        self.duplicate_action = self._action(self.duplicate, "Ctrl+Shift+D")
        self.rename_action = self._action(self.rename_dialog, "F2")
        self.delete_action = self._action(self.delete, None)
        self.left_action = self._action(lambda: self.move_current(-1), None)
        self.right_action = self._action(lambda: self.move_current(+1), None)
        self.chips: list[QToolButton] = []
        self.retranslate()
        workspace.scenarioChanged.connect(self.refresh)
        workspace.dataLoaded.connect(self.refresh)
        self.refresh()

    def retranslate(self) -> None:
        """Texts in the current UI language; a live switch calls this (the bar is not rebuilt)."""
        self.setWindowTitle(tr("Scenarios"))
        texts = {
            self.duplicate_action: (tr("Duplicate"), tr("A copy of this scenario to change")),
            self.rename_action: (tr("Rename\u2026"), tr("Give this scenario another name")),
            self.delete_action: (tr("Delete"), tr("Remove this scenario (undo brings it back)")),
            self.left_action: ("\u25c0", tr("Move this scenario left")),
            self.right_action: ("\u25b6", tr("Move this scenario right")),
        }
        for action, (text, tip) in texts.items():
            action.setText(text)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            button = self.widgetForAction(action)
            if button is not None:
                button.setAccessibleName(tip)
        if self.chips:
            self._rebuild(self.workspace.scenarios)  # chip names ("Baseline") and tips
            self.refresh()

    def _action(self, slot: object, shortcut: str | None) -> QAction:
        """An action on the bar; its text and tip come from `retranslate`."""
        action = self.addAction("")
        action.triggered.connect(lambda _=False: slot())  # type: ignore[operator]
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        return action

    # ------------------------------------------------------------- view
    def refresh(self, change: object = None) -> None:
        if isinstance(change, Change) and not (change.scenarios or change.data):
            return  # an edit inside the current scenario (a slider move): the chips stay as they are
        scenarios = self.workspace.scenarios
        names = [(e.id, e.name, e.colour) for e in scenarios]
        if [(c.property("entryId"), c.property("entryName"), c.property("entryColour")) for c in self.chips] != names:
            self._rebuild(scenarios)
        for chip in self.chips:
            chip.setChecked(chip.property("entryId") == scenarios.current)
        on_baseline = scenarios.current == BASELINE_ID
        ids = scenarios.ids
        at = ids.index(scenarios.current)
        self.rename_action.setEnabled(not on_baseline)
        self.delete_action.setEnabled(not on_baseline)
        self.left_action.setEnabled(at > 1)
        self.right_action.setEnabled(not on_baseline and at < len(ids) - 1)
        self.duplicate_action.setEnabled(self.workspace.has_data())
        tint_charts(self.parent(), scenarios.active.colour)

    def _rebuild(self, scenarios: ScenarioSet) -> None:
        for chip in self.chips:
            self._group.removeButton(chip)
            chip.deleteLater()
        self.chips = []
        for entry in scenarios:
            chip = QToolButton()
            chip.setObjectName(f"scenarioChip_{entry.id}")
            chip.setText(display_name(entry.name))
            chip.setIcon(swatch(entry.colour))
            chip.setCheckable(True)
            chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            chip.setToolTip(tr("Show {name}").format(name=display_name(entry.name)))
            chip.setAccessibleName(tr("Scenario {name}").format(name=display_name(entry.name)))
            chip.setProperty("entryId", entry.id)
            chip.setProperty("entryName", entry.name)
            chip.setProperty("entryColour", entry.colour)
            chip.clicked.connect(lambda _=False, i=entry.id: self.select(i))
            self._group.addButton(chip)
            self._chips.addWidget(chip)
            self.chips.append(chip)

    # ------------------------------------------------------------- intent
    def select(self, entry_id: str) -> None:
        ws = self.workspace
        ws.change_scenarios(ws.scenarios.select(entry_id), tr("Switch scenario"))

    def duplicate(self) -> None:
        ws = self.workspace
        ws.change_scenarios(ws.scenarios.duplicate(ws.scenarios.current), tr("Duplicate scenario"))

    def rename(self, name: str) -> str | None:
        """Rename the current scenario; the reason as one line when the name cannot be used."""
        ws = self.workspace
        try:
            renamed = ws.scenarios.rename(ws.scenarios.current, name)
        except ValueError as exc:
            return str(exc)
        ws.change_scenarios(renamed, tr("Rename scenario"))
        return None

    def rename_dialog(self) -> None:
        current = self.workspace.scenarios.active
        if current.is_baseline:
            return
        name, ok = QInputDialog.getText(self, tr("Rename scenario"), tr("Name:"), text=current.name)
        if ok:
            problem = self.rename(name)
            if problem:
                self.workspace.errorRaised.emit(problem)

    def delete(self) -> None:
        ws = self.workspace
        if ws.scenarios.current != BASELINE_ID:
            ws.change_scenarios(ws.scenarios.delete(ws.scenarios.current), tr("Delete scenario"))

    def move_current(self, step: int) -> None:
        ws = self.workspace
        scenarios = ws.scenarios
        if scenarios.current == BASELINE_ID:
            return
        at = scenarios.ids.index(scenarios.current)
        ws.change_scenarios(scenarios.move(scenarios.current, at + step), tr("Move scenario"))


def tint_charts(window: object, colour: str) -> None:
    """Draw the main charts' scenario line in the current scenario's colour (`Charts.set_scenario_colour`)."""
    charts = getattr(window, "charts", None)
    if charts is not None:
        charts.set_scenario_colour(colour)


def install_scenario_bar(window: MainWindow) -> ScenarioBar:
    bar = ScenarioBar(window.workspace, window)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    window.menusBuilt.connect(bar.retranslate)  # a live language switch rebuilds the menus, not the bar
    return bar


__all__ = ["ScenarioBar", "display_name", "install_scenario_bar", "swatch", "tint_charts"]
