"""planner.model.noise_band: the Monte Carlo standard error of a paired difference (pure numpy)."""

from __future__ import annotations

import math

import numpy as np

from planner.model.noise_band import (
    PathFigures,
    batch_cvs,
    batched_standard_error,
    difference_is_noise,
    paired_standard_error,
    standard_errors,
)


def test_pairing_removes_the_shared_noise() -> None:
    rng = np.random.default_rng(1)
    shared = rng.normal(10_000_000, 2_000_000, 10_000)
    scenario = shared + rng.normal(-275, 50, shared.size)
    se = paired_standard_error(scenario, shared)
    assert 0.3 < se < 0.7  # sd 50 / sqrt(10,000) = 0.5, not the 2M spread of each run
    assert not difference_is_noise(float((scenario - shared).mean()), se)
    unpaired = math.sqrt(2) * 2_000_000 / 100
    assert difference_is_noise(
        -275.0, unpaired
    )  # the same change against independent runs is noise


def test_unknown_error_is_never_called_noise() -> None:
    assert not difference_is_noise(1.0, None) and not difference_is_noise(1.0, math.nan)
    assert difference_is_noise(0.0, 0.0)


def test_standard_errors_of_every_banded_kpi() -> None:
    rng = np.random.default_rng(2)
    monthly = rng.gamma(5.0, 1.0, (12, 2_000)).astype(np.float32)
    other = monthly * np.float32(1.01)

    def figures(m: np.ndarray) -> PathFigures:
        rev = m.sum(axis=0, dtype=np.float64)
        return PathFigures(revenue=rev, gross_profit=0.7 * rev, monthly=m)

    errors = standard_errors(figures(other), figures(monthly))
    assert set(errors) == {"revenue_mean", "contribution", "gross_margin_pct", "revenue_cv_monthly"}
    assert all(math.isfinite(v) and v >= 0 for v in errors.values())
    assert errors["gross_margin_pct"] < 1e-9  # the same margin on every path: no noise in the ratio
    assert batched_standard_error(monthly[:, :10], monthly[:, :10]) != batched_standard_error(
        monthly[:, :10], monthly[:, :10]
    )  # too few paths: NaN


def testbatch_cvs_are_each_blocks_monthly_cv() -> None:
    """One pass over all blocks gives each block's CV: rms deviation from each month's mean over the level."""
    rng = np.random.default_rng(3)
    monthly = (rng.lognormal(16.0, 0.3, (36, 1_003)) * np.linspace(0.8, 1.3, 36)[:, None]).astype(np.float32)
    edges = np.linspace(0, monthly.shape[1], 21).astype(int)  # uneven blocks of 50 and 51 paths

    def block_cv(block: np.ndarray) -> float:
        x = block.astype(np.float64)
        month_mean = x.mean(axis=1, keepdims=True)
        return float(np.sqrt(((x - month_mean) ** 2).mean()) / month_mean.mean())

    expected = [block_cv(monthly[:, a:b]) for a, b in zip(edges[:-1], edges[1:], strict=True)]
    np.testing.assert_allclose(batch_cvs(monthly, edges), expected, rtol=1e-9)
    empty = np.zeros((36, 100), dtype=np.float32)
    assert np.isnan(batch_cvs(empty, np.array([0, 50, 100]))).all()  # no revenue: no CV, not a division error
