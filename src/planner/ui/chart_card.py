"""One titled chart: a pyqtgraph plot with its title, subtitle and legend as Qt labels."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QGraphicsItem, QLabel, QSizePolicy, QVBoxLayout, QWidget

from planner.ui.axes import fixed_scale
from planner.ui.steady_label import SteadyLabel
from planner.ui.theme import Theme


class ChartCard(QFrame):
    """A titled chart: title and legend are Qt labels, so they never overlap the data."""

    def __init__(
        self,
        key: str,
        title: str,
        subtitle: str,
        left: pg.AxisItem,
        bottom: pg.AxisItem,
        parent: QWidget | None = None,
        *,
        show_subtitle: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"chart_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(title)
        self.title.setObjectName(f"chartTitle_{key}")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.08)
        self.title.setFont(font)
        self.title.setToolTip(subtitle)
        # Steady: the volatility subtitle quotes figures that change while the slider is dragged.
        self.subtitle = SteadyLabel(subtitle)
        self.subtitle.label.setObjectName(f"chartSubtitle_{key}")
        self.subtitle.label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.subtitle.setVisible(show_subtitle)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.plot = pg.PlotWidget(axisItems={"left": left, "bottom": bottom})
        self.plot.setMinimumHeight(120)
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.plot.viewport().setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a keyboard stop: nothing to operate
        self.plot.setAccessibleName(title)
        self.plot.setToolTip(subtitle)
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setMouseEnabled(x=False, y=False)
        item.getViewBox().setDefaultPadding(0.02)
        # Axes are repainted with every frame of a drag although their ticks stand
        # still: keep them as pixmaps (redrawn only when pyqtgraph calls update()
        # on a range or label change) instead of replaying their text each time.
        for name in ("left", "bottom", "top", "right"):
            item.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.legend)
        layout.addWidget(self.plot, 1)
        self.setAccessibleName(title)
        # Equal columns whatever the legend lengths: widths come from the grid's stretch.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(220)
        self.setMinimumHeight(190)  # title, legend and a readable plot
        self.months = 0  # x range currently framed (months shown)
        self.ranged: dict[str, bool] = {}  # axes whose range was set from data

    def set_legend(self, entries: list[tuple[str, QColor, str]]) -> None:
        """Entries of (label, colour, style) where style is solid|dashed|band."""
        marks = {"solid": "\u2501", "dashed": "\u2505", "band": "\u2588"}
        parts = [
            f'<span style="white-space:nowrap"><span style="color:{c.name()}">{marks[s]}{marks[s]}</span>'
            f"&nbsp;{label}</span>"
            for label, c, s in entries
        ]
        self.legend.setText(" &nbsp; ".join(parts))  # entries wrap between, never inside

    def style_axes(self, theme: Theme) -> None:
        self.plot.setBackground(theme.background)
        item = self.plot.getPlotItem()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            fixed_scale(axis)  # our tick labels already say k/M and %
            axis.setPen(pg.mkPen(theme.foreground))
            axis.setTextPen(pg.mkPen(theme.foreground))
        item.showGrid(x=False, y=True, alpha=theme.grid_alpha)
