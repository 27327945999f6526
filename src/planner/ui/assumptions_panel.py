"""Every model assumption: its value, plausible range, unit and source, editable.

One CRM export cannot tell how fast brand memory fades or how much brand
lifts win rates; those are assumptions (`planner.model.assumptions`). A CFO
should see each one with where it comes from and how far it could be off,
and be able to move it and watch the charts follow. The spin box is clamped
to the assumption's range, the same range `assumptions.resolve` clamps to,
so the panel can never send a value the model would silently change.

Edits go into `Scenario.assumptions` (an entry only while it differs from
the default), one `Workspace.change` per edit.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from planner.i18n import tr
from planner.model.assumptions import ASSUMPTIONS, Assumption, resolve
from planner.scenario.document import Scenario
from planner.ui.format import format_number
from planner.ui.workspace import Workspace


def decimals_for(spec: Assumption) -> int:
    """Enough decimals to reach the low end and the default (0.05 needs 2, 0.25 needs 2, 4.0 needs 1)."""
    for decimals in range(0, 4):
        if all(round(v, decimals) == v for v in (spec.low, spec.value, spec.high)):
            return max(decimals, 1 if spec.high <= 30 else 0)
    return 3


def with_assumption(scenario: Scenario, key: str, value: float, default: float) -> Scenario:
    """The scenario with one assumption set; the default value removes the override."""
    entries = tuple(e for e in scenario.assumptions if e[0] != key)
    if value != default:
        entries = (*entries, (key, float(value)))
    return replace(scenario, assumptions=entries)


class AssumptionRow:
    """The widgets of one assumption in the grid."""

    def __init__(self, spec: Assumption, panel: AssumptionsPanel) -> None:
        self.spec = spec
        decimals = decimals_for(spec)
        self.label = QLabel(tr(spec.label))
        self.label.setWordWrap(True)
        self.spin = QDoubleSpinBox()
        self.spin.setObjectName(f"assumption_{spec.key}")
        self.spin.setRange(spec.low, spec.high)
        self.spin.setDecimals(decimals)
        self.spin.setSingleStep(_step(spec, decimals))
        self.spin.setKeyboardTracking(False)
        self.spin.setAccelerated(True)
        self.spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        self.spin.setMinimumWidth(self.spin.fontMetrics().horizontalAdvance("8888.888") + 40)
        self.label.setBuddy(self.spin)
        unit = tr(spec.unit) if spec.unit else ""
        self.range = QLabel(
            tr("{low} to {high}").format(low=format_number(spec.low, decimals), high=format_number(spec.high, decimals))
        )
        self.range.setToolTip(tr("Plausible range; the value is kept inside it"))
        self.unit = QLabel(unit)
        self.unit.setWordWrap(True)
        self.source = QLabel(tr(spec.source))
        self.source.setWordWrap(True)
        self.source.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.source.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # A wrapped label asks for the height it needs at its *minimum* width;
        # a realistic minimum keeps rows two lines high instead of six.
        self.source.setMinimumWidth(self.source.fontMetrics().averageCharWidth() * 48)
        self.label.setMinimumWidth(self.label.fontMetrics().averageCharWidth() * 26)
        self.belief = QLabel()  # P10-P90 of the prior (or of the posterior once the history taught something)
        self.belief.setObjectName(f"assumptionBelief_{spec.key}")
        self.belief.setWordWrap(True)
        self.reset = QPushButton(tr("Reset"))
        self.reset.setObjectName(f"assumptionReset_{spec.key}")
        tip = tr("{label}: default {value} {unit}, range {low} to {high}. Source: {source}").format(
            label=tr(spec.label),
            value=format_number(spec.value, decimals),
            unit=unit,
            low=format_number(spec.low, decimals),
            high=format_number(spec.high, decimals),
            source=tr(spec.source),
        )
        for widget in (self.label, self.spin, self.source):
            widget.setToolTip(tip)
        self.spin.setAccessibleName(tr(spec.label))
        self.spin.setAccessibleDescription(tip)
        self.reset.setAccessibleName(tr("Reset {label} to its default").format(label=tr(spec.label)))
        self.reset.setToolTip(
            tr("Back to the default, {value}").format(value=format_number(spec.value, decimals))
        )
        self.spin.valueChanged.connect(lambda value: panel.set_value(spec.key, value))
        self.reset.clicked.connect(lambda: panel.set_value(spec.key, spec.value))

    def show(self, value: float) -> None:
        """Document -> widget, without echoing back as a new edit."""
        with QSignalBlocker(self.spin):
            self.spin.setValue(value)
        changed = value != self.spec.value
        self.reset.setEnabled(changed)
        font = QFont(self.label.font())
        font.setBold(changed)
        self.label.setFont(font)


def _step(spec: Assumption, decimals: int) -> float:
    """About a twentieth of the range, rounded to the spin box's precision (at least one unit of it)."""
    raw = (spec.high - spec.low) / 20.0
    return max(round(raw, decimals), 10.0**-decimals)


