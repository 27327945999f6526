"""The scenario bar: chips in the scenarios' colours; duplicate, rename, delete, reorder as undo steps."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from planner.scenario.collection import BASELINE_COLOUR, BASELINE_ID, PALETTE
from planner.ui.scenario_colours import contrast, readable


def test_chips_show_every_scenario_in_its_colour_and_switch(qtbot, window) -> None:
    bar, ws = window.scenario_bar, window.workspace
    assert [c.text() for c in bar.chips] == ["Baseline", "Scenario"]
    assert [c.property("entryColour") for c in bar.chips] == [BASELINE_COLOUR, PALETTE[0]]
    assert bar.chips[1].isChecked() and bar.rename_action.isEnabled() and bar.delete_action.isEnabled()
    image = bar.chips[1].icon().pixmap(12, 12).toImage()
    assert image.pixelColor(6, 6).name().upper() == PALETTE[0]
    qtbot.mouseClick(bar.chips[0], Qt.MouseButton.LeftButton)
    assert ws.scenarios.current == BASELINE_ID and bar.chips[0].isChecked()
    assert not bar.delete_action.isEnabled() and not bar.rename_action.isEnabled()
    theme = window.charts.theme
    assert theme.scenario == readable(BASELINE_COLOUR, theme.background)
    qtbot.mouseClick(bar.chips[1], Qt.MouseButton.LeftButton)
    orange = window.charts.theme.scenario
    assert orange == readable(PALETTE[0], theme.background) and contrast(orange, theme.background) >= 3.0
    assert abs(orange.hueF() - QColor(PALETTE[0]).hueF()) < 0.02  # still the scenario's orange


def test_readable_keeps_dark_enough_colours_and_lightens_on_dark() -> None:
    white, black = QColor("#ffffff"), QColor("#1a1c20")
    assert readable("#0072B2", white) == QColor("#0072B2")
    assert contrast(readable("#F0E442", white), white) >= 3.0
    assert contrast(readable("#0072B2", black), black) >= 3.0


def test_duplicate_rename_move_delete_and_undo(qtbot, window) -> None:
    bar, ws = window.scenario_bar, window.workspace
    ws.change(replace(ws.scenario, brand_share=0.5), "Brand share")
    bar.duplicate_action.trigger()
    assert [c.text() for c in bar.chips] == ["Baseline", "Scenario", "Scenario (copy)"]
    assert ws.scenario.brand_share == 0.5 and bar.chips[2].isChecked()
    assert bar.chips[2].property("entryColour") == PALETTE[1]
    assert bar.rename("Brand push") is None
    assert "already" in bar.rename("scenario")
    assert bar.chips[2].text() == "Brand push"
    bar.left_action.trigger()
    assert [c.text() for c in bar.chips] == ["Baseline", "Brand push", "Scenario"]
    assert not bar.left_action.isEnabled() and bar.right_action.isEnabled()
    bar.delete_action.trigger()
    assert [c.text() for c in bar.chips] == ["Baseline", "Scenario"]
    ws.undo()
    assert [c.text() for c in bar.chips] == ["Baseline", "Brand push", "Scenario"]
    assert ws.scenario.name == "Brand push"
