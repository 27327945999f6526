"""Chart axes that label ticks the way the planner reads them: money, percentages, months, shares."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication

from planner.ui.format import compact_ticks, format_month_label, format_percent, format_share


class MoneyAxis(pg.AxisItem):
    """Axis with compact, locale-formatted tick labels in one unit and precision (1.0M, 1.5M, 2.0M)."""

    _finest: float | None = None

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802, N803
        """pyqtgraph's ticks; the finest labelled step is kept so every level uses its decimals."""
        levels = super().tickValues(minVal, maxVal, size)
        shown = levels[: int(self.style.get("maxTextLevel", 1)) + 1]
        self._finest = min((spacing for spacing, _values in shown), default=None)
        return levels

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        # "2.5M" among "2M, 3M" is the same axis in two precisions: label every
        # level with the decimals of the finest one ("2.0M, 2.5M, 3.0M").
        step = min(spacing, self._finest) if self._finest else spacing
        return compact_ticks([v * scale for v in values], step * scale)


class CountAxis(MoneyAxis):
    """Axis of counts (MQLs): the same one-unit labels, never fractions of a lead shown as "0"."""


class PercentAxis(pg.AxisItem):
    """Y axis for fractions, labelled as percentages (every level with the finest level's decimals)."""

    _finest: float | None = None

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802, N803
        levels = super().tickValues(minVal, maxVal, size)
        shown = levels[: int(self.style.get("maxTextLevel", 1)) + 1]
        self._finest = min((spacing for spacing, _values in shown), default=None)
        return levels

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        spacing = min(spacing, self._finest) if self._finest else spacing
        step = abs(spacing * scale) * 100  # in percentage points
        decimals = 0 if step >= 1 else 1 if step >= 0.1 else 2
        return [format_percent(v * scale, decimals) for v in values]


class MonthAxis(pg.AxisItem):
    """X axis of month names ("Mar 25"), as many as fit without overlapping."""

    MIN_LABEL_PX = 36.0
    STEPS: tuple[int, ...] = (1, 2, 3, 6, 12, 24)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._labels: list[str] = []
        self._label_px = self.MIN_LABEL_PX
        # The first month sits at the plot's left edge; its label may reach into
        # the corner under the y axis rather than being dropped.
        self.setStyle(hideOverlappingLabels=32)  # pixels a label may reach past the ends

    @property
    def label_px(self) -> float:
        """Pixels one month label needs (the widest label plus room between labels)."""
        return self._label_px

    def set_months(self, labels: list[str]) -> None:
        if labels != self._labels:
            self._labels = labels
            font = self.style.get("tickFont") or QApplication.font()
            metrics = QFontMetricsF(font)
            widest = max((metrics.horizontalAdvance(label) for label in labels), default=0.0)
            self._label_px = max(self.MIN_LABEL_PX, widest + 14.0)  # room between labels
            self.picture = None
            self.update()

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802, N803
        """Month indices at a step chosen from the pixels available (re-done on resize)."""
        n = len(self._labels)
        if n == 0:
            return []
        months_visible = max(1.0, abs(maxVal - minVal))
        px_per_month = size / months_visible if size > 0 else self._label_px
        step = next((s for s in self.STEPS if s * px_per_month >= self._label_px), self.STEPS[-1])
        return [(float(step), [float(i) for i in range(0, n, step)]), (1.0, [float(i) for i in range(n)])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        if spacing < 1.0 - 1e-9:
            return ["" for _ in values]
        out = []
        for v in values:
            i = int(round(v))
            out.append(self._labels[i] if 0 <= i < len(self._labels) and abs(v - i) < 1e-6 else "")
        return out


class ShareAxis(pg.AxisItem):
    """X axis of brand shares 0..1 shown as percentages."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [format_share(v * scale) for v in values]


def fixed_scale(axis: pg.AxisItem) -> None:
    """Label ticks in the data's own units: never let pyqtgraph rescale them by an SI prefix.

    `enableAutoSIPrefix(False)` alone is not enough: pyqtgraph recomputes the
    prefix whenever the axis label is (re)set, and for an axis without units
    it rescales values in 0..1 by 1000, so a 9 % tick read "9,000 %". With no
    range in which a prefix is allowed the scale stays 1.
    """
    axis.enableAutoSIPrefix(False)
    axis.setSIPrefixEnableRanges(())
    axis.updateAutoSIPrefix()


def month_labels(months: tuple[str, ...], count: int) -> list[str]:
    """Axis labels for the simulated months ("YYYY-MM" from the model); "M1".. when unknown."""
    if len(months) >= count:
        return [format_month_label(m) for m in months[:count]]
    return [f"M{i + 1}" for i in range(count)]
