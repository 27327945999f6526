"""Growth: a growing company is planned growing, a flat one flat (the trend is shrunk, not absent)."""

from __future__ import annotations

import numpy as np
import pytest
from tests.model.histories import budget_for, make_history, month_labels

from planner.model.calibrate import calibrate
from planner.model.simulate import make_plan
from planner.model.trend import monthly_growth

LABELS = month_labels("2021-01", 36)
PLAN = month_labels("2024-01", 24)


def _plan_volume(growth_per_year: float, seed: int = 0) -> tuple[float, np.ndarray]:
    """Fitted yearly growth of intent volume, and the plan's intent volume with the season divided out."""
    t = np.arange(36)
    factor = (1.0 + growth_per_year) ** (t / 12.0)
    deals = make_history(LABELS, 30.0 * factor, 40.0 * factor, seed=seed)
    budget = budget_for(PLAN, np.full(24, 30_000.0), np.full(24, 60_000.0))
    cal = calibrate(deals, budget)
    plan = make_plan(cal, budget, 24)
    season = np.array([cal.seasonality[int(m[5:7]) - 1] for m in PLAN])
    return cal.stream("intent").volume_growth * 12.0, plan.volume[list(plan.streams).index("intent")] / season


@pytest.mark.parametrize("growth", [0.3, -0.25])
def test_a_growing_or_shrinking_company_is_not_planned_flat(growth):
    fitted, volume = _plan_volume(growth)
    assert np.sign(fitted) == np.sign(growth) and abs(fitted) > 0.5 * abs(growth)  # shrunk, but most of it
    ratio = volume[-1] / volume[0]
    assert ratio == pytest.approx(np.exp(fitted * 23 / 12), rel=1e-9)
    assert (ratio > 1.2) if growth > 0 else (ratio < 0.8)


def test_a_flat_company_stays_about_flat():
    fitted, volume = _plan_volume(0.0, seed=3)
    assert abs(fitted) < 0.08 and 0.85 < volume[-1] / volume[0] < 1.15


def test_too_little_history_means_no_trend():
    created = np.array(["2024-01-05", "2024-03-01"], dtype="datetime64[D]")
    assert monthly_growth(created, np.datetime64("2024-06-30")) == 0.0
