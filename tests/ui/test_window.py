"""The real main window, offscreen: slider, undo, horizon, staleness, keyboard, files."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QWidget,
)

from planner.ui.controls import HORIZONS
from planner.ui.format import DASH


def _settle(qtbot, window) -> None:
    ws = window.workspace
    qtbot.waitUntil(
        lambda: ws.is_settled and not ws.is_busy and window.charts.shown is ws.results,
        timeout=60_000,
    )


def _chart_arrays(window) -> dict[str, np.ndarray]:
    c = window.charts
    items = {
        "rev_mean": c.rev_mean, "rev_p10": c.rev_p10, "rev_p90": c.rev_p90, "rev_base": c.rev_base,
        "mql": c.mql, "intent": c.pipe_intent, "demand": c.pipe_demand, "qual": c.pipe_qual,
        "margin": c.margin_line, "contrib": c.contrib,
    }  # fmt: skip
    return {k: np.array(v.getData()[1], copy=True) for k, v in items.items()}


def _move_slider(qtbot, window, percent: int) -> None:
    window.controls.slider.setValue(percent)
    _settle(qtbot, window)


def test_window_shows_results_for_loaded_data(window) -> None:
    ws = window.workspace
    assert ws.results is not None and ws.results.scenario == ws.scenario
    arrays = _chart_arrays(window)
    assert len(arrays["rev_mean"]) == ws.scenario.months == 36
    assert np.all(arrays["rev_p90"] >= arrays["rev_p10"])
    assert arrays["rev_mean"].sum() > 0
    # the slider shows the budget's own split (30 % brand in the generated budget)
    assert window.controls.slider.value() == 30
    assert window.controls.spin.value() == pytest.approx(30.0)
    kpis = window.controls.kpis.values()
    assert set(kpis) == {"revenue_mean", "contribution", "gross_margin_pct", "cac_payback_months", "win_rate", "revenue_cv_monthly"}
    assert all(text and text != "\u2013" for text in kpis.values()), kpis
    assert "\u20ac" in kpis["revenue_mean"]


def test_more_brand_means_fewer_mqls_and_steadier_revenue(qtbot, window) -> None:
    _move_slider(qtbot, window, 10)
    low = _chart_arrays(window)
    low_cv = window.charts.shown.scenario_kpis.revenue_cv_monthly
    assert window.charts.shown.scenario.brand_share == pytest.approx(0.10)
    _move_slider(qtbot, window, 70)
    high = _chart_arrays(window)
    high_cv = window.charts.shown.scenario_kpis.revenue_cv_monthly
    assert window.charts.shown.scenario.brand_share == pytest.approx(0.70)
    assert high["mql"].sum() < low["mql"].sum()
    assert high_cv < low_cv
    # the spin box followed the slider (document -> widget binding)
    assert window.controls.spin.value() == pytest.approx(70.0)


def test_spin_box_drives_the_document(qtbot, window) -> None:
    window.controls.spin.setValue(55.0)
    _settle(qtbot, window)
    assert window.workspace.scenario.brand_share == pytest.approx(0.55)
    assert window.controls.slider.value() == 55


def test_undo_restores_exactly(qtbot, window) -> None:
    ws = window.workspace
    before_scenario = ws.scenario
    before = _chart_arrays(window)
    before_text = window.controls.kpis.values()
    _move_slider(qtbot, window, 80)
    assert not np.array_equal(_chart_arrays(window)["mql"], before["mql"])
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    _settle(qtbot, window)
    assert ws.scenario == before_scenario
    after = _chart_arrays(window)
    for key in before:
        np.testing.assert_array_equal(after[key], before[key], err_msg=key)
    assert window.controls.kpis.values() == before_text
    assert window.controls.slider.value() == 30
    window.redo_action.trigger()
    _settle(qtbot, window)
    assert ws.scenario.brand_share == pytest.approx(0.80)
    assert window.controls.slider.value() == 80


def test_undo_shortcuts_are_standard(window) -> None:
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert window.redo_action.shortcut().toString() == "Ctrl+Shift+Z"


def test_slider_drag_is_one_undo_step(qtbot, window) -> None:
    ws = window.workspace
    slider = window.controls.slider
    depth = ws.history.index
    slider.setSliderDown(True)
    for value in range(31, 46):
        slider.setValue(value)
    slider.setSliderDown(False)
    _settle(qtbot, window)
    assert ws.scenario.brand_share == pytest.approx(0.45)
    assert ws.history.index == depth + 1
    ws.undo()
    assert ws.scenario.brand_share is None


def test_horizon_change_redraws_with_new_length(qtbot, window) -> None:
    ws = window.workspace
    for months in HORIZONS:
        button = window.controls.horizon_buttons[months]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        _settle(qtbot, window)
        assert ws.scenario.months == months
        assert len(_chart_arrays(window)["rev_mean"]) == months
        assert len(window.charts.shown.baseline_kpis.monthly["revenue_mean"]) == months
    ws.undo()
    _settle(qtbot, window)
    assert ws.scenario.months == 24
    assert window.controls.horizon_buttons[24].isChecked()


def test_total_budget_change(qtbot, window) -> None:
    ws = window.workspace
    before = ws.effective_budget.total
    window.controls.total.setValue(20.0)
    _settle(qtbot, window)
    assert ws.scenario.total_scale == pytest.approx(1.2)
    assert ws.effective_budget.total == pytest.approx(before * 1.2)


def test_a_stale_result_is_never_shown_as_current(qtbot, window) -> None:
    ws = window.workspace
    shown: list[bool] = []
    ws.resultsReady.connect(lambda: shown.append(ws.results.scenario == ws.scenario))
    for value in (12, 64, 33, 90, 5, 47, 71):
        window.controls.slider.setValue(value)
        QApplication.processEvents()
    _settle(qtbot, window)
    assert shown and all(shown)
    assert ws.results.scenario.brand_share == pytest.approx(0.71)
    assert window.charts.shown.scenario.brand_share == pytest.approx(0.71)


def _dimmed(window) -> bool:
    from planner.ui.theme import is_dimmed

    charts = window.charts
    cards = [is_dimmed(card) for card in charts.cards]
    assert len(set(cards)) == 1, cards  # all charts or none
    assert charts.stale_label.isVisible() == cards[0]
    assert window.controls.kpis.is_dimmed() == cards[0]
    return cards[0]


def test_opening_new_files_clears_the_previous_files_charts(qtbot, window, small_data) -> None:
    ws, charts = window.workspace, window.charts
    old = charts.shown
    assert old is not None and len(charts.rev_mean.getData()[0]) > 0
    ws.load(*small_data, files=("other.xlsx", "other.csv"))
    # at once, before any result for the new files: nothing from the old files is drawn
    assert charts.shown is None and not charts.is_current
    for item in (charts.rev_mean, charts.rev_base, charts.mql, charts.pipe_qual, charts.margin_line, charts.contrib):
        x, _y = item.getData()
        assert x is None or len(x) == 0
    assert window.controls.kpis.values()["revenue_mean"] == DASH
    _settle(qtbot, window)
    assert charts.shown is ws.results and charts.shown is not old and charts.is_current
    assert len(charts.rev_mean.getData()[0]) == ws.scenario.months and not _dimmed(window)


def test_a_failed_compute_dims_the_previous_figures(qtbot, window, monkeypatch) -> None:
    from dataclasses import replace

    ws = window.workspace
    strip = window.controls.kpis
    previous = ws.results
    engine = ws.session

    def broken(*args, **kwargs):
        raise FloatingPointError("model bug")

    monkeypatch.setattr(engine, "simulate", broken)
    with qtbot.waitSignal(ws.errorRaised, timeout=60_000):
        ws.change(replace(ws.scenario, brand_share=0.62), "test")
    assert ws.results is previous and ws.is_stale and not window.charts.is_current
    assert _dimmed(window)
    assert "could not be computed" in window.charts.stale_label.text()
    assert strip.caption.text().startswith("Not current")
    monkeypatch.undo()
    ws.change(replace(ws.scenario, brand_share=0.63), "test")
    _settle(qtbot, window)
    assert not ws.is_stale and window.charts.is_current and not _dimmed(window)
    assert not strip.caption.text().startswith("Not current")


def test_a_slow_compute_dims_the_previous_figures_after_the_grace(qtbot, window, monkeypatch) -> None:
    import threading
    from dataclasses import replace

    ws = window.workspace
    engine = ws.session
    original = engine.simulate
    release = threading.Event()

    def slow(*args, **kwargs):
        release.wait(30)
        return original(*args, **kwargs)

    monkeypatch.setattr(engine, "simulate", slow)
    try:
        ws.change(replace(ws.scenario, brand_share=0.58), "test")
        assert not _dimmed(window)  # a coarse result normally comes within milliseconds: no flicker
        qtbot.waitUntil(lambda: ws.is_stale, timeout=5_000)
        assert _dimmed(window) and "recomputing" in window.charts.stale_label.text()
    finally:
        release.set()
    _settle(qtbot, window)
    assert not _dimmed(window) and window.charts.is_current


def _focus_chain(window) -> list[QWidget]:
    """Widgets visited by pressing Tab from the first control until it wraps."""
    start = window.controls.slider
    start.setFocus(Qt.FocusReason.TabFocusReason)
    seen: list[QWidget] = []
    widget = start
    for _ in range(400):
        seen.append(widget)
        widget = widget.nextInFocusChain()
        while widget is not None and not (
            widget.isVisible() and widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            widget = widget.nextInFocusChain()
        if widget is start or widget is None:
            break
    return seen


@pytest.mark.parametrize(
    "panel",
    [
        "budget",
        "sources",
        "assumptions",
        "bestSplit",
    ],
)
def test_every_control_is_reachable_by_keyboard_with_name_and_tooltip(qtbot, window, panel) -> None:
    window.show_panel(window.panel_index[panel])
    chain = _focus_chain(window)
    controls = window.controls
    expected = [controls.slider, controls.spin, controls.total, *controls.horizon_buttons.values()]
    for widget in expected:
        assert widget in chain, widget.objectName()
    assert window.panels.currentWidget().isAncestorOf(chain[-1]) or window.panels.tabBar() in chain
    for widget in chain:
        # a spin box's line edit is its focus proxy: the name is on the spin box
        named = widget.parentWidget() if isinstance(widget.parentWidget(), QAbstractSpinBox) else widget
        assert named.accessibleName(), (type(named).__name__, named.objectName())
        assert named.toolTip(), (type(named).__name__, named.objectName())


def test_tab_order_follows_reading_order(window) -> None:
    controls = window.controls
    chain = _focus_chain(window)
    positions = [chain.index(w) for w in (controls.slider, controls.total, controls.horizon_buttons[6], controls.horizon_buttons[36])]
    assert positions == sorted(positions)


def test_keyboard_moves_the_slider(qtbot, window) -> None:
    slider = window.controls.slider
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_Right)
    _settle(qtbot, window)
    assert window.workspace.scenario.brand_share == pytest.approx(0.31)
    qtbot.keyClick(slider, Qt.Key.Key_PageUp)
    _settle(qtbot, window)
    assert window.workspace.scenario.brand_share == pytest.approx(0.36)


def test_charts_have_titles_units_and_legends(window) -> None:
    for card in window.charts.cards:
        assert card.title.text()
        assert card.legend.text()
        left = card.plot.getPlotItem().getAxis("left").labelText
        bottom = card.plot.getPlotItem().getAxis("bottom").labelText
        assert bottom, card.objectName()
        if card is not window.charts.volatility:
            assert left, card.objectName()
    assert "EUR" in window.charts.revenue.plot.getPlotItem().getAxis("left").labelText or "\u20ac" in (
        window.charts.revenue.plot.getPlotItem().getAxis("left").labelText
    )
    assert "activity" in window.charts.mqls.title.text().lower()
    # screen readers get the figure each chart is about
    for card in window.charts.cards:
        assert "baseline" in card.plot.accessibleDescription().lower(), card.objectName()
    assert "\u20ac" in window.charts.revenue.accessibleDescription()


def test_error_goes_to_status_bar(window) -> None:
    window.workspace.errorRaised.emit("crm.csv: no amount column")
    assert "no amount column" in window.findChild(QWidget, "statusError").text()


def test_a_notice_replaces_the_error_style(window) -> None:
    label = window.findChild(QWidget, "statusError")
    window.workspace.errorRaised.emit("crm.csv: no amount column")
    assert label.styleSheet()
    window.workspace.noticeRaised.emit("Budget read; now open a CRM export to start.")
    assert label.text().startswith("Budget read") and label.styleSheet() == ""
