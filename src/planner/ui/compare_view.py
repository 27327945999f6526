"""Compare 2-4 scenarios side by side: a KPI table with differences to the baseline, overlaid charts.

Its own window (View > Compare scenarios), so the table and four charts get
the whole screen instead of a panel's strip. Each chosen scenario is run
with its baseline at the same horizon (`ModelSession.compare`, the road
`planner simulate` takes) on the worker, with the window's seed and path
count; the differences in the table are against that baseline, so a
36-month scenario is never compared with a 12-month plan. Colours are the
scenarios' own, as in the scenario bar and the exports.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.i18n import tr
from planner.io.types import Budget, Deals
from planner.scenario.collection import BASELINE_ID, Entry, ScenarioSet
from planner.ui.concurrent import Done, Worker
from planner.ui.format import (
    DASH,
    format_count,
    format_money,
    format_months,
    format_number,
    format_percent,
)
from planner.ui.scenario_bar import display_name, swatch
from planner.ui.scenario_plots import Plotted, card, draw_fans, draw_lines, draw_ranges, range_card

if TYPE_CHECKING:
    from planner.model.session import ModelSession
    from planner.ui.workspace import Workspace

MIN_CHOSEN, MAX_CHOSEN = 2, 4
Kind = Literal["money", "percent", "months", "count", "ratio"]


@dataclass(frozen=True)
class Row:
    """One KPI line of the table: which figure, how it reads, and which direction is better."""

    key: str
    label: str
    kind: Kind
    higher_is_better: bool | None  # None: neither (an activity metric)


def kpi_rows(kpis: Any) -> list[Row]:
    """The table's lines; P(beats budget) only when the model provides it."""
    rows = [
        Row("revenue_mean", tr("Revenue (expected)"), "money", True),
        Row("revenue_p10", tr("Revenue, bad case (P10)"), "money", True),
        Row("contribution", tr("Contribution after marketing"), "money", True),
        Row("arr_end_mean", tr("ARR at the end"), "money", True),
        Row("gross_margin_pct", tr("Gross margin"), "percent", True),
        Row("pipeline_created", tr("Pipeline created"), "money", True),
        Row("win_rate", tr("Win rate"), "percent", True),
        Row("breakeven_month", tr("Break-even month"), "months", False),
        Row("cac_payback_months", tr("CAC payback"), "months", False),
        Row("revenue_cv_monthly", tr("Monthly volatility (CV)"), "percent", False),
        Row("spend", tr("Marketing spend"), "money", None),
        Row("mqls", tr("MQLs (activity metric)"), "count", None),
    ]
    extra = [k for k in kpis.to_dict() if k.startswith("p_beats") or k.startswith("prob_beats")]
    rows[3:3] = [Row(k, beats_label(k), "percent", True) for k in extra]
    return rows


def beats_label(key: str) -> str:
    """Each P(beats budget) line names what it compares: two lines must never read alike."""
    named = {
        "prob_beats_baseline": tr("P(beats budget), contribution"),
        "prob_beats_baseline_revenue": tr("P(beats budget), revenue"),
    }
    return named.get(key, tr("P(beats budget)"))


def kpi_value(kpis: Any, key: str) -> float | None:
    value = getattr(kpis, key, None)
    if value is None:
        value = kpis.to_dict().get(key)
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def format_kpi(value: float | None, kind: Kind, currency: str | None, *, sign: bool = False) -> str:
    if value is None:
        return DASH
    if kind == "money":
        return format_money(value, currency, sign=sign)
    if kind == "percent":
        return format_percent(value, sign=sign) if not sign else format_number(value * 100, 1, sign=True) + " pp"
    if kind == "months":
        return format_months(value, sign=sign)
    if kind == "count":
        return format_count(value) if not sign else format_number(value, 0, sign=True)
    return format_number(value, 2, sign=sign)


