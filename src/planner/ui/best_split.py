"""The "best split" view: the optimiser's curve across brand shares.

`planner.model.optimize.optimize` sweeps the brand share and is far too slow
for the UI thread (21 simulations), so it runs in a worker with a progress
bar and a Cancel button (the Orange3 pattern: a pure function with
`progress` and `cancel` callbacks; the CLI's `planner optimize` calls the same
function). The curve shows contribution across shares with the current
choice and the best ones marked, plus revenue volatility, so the room sees
that the best split is interior and depends on the horizon.

The sweep is recomputed when anything but the brand share changes (the
horizon, assumptions, the data); moving the slider only moves the marker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from planner.i18n import tr
from planner.scenario.document import Scenario
from planner.scenario.edits import sweep_key
from planner.scenario.workspace import Change
from planner.ui.axes import MoneyAxis, PercentAxis, ShareAxis
from planner.ui.chart_card import ChartCard
from planner.ui.concurrent import Done, Worker
from planner.ui.format import currency_label, format_money, format_percent, format_share
from planner.ui.theme import Theme
from planner.ui.workspace import Workspace

if TYPE_CHECKING:  # imported by the worker: scipy must not delay the window
    from planner.model.optimize import Sweep
    from planner.model.session import ModelSession


class BestSplit(QWidget):
    """Optimiser curve with the current and best brand shares marked."""

    sweepFinished = Signal()  # a fresh sweep is on screen

    def __init__(
        self, workspace: Workspace, parent: QWidget | None = None, *, paths: int = 2_000
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bestSplit")
        self._ws = workspace
        self._paths = paths
        self._worker = Worker(self)
        self._sweep: Sweep | None = None
        self._sweep_for: tuple[int, Scenario] | None = None
        self._pending_key: tuple[int, Scenario] | None = None
        self._worker.progressed.connect(self._on_progress)
        self._worker.finished.connect(self._on_done)
        self._running = False
        self._marker_behind = False  # the split changed while hidden: move the marker when shown
        self._auto = QTimer(self)
        self._auto.setSingleShot(True)
        self._auto.setInterval(800)
        self._auto.timeout.connect(self._auto_run)

        self.summary = QLabel(tr("The optimiser has not run yet."))
        self.summary.setObjectName("bestSplitSummary")
        self.summary.setWordWrap(True)
        self.run_button = QPushButton(tr("Find best split"))
        self.run_button.setObjectName("bestSplitRun")
        self.run_button.setToolTip(tr("Simulate every brand share from 0 % to 100 % for this horizon"))
        self.run_button.setAccessibleName(tr("Find best split"))
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setObjectName("bestSplitCancel")
        self.cancel_button.setToolTip(tr("Stop the optimiser"))
        self.cancel_button.setAccessibleName(tr("Cancel the optimiser"))
        self.cancel_button.setEnabled(False)
        self.use_button = QPushButton(tr("Use best split"))
        self.use_button.setObjectName("bestSplitUse")
        self.use_button.setToolTip(tr("Set the brand share to the split with the highest contribution"))
        self.use_button.setAccessibleName(tr("Use best split"))
        self.use_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setObjectName("bestSplitProgress")
        self.progress.setRange(0, 100)
        self.progress.setAccessibleName(tr("Optimiser progress"))
        self.progress.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        self.contribution = ChartCard(
            "sweepContribution",
            tr("Contribution by brand share"),
            tr("Mean contribution after marketing over the horizon, for every split of the same total budget."),
            MoneyAxis("left"), ShareAxis("bottom"),
        )  # fmt: skip
        self.volatility = ChartCard(
            "sweepVolatility",
            tr("Revenue volatility by brand share"),
            tr("Month-to-month variation of revenue (coefficient of variation): lower is steadier."),
            PercentAxis("left"), ShareAxis("bottom"),
        )  # fmt: skip

        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.use_button)
        charts = QHBoxLayout()
        charts.addWidget(self.contribution, 3)
        charts.addWidget(self.volatility, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addLayout(charts, 1)

        self._make_items()
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.use_button.clicked.connect(self.use_best)
        workspace.scenarioChanged.connect(self._on_scenario)
        workspace.dataLoaded.connect(self._on_data)

    # ----------------------------------------------------------- drawing
    def _make_items(self) -> None:
        """Create the curves and marker lines once; colours come from `_apply_theme`."""
        for card in (self.contribution, self.volatility):
            card.plot.getPlotItem().setXRange(0, 1, padding=0.02)
            card.plot.getPlotItem().setLabel("bottom", tr("Brand share of spend"))
        self.contribution.plot.getPlotItem().setLabel("left", tr("Contribution"))
        self.volatility.plot.getPlotItem().setLabel("left", tr("Revenue CV"))
        self.curve = self.contribution.plot.plot([], [], symbol="o", symbolSize=5)
        self.cv_curve = self.volatility.plot.plot([], [], symbol="o", symbolSize=5)
        self.current_lines: list[pg.InfiniteLine] = []
        self.best_lines: list[pg.InfiniteLine] = []
        self.risk_lines: list[pg.InfiniteLine] = []
        for card in (self.contribution, self.volatility):
            lines = [pg.InfiniteLine(angle=90, movable=False) for _ in range(3)]
            for line in lines:
                line.setVisible(False)
                card.plot.addItem(line)
            self.current_lines.append(lines[0])
            self.best_lines.append(lines[1])
            self.risk_lines.append(lines[2])
        self._theme: Theme | None = None
        self._apply_theme()
        self._mark_current()

    @property
    def theme(self) -> Theme | None:
        """The colours the sweep is drawn in (they follow the palette)."""
        return self._theme

    def _apply_theme(self) -> None:
        theme = Theme.from_palette(self.palette())
        if theme == self._theme:
            return
        self._theme = theme
        for card in (self.contribution, self.volatility):
            card.style_axes(theme)
        self.curve.setPen(pg.mkPen(theme.scenario, width=2.5))
        self.curve.setSymbolBrush(theme.scenario)
        self.curve.setSymbolPen(theme.scenario)
        self.cv_curve.setPen(pg.mkPen(theme.activity, width=2.5))
        self.cv_curve.setSymbolBrush(theme.activity)
        self.cv_curve.setSymbolPen(theme.activity)
        dashed = Qt.PenStyle.DashLine
        for line in self.current_lines:
            line.setPen(pg.mkPen(theme.foreground, width=2))
        for line in self.best_lines:
            line.setPen(pg.mkPen(theme.positive, width=2))
        for line in self.risk_lines:
            line.setPen(pg.mkPen(theme.positive, width=2, style=dashed))
        legend = [
            (tr("Your split"), theme.foreground, "solid"),
            (tr("Best contribution"), theme.positive, "solid"),
            (tr("Best risk-adjusted"), theme.positive, "dashed"),
        ]
        self.contribution.set_legend([(tr("Contribution"), theme.scenario, "solid"), *legend])
        self.volatility.set_legend([(tr("Revenue CV"), QColor(theme.activity), "solid"), *legend[:2]])

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Follow the palette when the system switches between light and dark."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "curve"):
            self._apply_theme()

    def _mark_current(self) -> None:
        self._marker_behind = False
        budget = self._ws.effective_budget
        for line in self.current_lines:
            line.setVisible(budget is not None)
            if budget is not None:
                line.setValue(budget.brand_share)

    def _draw(self, sweep: Sweep) -> None:
        self._sweep = sweep
        shares = np.asarray(sweep.shares, dtype=float)
        contribution = np.asarray(sweep.contribution, dtype=float)
        cv = np.asarray(sweep.revenue_cv_monthly, dtype=float)
        self.curve.setData(shares, contribution)
        self.cv_curve.setData(shares, cv)
        # Honest axes: a window of at least 20 % of the best contribution (and
        # 5 pp of CV), so a 2 % spread at 6 months is not drawn as a canyon.
        best_value = float(np.nanmax(contribution))
        worst_value = float(np.nanmin(contribution))
        floor = min(worst_value, best_value - 0.2 * abs(best_value))
        top = best_value + 0.04 * abs(best_value)
        self.contribution.plot.getPlotItem().setYRange(floor - 0.04 * (top - floor), top, padding=0)
        cv_lo, cv_hi = float(np.nanmin(cv)), float(np.nanmax(cv))
        if cv_hi - cv_lo < 0.05:
            middle = (cv_hi + cv_lo) / 2
            cv_lo, cv_hi = middle - 0.025, middle + 0.025
        self.volatility.plot.getPlotItem().setYRange(max(0.0, cv_lo), cv_hi, padding=0.05)
        for line in self.best_lines:
            line.setValue(sweep.best_share_contribution)
            line.setVisible(True)
        for line in self.risk_lines:
            line.setValue(sweep.best_share_risk_adjusted)
            line.setVisible(True)
        cur = currency_label(self._ws.currency)
        self.contribution.plot.getPlotItem().setLabel("left", cur or tr("Contribution"))
        self._mark_current()
        months = sweep.months  # what it was computed for, even if the horizon moved since
        best = int(np.argmin(np.abs(shares - sweep.best_share_contribution)))
        self.summary.setText(
            tr(
                "Over {months} months the highest contribution comes at {best} brand "
                "({value}); weighing the downside (P10) as well, {risk} brand."
            ).format(
                months=months,
                best=format_share(sweep.best_share_contribution),
                value=format_money(float(sweep.contribution[best]), self._ws.currency),
                risk=format_share(sweep.best_share_risk_adjusted),
            )
            + " "
            + tr("Across all splits contribution varies by {spread} ({share} of the best).").format(
                spread=format_money(best_value - worst_value, self._ws.currency),
                share=format_percent((best_value - worst_value) / abs(best_value) if best_value else float("nan"), 1),
            )
            + self._by_horizon_text(sweep)
        )
        self._update_use()

    def _update_use(self) -> None:
        """"Use best split" only while the sweep on screen answers the current plan."""
        self.use_button.setEnabled(self._sweep is not None and self.is_current())

    @staticmethod
    def _by_horizon_text(sweep: Sweep) -> str:
        """" Best by horizon: 6 mo 20 %, 12 mo 35 % …" — brand pays back slowly."""
        pairs = list(zip(sweep.horizons, sweep.best_share_by_horizon, strict=False))
        if len(pairs) < 2:
            return ""
        parts = ", ".join(
            tr("{n} mo").format(n=months) + "\u00a0" + format_share(share) for months, share in pairs
        )
        return " " + tr("Best split by horizon: {parts}.").format(parts=parts)

    # ----------------------------------------------------------- running
    @property
    def sweep(self) -> Sweep | None:
        return self._sweep

    def is_running(self) -> bool:
        return self._running

    def run(self) -> None:
        """Start a sweep for the current scenario (cancelling a running one)."""
        if not self._ws.has_data():
            return
        self.cancel()
        scenario = self._ws.scenario
        self._pending_key = (self._ws.state.data_version, sweep_key(scenario))
        self._running = True
        self.progress.setValue(0)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.summary.setText(tr("Simulating every brand share for {months} months\u2026").format(months=scenario.months))
        self._worker.submit(partial(sweep, self._ws.session_factory(), scenario, self._paths, self._ws.seed))

    def cancel(self) -> None:
        if self._running:
            self._worker.cancel()
            self._running = False
            self.run_button.setEnabled(True)
            self.cancel_button.setEnabled(False)
            self.progress.setValue(0)
            self.summary.setText(tr("Cancelled. Press \u201cFind best split\u201d to run again."))

    def shutdown(self) -> None:
        """Cancel and wait: call before the application quits."""
        self._auto.stop()
        self.cancel()
        self._worker.wait(30_000)

    def _on_progress(self, _generation: int, fraction: float, _text: str) -> None:
        self.progress.setValue(int(round(fraction * 100)))

    def _on_done(self, done: Done) -> None:
        self._running = False
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if done.error is not None:
            self.progress.setValue(0)
            self.summary.setText(tr("The optimiser failed: {error}").format(error=" ".join(str(done.error).split())))
            self._ws.errorRaised.emit(self.summary.text())
            return
        self.progress.setValue(100)
        self._sweep_for = self._pending_key
        self._draw(done.value)  # enables "Use" only if still current
        self.sweepFinished.emit()

    def use_best(self) -> None:
        """Set the brand share to the best one, if the sweep on screen answers the current plan."""
        if self._sweep is not None and self.is_current():
            share = float(self._sweep.best_share_contribution)
            self._ws.change(replace(self._ws.scenario, brand_share=share), tr("Use best split"))

    def is_current(self) -> bool:
        """True when the sweep on screen was made for the current data and horizon."""
        return self._sweep_for == (self._ws.state.data_version, sweep_key(self._ws.scenario))

    def _on_scenario(self, change: Change) -> None:
        if change.spend:  # the marker is the effective budget's brand share
            if self.isVisible():
                self._mark_current()
            else:  # behind another tab: moved when shown, not on every move of a drag
                self._marker_behind = True
        self._update_use()
        if self._sweep is not None and not self.is_current():
            self.summary.setText(tr("The plan changed since the last run; updating\u2026"))
            self._auto.start()

    def _on_data(self) -> None:
        self.cancel()
        self._mark_current()
        self._update_use()
        self._auto.start()

    def _auto_run(self) -> None:
        if self._ws.has_data() and not self.is_current() and self.isVisible():
            self.run()

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt override)
        if self._marker_behind:
            self._mark_current()
        super().showEvent(event)  # type: ignore[arg-type]
        if self._ws.has_data() and not self.is_current() and not self._running:
            self._auto.start()


def sweep(
    session: Callable[[], ModelSession], scenario: Scenario, paths: int, seed: int,
    progress: Callable[[float], None], cancel: Callable[[], bool],
) -> Sweep:
    """Worker body: the optimiser over the open files' model session; no widgets touched."""
    from planner.model.optimize import optimize

    return optimize(session(), scenario, paths=paths, seed=seed, progress=progress, cancel=cancel)
