"""Charts that overlay several scenarios, each in its own colour: the compare view's and the workshop's.

A `Plotted` is one scenario's figures as the charts need them (its name,
colour, KPIs and the months they cover). The drawing helpers clear a
`ChartCard` and draw every scenario on it, so a redraw never leaves a
previous scenario's curve behind. Colours go through `readable`, so a light
palette colour still reads as a line on white.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from planner.ui.axes import MoneyAxis, MonthAxis, month_labels
from planner.ui.chart_card import ChartCard
from planner.ui.scenario_bar import display_name
from planner.ui.scenario_colours import readable
from planner.ui.theme import Theme


@dataclass(frozen=True)
class Plotted:
    """One scenario's figures for the overlay charts."""

    id: str
    name: str
    colour: str
    kpis: Any  # planner.model.kpi.Kpis
    baseline: Any  # the Kpis of its baseline at the same horizon (differences are against it)
    labels: tuple[str, ...]

    @property
    def title(self) -> str:
        return display_name(self.name)

    def monthly(self, key: str) -> np.ndarray | None:
        values = self.kpis.monthly.get(key)
        return None if values is None else np.asarray(values, dtype=float)


class MoneyRangeAxis(MoneyAxis):
    """Money on the x axis of the volatility chart (same labels as the y axes)."""


def card(key: str, title: str, subtitle: str, parent: QWidget | None = None, *, months: bool = True) -> ChartCard:
    bottom = MonthAxis(orientation="bottom") if months else MoneyRangeAxis(orientation="bottom")
    made = ChartCard(key, title, subtitle, MoneyAxis(orientation="left"), bottom, parent)
    made.style_axes(theme_of(made))
    return made


def theme_of(widget: QWidget) -> Theme:
    return Theme.from_palette(widget.palette())


def _pen_colour(widget: QWidget, colour: str) -> QColor:
    return readable(colour, widget.palette().color(QPalette.ColorRole.Base))


def _months(target: ChartCard, rows: Sequence[Plotted]) -> None:
    labels = max((r.labels for r in rows), key=len, default=())
    axis = target.plot.getPlotItem().getAxis("bottom")
    if isinstance(axis, MonthAxis):
        axis.set_months(month_labels(tuple(labels), len(labels)))  # "Jan 27", as in the main charts
    if labels:
        target.plot.getPlotItem().setXRange(0, len(labels) - 1, padding=0.01)


def draw_fans(target: ChartCard, rows: Sequence[Plotted], *, bands: bool = True, width: float = 2.5) -> None:
    """Monthly revenue: the median line of each scenario over its P10-P90 band."""
    plot = target.plot.getPlotItem()
    plot.clear()
    legend = []
    for row in rows:
        colour = _pen_colour(target, row.colour)
        mid, lo, hi = row.monthly("revenue_p50"), row.monthly("revenue_p10"), row.monthly("revenue_p90")
        if mid is None:
            continue
        x = np.arange(len(mid), dtype=float)
        if bands and lo is not None and hi is not None:
            fill = QColor(colour)
            fill.setAlphaF(0.14)
            low = pg.PlotDataItem(x, lo, pen=pg.mkPen(None))
            high = pg.PlotDataItem(x, hi, pen=pg.mkPen(None))
            plot.addItem(low)
            plot.addItem(high)
            plot.addItem(pg.FillBetweenItem(low, high, brush=pg.mkBrush(fill)))
        plot.addItem(pg.PlotDataItem(x, mid, pen=pg.mkPen(colour, width=width)))
        legend.append((row.title, colour, "solid"))
    target.set_legend(legend)
    _months(target, rows)
    _fit_y(target, [r.monthly(k) for r in rows for k in (("revenue_p10", "revenue_p90") if bands else ("revenue_p50",))])


def draw_lines(target: ChartCard, rows: Sequence[Plotted], key: str, *, cumulative: bool = False,
               width: float = 2.5, baseline_dashed: bool = False) -> None:
    """One monthly series per scenario (pipeline, ARR, contribution), overlaid."""
    plot = target.plot.getPlotItem()
    plot.clear()
    legend, drawn = [], []
    for row in rows:
        values = row.monthly(key)
        if values is None:
            continue
        if cumulative:
            values = np.cumsum(np.nan_to_num(values))
        colour = _pen_colour(target, row.colour)
        dashed = baseline_dashed and row.id == "baseline"
        style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
        plot.addItem(pg.PlotDataItem(np.arange(len(values), dtype=float), values,
                                     pen=pg.mkPen(colour, width=width, style=style)))
        legend.append((row.title, colour, "dashed" if dashed else "solid"))
        drawn.append(values)
    target.set_legend(legend)
    _months(target, rows)
    _fit_y(target, drawn)


def draw_ranges(target: ChartCard, rows: Sequence[Plotted]) -> None:
    """Volatility: each scenario's total revenue from P10 to P90 as a bar, P50 marked; shorter is steadier."""
    plot = target.plot.getPlotItem()
    plot.clear()
    ticks, lows, highs = [], [], []
    legend: list[tuple[str, QColor, str]] = []
    for i, row in enumerate(reversed(rows)):
        k = row.kpis
        colour = _pen_colour(target, row.colour)
        lo, mid, hi = float(k.revenue_p10), float(k.revenue_p50), float(k.revenue_p90)
        plot.addItem(pg.PlotDataItem([lo, hi], [i, i], pen=pg.mkPen(colour, width=10)))
        plot.addItem(pg.ScatterPlotItem([mid], [i], symbol="|", size=22, pen=pg.mkPen(theme_of(target).foreground, width=2)))
        ticks.append((float(i), row.title))
        lows.append(lo)
        highs.append(hi)
        legend.insert(0, (row.title, colour, "solid"))
    plot.getAxis("left").setTicks([ticks, []])
    plot.setYRange(-0.7, max(len(rows) - 0.3, 0.7), padding=0)
    if lows:
        span = max(highs) - min(lows) or abs(max(highs)) or 1.0
        plot.setXRange(min(lows) - 0.05 * span, max(highs) + 0.05 * span, padding=0)
    target.set_legend(legend)


class NamesAxis(pg.AxisItem):
    """A left axis that shows the scenario names set with setTicks."""


def range_card(key: str, title: str, subtitle: str, parent: QWidget | None = None) -> ChartCard:
    made = ChartCard(key, title, subtitle, NamesAxis(orientation="left"), MoneyRangeAxis(orientation="bottom"), parent)
    made.style_axes(theme_of(made))
    return made


def _fit_y(target: ChartCard, series: Sequence[np.ndarray | None]) -> None:
    values = [v[np.isfinite(v)] for v in series if v is not None and len(v)]
    values = [v for v in values if v.size]
    if not values:
        return
    lo = min(float(v.min()) for v in values)
    hi = max(float(v.max()) for v in values)
    span = hi - lo if math.isfinite(hi - lo) and hi > lo else abs(hi) or 1.0
    target.plot.getPlotItem().setYRange(lo - 0.04 * span, hi + 0.06 * span, padding=0)


__all__ = ["Plotted", "card", "draw_fans", "draw_lines", "draw_ranges", "range_card", "theme_of"]