class _Sessions:
    """The compare view's own model session (the window's keeps serving the slider meanwhile)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: tuple[int, ModelSession] | None = None

    def get(self, version: int, budget: Budget, deals: Deals) -> ModelSession:
        from planner.model.session import ModelSession

        with self._lock:
            if self._held is None or self._held[0] != version:
                self._held = (version, ModelSession(budget, deals))
            return self._held[1]


def compute(session: Callable[[], ModelSession], entries: tuple[Entry, ...], paths: int, seed: int,
            cancel: Callable[[], bool]) -> tuple[Plotted, ...]:
    """Each scenario with its baseline at the same horizon (worker body; no Qt)."""
    model = session()
    out = []
    for entry in entries:
        if cancel():
            raise RuntimeError("cancelled")
        result, kpis, baseline = model.compare(entry.scenario, paths, seed)
        out.append(Plotted(entry.id, entry.name, entry.colour, kpis, baseline, tuple(result.labels)))
    return tuple(out)


def default_choice(scenarios: ScenarioSet) -> list[str]:
    """Baseline, the scenario on screen, then the next ones in order: at most four."""
    chosen = [BASELINE_ID]
    if scenarios.current != BASELINE_ID:
        chosen.append(scenarios.current)
    chosen += [i for i in scenarios.ids if i not in chosen]
    return chosen[:MAX_CHOSEN]


class CompareView(QWidget):
    """Its own window: scenario choice on top, the KPI table left, four overlaid charts right."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("compareView")
        self.setWindowTitle(tr("Compare scenarios") + " \u2014 planner")
        self.workspace = workspace
        self.chosen: list[str] = default_choice(workspace.scenarios)
        self.rows: tuple[Plotted, ...] = ()
        self._sessions = _Sessions()
        self._worker = Worker(self)
        self._worker.finished.connect(self._on_done)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.recompute)

        self.picker = QHBoxLayout()
        self.picker.setSpacing(4)
        self.hint = QLabel(tr("Choose 2 to 4 scenarios"))
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.status = QLabel()
        self.status.setObjectName("compareStatus")
        top = QHBoxLayout()
        top.addWidget(QLabel("<b>" + tr("Compare") + "</b>"))
        top.addLayout(self.picker)
        top.addWidget(self.hint)
        top.addStretch(1)
        top.addWidget(self.status)
        self.chips: list[QToolButton] = []

        self.table = QTableWidget()
        self.table.setObjectName("compareTable")
        self.table.setAccessibleName(tr("KPIs by scenario, with the difference to the baseline"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)  # one line per KPI
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)

        self.revenue = card("cmpRevenue", tr("Revenue per month"), tr("Median with the P10\u2013P90 band"))
        self.pipeline = card("cmpPipeline", tr("Pipeline created per month"), "")
        self.arr = card("cmpArr", tr("ARR"), tr("Annual recurring revenue at each month"))
        self.volatility = range_card("cmpVolatility", tr("Revenue range"),
                                     tr("Horizon revenue from P10 to P90, median marked: how sure each plan is"))
        charts = QWidget()
        row = QHBoxLayout(charts)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        for chart in (self.revenue, self.pipeline, self.arr, self.volatility):
            row.addWidget(chart, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(charts)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        self.split = split

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(top)
        layout.addWidget(split, 1)

        workspace.scenarioChanged.connect(self._on_document)
        workspace.dataLoaded.connect(self._on_document)
        self._rebuild_chips()

    # ------------------------------------------------------------- choice
    def _rebuild_chips(self) -> None:
        for chip in self.chips:
            chip.deleteLater()
        self.chips = []
        scenarios = self.workspace.scenarios
        self.chosen = [i for i in self.chosen if i in scenarios.ids] or default_choice(scenarios)
        for entry in scenarios:
            chip = QToolButton()
            chip.setObjectName(f"compareChip_{entry.id}")
            chip.setText(display_name(entry.name))
            chip.setIcon(swatch(entry.colour))
            chip.setCheckable(True)
            chip.setChecked(entry.id in self.chosen)
            chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            chip.setAccessibleName(tr("Compare {name}").format(name=display_name(entry.name)))
            chip.setToolTip(chip.accessibleName())
            chip.toggled.connect(lambda on, i=entry.id: self.toggle(i, on))
            self.picker.addWidget(chip)
            self.chips.append(chip)

    def toggle(self, entry_id: str, on: bool) -> None:
        """Add or remove a scenario; never fewer than two nor more than four."""
        if on and entry_id not in self.chosen:
            if len(self.chosen) >= MAX_CHOSEN:
                self._set_chip(entry_id, False)
                self.hint.setText(tr("At most {n} scenarios side by side").format(n=MAX_CHOSEN))
                return
            self.chosen.append(entry_id)
        elif not on and entry_id in self.chosen:
            if len(self.chosen) <= MIN_CHOSEN:
                self._set_chip(entry_id, True)
                self.hint.setText(tr("Compare at least {n} scenarios").format(n=MIN_CHOSEN))
                return
            self.chosen.remove(entry_id)
        self.hint.setText(tr("Choose 2 to 4 scenarios"))
        self.schedule()

    def _set_chip(self, entry_id: str, on: bool) -> None:
        chip = next(c for c in self.chips if c.objectName() == f"compareChip_{entry_id}")
        chip.blockSignals(True)
        chip.setChecked(on)
        chip.blockSignals(False)

    def choose(self, ids: list[str]) -> None:
        """Show exactly these scenarios (2-4, in the set's order)."""
        order = self.workspace.scenarios.ids
        self.chosen = [i for i in order if i in ids][:MAX_CHOSEN]
        for chip in self.chips:
            self._set_chip(chip.objectName().removeprefix("compareChip_"), chip.objectName().removeprefix("compareChip_") in self.chosen)
        self.schedule()

    # ------------------------------------------------------------- computing
    def _on_document(self, _change: object = None) -> None:
        ids = [c.objectName().removeprefix("compareChip_") for c in self.chips]
        names = [c.text() for c in self.chips]
        scenarios = self.workspace.scenarios
        if ids != list(scenarios.ids) or names != [display_name(n) for n in scenarios.names]:
            self._rebuild_chips()
        if self.isVisible():
            self.schedule()

    def schedule(self) -> None:
        self._timer.start()

    def recompute(self) -> None:
        ws = self.workspace
        if ws.budget is None or ws.deals is None or len(self.chosen) < MIN_CHOSEN:
            return
        scenarios = ws.scenarios
        order = [i for i in scenarios.ids if i in self.chosen]
        entries = tuple(scenarios.entry(i) for i in order)
        from functools import partial

        session = partial(self._sessions.get, ws.state.data_version, ws.budget, ws.deals)
        paths, seed = ws.paths, ws.seed
        self._worker.submit(lambda _p, cancel: compute(session, entries, paths, seed, cancel), tag=entries)
        self.status.setText(tr("Computing\u2026"))

    def is_busy(self) -> bool:
        return self._worker.is_busy() or self._timer.isActive()

    def _on_done(self, done: Done) -> None:
        if done.error is not None:
            self.status.setText("\u26a0 " + str(done.error))
            return
        self.rows = done.value
        self.status.setText(tr("{n} simulated paths each").format(n=format_number(self.workspace.paths)))
        self._fill_table()
        draw_fans(self.revenue, self.rows)
        draw_lines(self.pipeline, self.rows, "pipeline_created")
        draw_lines(self.arr, self.rows, "arr")
        draw_ranges(self.volatility, self.rows)

    def _columns(self) -> list[tuple[Plotted, bool]]:
        """(scenario, is the difference column) in table order: the baseline has no difference column."""
        out: list[tuple[Plotted, bool]] = []
        for row in self.rows:
            out.append((row, False))
            if row.id != BASELINE_ID:
                out.append((row, True))
        return out

    def _fill_table(self) -> None:
        rows = self.rows
        if not rows:
            return
        currency = self.workspace.currency
        lines = kpi_rows(rows[0].kpis)
        columns = self._columns()
        self.table.clear()
        self.table.setRowCount(len(lines))
        self.table.setColumnCount(len(columns))
        for c, (row, is_diff) in enumerate(columns):
            header = QTableWidgetItem(tr("\u0394 baseline") if is_diff else row.title)
            if not is_diff:
                header.setIcon(swatch(row.colour))
            header.setToolTip(tr("{name} minus its baseline at the same horizon").format(name=row.title)
                              if is_diff else row.title)
            self.table.setHorizontalHeaderItem(c, header)
        self.table.setVerticalHeaderLabels([line.label for line in lines])
        good, bad = _signal_colours(self)
        for r, line in enumerate(lines):
            for c, (row, is_diff) in enumerate(columns):
                value = kpi_value(row.kpis, line.key)
                item = QTableWidgetItem(format_kpi(value, line.kind, currency))
                if is_diff:
                    item.setText("")
                    diff = _difference(line, value, kpi_value(row.baseline, line.key))
                    if diff is not None:
                        item.setText(format_kpi(diff, line.kind, currency, sign=True))
                        if line.higher_is_better is not None:
                            item.setForeground(good if (diff > 0) == line.higher_is_better else bad)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setToolTip(f"{row.title}: {line.label}")
                self.table.setItem(r, c, item)
        self._fit_table()

    def _fit_table(self) -> None:
        """The table as tall as its rows (up to 45 % of the view); the charts take the rest."""
        table = self.table
        height = table.horizontalHeader().height() + 2 * table.frameWidth() + 2
        height += sum(table.rowHeight(r) for r in range(table.rowCount()))
        wanted = min(height, int(self.height() * 0.45))
        total = max(self.split.height(), wanted + 200)
        self.split.setSizes([wanted, total - wanted])

    def resizeEvent(self, event: object) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self.rows:
            self._fit_table()

    def cell_text(self, kpi: str, entry_id: str, *, difference: bool = False) -> str:
        """What the table shows for one KPI and scenario, or its difference (tests read it)."""
        keys = [line.key for line in kpi_rows(self.rows[0].kpis)]
        columns = [(row.id, is_diff) for row, is_diff in self._columns()]
        item = self.table.item(keys.index(kpi), columns.index((entry_id, difference)))
        return item.text() if item is not None else ""

    def shutdown(self) -> None:
        self._timer.stop()
        self._worker.wait()

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)  # type: ignore[arg-type]
        self.schedule()

    def closeEvent(self, event: object) -> None:  # noqa: N802 (Qt override)
        self.shutdown()
        super().closeEvent(event)  # type: ignore[arg-type]


def _difference(line: Row, value: float | None, base: float | None) -> float | None:
    """Scenario minus baseline, None when undefined or too small to show (it would read "+0.0")."""
    if line.key == "breakeven_month" or value is None or base is None:
        return None  # a month, not a difference: the baseline never "breaks even" against itself
    diff = value - base
    scale = {"percent": 1e-3, "months": 0.05, "count": 0.5, "ratio": 0.005}.get(line.kind)
    if scale is None:  # money: below a thousandth of the value, or half a unit
        scale = max(0.5, abs(base) * 1e-3)
    return diff if abs(diff) >= scale else None


def _signal_colours(widget: QWidget) -> tuple[QColor, QColor]:
    dark = widget.palette().color(QPalette.ColorRole.Base).lightnessF() < 0.5
    return (QColor("#4cc38a"), QColor("#ff7b72")) if dark else (QColor("#1a7f4b"), QColor("#c62828"))


__all__ = ["CompareView", "Row", "compute", "default_choice", "format_kpi", "kpi_rows", "kpi_value"]
