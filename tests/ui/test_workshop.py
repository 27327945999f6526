"""Workshop mode on the demo (no file of the user's): keys, reset, takeaway, and nothing clipped at 1366x768."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from planner.scenario.collection import BASELINE_ID
from planner.scenario.document import Scenario
from planner.ui.workshop import takeaway


@pytest.fixture
def demo_window(qtbot):
    from planner.resources import demo_paths
    from planner.ui.app import load_files_now
    from planner.ui.main_window import MainWindow
    from planner.ui.workspace import Workspace

    win = MainWindow(Workspace(paths=400, coarse_paths=None, fine_delay_ms=10))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    load_files_now(win.workspace, list(demo_paths()))
    yield win
    win.workspace.shutdown()
    win.best_split.shutdown()


def _settled(qtbot, ws) -> None:
    qtbot.waitUntil(lambda: ws.is_settled and not ws.is_busy, timeout=60_000)


def _workshop(qtbot, win):
    shop = win.scenario_actions.show_workshop(full_screen=False)
    shop.resize(1366, 768)
    qtbot.waitExposed(shop)
    return shop


def test_keys_move_share_horizon_and_scenario(qtbot, demo_window) -> None:
    ws = demo_window.workspace
    ws.change(replace(ws.scenario, brand_share=0.46), "Brand share")
    shop = _workshop(qtbot, demo_window)
    qtbot.keyClick(shop, Qt.Key.Key_Right)
    assert ws.scenario.brand_share == pytest.approx(0.50)
    qtbot.keyClick(shop, Qt.Key.Key_Left)
    qtbot.keyClick(shop, Qt.Key.Key_Left)
    assert ws.scenario.brand_share == pytest.approx(0.40)
    assert shop.slider.value() == 40 and shop.share_label.text() == "40 % brand"
    qtbot.keyClick(shop, Qt.Key.Key_Down)
    assert ws.scenario.months == 24 and shop.horizon_group.checkedId() == 24
    qtbot.keyClick(shop, Qt.Key.Key_Up)
    qtbot.keyClick(shop, Qt.Key.Key_Up)
    assert ws.scenario.months == 36
    ws.change_scenarios(ws.scenarios.add(Scenario(name="Brand push", brand_share=0.6), select=False), "Add")
    qtbot.keyClick(shop, Qt.Key.Key_PageDown)
    assert ws.scenario.name == "Brand push" and "Brand push" in shop.scenario_label.text()
    qtbot.keyClick(shop, Qt.Key.Key_1)
    assert ws.scenarios.current == BASELINE_ID
    qtbot.keyClick(shop, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ws.scenario.name == "Brand push"


def test_reset_to_baseline_is_one_undo_step(qtbot, demo_window) -> None:
    ws = demo_window.workspace
    ws.change(replace(ws.scenario, brand_share=0.6, total_scale=1.1, months=12), "Edits")
    shop = _workshop(qtbot, demo_window)
    qtbot.keyClick(shop, Qt.Key.Key_R)
    assert ws.scenario.brand_share is None and ws.scenario.total_scale == 1.0 and ws.scenario.months == 12
    ws.undo()
    assert ws.scenario.brand_share == 0.6


def test_takeaway_is_computed_from_the_kpis(qtbot, demo_window) -> None:
    ws = demo_window.workspace
    ws.change(replace(ws.scenario, brand_share=0.46), "Brand share")
    _settled(qtbot, ws)
    shop = _workshop(qtbot, demo_window)
    k, b = ws.results.scenario_kpis, ws.results.baseline_kpis
    expected = takeaway(0.46, k.contribution - b.contribution, 36, k.breakeven_month, ws.currency)
    assert shop.takeaway.text() == expected
    assert expected.startswith("46 % brand: ") and "contribution over 36 months" in expected
    if math.isfinite(k.breakeven_month):
        assert f"breaks even in month {int(k.breakeven_month)}" in expected
    assert takeaway(0.3, -1e6, 12, math.nan, "NOK").endswith("does not break even within the horizon")


def test_nothing_is_clipped_at_1366x768(qtbot, demo_window) -> None:
    ws = demo_window.workspace
    _settled(qtbot, ws)
    shop = _workshop(qtbot, demo_window)
    qtbot.wait(50)
    for label in (shop.takeaway, shop.share_label, shop.scenario_label, shop.revenue.title, shop.gain.title,
                  shop.pipeline.title):
        assert label.isVisible() and label.height() >= label.heightForWidth(label.width()) - 1 if label.wordWrap() \
            else label.width() >= label.sizeHint().width(), label.objectName()
    for chart in (shop.revenue, shop.gain, shop.pipeline):
        assert chart.plot.height() >= 250 and chart.plot.getPlotItem().listDataItems()
    assert shop.geometry().contains(shop.takeaway.geometry())
