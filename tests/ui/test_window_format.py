"""Numbers as people in the meeting read them: locale separators, the file's currency, signs."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QLocale

from planner.ui.format import (
    DASH,
    MINUS,
    currency_label,
    format_compact,
    format_money,
    format_month_label,
    format_months,
    format_number,
    format_percent,
    format_points,
    format_share,
)

EN = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
DA = QLocale(QLocale.Language.Danish, QLocale.Country.Denmark)
DE = QLocale(QLocale.Language.German, QLocale.Country.Germany)
NBSP = "\u00a0"


def test_grouping_follows_the_locale() -> None:
    assert format_number(1234567, locale=EN) == "1,234,567"
    assert format_number(1234567, locale=DA) == "1.234.567"
    assert format_number(1234.5, 1, locale=DE) == "1.234,5"


def test_signs_use_a_real_minus_and_optional_plus() -> None:
    assert format_number(-42, locale=EN) == f"{MINUS}42"
    assert format_number(42, locale=EN, sign=True) == "+42"
    assert format_number(0.004, 2, locale=EN, sign=True) == "0.00"  # no "+0.00"


@pytest.mark.parametrize("value", [None, math.nan, math.inf])
def test_unknown_values_are_a_dash(value) -> None:
    for fn in (format_number, format_compact, format_percent, format_points, format_months):
        assert fn(value) == DASH
    assert format_money(value, "EUR") == DASH


def test_compact_magnitudes() -> None:
    assert format_compact(1_234_567, locale=EN) == "1.2M"
    assert format_compact(45_600, locale=EN) == "45.6k"
    assert format_compact(450_000, locale=EN) == "450k"
    assert format_compact(9_999, locale=EN) == "9,999"  # small amounts stay exact
    assert format_compact(2.5e9, locale=DA) == "2,5bn"


def test_money_in_the_files_currency() -> None:
    assert format_money(1_234_567, "EUR", locale=EN) == "\u20ac1.2M"
    assert format_money(1_234_567, "EUR", locale=DE) == f"1,2M{NBSP}\u20ac"
    assert format_money(-45_600, "DKK", locale=DA) == f"{MINUS}45,6k{NBSP}DKK"  # issue #11: one style per language
    assert format_money(-45_600, "DKK", locale=EN) == f"{MINUS}DKK{NBSP}45.6k"
    assert format_money(1234, "USD", compact=False, locale=EN) == "$1,234"
    assert format_money(500, "GBP", sign=True, locale=EN) == "+\u00a3500"
    assert format_money(1200, None, locale=EN) == "1,200"
    assert currency_label("nok") == "NOK"
    assert currency_label(None) == ""


def test_percent_points_months_share() -> None:
    assert format_percent(0.2346, locale=EN) == f"23.5{NBSP}%"
    assert format_percent(0.2346, locale=DA) == f"23,5{NBSP}%"
    assert format_points(-0.012, locale=EN) == f"{MINUS}1.2{NBSP}pp"
    assert format_points(0.012, locale=EN) == f"+1.2{NBSP}pp"
    assert format_months(7.46, locale=EN) == f"7.5{NBSP}mo"
    assert format_months(14.2, locale=EN) == f"14{NBSP}mo"
    assert format_share(0.354, locale=EN) == f"35{NBSP}%"


def test_month_labels_in_the_users_language() -> None:
    assert format_month_label("2025-03", locale=EN) == "Mar 25"
    assert format_month_label("2027-12", locale=DE).endswith(" 27")
    assert format_month_label("not a month", locale=EN) == "not a month"


def test_kpi_strip_colours_good_and_bad_news(window, qtbot) -> None:
    """More brand: fewer MQLs but the strip shows each KPI's change with its sign and colour."""
    from dataclasses import replace

    ws = window.workspace
    ws.change(replace(ws.scenario, brand_share=0.75), "test")
    qtbot.waitUntil(lambda: ws.is_settled and not ws.is_busy, timeout=60_000)
    strip = window.controls.kpis
    s, b = ws.results.scenario_kpis, ws.results.baseline_kpis
    for tile in strip.tiles:
        field = tile.spec.field
        diff = getattr(s, field) - getattr(b, field)
        text = tile.delta.text()
        assert text.startswith(("+", MINUS)) or not text.strip("0.,%pmoDKEUR\u20ac\u00a0 ")
        colour = tile.delta.styleSheet()
        if text.startswith(("+", MINUS)) and not tile.noise:
            good = (diff > 0) == tile.spec.higher_is_better
            assert ("#1a7f4b" in colour) == good, (field, text, colour)
        elif tile.noise:  # within the Monte Carlo noise of the paired difference: neutral, never good or bad
            assert "#1a7f4b" not in colour and "#c62828" not in colour, (field, text, colour)
        assert tile.baseline.text().startswith("Baseline")
    assert "75" in strip.caption.text() and "2,000" in strip.caption.text()


