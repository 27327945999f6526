"""The model-health view in the real window: verdict, back-test chart, what the history taught, sensitivity."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QPalette

from planner.model.history import LiftTest
from planner.ui.format import format_month_label
from planner.ui.scenario_colours import contrast


def _open_health(qtbot, window):
    index = window.panels.indexOf(window.model_health)
    assert index >= 0 and window.panels.tabText(index) == "Model health"
    window.panels.setCurrentIndex(index)
    health = window.model_health
    qtbot.waitUntil(lambda: health.evidence is not None, timeout=60_000)
    return health


def test_too_short_a_history_says_so_and_the_priors_stand(qtbot, window):
    health = _open_health(qtbot, window)
    assert health.evidence.backtest.cutoffs == ()  # 23 months: a back-test needs 30
    assert "Not enough history" in health.verdict.text()
    assert "nothing yet" in health.taught.text()  # the budget is all plan: the priors stand, and it says so


def test_model_health_shows_a_verdict_and_the_back_test(qtbot, small_data):
    from tests.model.histories import make_history, month_labels

    from planner.ui.model_health import ModelHealth
    from planner.ui.workspace import Workspace

    labels = month_labels("2021-01", 40)
    deals = make_history(labels, 20.0 * 1.2 ** (np.arange(40) / 12), np.full(40, 30.0), seed=5)
    ws = Workspace(paths=1_000, coarse_paths=500, fine_delay_ms=30)
    ws.load(small_data[0], deals, files=("budget.xlsx", "crm.csv"))
    health = ModelHealth(ws)
    qtbot.addWidget(health)
    health.show()
    qtbot.waitUntil(lambda: health.evidence is not None, timeout=60_000)
    bt = health.evidence.backtest
    assert bt.cutoffs
    text = health.verdict.text()
    assert "P10-P90" in text and f"of {len(bt.cutoffs)} cutoffs" in text
    xs, ys = health.forecast.getData()
    assert len(xs) == len(bt.cutoffs) and np.allclose(ys * 1e6, [sum(c.forecast) for c in bt.cutoffs])
    assert np.allclose(health.actual.getData()[1] * 1e6, [c.actual for c in bt.cutoffs])
    # the window's formats: cutoffs as "May 25" like every chart axis, "19 %" like every figure
    ticks = health.plot.getAxis("bottom")._tickLevels[0]
    assert [label for _x, label in ticks] == [format_month_label(c.cutoff) for c in bt.cutoffs]
    assert "\u00a0%" in text
    legend = health.plot.getPlotItem().legend
    background = health.palette().color(QPalette.ColorRole.Base)
    label_colour = pg.mkColor(legend.opts["labelTextColor"] or pg.getConfigOption("foreground"))
    assert contrast(label_colour, background) >= 4.5  # WCAG text contrast
    health.shutdown()
    ws.shutdown()


def test_the_assumptions_panel_shows_what_decides_and_the_ranges(qtbot, window):
    _open_health(qtbot, window)
    panel = window.assumptions
    assert not panel.decides.isHidden()
    lines = panel.decides.text().splitlines()
    assert len(lines) == 4 and "Settle it:" in lines[1]
    top = window.model_health.evidence.swings[0]
    assert top.label in lines[1]
    assert " to " in panel.rows["brand_half_life"].belief.text()


def test_a_lift_test_updates_the_beliefs_the_session_draws_from(qtbot, window, tmp_path):
    health = _open_health(qtbot, window)
    lift = tmp_path / "lift.json"
    lift.write_text('[{"metric": "inbound_opportunities", "lift": 0.0, "sd": 0.02}]')
    health.load_lift_file(str(lift))
    qtbot.waitUntil(lambda: health.evidence.fit.lift_tests == (LiftTest("inbound_opportunities", 0.0, 0.02),),
                    timeout=60_000)
    assert "brand_volume_lift" in window.workspace.session.beliefs
    assert "learnt" in window.assumptions.rows["brand_volume_lift"].belief.text()
    bad = tmp_path / "bad.csv"
    bad.write_text("metric,lift,sd\nclicks,1,1\n")
    with qtbot.waitSignal(window.workspace.errorRaised, timeout=5_000) as blocker:
        health.load_lift_file(str(bad))
    assert "bad.csv" in blocker.args[0]
