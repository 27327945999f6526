"""'How well does this model know your business?': the back-test, its verdict, what the history taught.

Meridian's model-health card is the anchor: a plain verdict first, then the
evidence behind it. The back-test chart shows, for each past cutoff, what
the model forecast for the next 12 months of new-business bookings (with
its P10-P90 band), what last year's run rate would have said, and what
actually happened. Below it: what the spend history and any lift tests
changed in the assumptions (prior -> posterior), or that the priors stand.

The work (`model.evidence.gather`: history fit, back-test, tornado) runs on
the worker; the fitted beliefs stay in the model session, so the next
results draw from them, and the Assumptions panel is told which assumptions
decide the split. Widgets only render; no maths here.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from planner.i18n import tr
from planner.ui.axes import fixed_scale
from planner.ui.concurrent import Done, Worker
from planner.ui.format import format_month_label, format_number, format_percent
from planner.ui.workspace import Workspace


def _verdict_text(word: str, model: float, naive: float, coverage: float, n: int) -> str:
    if word == "unknown":
        return tr("Not enough history for a back-test yet: the model's figures rest on the CRM's last year "
                  "and the assumptions' ranges.")
    headline = {
        "good": tr("The model knows your business well."),
        "rough": tr("The model knows your business roughly."),
        "weak": tr("The model does not forecast your history better than last year's run rate."),
    }[word]
    detail = tr("Forecasting each past year from the months before it, its error was {model} against {naive} "
                "for last year's run rate; the actual year fell inside the P10-P90 band in {covered} of {n} "
                "cutoffs.").format(model=format_percent(model, 0), naive=format_percent(naive, 0),
                                   covered=int(round(coverage * n)), n=n)
    return f"{headline} {detail}"


class ModelHealth(QWidget):
    """The model-health view: verdict, back-test chart, coverage, what the history taught."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, *, assumptions=None) -> None:
        super().__init__(parent)
        self.setObjectName("modelHealth")
        self._ws = workspace
        self._assumptions = assumptions  # the Assumptions panel, told which assumptions decide
        self._lift: tuple = ()
        self.evidence = None
        self.title = QLabel(tr("How well does this model know your business?"))
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.verdict = QLabel()
        self.verdict.setObjectName("healthVerdict")
        self.verdict.setWordWrap(True)
        self.taught = QLabel()
        self.taught.setObjectName("healthTaught")
        self.taught.setWordWrap(True)
        self.taught.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.lift_button = QPushButton(tr("Open lift tests\u2026"))
        self.lift_button.setObjectName("healthLiftButton")
        self.lift_button.setToolTip(tr("A JSON or CSV file of measured lifts (metric, lift, sd), e.g. a brand "
                                       "holdout that raised inbound opportunities by 12 % +- 5 %"))
        self.lift_button.clicked.connect(self._choose_lift_file)
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("healthChart")
        self.plot.setAccessibleName(tr("Back-test: forecast, run rate and actual bookings at each cutoff"))
        self.plot.setMinimumHeight(200)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.setLabel("left", tr("Bookings, next 12 months (millions)"))
        fixed_scale(self.plot.getAxis("left"))  # the label already says millions
        self.plot.setBackground(self.palette().color(QPalette.ColorRole.Base))
        text_pen = pg.mkPen(self.palette().color(QPalette.ColorRole.Text))
        for side in ("left", "bottom"):
            self.plot.getAxis(side).setPen(text_pen)
            self.plot.getAxis(side).setTextPen(text_pen)
        # pyqtgraph's default legend grey reads 2.9:1 on white: the palette's text colour instead
        self.plot.addLegend(offset=(-10, 5), labelTextColor=self.palette().color(QPalette.ColorRole.Text))
        self.band_low = pg.PlotDataItem(pen=pg.mkPen((120, 150, 200), width=1))
        self.band_high = pg.PlotDataItem(pen=pg.mkPen((120, 150, 200), width=1))
        self.band = pg.FillBetweenItem(self.band_low, self.band_high, brush=pg.mkBrush(120, 150, 200, 70))
        self.forecast = self.plot.plot(name=tr("Model forecast"), pen=pg.mkPen((40, 90, 170), width=2.5))
        self.naive = self.plot.plot(name=tr("Last year's run rate"),
                                    pen=pg.mkPen((150, 150, 150), width=2, style=Qt.PenStyle.DashLine))
        self.actual = self.plot.plot(name=tr("Actual"), pen=None, symbol="o", symbolSize=7,
                                     symbolBrush=(200, 80, 40))
        for item in (self.band_low, self.band_high, self.band):
            self.plot.addItem(item)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.lift_button, 0)
        # the panel area can be short: the content scrolls rather than overlap (chart, then what it taught)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 6, 0)
        inner.addWidget(self.verdict)
        inner.addWidget(self.plot, 1)
        inner.addWidget(self.taught)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("healthScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.scroll_area, 1)
        self._worker = Worker(self)
        self._worker.finished.connect(self._on_done)
        self._stale = True  # gathered lazily, when the view is shown: no background work nobody looks at
        workspace.dataLoaded.connect(self._data_changed)
        self._show_idle()

    # ------------------------------------------------------------- intent
    def _show_idle(self) -> None:
        if not self._ws.has_data():
            self.verdict.setText(tr("Open a budget and a CRM export to see how well the model knows them."))
            self.taught.clear()

    def _data_changed(self) -> None:
        self._stale = True
        self._show_idle()
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def shutdown(self) -> None:
        """Cancel and wait: call before the application quits."""
        self._worker.cancel()
        self._worker.wait(30_000)

    def refresh(self) -> None:
        """Gather the evidence for the open files on the worker (nothing when no files are open)."""
        if not self._ws.has_data():
            self._show_idle()
            return
        self._stale = False
        self.verdict.setText(tr("Testing the model on your history\u2026"))
        factory, scenario, seed, lift = self._ws.session_factory(), self._ws.scenario, self._ws.seed, self._lift

        def task(progress, cancel):
            from planner.model.evidence import gather

            return gather(factory(), scenario, lift_tests=lift, seed=seed)

        self._worker.submit(task)

    def load_lift_file(self, path: str) -> None:
        """Read a lift file and gather again with it (a bad file is one line in the window's status bar)."""
        from planner.errors import InputError
        from planner.model.history import read_lift_file

        try:
            self._lift = read_lift_file(path)
        except InputError as exc:
            self._ws.errorRaised.emit(str(exc))
            return
        self.refresh()

    def _choose_lift_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open lift tests"), "", tr("Lift tests (*.json *.csv)"))
        if path:
            self.load_lift_file(path)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        return self._worker.wait(timeout_ms)

    # ------------------------------------------------------------- rendering
    def _on_done(self, done: Done) -> None:
        if not done.ok:
            if done.error is not None:
                self.verdict.setText(tr("The back-test failed: {error}").format(error=str(done.error)))
            return
        self.show_evidence(done.value)
        if done.value.fit.updated:
            self._ws.recompute()  # the next results draw from the fitted beliefs

    def show_evidence(self, evidence) -> None:
        self.evidence = evidence
        bt = evidence.backtest
        self.verdict.setText(_verdict_text(evidence.verdict(), bt.model_mape, bt.naive_mape, bt.coverage,
                                           len(bt.cutoffs)))
        x = np.arange(len(bt.cutoffs), dtype=np.float64)
        for item, values in ((self.band_low, [c.p10 for c in bt.cutoffs]), (self.band_high, [c.p90 for c in bt.cutoffs]),
                             (self.forecast, [sum(c.forecast) for c in bt.cutoffs]),
                             (self.naive, [c.naive for c in bt.cutoffs]), (self.actual, [c.actual for c in bt.cutoffs])):
            item.setData(x, np.asarray(values, dtype=np.float64) / 1e6)
        axis = self.plot.getAxis("bottom")
        # "May 25" in the user's language, as on every other chart (the cutoff is "2025-05")
        axis.setTicks([[(float(i), format_month_label(c.cutoff)) for i, c in enumerate(bt.cutoffs)]])
        self.taught.setText(self._taught_text(evidence))
        if self._assumptions is not None:
            self._assumptions.show_evidence(evidence)

    def _taught_text(self, evidence) -> str:
        fit = evidence.fit
        if not fit.updated:
            return tr("What the history taught: nothing yet. The budget holds no months of actual spend before "
                      "the CRM's last date, so every assumption keeps its prior range; add past months of spend "
                      "or open lift tests to learn from them.")
        lines = [tr("What the history taught ({note}):").format(note=fit.note)]
        for key, post in fit.posteriors.items():
            prior = fit.priors[key].quantiles()
            q = post.quantiles()
            if math.isclose(prior["p50"], q["p50"], rel_tol=0.05) and math.isclose(
                    prior["p90"] - prior["p10"], q["p90"] - q["p10"], rel_tol=0.1):
                continue
            lines.append(tr("{key}: {p10} to {p90} (was {q10} to {q90})").format(
                key=key, p10=format_number(q["p10"], 3), p90=format_number(q["p90"], 3),
                q10=format_number(prior["p10"], 3), q90=format_number(prior["p90"], 3)))
        return "\n".join(lines)