def test_month_axis_labels_as_many_months_as_fit(qapp) -> None:
    from planner.ui.axes import MonthAxis, month_labels

    axis = MonthAxis("bottom")
    labels = month_labels(tuple(f"{2027 + i // 12}-{i % 12 + 1:02d}" for i in range(36)), 36)
    assert labels[0] == "Jan 27" and labels[13] == "Feb 28"
    axis.set_months(labels)
    narrow = axis.tickValues(-0.3, 35.3, 250)[0]
    wide = axis.tickValues(-0.3, 35.3, 1400)[0]
    assert narrow[0] > wide[0]  # fewer labels when there is less room
    assert 250 / 36 * narrow[0] >= axis.label_px  # and they never overlap
    assert axis.tickStrings(narrow[1], 1.0, narrow[0])[0] == "Jan 27"
    assert month_labels((), 3) == ["M1", "M2", "M3"]


@pytest.mark.parametrize(
    ("scenario", "baseline"), [(float("nan"), 7.5), (7.5, float("nan")), (float("nan"), float("nan")), (None, 7.5)]
)
def test_undefined_cac_payback_is_a_dash_not_nan(qtbot, window, scenario, baseline) -> None:
    """The model reports an undefined payback as NaN: the strip shows a dash and no colour."""
    from dataclasses import replace

    ws = window.workspace
    strip = window.controls.kpis
    shown = ws.results
    undefined = replace(
        shown,
        scenario_kpis=replace(shown.scenario_kpis, cac_payback_months=scenario),
        baseline_kpis=replace(shown.baseline_kpis, cac_payback_months=baseline),
    )
    ws.show_results(undefined)  # what the worker hands over when the model says "undefined"
    tile = next(t for t in strip.tiles if t.spec.field == "cac_payback_months")
    texts = [tile.value.text(), tile.baseline.text(), tile.delta.text(), tile.accessibleDescription()]
    assert not any("nan" in t.lower() or "none" in t.lower() for t in texts), texts
    assert tile.delta.text() == DASH
    assert tile.delta.styleSheet() == ""
    assert (tile.value.text() == DASH) == (scenario is None or scenario != scenario)
    assert tile.baseline.text().endswith(DASH) == (baseline != baseline)
    # the other tiles still show their numbers
    assert strip.values()["revenue_mean"] != DASH


def test_kpi_strip_says_the_odds_and_the_break_even_month(window, qtbot) -> None:
    """A plan that differs from the budget gets one line: how often it beats it, and when it pays back."""
    from dataclasses import replace

    from planner.ui.kpi_strip import odds_text

    ws = window.workspace
    strip = window.controls.kpis
    qtbot.waitUntil(lambda: ws.is_settled and not ws.is_busy, timeout=60_000)
    assert strip.odds.text() == ""  # the budget itself: nothing to compare
    ws.change(replace(ws.scenario, brand_share=0.6), "test")
    qtbot.waitUntil(lambda: ws.is_settled and not ws.is_busy, timeout=60_000)
    s = ws.results.scenario_kpis
    assert strip.odds.text() == odds_text(s.prob_beats_baseline, s.breakeven_month, ws.scenario.months)
    assert f"{s.prob_beats_baseline:.0%}".replace("%", "") in strip.odds.text().replace("\u00a0", "")
    assert odds_text(0.86, 18.0, 36).replace("\u00a0", " ") == (
        "Beats the budget's contribution in 86 % of simulated futures; breaks even in month 18."
    )
    assert odds_text(0.4, float("nan"), 12).endswith("does not break even within 12 months.")
