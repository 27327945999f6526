"""Workshop mode (F11, View > Workshop): the plan on a projector.

Full screen, large type, and only what a room needs: the brand-share slider,
the horizon, three charts (revenue, the cumulative contribution against the
plan, pipeline) and one line the presenter can read out. It is another view
of the same Workspace: every key is a `workspace.change(...)`, so the main
window, undo and autosave follow, and leaving the mode leaves the scenario
as the room left it.

Keys: Left/Right brand share -/+5 points, Up/Down horizon, Page Up/Down or
1-9 switch scenario, R reset to baseline, Ctrl+Z undo, Esc or F11 leave.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from planner.i18n import tr
from planner.scenario.collection import BASELINE_ID
from planner.scenario.edits import baseline_of
from planner.ui.format import format_money, format_number
from planner.ui.scenario_bar import display_name, swatch
from planner.ui.scenario_colours import readable
from planner.ui.scenario_plots import Plotted, card, draw_fans, draw_lines
from planner.ui.workspace import Workspace

HORIZONS: tuple[int, ...] = (6, 12, 24, 36)
SHARE_STEP = 0.05
FONT_SCALE = 1.6  # large type: readable from the back of a meeting room


def takeaway(share: float, contribution_gain: float | None, months: int, breakeven: float | None,
             currency: str | None, *, is_baseline: bool = False) -> str:
    """The presenter's one line, from the KPIs: what this split does to contribution, and when it pays."""
    pct = format_number(share * 100, 0)
    if is_baseline or contribution_gain is None:
        return tr("{pct} % brand: the plan as budgeted, over {months} months").format(pct=pct, months=months)
    gain = format_money(contribution_gain, currency, sign=True)
    text = tr("{pct} % brand: {gain} contribution over {months} months").format(pct=pct, gain=gain, months=months)
    if breakeven is not None and math.isfinite(breakeven):
        return text + tr(", breaks even in month {m}").format(m=int(breakeven))
    if contribution_gain < 0:
        return text + tr(", does not break even within the horizon")
    return text


