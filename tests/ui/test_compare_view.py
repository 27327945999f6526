"""The compare view: 2-4 scenarios, KPI table with differences to the baseline, overlaid charts in their colours."""

from __future__ import annotations

from dataclasses import replace

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QColor

from planner.scenario.collection import BASELINE_ID, PALETTE
from planner.scenario.document import Scenario
from planner.ui.scenario_colours import readable


def _settled(qtbot, view) -> None:
    qtbot.waitUntil(lambda: not view.is_busy() and bool(view.rows), timeout=60_000)


def _compare(qtbot, window):
    ws = window.workspace
    ws.change(replace(ws.scenario, brand_share=0.5), "Brand share")
    ws.change_scenarios(ws.scenarios.add(Scenario(name="Brand push", brand_share=0.65)), "Add")
    view = window.scenario_actions.show_compare()
    qtbot.addWidget(view)
    _settled(qtbot, view)
    return view


def test_table_shows_each_scenario_against_its_baseline(qtbot, window) -> None:
    view = _compare(qtbot, window)
    ws = window.workspace
    assert [r.name for r in view.rows] == ["Baseline", "Scenario", "Brand push"]
    headers = [view.table.horizontalHeaderItem(c).text() for c in range(view.table.columnCount())]
    assert headers == ["Baseline", "Scenario", "\u0394 baseline", "Brand push", "\u0394 baseline"]
    labels = [view.table.verticalHeaderItem(r).text() for r in range(view.table.rowCount())]
    assert "Break-even month" in labels and "Contribution after marketing" in labels
    push = view.rows[2]
    diff = push.kpis.contribution - push.baseline.contribution
    assert view.cell_text("contribution", push.id, difference=True).startswith("+" if diff > 0 else "\u2212")
    with pytest.raises(ValueError):  # the baseline has no difference column
        view.cell_text("contribution", BASELINE_ID, difference=True)
    assert view.cell_text("breakeven_month", push.id, difference=True) == ""
    from planner.model.session import ModelSession

    expected = ModelSession(ws.budget, ws.deals).compare(ws.scenarios.by_name("Brand push").scenario, ws.paths, ws.seed)[1]
    assert push.kpis.contribution == expected.contribution  # the CLI's road, same seed and paths


def test_charts_overlay_every_scenario_in_its_colour(qtbot, window) -> None:
    view = _compare(qtbot, window)
    base = view.revenue.plot.palette().color(view.revenue.plot.backgroundRole())
    for chart in (view.revenue, view.pipeline, view.arr):
        pens = {item.opts["pen"].color().name().upper() for item in chart.plot.getPlotItem().listDataItems()
                if isinstance(item, pg.PlotDataItem) and item.opts["pen"] is not None
                and item.opts["pen"].style() != 0}
        for colour in (PALETTE[0], PALETTE[1]):
            assert readable(colour, QColor("#ffffff")).name().upper() in pens or \
                readable(colour, base).name().upper() in pens
    assert len(view.volatility.plot.getPlotItem().getAxis("left")._tickLevels[0]) == 3


def test_choice_is_two_to_four_and_follows_edits(qtbot, window) -> None:
    view = _compare(qtbot, window)
    ws = window.workspace
    for name in ("A", "B"):
        ws.change_scenarios(ws.scenarios.add(Scenario(name=name, brand_share=0.2), select=False), "Add")
    qtbot.waitUntil(lambda: len(view.chips) == 5)
    view.chips[3].setChecked(True)
    assert len(view.chosen) == 4
    view.chips[4].setChecked(True)
    assert len(view.chosen) == 4 and not view.chips[4].isChecked() and "At most 4" in view.hint.text()
    view.choose([BASELINE_ID, view.chosen[1]])
    view.chips[0].setChecked(False)
    assert len(view.chosen) == 2 and view.chips[0].isChecked()
    _settled(qtbot, view)
    assert len(view.rows) == 2 and view.table.columnCount() == 3
    ws.change(replace(ws.scenario, months=12), "Horizon")
    _settled(qtbot, view)
    assert any(len(r.labels) == 12 for r in view.rows)
