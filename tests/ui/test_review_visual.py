"""Bugs seen on the merged window's screenshots, checked by machine.

- A fraction axis whose label is set after its SI prefix was switched off
  got rescaled by 1000 (the volatility chart read "5,000 %" for 5 %).
- The qualified pipeline took the scenario colour, so an orange or green
  scenario drew it in the demand or intent colour.
"""

from __future__ import annotations

import pytest

from planner.scenario.collection import PALETTE


def _colour_gap(a, b) -> float:
    return abs(a.redF() - b.redF()) + abs(a.greenF() - b.greenF()) + abs(a.blueF() - b.blueF())


def test_no_chart_axis_rescales_its_ticks_by_an_si_prefix(window) -> None:
    for card in window.charts.cards:
        item = card.plot.getPlotItem()
        for side in ("left", "bottom"):
            assert item.getAxis(side).autoSIPrefixScale == 1.0, (card.objectName(), side)
    health_axis = window.model_health.plot.getAxis("left")
    assert health_axis.autoSIPrefixScale == 1.0


def test_volatility_ticks_read_as_the_cv_they_mark(window) -> None:
    axis = window.charts.volatility.plot.getPlotItem().getAxis("bottom")
    view = window.charts.volatility.plot.getPlotItem().getViewBox()
    lo, hi = view.viewRange()[0]
    spacing, values = axis.tickValues(lo, hi, 300)[0]
    labels = axis.tickStrings(values, axis.scale * axis.autoSIPrefixScale, spacing)
    shown = [float(label.split("\xa0")[0].replace(",", "")) for label in labels]
    assert shown == pytest.approx([v * 100 for v in values])
    cv = window.workspace.results.scenario_kpis.revenue_cv_monthly
    assert hi < 3 * cv  # the axis frames the bars, a CV of ~10 % is not on a 0..10,000 % scale


@pytest.mark.parametrize("colour", PALETTE)
def test_pipeline_series_stay_apart_for_every_scenario_colour(window, colour) -> None:
    charts = window.charts
    charts.set_scenario_colour(colour)
    pens = [charts.pipe_intent.opts["pen"].color(), charts.pipe_demand.opts["pen"].color(),
            charts.pipe_qual.opts["pen"].color()]
    for i in range(3):
        for j in range(i + 1, 3):
            assert _colour_gap(pens[i], pens[j]) > 0.5, (colour, pens[i].name(), pens[j].name())


def test_compare_table_lines_never_read_alike(window) -> None:
    from planner.i18n import set_language
    from planner.ui.compare_view import kpi_rows

    kpis = window.workspace.results.scenario_kpis
    for lang in ("en", "da", "nb", "de"):
        set_language(lang)
        try:
            labels = [row.label for row in kpi_rows(kpis)]
        finally:
            set_language("en")
        assert len(labels) == len(set(labels)), (lang, labels)


def test_scenario_plots_name_months_as_the_main_charts_do(qtbot, window) -> None:
    """Compare and workshop charts say "Jan 27" like the main charts, not "2027-01"."""
    from planner.ui.axes import MoneyAxis, MonthAxis, month_labels
    from planner.ui.chart_card import ChartCard
    from planner.ui.scenario_plots import Plotted, draw_lines

    results = window.workspace.results
    row = Plotted("s", "S", "#0072B2", results.scenario_kpis, results.baseline_kpis, results.labels)
    card = ChartCard("probe", "Probe", "", MoneyAxis("left"), MonthAxis("bottom"))
    qtbot.addWidget(card)
    draw_lines(card, [row], "revenue")
    axis = card.plot.getPlotItem().getAxis("bottom")
    assert axis._labels == month_labels(tuple(results.labels), len(results.labels))
    assert axis._labels and not any(label[:4].isdigit() and "-" in label for label in axis._labels)


def test_the_unnamed_scenario_is_named_in_the_ui_language() -> None:
    """Compare and workshop showed "Scenario" in a German window whose scenario bar said "Szenario"."""
    from planner.i18n import set_language
    from planner.scenario.document import Scenario
    from planner.ui.scenario_bar import display_name

    for lang in ("da", "de"):  # Norwegian says "Scenario" too
        set_language(lang)
        try:
            shown = display_name(Scenario().name)
        finally:
            set_language("en")
        assert shown != "Scenario", lang
    assert display_name("Brand push") == "Brand push"


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768)])
def test_control_column_needs_no_scroll_bar_on_a_laptop_or_projector(qtbot, window, size) -> None:
    """A projector user at 1366x768 should not have to scroll to the KPI strip's last tile."""
    window.resize(*size)
    qtbot.waitUntil(lambda: window.control_scroll.viewport().height() < size[1], timeout=5_000)
    qtbot.wait(100)
    assert window.control_scroll.verticalScrollBar().maximum() == 0