class Workshop(QWidget):
    """The full-screen presentation of the workspace's current scenario."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("workshop")
        self.setWindowTitle(tr("Workshop") + " \u2014 planner")
        self.workspace = workspace
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * FONT_SCALE)
        self.setFont(font)

        self.scenario_label = QLabel()
        self.scenario_label.setObjectName("workshopScenario")
        big = QFont(font)
        big.setPointSizeF(font.pointSizeF() * 1.25)
        big.setBold(True)
        self.scenario_label.setFont(big)
        self.keys = QLabel(tr("\u2190 \u2192 brand share \u00b7 \u2191 \u2193 horizon \u00b7 PgUp PgDn scenario \u00b7 R reset to baseline \u00b7 Esc leave"))
        self.keys.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        small = QFont(font)
        small.setPointSizeF(font.pointSizeF() * 0.6)
        self.keys.setFont(small)
        head = QHBoxLayout()
        head.addWidget(self.scenario_label)
        head.addStretch(1)
        head.addWidget(self.keys)

        self.share_label = QLabel()
        self.share_label.setObjectName("workshopShare")
        self.share_label.setFont(big)
        self.share_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("100 % brand") + 40)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("workshopSlider")
        self.slider.setRange(0, 100)
        self.slider.setPageStep(5)
        self.slider.setAccessibleName(tr("Brand share of the marketing budget"))
        self.slider.setMinimumHeight(40)
        self.slider.valueChanged.connect(self._slider_moved)
        self.slider.sliderReleased.connect(self.workspace.end_gesture)
        self.horizon_group = QButtonGroup(self)
        self.horizon_group.setExclusive(True)
        controls = QHBoxLayout()
        controls.addWidget(self.share_label)
        controls.addWidget(self.slider, 1)
        controls.addSpacing(24)
        for months in HORIZONS:
            button = QPushButton(tr("{n} mo").format(n=months))
            button.setObjectName(f"workshopHorizon{months}")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAccessibleName(tr("Horizon {n} months").format(n=months))
            button.setStyleSheet(f"QPushButton {{ padding: 4px 14px; font-size: {font.pointSizeF():.1f}pt; }} "
                                 "QPushButton:checked { background: palette(highlight); color: palette(highlighted-text); }")
            self.horizon_group.addButton(button, months)
            controls.addWidget(button)
        self.horizon_group.idClicked.connect(self.set_horizon)

        self.revenue = card("wsRevenue", tr("Revenue per month"), "")
        self.gain = card("wsGain", tr("Contribution gain vs plan"), tr("Cumulative; above the dashed line the split has paid back"))
        self.pipeline = card("wsPipeline", tr("Pipeline, cumulative"), tr("Pipeline created since the start"))
        charts = QHBoxLayout()
        charts.setSpacing(10)
        ticks = QFont(font)
        ticks.setPointSizeF(font.pointSizeF() * 0.75)
        for chart in (self.revenue, self.gain, self.pipeline):
            chart.title.setFont(big)
            chart.title.setWordWrap(True)
            for side in ("left", "bottom"):
                chart.plot.getPlotItem().getAxis(side).setStyle(tickFont=ticks)
            charts.addWidget(chart, 1)

        self.takeaway = QLabel()
        self.takeaway.setObjectName("workshopTakeaway")
        self.takeaway.setFont(big)
        self.takeaway.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.takeaway.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(12)
        layout.addLayout(head)
        layout.addLayout(controls)
        layout.addLayout(charts, 1)
        layout.addWidget(self.takeaway)

        self._keys()
        workspace.scenarioChanged.connect(self.sync)
        workspace.resultsReady.connect(self.redraw)
        workspace.dataLoaded.connect(self.sync)
        self.sync()
        self.redraw()

    def _keys(self) -> None:
        """The presenter's keys, handled by the window itself (no widget inside takes focus)."""
        key = Qt.Key
        plain: dict[Qt.Key, Callable[..., object]] = {
            key.Key_Left: lambda: self.step_share(-1), key.Key_Right: lambda: self.step_share(+1),
            key.Key_Up: lambda: self.step_horizon(+1), key.Key_Down: lambda: self.step_horizon(-1),
            key.Key_PageUp: lambda: self.step_scenario(-1), key.Key_PageDown: lambda: self.step_scenario(+1),
            key.Key_R: self.reset_to_baseline, key.Key_Escape: self.close, key.Key_F11: self.close,
        }
        for n in range(1, 10):
            plain[getattr(key, f"Key_{n}")] = lambda n=n: self.select_number(n)
        self._plain = plain
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the arrows belong to the presenter's keys
        for sequence, slot in ((QKeySequence.StandardKey.Undo, self.workspace.undo),
                               (QKeySequence.StandardKey.Redo, self.workspace.redo)):
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.activated.connect(slot)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods == Qt.KeyboardModifier.ControlModifier and event.key() == Qt.Key.Key_Z:
            self.workspace.undo()
            return
        action = self._plain.get(Qt.Key(event.key())) if mods == Qt.KeyboardModifier.NoModifier else None
        if action is None:
            super().keyPressEvent(event)
            return
        action()

    # ------------------------------------------------------------- intent
    def current_share(self) -> float:
        """The brand share on screen: the scenario's, else the budget's own split."""
        share = self.workspace.scenario.brand_share
        if share is None:
            budget = self.workspace.effective_budget
            share = budget.brand_share if budget is not None else 0.0
        return float(share)

    def set_share(self, share: float, *, merge: bool = False) -> None:
        ws = self.workspace
        share = min(1.0, max(0.0, round(share, 4)))
        ws.change(replace(ws.scenario, brand_share=share), tr("Brand share"), merge=merge)

    def step_share(self, steps: int) -> None:
        """To the next 5-point mark in that direction: from 46 %, right is 50 % and left 45 %."""
        grid = self.current_share() / SHARE_STEP
        mark = math.floor(grid + 1e-6) + 1 if steps > 0 else math.ceil(grid - 1e-6) - 1
        self.set_share((mark + (steps - (1 if steps > 0 else -1))) * SHARE_STEP)

    def set_horizon(self, months: int) -> None:
        ws = self.workspace
        ws.change(replace(ws.scenario, months=int(months)), tr("Horizon"))

    def step_horizon(self, steps: int) -> None:
        months = self.workspace.scenario.months
        at = min(range(len(HORIZONS)), key=lambda i: abs(HORIZONS[i] - months))
        self.set_horizon(HORIZONS[min(max(at + steps, 0), len(HORIZONS) - 1)])

    def step_scenario(self, steps: int) -> None:
        scenarios = self.workspace.scenarios
        at = scenarios.ids.index(scenarios.current)
        target = scenarios.ids[(at + steps) % len(scenarios)]
        self.workspace.change_scenarios(scenarios.select(target), tr("Switch scenario"))

    def select_number(self, n: int) -> None:
        scenarios = self.workspace.scenarios
        if n <= len(scenarios):
            self.workspace.change_scenarios(scenarios.select(scenarios.ids[n - 1]), tr("Switch scenario"))

    def reset_to_baseline(self) -> None:
        """The current scenario back to the plan as budgeted (its horizon and assumptions kept); one undo step."""
        ws = self.workspace
        plan = replace(baseline_of(ws.scenario), name=ws.scenario.name)
        ws.change(plan, tr("Reset to baseline"))

    def _slider_moved(self, value: int) -> None:
        if not self._syncing:
            self.set_share(value / 100.0, merge=True)

    # ------------------------------------------------------------- view
    _syncing = False

    def sync(self, _change: object = None) -> None:
        ws = self.workspace
        entry = ws.scenarios.active
        self.scenario_label.setToolTip(tr("Scenario {n} of {total}").format(
            n=ws.scenarios.ids.index(entry.id) + 1, total=len(ws.scenarios)))
        self.setWindowIcon(swatch(entry.colour, 32))
        dot = readable(entry.colour, self.palette().color(QPalette.ColorRole.Window)).name()
        self.scenario_label.setText(f'<span style="color:{dot}">\u25cf</span>&nbsp;{display_name(entry.name)}')
        share = self.current_share() if ws.has_data() else 0.0
        self._syncing = True
        self.slider.setValue(round(share * 100))
        self._syncing = False
        self.share_label.setText(tr("{pct} % brand").format(pct=format_number(share * 100, 0)))
        button = self.horizon_group.button(ws.scenario.months)
        if button is not None:
            button.setChecked(True)

    def redraw(self) -> None:
        ws = self.workspace
        results = ws.results
        if results is None:
            self.takeaway.setText(tr("Computing\u2026") if ws.has_data() else tr("Open a budget and a CRM export"))
            return
        entry = ws.scenarios.active
        base_entry = ws.scenarios.baseline
        scenario = Plotted(entry.id, entry.name, entry.colour, results.scenario_kpis, results.baseline_kpis, results.labels)
        baseline = Plotted(BASELINE_ID, base_entry.name, base_entry.colour, results.baseline_kpis,
                           results.baseline_kpis, results.labels)
        pair = (baseline, scenario) if entry.id != BASELINE_ID else (scenario,)
        draw_fans(self.revenue, pair, width=4)
        draw_lines(self.pipeline, pair, "pipeline_created", width=4, baseline_dashed=True, cumulative=True)
        self._draw_gain(scenario)
        self.takeaway.setText(self.takeaway_text())

    def _draw_gain(self, row: Plotted) -> None:
        gain = row.kpis.monthly.get("contribution_gain_cumulative")
        if gain is None:
            gain = np.cumsum(np.asarray(row.kpis.monthly["contribution"]) - np.asarray(row.baseline.monthly["contribution"]))
        draw_lines(self.gain, (replace(row, kpis=_Monthly({"gain": np.asarray(gain, dtype=float)})),), "gain", width=4)
        zero = pg.InfiniteLine(pos=0.0, angle=0, pen=pg.mkPen(self.palette().color(QPalette.ColorRole.Text), width=1,
                                                               style=Qt.PenStyle.DashLine))
        self.gain.plot.getPlotItem().addItem(zero)

    def takeaway_text(self) -> str:
        ws = self.workspace
        results = ws.results
        if results is None:
            return ""
        k, b = results.scenario_kpis, results.baseline_kpis
        gain = float(k.contribution) - float(b.contribution)
        breakeven = getattr(k, "breakeven_month", math.nan)
        return takeaway(self.current_share(), gain, len(results.labels) or ws.scenario.months,
                        None if breakeven is None else float(breakeven), ws.currency,
                        is_baseline=ws.scenarios.current == BASELINE_ID or ws.scenario == baseline_of(ws.scenario))

    def present(self, *, full_screen: bool = True) -> None:
        """Show the mode: full screen on a real display; at its set size offscreen (screenshots)."""
        from PySide6.QtGui import QGuiApplication

        if full_screen and QGuiApplication.platformName() != "offscreen":
            self.showFullScreen()
        else:
            self.show()
        self.setFocus(Qt.FocusReason.OtherFocusReason)


class _Monthly:
    """Just enough of a Kpis for `draw_lines`: one named monthly series."""

    def __init__(self, monthly: dict[str, np.ndarray]) -> None:
        self.monthly = monthly


__all__ = ["HORIZONS", "SHARE_STEP", "Workshop", "takeaway"]
