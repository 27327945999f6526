"""The six live charts: revenue fan, MQLs, pipeline, margin, contribution, volatility.

Every chart keeps its plot items for the life of the window and gets
new numbers through `setData`: a slider drag must not rebuild scene graphs
(that is what makes pyqtgraph fast enough to redraw on every result). The
numbers come from `Kpis.monthly` and the KPI scalars as they are; this module
only chooses colours, ranges and labels.

MQLs sit right next to revenue, drawn in a muted colour and titled as an
*activity metric*: when more brand spend lowers MQLs while revenue rises, the
room sees the McNamara trap (optimising the number that is easy to count)
instead of reading the MQL drop as failure.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QGridLayout,
    QLabel,
    QWidget,
)

from planner.i18n import tr
from planner.ui.axes import CountAxis, MoneyAxis, MonthAxis, PercentAxis, month_labels
from planner.ui.chart_card import ChartCard
from planner.ui.format import (
    currency_label,
    format_compact,
    format_money,
    format_percent,
)
from planner.ui.glossary import glossary_tip
from planner.ui.scenario_colours import readable
from planner.ui.theme import Theme, set_dimmed, stale_text
from planner.ui.workspace import Results, Workspace


class Charts(QWidget):
    """All charts, bound to a Workspace; redraws once per `resultsReady`."""

    rendered = Signal()  # emitted after new data went into the plot items

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("charts")
        self._ws = workspace
        self._scenario_colour: str | None = None
        self._theme = Theme.from_palette(self.palette())
        self._shown: Results | None = None
        self._restyling = False
        self._smooth = True  # antialiased curves (off while a drag shows the coarse result)
        self._months_for: tuple[tuple[str, ...], int] | None = None  # month labels on the axes

        self.revenue = ChartCard(
            "revenue",
            tr("Revenue per month"),
            tr("Mean and the P10\u2013P90 range of simulated outcomes, against the baseline plan."),
            MoneyAxis("left"), MonthAxis("bottom"),
        )  # fmt: skip
        self.mqls = ChartCard(
            "mqls",
            tr("MQLs \u2014 activity metric"),
            tr("Counts leads, not revenue."),
            CountAxis("left"), MonthAxis("bottom"), show_subtitle=True,
        )  # fmt: skip
        self.pipeline = ChartCard(
            "pipeline",
            tr("Pipeline created by class"),
            tr("Intent (buyers who come by themselves) vs demand (campaign-pulled), and qualified pipeline: weighted by the chance to win."),
            MoneyAxis("left"), MonthAxis("bottom"),
        )  # fmt: skip
        self.margin = ChartCard(
            "margin",
            tr("Gross margin %"),
            tr("Brand lifts price realisation; discount-led demand lowers it."),
            PercentAxis("left"), MonthAxis("bottom"),
        )  # fmt: skip
        self.contribution = ChartCard(
            "contribution",
            tr("Contribution"),
            tr("Gross profit minus marketing spend, per month."),
            MoneyAxis("left"), MonthAxis("bottom"),
        )  # fmt: skip
        self.volatility = ChartCard(
            "volatility",
            tr("Revenue volatility"),
            tr("Month-to-month variation of revenue (CV), as in the KPI strip: a shorter bar is steadier."),
            pg.AxisItem("left"), PercentAxis("bottom"), show_subtitle=True,
        )  # fmt: skip
        self.cards = [self.revenue, self.mqls, self.volatility, self.pipeline, self.margin, self.contribution]
        terms = {
            self.revenue: ("p10_p90", "baseline"),
            self.mqls: ("mql",),
            self.volatility: ("cv", "pp"),
            self.pipeline: ("qualified", "intent"),
            self.margin: ("pp",),
            self.contribution: ("contribution",),
        }
        for card, keys in terms.items():
            card.title.setToolTip(glossary_tip(card.subtitle.text(), *keys))

        # Two rows of three: revenue, its activity metric and its risk on top;
        # what drives it (pipeline) and what it earns (margin, contribution) below.
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        for i, card in enumerate(self.cards):
            grid.addWidget(card, i // 3, i % 3)
        for col in range(3):
            grid.setColumnStretch(col, 1)
        for row in range(2):
            grid.setRowStretch(row, 1)

        # Said over the charts (not in the grid, so showing it moves nothing) when
        # they show another scenario's figures than the one on the controls.
        self.stale_label = QLabel(self)
        self.stale_label.setObjectName("chartsStale")
        self.stale_label.setWordWrap(True)
        self.stale_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stale_label.setAutoFillBackground(True)
        self.stale_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.stale_label.setContentsMargins(8, 4, 8, 4)
        self.stale_label.hide()

        self._make_items()
        self._apply_theme()
        self._update_units()
        workspace.resultsReady.connect(self._on_results)
        workspace.dataLoaded.connect(self._on_data_loaded)
        workspace.staleChanged.connect(self._on_stale)
        workspace.errorRaised.connect(self._on_error)
        if workspace.results is not None:
            self._on_results()
        self._on_stale(workspace.is_stale)

    # ------------------------------------------------------------- items
    def _make_items(self) -> None:
        """Create every plot item once; later updates only call setData/setOpts.

        The lines are bare `PlotCurveItem`s: a `PlotDataItem` wraps one in a
        second scene item and spends more Python per `setData` (data modes,
        downsampling, a scatter item) than the curve itself, for options these
        charts never use. The baseline lines stand still while the slider is
        dragged: they are kept as pixmaps, so a frame blits them instead of
        stroking their dashes again.
        """
        r = self.revenue.plot
        self.rev_p10 = _series(r)
        self.rev_p90 = _series(r)
        self.rev_band = pg.FillBetweenItem(self.rev_p10, self.rev_p90)
        r.addItem(self.rev_band)
        self.rev_base = _series(r, still=True)
        self.rev_mean = _series(r)

        m = self.mqls.plot
        self.mql_base = _series(m, still=True)
        self.mql = _series(m)

        p = self.pipeline.plot
        self.pipe_intent = _series(p)
        self.pipe_demand = _series(p)
        self.pipe_qual = _series(p)

        g = self.margin.plot
        self.margin_base = _series(g, still=True)
        self.margin_line = _series(g)

        c = self.contribution.plot
        self.contrib_zero = pg.InfiniteLine(pos=0, angle=0, movable=False)
        c.addItem(self.contrib_zero)
        self.contrib_base = _series(c, still=True)
        self.contrib = _series(c)

        v = self.volatility.plot
        self.vol_bars = pg.BarGraphItem(x0=[0, 0], y=[0, 1], height=0.5, width=[0, 0])
        v.addItem(self.vol_bars)
        axis = v.getPlotItem().getAxis("left")
        axis.setTicks([[(0.0, tr("Baseline")), (1.0, tr("Scenario"))], []])
        v.getPlotItem().setYRange(-0.6, 1.6, padding=0)

    @property
    def theme(self) -> Theme:
        """The colours the charts are drawn in (they follow the palette)."""
        return self._theme

    def set_scenario_colour(self, colour: str | None) -> None:
        """Draw the scenario in `colour` (made readable on the background); None: the palette's own.

        The choice survives a light/dark switch: the palette gives the rest of
        the theme, this gives the scenario line.
        """
        self._scenario_colour = colour
        theme = self._themed(Theme.from_palette(self.palette()))
        if theme != self._theme:
            self._theme = theme
            self._apply_theme()

    def _themed(self, theme: Theme) -> Theme:
        if self._scenario_colour is None:
            return theme
        return replace(theme, scenario=readable(self._scenario_colour, theme.background))

    def _apply_theme(self) -> None:
        t = self._theme
        self._restyling = True
        for card in self.cards:
            card.style_axes(t)
        band = QColor(t.scenario)
        band.setAlphaF(0.22)
        edge = QColor(t.scenario)
        edge.setAlphaF(0.45)
        self.rev_p10.setPen(pg.mkPen(edge, width=1))
        self.rev_p90.setPen(pg.mkPen(edge, width=1))
        self.rev_band.setBrush(pg.mkBrush(band))
        self.rev_mean.setPen(pg.mkPen(t.scenario, width=2.5))
        self.rev_base.setPen(pg.mkPen(t.baseline, width=2, style=Qt.PenStyle.DashLine))
        self.revenue.set_legend([
            (tr("Scenario mean"), t.scenario, "solid"),
            (tr("P10\u2013P90"), band, "band"),
            (tr("Baseline"), t.baseline, "dashed"),
        ])  # fmt: skip

        muted = QColor(t.activity)
        self.mql.setPen(pg.mkPen(muted, width=2))
        base_muted = QColor(t.activity)
        base_muted.setAlphaF(0.6)
        self.mql_base.setPen(pg.mkPen(base_muted, width=1.5, style=Qt.PenStyle.DashLine))
        self.mqls.set_legend([
            (tr("Scenario MQLs"), muted, "solid"),
            (tr("Baseline"), base_muted, "dashed"),
        ])  # fmt: skip

        self.pipe_intent.setPen(pg.mkPen(t.intent, width=2))
        self.pipe_demand.setPen(pg.mkPen(t.demand, width=2))
        # Qualified in the text colour, not the scenario's: a scenario coloured
        # orange or green would draw it in the demand or intent colour.
        self.pipe_qual.setPen(pg.mkPen(t.foreground, width=2.5))
        self.pipeline.set_legend([
            (tr("Intent"), t.intent, "solid"),
            (tr("Demand"), t.demand, "solid"),
            (tr("Qualified"), t.foreground, "solid"),
        ])  # fmt: skip

        self.margin_line.setPen(pg.mkPen(t.scenario, width=2.5))
        self.margin_base.setPen(pg.mkPen(t.baseline, width=2, style=Qt.PenStyle.DashLine))
        self.margin.set_legend([
            (tr("Scenario"), t.scenario, "solid"),
            (tr("Baseline"), t.baseline, "dashed"),
        ])  # fmt: skip

        zero = QColor(t.foreground)
        zero.setAlphaF(0.35)
        self.contrib_zero.setPen(pg.mkPen(zero, width=1))
        self.contrib.setPen(pg.mkPen(t.scenario, width=2.5))
        self.contrib_base.setPen(pg.mkPen(t.baseline, width=2, style=Qt.PenStyle.DashLine))
        self.contribution.set_legend([
            (tr("Scenario"), t.scenario, "solid"),
            (tr("Baseline"), t.baseline, "dashed"),
        ])  # fmt: skip

        bar_base = QColor(t.baseline)
        bar_base.setAlphaF(0.45)
        bar_scn = QColor(t.scenario)
        bar_scn.setAlphaF(0.55)
        self.vol_bars.setOpts(brushes=[pg.mkBrush(bar_base), pg.mkBrush(bar_scn)], pens=[pg.mkPen(t.baseline), pg.mkPen(t.scenario)])
        self._restyling = False
        self._set_volatility_legend()

    def _set_volatility_legend(self) -> None:
        t = self._theme
        self.volatility.set_legend([
            (tr("Scenario"), t.scenario, "band"),
            (tr("Baseline"), t.baseline, "band"),
        ])  # fmt: skip

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Follow the system palette when the user switches light/dark mode."""
        if event.type() == QEvent.Type.PaletteChange and not self._restyling:
            theme = self._themed(Theme.from_palette(self.palette()))
            if theme != self._theme:
                self._theme = theme
                self._apply_theme()
        super().changeEvent(event)

    # ----------------------------------------------------------- updates
    def _on_data_loaded(self) -> None:
        """New files: the previous files' figures go (the new ones follow with `resultsReady`)."""
        self._update_units()
        if self._ws.results is None:
            self.clear()
        self._on_stale(self._ws.is_stale)

    def clear(self) -> None:
        """Empty every chart (the items stay; only their data goes)."""
        self._shown = None
        for item in (
            self.rev_p10, self.rev_p90, self.rev_mean, self.rev_base, self.mql, self.mql_base,
            self.pipe_intent, self.pipe_demand, self.pipe_qual,
            self.margin_line, self.margin_base, self.contrib, self.contrib_base,
        ):  # fmt: skip
            item.setData([], [])
        self.vol_bars.setOpts(x0=[0, 0], width=[0, 0])
        self.volatility.subtitle.setText(
            tr("Month-to-month variation of revenue (CV), as in the KPI strip: a shorter bar is steadier.")
        )
        self.volatility.plot.setToolTip("")
        for card in self.cards:
            card.ranged.clear()
            card.setAccessibleDescription("")
            card.plot.setAccessibleDescription("")

    def _on_error(self, _message: str) -> None:
        self._on_stale(self._ws.is_stale)

    def _on_stale(self, stale: bool) -> None:
        """Dim the charts and say so while they show another scenario than the current one."""
        stale = stale and self._shown is not None
        for card in self.cards:
            set_dimmed(card, stale)
        if stale:
            self.stale_label.setText(stale_text(self._ws))
            self._place_stale_label()
            self.stale_label.show()
            self.stale_label.raise_()
        else:
            self.stale_label.hide()

    def _place_stale_label(self) -> None:
        width = min(self.width() - 20, 560)
        self.stale_label.setFixedWidth(max(120, width))
        self.stale_label.adjustSize()
        self.stale_label.move((self.width() - self.stale_label.width()) // 2, 8)

    def resizeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self.stale_label.isVisible():
            self._place_stale_label()

    @property
    def is_current(self) -> bool:
        """False when the charts are empty or show another scenario's figures (dimmed)."""
        return self._shown is not None and not self._ws.is_stale and self._shown.scenario == self._ws.scenario

    def _update_units(self) -> None:
        """Axis titles with the file's currency; only on new data (setLabel re-lays out axes)."""
        cur = currency_label(self._ws.currency)
        per_month = tr("{currency} / month").format(currency=cur) if cur else tr("per month")
        month = tr("Month")
        for card in (self.revenue, self.pipeline, self.contribution):
            card.plot.getPlotItem().setLabel("left", per_month)
            card.plot.getPlotItem().setLabel("bottom", month)
        self.mqls.plot.getPlotItem().setLabel("left", tr("MQLs / month"))
        self.mqls.plot.getPlotItem().setLabel("bottom", month)
        self.margin.plot.getPlotItem().setLabel("left", tr("Margin"))
        self.margin.plot.getPlotItem().setLabel("bottom", month)
        self.volatility.plot.getPlotItem().setLabel("bottom", tr("Revenue CV (monthly)"))

    def _on_results(self) -> None:
        results = self._ws.results
        if results is None or results is self._shown:
            return
        self.show_results(results)

    def show_results(self, results: Results) -> None:
        """Put one Results into the existing plot items (no items are created)."""
        self._shown = results
        # While the slider is dragged (the coarse result), curves are drawn without
        # antialiasing: painting is most of a frame, and the eye follows the motion,
        # not the edges. The settled result is drawn smooth again.
        self._set_smooth(results.paths >= self._ws.paths)
        s = results.scenario_kpis.monthly
        b = results.baseline_kpis.monthly
        n = len(s["revenue_mean"])
        x = np.arange(n, dtype=float)
        if self._months_for != (results.labels, n):  # the horizon or the files changed
            self._months_for = (results.labels, n)
            labels = month_labels(results.labels, n)
            for card in self.cards:
                if card is self.volatility:
                    continue
                axis = card.plot.getPlotItem().getAxis("bottom")
                assert isinstance(axis, MonthAxis)
                axis.set_months(labels)
                if card.months != n:
                    card.months = n
                    card.plot.getPlotItem().setXRange(-0.3, n - 0.7, padding=0)

        # The band follows its two edges: redrawn once, after both moved.
        with QSignalBlocker(self.rev_p10):
            p10_moved = _set_series(self.rev_p10, x, s["revenue_p10"])
        if not _set_series(self.rev_p90, x, s["revenue_p90"]) and p10_moved:
            self.rev_band.updatePath()
        _set_series(self.rev_mean, x, s["revenue_mean"])
        _set_series(self.rev_base, x, b["revenue_mean"])
        _fit_y(self.revenue, s["revenue_p10"], s["revenue_p90"], b["revenue_mean"])

        _set_series(self.mql, x, s["mqls"])
        _set_series(self.mql_base, x, b["mqls"])
        _fit_y(self.mqls, s["mqls"], b["mqls"])

        _set_series(self.pipe_intent, x, s["pipeline_intent"])
        _set_series(self.pipe_demand, x, s["pipeline_demand"])
        _set_series(self.pipe_qual, x, s["qualified_pipeline"])
        _fit_y(self.pipeline, s["pipeline_intent"], s["pipeline_demand"], s["qualified_pipeline"])

        _set_series(self.margin_line, x, s["gross_margin_pct"])
        _set_series(self.margin_base, x, b["gross_margin_pct"])
        # a 20 pp window at least: a 0.3 pp wiggle must not fill the chart like a swing
        _fit_y(self.margin, s["gross_margin_pct"], b["gross_margin_pct"], include_zero=False, min_span=0.20)

        _set_series(self.contrib, x, s["contribution"])
        _set_series(self.contrib_base, x, b["contribution"])
        _fit_y(self.contribution, s["contribution"], b["contribution"])

        # One measure, named as in the KPI strip: the CV of monthly revenue.
        sk, bk = results.scenario_kpis, results.baseline_kpis
        cvs = [bk.revenue_cv_monthly, sk.revenue_cv_monthly]
        self.vol_bars.setOpts(x0=[0.0, 0.0], width=cvs)
        _fit_x(self.volatility, [0.0, 0.0], cvs)
        self.volatility.subtitle.setText(
            tr("Revenue CV (month to month) {s}, baseline {b}: a shorter bar is steadier.").format(
                s=format_percent(sk.revenue_cv_monthly), b=format_percent(bk.revenue_cv_monthly)
            )
        )
        cur = self._ws.currency
        tip = tr("Horizon revenue P10\u2013P90: {lo} \u2013 {hi}; baseline: {blo} \u2013 {bhi}").format(
            lo=format_money(sk.revenue_p10, cur), hi=format_money(sk.revenue_p90, cur),
            blo=format_money(bk.revenue_p10, cur), bhi=format_money(bk.revenue_p90, cur),
        )  # fmt: skip
        if tip != self.volatility.plot.toolTip():
            self.volatility.plot.setToolTip(tip)
        self._describe(results)
        self.rendered.emit()

    def _describe(self, results: Results) -> None:
        """A sentence per chart for screen readers: the figure the chart is about."""
        sk, bk, cur = results.scenario_kpis, results.baseline_kpis, self._ws.currency
        months = results.scenario.months
        pairs = {
            self.revenue: tr("Revenue over {m} months: {s}, baseline {b}.").format(
                m=months, s=format_money(sk.revenue_mean, cur), b=format_money(bk.revenue_mean, cur)),
            self.mqls: tr("MQLs over {m} months: {s}, baseline {b}. An activity metric, not revenue.").format(
                m=months, s=format_compact(sk.mqls), b=format_compact(bk.mqls)),
            self.pipeline: tr("Qualified pipeline created: {s}, baseline {b}.").format(
                s=format_money(sk.qualified_pipeline, cur), b=format_money(bk.qualified_pipeline, cur)),
            self.margin: tr("Gross margin: {s}, baseline {b}.").format(
                s=format_percent(sk.gross_margin_pct), b=format_percent(bk.gross_margin_pct)),
            self.contribution: tr("Contribution after marketing: {s}, baseline {b}.").format(
                s=format_money(sk.contribution, cur), b=format_money(bk.contribution, cur)),
            self.volatility: tr("Revenue CV (month to month) {s}, baseline {b}: a shorter bar is steadier.").format(
                s=format_percent(sk.revenue_cv_monthly), b=format_percent(bk.revenue_cv_monthly)),
        }  # fmt: skip
        for card, text in pairs.items():
            card.setAccessibleDescription(text)
            card.plot.setAccessibleDescription(text)

    def _set_smooth(self, smooth: bool) -> None:
        if smooth == self._smooth:
            return
        self._smooth = smooth
        for card in self.cards:
            card.plot.setAntialiasing(smooth)
            for item in card.plot.getPlotItem().listDataItems():
                if isinstance(item, pg.PlotCurveItem):
                    item.opts["antialias"] = smooth
                    item.update()

    @property
    def shown(self) -> Results | None:
        """The Results currently drawn (tests and the latency benchmark read it)."""
        return self._shown


def _series(plot: pg.PlotWidget, *, still: bool = False) -> pg.PlotCurveItem:
    """One line of a chart; `still` (a baseline) is drawn from a pixmap until it or the axes change."""
    item = pg.PlotCurveItem(connect="finite")  # a gap at a missing value, as PlotDataItem drew it
    if still:
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    plot.addItem(item)
    return item


def _set_series(item: pg.PlotCurveItem, x: np.ndarray, y: np.ndarray) -> bool:
    """`setData` unless the item already shows these numbers; True when it changed.

    During a drag the baseline series stay the same result after result, and
    each `setData` costs pyqtgraph a path, a bounds update and a repaint.
    """
    old_x, old_y = item.getData()
    if old_y is not None and old_x is not None and np.array_equal(old_x, x) and np.array_equal(old_y, y):
        return False
    item.setData(x, y)
    return True


def _fit_y(
    card: ChartCard, *series: np.ndarray, include_zero: bool = True, min_span: float = 0.0
) -> None:
    """Fit the y range to the data, anchored at zero for amounts so lines read true.

    The range only changes when the data leaves it or shrinks to under 60 %
    of it: while the slider is dragged the axes stay put (the eye compares
    against a still frame, and pyqtgraph does not re-layout the tick labels
    on every frame, which is most of the cost of a redraw).
    """
    lo = min(float(np.nanmin(a)) for a in series if len(a))
    hi = max(float(np.nanmax(a)) for a in series if len(a))
    if include_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if not np.isfinite(lo) or not np.isfinite(hi):
        return
    if hi - lo < min_span:  # a 0.05 pp wiggle must not fill the chart like a swing
        mid = (hi + lo) / 2
        lo, hi = mid - min_span / 2, mid + min_span / 2
    _set_range(card, "y", lo, hi, anchored=include_zero and lo == 0)


def _set_range(card: ChartCard, axis: str, lo: float, hi: float, *, anchored: bool) -> None:
    view = card.plot.getPlotItem().getViewBox()
    (x0, x1), (y0, y1) = view.viewRange()
    cur_lo, cur_hi = (y0, y1) if axis == "y" else (x0, x1)
    span = hi - lo or max(abs(hi), 1.0)
    inside = cur_lo <= lo and hi <= cur_hi
    tight_enough = span >= 0.6 * (cur_hi - cur_lo)
    if card.ranged.get(axis) and inside and tight_enough:
        return
    pad = span * 0.08
    new_lo = lo if anchored else lo - pad
    if axis == "y":
        card.plot.getPlotItem().setYRange(new_lo, hi + pad, padding=0)
    else:
        card.plot.getPlotItem().setXRange(max(0.0, new_lo), hi + pad, padding=0)
    card.ranged[axis] = True


def _fit_x(card: ChartCard, lows: list[float], highs: list[float]) -> None:
    """Frame the ranges with a margin: the comparison of widths is the message."""
    lo, hi = min(lows), max(highs)
    if np.isfinite(lo) and np.isfinite(hi) and hi > lo:
        _set_range(card, "x", lo, hi, anchored=False)