class AssumptionsPanel(QWidget):
    """A scrollable grid: label, value, range, unit, source, reset; a reset-all button on top."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assumptionsPanel")
        self._ws = workspace
        intro = QLabel(
            tr("What the CRM export cannot tell: how fast brand memory fades, how much brand lifts "
               "win rates and prices. Each value has a source and a plausible range; change one and "
               "the charts follow.")
        )  # fmt: skip
        intro.setWordWrap(True)
        intro.setObjectName("assumptionsIntro")
        self.reset_all = QPushButton(tr("Reset all"))
        self.reset_all.setObjectName("assumptionsResetAll")
        self.reset_all.setAccessibleName(tr("Reset all assumptions to their defaults"))
        self.reset_all.setToolTip(tr("Back to every default value (one undo step)"))
        self.reset_all.clicked.connect(self.reset_to_defaults)
        top = QHBoxLayout()
        top.addWidget(intro, 1)
        top.addWidget(self.reset_all, 0, Qt.AlignmentFlag.AlignTop)

        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 6, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        headers = (tr("Assumption"), tr("Value"), tr("Range"), tr("Unit"), tr("Source"), "", tr("P10 to P90"))
        for col, text in enumerate(headers):
            head = QLabel(text)
            font = QFont(head.font())
            font.setBold(True)
            head.setFont(font)
            grid.addWidget(head, 0, col)
        self.rows: dict[str, AssumptionRow] = {}
        for r, spec in enumerate(ASSUMPTIONS, start=1):
            row = AssumptionRow(spec, self)
            self.rows[spec.key] = row
            grid.addWidget(row.label, r, 0)
            grid.addWidget(row.spin, r, 1)
            grid.addWidget(row.range, r, 2)
            grid.addWidget(row.unit, r, 3)
            grid.addWidget(row.source, r, 4)
            grid.addWidget(row.reset, r, 5)
            grid.addWidget(row.belief, r, 6)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(3, 1)
        grid.setColumnStretch(4, 5)
        grid.setRowStretch(len(ASSUMPTIONS) + 1, 1)
        for col in (0,):
            grid.setColumnMinimumWidth(col, 180)
        grid.setColumnMinimumWidth(3, 90)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("assumptionsScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the values inside
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(grid_host)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        self.decides = QLabel()  # which assumptions decide the split, and what would settle them (model health)
        self.decides.setObjectName("assumptionsDecide")
        self.decides.setWordWrap(True)
        self.decides.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.decides.hide()
        layout.addWidget(self.decides)
        layout.addWidget(self.scroll_area, 1)
        # Keyboard order follows reading order: value, reset, next value, ...
        previous: QWidget = self.reset_all
        for row in self.rows.values():
            QWidget.setTabOrder(previous, row.spin)
            QWidget.setTabOrder(row.spin, row.reset)
            previous = row.reset
            row.spin.installEventFilter(self)
        self._shown: tuple[tuple[str, float], ...] | None = None
        workspace.scenarioChanged.connect(self.sync)
        workspace.dataLoaded.connect(self.sync)
        self.sync()

    def values(self) -> dict[str, float]:
        """The values the model uses now (defaults with the document's overrides, clamped)."""
        return resolve(self._ws.scenario.assumption_overrides())

    def set_value(self, key: str, value: float) -> bool:
        """Widget -> document: one change (False when the value is what the document has)."""
        spec = self.rows[key].spec
        value = min(max(float(value), spec.low), spec.high)
        new = with_assumption(self._ws.scenario, key, value, spec.value)
        return self._ws.change(new, tr("Assumption: {label}").format(label=tr(spec.label)))

    def reset_to_defaults(self) -> bool:
        """Every assumption back to its default, as one undo step."""
        return self._ws.change(replace(self._ws.scenario, assumptions=()), tr("Reset assumptions"))

    def sync(self) -> None:
        """Document -> widgets; skipped when the assumptions did not change (slider drags)."""
        current = self._ws.scenario.assumptions
        if current == self._shown:
            return
        self._shown = current
        values = self.values()
        for key, row in self.rows.items():
            row.show(values[key])
        self.reset_all.setEnabled(bool(current))

    def show_evidence(self, evidence) -> None:
        """The sensitivity ranking and each assumption's prior / posterior range (from `model.evidence`)."""
        fit = evidence.fit
        from planner.model.priors import PRIORS

        for key, row in self.rows.items():
            prior = PRIORS[key].quantiles()
            decimals = decimals_for(row.spec) + 1
            text = tr("{p10} to {p90}").format(p10=format_number(prior["p10"], decimals),
                                               p90=format_number(prior["p90"], decimals))
            if key in fit.posteriors:
                post = fit.posteriors[key].quantiles()
                text = tr("{p10} to {p90} (learnt; prior {text})").format(
                    p10=format_number(post["p10"], decimals), p90=format_number(post["p90"], decimals), text=text)
            row.belief.setText(text)
        top = [s for s in evidence.swings if s.swing > 0][:3]
        if not top:
            self.decides.hide()
            return
        lines = [tr("Which assumption decides the move to {share} brand (contribution gain at its P10 and P90):")
                 .format(share=f"{evidence.target_share:.0%}")]
        for rank, sw in enumerate(top, start=1):
            lines.append(tr("{rank}. {label}: {low} to {high}. Settle it: {settle}").format(
                rank=rank, label=tr(sw.label), low=format_number(sw.low), high=format_number(sw.high),
                settle=sw.settle))
            self.rows[sw.key].belief.setToolTip(sw.settle)
        self.decides.setText("\n".join(lines))
        self.decides.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Keep the focused spin box visible when tabbing through a long list."""
        if isinstance(watched, QWidget) and isinstance(event, QEvent) and event.type() == QEvent.Type.FocusIn:
            self.scroll_area.ensureWidgetVisible(watched)
        return super().eventFilter(watched, event)
