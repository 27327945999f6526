"""The left column: brand share, total budget change, horizon and the KPI strip.

Each control writes one field of the Scenario document through
`Workspace.change` (a slider drag is one merged undo step) and reads it back
in `sync`, so undo, redo and the other panels stay in step with it.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QButtonGroup,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.i18n import tr
from planner.scenario.edits import SLIDER_POSITIONS, with_slider_share
from planner.ui.format import format_number, format_share
from planner.ui.kpi_strip import KpiStrip
from planner.ui.workspace import Workspace

HORIZONS: tuple[int, ...] = (6, 12, 24, 36)


def accessible(widget: QWidget, name: str, tip: str) -> None:
    """Every control gets a screen-reader name and a tooltip saying what it does."""
    widget.setAccessibleName(name)
    widget.setToolTip(tip)


def _set_value(spin: QDoubleSpinBox, value: float) -> None:
    """`setValue` unless the box already shows `value` at its precision."""
    if round(value, spin.decimals()) != spin.value():
        spin.setValue(value)


class ControlPanel(QWidget):
    """The left column: brand share, total budget change, horizon, KPIs."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("controlPanel")
        self._ws = workspace

        # Brand share: slider and numeric box bound to the same document field.
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("brandShareSlider")
        self.slider.setRange(SLIDER_POSITIONS[0], SLIDER_POSITIONS[-1])
        self.slider.setSingleStep(1)
        self.slider.setPageStep(5)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(10)
        accessible(
            self.slider,
            tr("Brand share of spend"),
            tr("Share of the marketing budget spent on brand building; the rest buys lead generation. "
               "The total stays the same."),
        )  # fmt: skip
        self.spin = QDoubleSpinBox()
        self.spin.setObjectName("brandShareSpin")
        self.spin.setRange(0.0, 100.0)
        self.spin.setDecimals(1)
        self.spin.setSingleStep(1.0)
        self.spin.setSuffix(" %")
        self.spin.setKeyboardTracking(False)
        self.spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
        accessible(self.spin, tr("Brand share in percent"), tr("Type an exact brand share (0\u2013100 %)"))
        self.own_split = QLabel()
        self.own_split.setObjectName("budgetOwnSplit")
        self.own_split.setWordWrap(True)
        self.reset_button = QPushButton(tr("Budget's own split"))
        self.reset_button.setObjectName("brandShareReset")
        accessible(
            self.reset_button,
            tr("Reset to the budget's own split"),
            tr("Go back to the brand share the imported budget has"),
        )

        share_box = QGroupBox(tr("Brand vs lead generation"))
        share_layout = QVBoxLayout(share_box)
        row = QHBoxLayout()
        brand_lbl = QLabel(tr("Brand share"))
        brand_lbl.setBuddy(self.spin)
        row.addWidget(brand_lbl)
        row.addStretch(1)
        row.addWidget(self.spin)
        share_layout.addLayout(row)
        share_layout.addWidget(self.slider)
        ends = QHBoxLayout()
        ends.addWidget(QLabel(tr("Lead gen")))
        ends.addStretch(1)
        ends.addWidget(QLabel(tr("Brand")))
        share_layout.addLayout(ends)
        share_layout.addWidget(self.own_split)
        share_layout.addWidget(self.reset_button)

        # Total budget change.
        self.total = QDoubleSpinBox()
        self.total.setObjectName("totalBudgetSpin")
        self.total.setRange(-50.0, 100.0)
        self.total.setDecimals(0)
        self.total.setSingleStep(5.0)
        self.total.setSuffix(" %")
        self.total.setKeyboardTracking(False)
        accessible(
            self.total,
            tr("Total budget change in percent"),
            tr("Scale the whole budget up or down; every line moves in proportion"),
        )
        total_box = QGroupBox(tr("Total budget"))
        total_layout = QHBoxLayout(total_box)
        total_lbl = QLabel(tr("Change"))
        total_lbl.setBuddy(self.total)
        total_layout.addWidget(total_lbl)
        total_layout.addStretch(1)
        total_layout.addWidget(self.total)

        # Horizon: segmented buttons, one tab stop each.
        horizon_box = QGroupBox(tr("Horizon"))
        # The chosen horizon must read as chosen in every palette (Fusion's
        # checked tool button is nearly invisible in dark mode).
        horizon_box.setStyleSheet(
            "QToolButton { padding: 3px 2px; }"
            "QToolButton:checked { background: palette(highlight); color: palette(highlighted-text);"
            " border: 1px solid palette(highlight); border-radius: 3px; font-weight: bold; }"
        )
        horizon_layout = QHBoxLayout(horizon_box)
        horizon_layout.setSpacing(2)
        self.horizon_group = QButtonGroup(self)
        self.horizon_group.setExclusive(True)
        self.horizon_buttons: dict[int, QToolButton] = {}
        for months in HORIZONS:
            button = QToolButton()
            button.setObjectName(f"horizon{months}")
            button.setText(tr("{n} mo").format(n=months))
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            accessible(
                button,
                tr("Horizon {n} months").format(n=months),
                tr("Simulate {n} months ahead").format(n=months),
            )
            self.horizon_group.addButton(button, months)
            horizon_layout.addWidget(button)
            self.horizon_buttons[months] = button

        self.kpis = KpiStrip(workspace)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(share_box)
        layout.addWidget(total_box)
        layout.addWidget(horizon_box)
        layout.addWidget(self.kpis)
        layout.addStretch(1)

        # Keyboard order follows reading order: the number, then the slider under it.
        chain = [self.spin, self.slider, self.reset_button, self.total, *self.horizon_buttons.values()]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

        self.slider.valueChanged.connect(self._slider_changed)
        self.slider.sliderReleased.connect(workspace.end_gesture)
        self.spin.valueChanged.connect(self._spin_changed)
        self.reset_button.clicked.connect(self._reset_share)
        self.total.valueChanged.connect(self._total_changed)
        self.horizon_group.idClicked.connect(self._horizon_changed)
        workspace.scenarioChanged.connect(self.sync)
        workspace.dataLoaded.connect(self.sync)
        self.sync()

    # widget -> document
    def _set_share(self, share: float, merge: bool) -> None:
        scenario = self._ws.scenario
        self._ws.change(replace(scenario, brand_share=share), tr("Brand share"), merge=merge)

    def _slider_changed(self, value: int) -> None:
        scenario = with_slider_share(self._ws.scenario, value)
        self._ws.change(scenario, tr("Brand share"), merge=self.slider.isSliderDown())

    def _spin_changed(self, value: float) -> None:
        self._set_share(round(value, 1) / 100.0, merge=False)

    def _reset_share(self) -> None:
        self._ws.change(replace(self._ws.scenario, brand_share=None), tr("Budget's own split"))

    def _total_changed(self, value: float) -> None:
        self._ws.change(replace(self._ws.scenario, total_scale=1.0 + value / 100.0), tr("Total budget"))

    def _horizon_changed(self, months: int) -> None:
        self._ws.change(replace(self._ws.scenario, months=int(months)), tr("Horizon"))

    # document -> widget
    def sync(self) -> None:
        """Show the document's values without echoing them back as new edits.

        Only what differs is set: a spin box repaints on every `setValue`, even
        of the value it shows, and this runs on every move of a slider drag.
        """
        scenario = self._ws.scenario
        has_data = self._ws.budget is not None
        for w in (self.slider, self.spin, self.total, self.reset_button, *self.horizon_buttons.values()):
            w.setEnabled(has_data)
        share = scenario.brand_share
        if share is None and has_data:
            effective = self._ws.effective_budget  # the budget's own split
            share = effective.brand_share if effective is not None else None
        with QSignalBlocker(self.slider), QSignalBlocker(self.spin):
            if share is not None:
                self.slider.setValue(int(round(share * 100)))
                _set_value(self.spin, share * 100.0)
        with QSignalBlocker(self.total):
            _set_value(self.total, (scenario.total_scale - 1.0) * 100.0)
        button = self.horizon_buttons.get(scenario.months)
        if button is not None:
            with QSignalBlocker(self.horizon_group):
                button.setChecked(True)
        budget = self._ws.budget
        if budget is not None:
            self.own_split.setText(
                tr("The imported budget puts {share} into brand ({n} lines).").format(
                    share=format_share(budget.brand_share),
                    n=format_number(len(budget.lines)),
                )
            )
        else:
            self.own_split.setText(tr("Open a budget and a CRM export to start."))
        self.reset_button.setEnabled(has_data and scenario.brand_share is not None)
