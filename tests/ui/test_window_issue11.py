"""Issue #11: the window as a CFO, a workshop projector and a newcomer see it.

Welcome page, the import notice bar and report, window geometry on small
screens, the glossary behind every KPI and chart title, and the KPI strip's
noise band (a change the simulation alone could produce is grey).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QRect, QSize, Qt
from tests.ui.conftest import make_budget, make_deals

from planner.io.notices import Notice
from planner.resources import demo_paths
from planner.ui.import_report import (
    ImportReport,
    budget_report,
    crm_report,
    failed_report,
    report_html,
)
from planner.ui.main_window import MainWindow
from planner.ui.window_geometry import default_rect, fit_rect
from planner.ui.workspace import Workspace


@pytest.fixture
def empty_window(qtbot):
    win = MainWindow(Workspace(paths=1_000, coarse_paths=300, fine_delay_ms=30))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def test_empty_window_shows_the_welcome_not_empty_charts(qtbot, empty_window) -> None:
    win = empty_window
    assert win.overview.currentWidget() is win.welcome
    assert win.welcome.open_button.text() and win.welcome.demo_button.text()
    win.welcome.demo_button.click()
    qtbot.waitUntil(lambda: win.workspace.has_data(), timeout=60_000)
    assert win.overview.currentWidget() is win.charts


def test_every_view_gets_the_full_height(window) -> None:
    """Charts and the five panels are tabs: a panel is never squeezed under the charts."""
    assert [window.panels.tabText(i) for i in range(window.panels.count())] == [
        "Charts", "Budget", "Lead sources", "Assumptions", "Best split", "Model health",
    ]  # fmt: skip
    window.resize(1280, 800)
    window.show_panel(window.panel_index["bestSplit"])
    assert window.best_split.height() > 500


def test_window_fits_a_small_screen() -> None:
    minimum = QSize(1024, 640)
    projector = QRect(0, 0, 1366, 728)  # 1366x768 less a task bar
    rect = default_rect(projector, minimum)
    assert projector.contains(rect) and rect.width() == 1366 and rect.height() == 728
    saved_on_big_screen = QRect(300, 200, 1900, 1000)
    fitted = fit_rect(saved_on_big_screen, projector, minimum)
    assert projector.contains(fitted)
    assert fit_rect(QRect(10, 10, 1200, 700), projector, minimum) == QRect(10, 10, 1200, 700)


def test_import_report_names_skipped_rows_and_the_assumed_currency(small_data) -> None:
    budget, deals = small_data
    deals = replace(
        deals,
        currency=None,
        notices=(
            Notice(
                "rows_skipped",
                "18 of 59 rows skipped: amount 'TBD'",
                18,
                ("row 4: amount 'TBD' is not a number",),
            ),
        ),
    )
    report = ImportReport(
        (
            budget_report("b.xlsx", budget),
            crm_report("crm.csv", deals, "EUR"),
            failed_report("x.csv", "x.csv: no table"),
        )
    )
    html = report_html(report)
    assert (
        "18 of 59 rows skipped" in html
        and "row 4" in html
        and "EUR" in html
        and "x.csv: no table" in html
    )
    assert "crm.csv: 2 notes" in report.headline() and "x.csv: not read" in report.headline()


def test_notice_bar_and_file_menu_reopen_the_report(window, small_data) -> None:
    budget, deals = small_data
    deals = replace(deals, notices=(Notice("rows_skipped", "3 rows skipped", 3),))
    window.set_import_report(
        ImportReport((budget_report("b.xlsx", budget), crm_report("crm.csv", deals, "EUR")))
    )
    assert window.notice_bar.isVisibleTo(window) and "crm.csv: 1 notes" in window.notice_text.text()
    assert window.import_report_action.isEnabled()


def test_every_kpi_and_chart_title_reaches_the_glossary(window) -> None:
    for tile in window.controls.kpis.tiles:
        assert "Glossary" in tile.toolTip(), tile.spec.field
    for card in window.charts.cards:
        assert "Glossary" in card.title.toolTip(), card.objectName()
    tips = " ".join(t.toolTip() for t in window.controls.kpis.tiles) + " ".join(
        c.title.toolTip() for c in window.charts.cards
    )
    for term in (
        "pp (percentage points)",
        "CV (coefficient of variation)",
        "CAC payback",
        "Qualified pipeline",
        "Contribution",
        "Intent",
    ):
        assert term in tips, term


def test_a_change_within_simulation_noise_is_grey(window) -> None:
    tile = window.controls.kpis.tiles[0]
    tile.show_values(11_500_000.0, 11_500_275.0, "NOK", standard_error=5_000.0)
    assert (
        tile.noise
        and "#1a7f4b" not in tile.delta.styleSheet()
        and "#c62828" not in tile.delta.styleSheet()
    )
    assert "noise" in tile.delta.toolTip()
    tile.show_values(11_500_000.0, 11_900_000.0, "NOK", standard_error=5_000.0)
    assert not tile.noise and "#c62828" in tile.delta.styleSheet()


def test_kpi_strip_shows_contribution(window) -> None:
    assert "contribution" in window.controls.kpis.values()


def test_axis_labels_share_one_unit_and_precision() -> None:
    """No "50.0k" next to "100k", no "2.8M, 2.8M, 2.8M", no seven "0" on a count axis."""
    from planner.ui.format import compact_ticks

    assert compact_ticks([0, 50_000, 100_000, 150_000], 50_000) == ["0", "50k", "100k", "150k"]
    assert compact_ticks([2.78e6, 2.80e6, 2.82e6], 0.02e6) == ["2.78M", "2.80M", "2.82M"]
    assert compact_ticks([0, 0.2, 0.4, 0.6], 0.2) == ["0", "0.2", "0.4", "0.6"]
    assert compact_ticks([2e6, 2.5e6, 3e6], 0.5e6) == ["2.0M", "2.5M", "3.0M"]


def test_lead_sources_show_existing_business_as_the_model_treats_it(qtbot) -> None:
    from planner.ui.app import load_files_now
    from planner.ui.sources_view import COL, SourcesView

    ws = Workspace(paths=500, coarse_paths=None)
    load_files_now(ws, list(demo_paths()))
    view = SourcesView(ws)
    qtbot.addWidget(view)
    model = view.model
    existing = model.index(model.row_of("Existing Customer"), COL["class"])
    assert existing.data() == "Existing business"
    assert not view.view.horizontalHeader().stretchLastSection()
    ws.shutdown()


def test_a_source_mixing_new_and_existing_business_says_so(qtbot) -> None:
    """A lead source whose deals are partly renewals shows both, as the model splits them."""
    from planner.ui.sources_view import COL, SourcesView

    deals = make_deals()
    mixed = deals.source == "Webinar"
    deal_type = np.where(mixed & (np.arange(len(deals)) % 3 == 0), "existing", "new").astype(object)
    ws = Workspace(paths=500, coarse_paths=None)
    ws.load(make_budget(), replace(deals, deal_type=deal_type))
    view = SourcesView(ws)
    qtbot.addWidget(view)
    model = view.model
    webinar = model.index(model.row_of("Webinar"), COL["class"])
    renewals = int((mixed & (deal_type == "existing")).sum())
    assert webinar.data() == f"Demand + {renewals} existing"
    assert "renewals" in webinar.data(Qt.ItemDataRole.ToolTipRole)
    plain = model.index(model.row_of("Referral"), COL["class"])
    assert plain.data() == "Intent"
    ws.shutdown()


def _settle(qtbot, window) -> None:
    ws = window.workspace
    qtbot.waitUntil(lambda: ws.is_settled and not ws.is_busy and window.charts.shown is ws.results, timeout=60_000)


def test_results_carry_the_noise_band_of_every_banded_kpi(qtbot, window) -> None:
    ws = window.workspace
    ws.change(replace(ws.scenario, brand_share=0.6), "test")
    _settle(qtbot, window)
    errors = ws.results.standard_errors
    assert set(errors) == {"revenue_mean", "contribution", "gross_margin_pct", "revenue_cv_monthly"}
    assert all(v >= 0 for v in errors.values())
    revenue = window.controls.kpis.tiles[0]
    assert "noise" in revenue.delta.toolTip()


def test_volatility_chart_shows_the_kpis_measure(qtbot, window) -> None:
    """One measure named the same everywhere: the bars are the monthly CV the KPI strip shows."""
    _settle(qtbot, window)
    s, b = window.workspace.results.scenario_kpis, window.workspace.results.baseline_kpis
    widths = list(window.charts.vol_bars.opts["width"])
    assert widths == [b.revenue_cv_monthly, s.revenue_cv_monthly]
    assert "CV" in window.charts.volatility.subtitle.text()
    assert "CV" in window.charts.volatility.plot.getPlotItem().getAxis("bottom").labelText


def test_margin_axis_and_pipeline_legend(qtbot, window) -> None:
    _settle(qtbot, window)
    (_x, (lo, hi)) = window.charts.margin.plot.getPlotItem().getViewBox().viewRange()
    assert hi - lo >= 0.2  # not a 4-point window that turns a 0.3 pp wiggle into a swing
    legend = window.charts.pipeline.legend.text()
    assert "Baseline" not in legend and legend.count("Qualified") == 1
    assert "chance to win" in window.charts.pipeline.subtitle.text()


def test_best_split_shows_differences_honestly(qtbot, window) -> None:
    panel = window.best_split
    window.show_panel(window.panel_index["bestSplit"])
    with qtbot.waitSignal(panel.sweepFinished, timeout=120_000):
        panel.run()
    best = max(panel.sweep.contribution)
    (_x, (lo, hi)) = panel.contribution.plot.getPlotItem().getViewBox().viewRange()
    assert hi - lo >= 0.2 * abs(best)  # a fixed relative band: a 2 % spread is not a canyon
    assert "varies by" in panel.summary.text()
