"""The KPI strip: scenario vs baseline, and the difference, for the numbers a CFO asks for.

Revenue, contribution, gross margin, CAC payback, win rate and revenue
volatility. The widget only formats the two values the model computed, their
difference and colours it by whether the change is good news, which depends
on the KPI (lower volatility and a shorter payback are better). A difference
inside the simulation's own noise (`planner.model.noise_band`, computed by the
worker) is grey: not news, neither red nor green.

Adding a KPI is one line in `kpi_specs` (its field on `Kpis`, title, tooltip,
formatters, direction and glossary entries).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from planner.i18n import tr
from planner.model.noise_band import difference_is_noise
from planner.ui.format import (
    DASH,
    format_money,
    format_months,
    format_number,
    format_percent,
    format_points,
    format_share,
    is_missing,
)
from planner.ui.glossary import glossary_tip
from planner.ui.steady_label import SteadyLabel
from planner.ui.theme import is_dimmed, set_dimmed, stale_text
from planner.ui.workspace import Workspace


@dataclass(frozen=True)
class KpiSpec:
    """How one KPI is shown: field, title, formatters and which direction is good."""

    field: str
    title: str
    tip: str
    value: Callable[[float, str | None], str]
    delta: Callable[[float, str | None], str]
    higher_is_better: bool
    glossary: tuple[str, ...] = ()


def _pct(v: float, _c: str | None) -> str:
    return format_percent(v)


def _pp(v: float, _c: str | None) -> str:
    return format_points(v)


def _money(v: float, c: str | None) -> str:
    return format_money(v, c)


def _money_delta(v: float, c: str | None) -> str:
    return format_money(v, c, sign=True)


def _months(v: float, _c: str | None) -> str:
    return format_months(v)


def _months_delta(v: float, _c: str | None) -> str:
    return format_months(v, sign=True)


def kpi_specs() -> tuple[KpiSpec, ...]:
    """The tiles, in reading order (built on call so `tr` sees the current language)."""
    return (
        KpiSpec("revenue_mean", tr("Revenue"), tr("Mean revenue over the horizon across all simulated paths"), _money, _money_delta, True, ("baseline", "noise")),
        KpiSpec("contribution", tr("Contribution"), tr("Gross profit minus marketing spend over the horizon (what Best split maximises)"), _money, _money_delta, True, ("contribution", "noise")),
        KpiSpec("gross_margin_pct", tr("Gross margin"), tr("Gross profit as a share of revenue over the horizon"), _pct, _pp, True, ("pp", "noise")),
        KpiSpec("cac_payback_months", tr("CAC payback"), tr("Months of gross profit from a new customer needed to earn back what it cost to acquire"), _months, _months_delta, False, ("cac_payback",)),
        KpiSpec("win_rate", tr("Win rate"), tr("Share of closed opportunities that are won"), _pct, _pp, True, ("pp",)),
        KpiSpec("revenue_cv_monthly", tr("Revenue volatility"), tr("Coefficient of variation of monthly revenue: lower is steadier"), _pct, _pp, False, ("cv", "pp", "noise")),
    )  # fmt: skip


def _number(value: float | None) -> float:
    """A KPI value as a float; undefined (None, NaN, not a number) becomes NaN, shown as a dash."""
    try:
        return float(value) if value is not None else math.nan
    except (TypeError, ValueError):
        return math.nan


class KpiTile(QFrame):
    """One KPI: title, the scenario value large, then baseline and difference."""

    def __init__(self, spec: KpiSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"kpi_{spec.field}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setToolTip(glossary_tip(spec.tip, *spec.glossary))
        self.title = QLabel(spec.title)
        self.title.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        # The value and the difference change on every move of a slider drag: steady
        # labels re-lay out the column only when a new figure needs another width.
        self.value = SteadyLabel(DASH, wrap=False)
        self.value.label.setObjectName(f"kpiValue_{spec.field}")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.value.setFont(font)
        self.delta = SteadyLabel(DASH, wrap=False)
        self.delta.label.setObjectName(f"kpiDelta_{spec.field}")
        self.delta.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.noise = False  # True while the difference on screen is within simulation noise
        self.baseline = QLabel()
        self.baseline.setObjectName(f"kpiBaseline_{spec.field}")
        self.baseline.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.baseline.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Two rows: "Title ... difference" over "value ... baseline", so five
        # tiles fit the left column at 1280x800 and 1366x768 without scrolling.
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 2, 8, 2)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(0)
        grid.addWidget(self.title, 0, 0)
        grid.addWidget(self.delta, 0, 1)
        grid.addWidget(self.value, 1, 0)
        grid.addWidget(self.baseline, 1, 1)
        grid.setColumnStretch(0, 1)
        self.setAccessibleName(spec.title)

    def show_values(
        self,
        scenario: float | None,
        baseline: float | None,
        currency: str | None,
        standard_error: float | None = None,
    ) -> None:
        """Scenario, baseline and difference; an undefined value (None, NaN) is a dash, uncoloured.

        `standard_error` is the Monte Carlo standard error of the difference;
        a difference within the noise band is grey and says so in its tooltip.
        """
        spec = self.spec
        scenario, baseline = _number(scenario), _number(baseline)
        difference = scenario - baseline  # the displayed change; nothing else is derived here
        self.value.setText(spec.value(scenario, currency))
        self.baseline.setText(tr("Baseline {value}").format(value=spec.value(baseline, currency)))
        self.noise = False
        if is_missing(difference):
            self.delta.setText(DASH)
            self._set_delta_style("")
            _set_tip(self.delta, "")
        else:
            text = spec.delta(difference, currency)
            self.delta.setText(text)
            # A change that rounds to zero on screen, or that the simulation alone
            # could produce, is no news: muted, not red or green.
            shown_zero = not re.sub(r"[^0-9]", "", text).strip("0")
            self.noise = shown_zero or difference_is_noise(difference, standard_error)
            colour = self._delta_colour(0.0 if self.noise else difference)
            self._set_delta_style(f"color: {colour.name()};")
            if standard_error is not None and not is_missing(standard_error):
                band = spec.delta(2.0 * standard_error, currency).lstrip("+")
                tip = tr("Within simulation noise (\u00b1{band})") if self.noise else tr("Beyond simulation noise (\u00b1{band})")
                _set_tip(self.delta, tip.format(band=band))
            else:
                _set_tip(self.delta, "")
        description = f"{spec.title}: {self.value.text()}, {self.baseline.text()}, {tr('difference')} {self.delta.text()}"
        if description != self.accessibleDescription():
            self.setAccessibleDescription(description)

    def _set_delta_style(self, style: str) -> None:
        """Set the difference's colour only when it changes: a style sheet re-polishes the label
        (and re-lays out its tile), and during a drag the colour stays the same for most moves."""
        if style != self.delta.styleSheet():
            self.delta.setStyleSheet(style)

    def clear(self) -> None:
        self.value.setText(DASH)
        self.delta.setText(DASH)
        self._set_delta_style("")
        self.baseline.setText("")

    def _delta_colour(self, difference: float) -> QColor:
        dark = self.palette().color(QPalette.ColorRole.Base).lightnessF() < 0.5
        if abs(difference) < 1e-12:
            return self.palette().color(QPalette.ColorRole.PlaceholderText)
        good = (difference > 0) == self.spec.higher_is_better
        if dark:
            return QColor("#4cc38a") if good else QColor("#ff7b72")
        return QColor("#1a7f4b") if good else QColor("#c62828")


def _set_tip(widget: QWidget, tip: str) -> None:
    if tip != widget.toolTip():
        widget.setToolTip(tip)


def odds_text(prob_beats: float, breakeven: float, months: int) -> str:
    """One line a CFO reads first: how often the plan beats the budget, and when a shift pays back.

    Empty for the budget itself (nothing to compare). The probability is over
    paired simulated futures (`model.kpi.prob_beats`), so it includes what the
    model does not know, not only luck.
    """
    if prob_beats != prob_beats:  # NaN: the scenario is the budget's own plan
        return ""
    odds = tr("Beats the budget's contribution in {pct} of simulated futures").format(pct=format_share(prob_beats))
    if breakeven == breakeven:
        pays = tr("breaks even in month {n}").format(n=int(breakeven))
    else:
        pays = tr("does not break even within {n} months").format(n=months)
    return f"{odds}; {pays}."


class KpiStrip(QWidget):
    """The five KPI tiles plus a caption saying what the figures were computed for."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiStrip")
        self._ws = workspace
        self.tiles = [KpiTile(spec) for spec in kpi_specs()]
        # Steady labels: both change on every move of a slider drag (the share, the odds).
        self.odds = SteadyLabel()
        self.odds.label.setObjectName("kpiOdds")
        self.odds.label.setToolTip(glossary_tip("", "odds", "breakeven"))
        self.caption = SteadyLabel()
        self.caption.label.setObjectName("kpiCaption")
        self.caption.label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        heading = QLabel(tr("Scenario vs baseline"))
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        delta_font = self.tiles[0].delta.font()
        delta_font.setBold(True)
        for tile in self.tiles:
            tile.delta.setFont(delta_font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)  # tiles have frames of their own; 4 px overflowed the column at 1366x768
        layout.addWidget(heading)
        for tile in self.tiles:
            layout.addWidget(tile)
        layout.addWidget(self.odds)
        layout.addWidget(self.caption)
        self._computed_for = ""  # the caption for the results on screen
        workspace.resultsReady.connect(self._on_results)
        workspace.dataLoaded.connect(self._on_data)
        workspace.staleChanged.connect(self._on_stale)
        workspace.errorRaised.connect(self._on_error)
        self._on_results()

    def _on_error(self, _message: str) -> None:
        self._on_stale(self._ws.is_stale)

    def _on_data(self) -> None:
        if self._ws.results is None:
            for tile in self.tiles:
                tile.clear()
            self.caption.setText(tr("Computing\u2026"))

    def _on_results(self) -> None:
        results = self._ws.results
        if results is None:
            for tile in self.tiles:
                tile.clear()
            self.caption.setText("")
            self.odds.setText("")
            return
        s, b = results.scenario_kpis, results.baseline_kpis
        self.odds.setText(odds_text(s.prob_beats_baseline, s.breakeven_month, results.scenario.months))
        currency = self._ws.currency
        errors: dict[str, float] = getattr(results, "standard_errors", {})
        for tile in self.tiles:
            field = tile.spec.field
            tile.show_values(getattr(s, field), getattr(b, field), currency, errors.get(field))
        share = results.scenario.brand_share
        if share is None and results.scenario == self._ws.scenario:
            budget = self._ws.effective_budget  # the budget's own split (computed once per document)
            share = budget.brand_share if budget is not None else None
        self._computed_for = tr("{months} months, brand share {share}, {paths} simulated paths.").format(
            months=results.scenario.months,
            share=format_share(share) if share is not None else DASH,
            paths=format_number(results.paths),
        )
        self.caption.setText(self._computed_for)
        self._on_stale(self._ws.is_stale)

    def _on_stale(self, stale: bool) -> None:
        """Dim the tiles and say so while they show another scenario's figures."""
        stale = stale and self._ws.results is not None
        for tile in self.tiles:
            set_dimmed(tile, stale)
        if self._ws.results is not None:
            text = self._computed_for
            self.caption.setText(f"{stale_text(self._ws)} {text}" if stale else text)

    def is_dimmed(self) -> bool:
        """True while the tiles are faded as not current."""
        return any(is_dimmed(tile) for tile in self.tiles)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Re-colour the differences when the palette switches between light and dark."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._on_results()

    def values(self) -> dict[str, str]:
        """The texts on screen per KPI field (tests read what a user reads)."""
        return {tile.spec.field: tile.value.text() for tile in self.tiles}
