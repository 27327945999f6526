"""Adstock and saturation agree with PyMC-Marketing's published formulas, and behave."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.model.response import (
    decay_from_half_life,
    geometric_adstock,
    hill,
    logistic_saturation,
)


# --- PyMC-Marketing's formulas, re-implemented from their documentation -------------------
def pymc_geometric_adstock(x: np.ndarray, alpha: float, l_max: int, normalize: bool) -> np.ndarray:
    """pymc_marketing.mmm.transformers.geometric_adstock: y_t = sum_{i<l_max} w_i x_{t-i}, w_i = alpha^i."""
    w = alpha ** np.arange(l_max)
    if normalize:
        w = w / w.sum()
    return np.array([sum(w[i] * x[t - i] for i in range(l_max) if t - i >= 0) for t in range(len(x))])


def pymc_logistic_saturation(x: np.ndarray, lam: float) -> np.ndarray:
    return (1 - np.exp(-lam * x)) / (1 + np.exp(-lam * x))


def pymc_hill_function(x: np.ndarray, slope: float, kappa: float) -> np.ndarray:
    return 1 - kappa**slope / (kappa**slope + x**slope)


SPEND = np.array([0, 100, 50, 0, 0, 200, 10, 0, 0, 0, 80, 80, 0, 5, 0, 0, 0, 0, 300, 0], dtype=float)


def test_adstock_without_normalisation_equals_pymc_marketing() -> None:
    for half_life in (0.5, 1.0, 6.0, 12.0):
        d = decay_from_half_life(half_life)
        ours = geometric_adstock(SPEND, half_life, normalize=False)
        theirs = pymc_geometric_adstock(SPEND, d, l_max=len(SPEND), normalize=False)
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-9)


def test_normalised_adstock_is_pymc_normalised_times_weight_mass() -> None:
    """Ours uses the infinite-lag normalisation (1 - d); PyMC divides by the finite sum of weights."""
    for half_life in (1.0, 6.0, 9.0):
        d = decay_from_half_life(half_life)
        for l_max in (len(SPEND), 400):
            x = np.concatenate([SPEND, np.zeros(max(0, l_max - len(SPEND)))])
            ours = geometric_adstock(x, half_life, normalize=True)
            theirs = pymc_geometric_adstock(x, d, l_max=l_max, normalize=True)
            np.testing.assert_allclose(ours, theirs * (1 - d**l_max), rtol=1e-10, atol=1e-9)
        # and with a long window the two agree outright
        x = np.concatenate([SPEND, np.zeros(380)])
        np.testing.assert_allclose(
            geometric_adstock(x, half_life), pymc_geometric_adstock(x, d, 400, True), rtol=1e-6, atol=1e-6
        )


def test_half_life_means_half_left() -> None:
    pulse = np.zeros(30)
    pulse[0] = 1.0
    stock = geometric_adstock(pulse, 6.0, normalize=False)
    assert abs(stock[6] - 0.5) < 1e-12


def test_steady_spend_builds_a_stock_equal_to_it() -> None:
    stock = geometric_adstock(np.full(200, 1000.0), 9.0)
    assert abs(stock[-1] - 1000.0) < 1e-3
    assert np.allclose(geometric_adstock(np.full(5, 70.0), 1.0, initial=70.0), 70.0)


def test_saturation_equals_pymc_marketing() -> None:
    x = np.linspace(0, 20, 81)
    for lam in (0.1, 0.5, 2.0):
        np.testing.assert_allclose(logistic_saturation(x, lam), pymc_logistic_saturation(x, lam), atol=1e-12)
    for slope, kappa in ((0.5, 1.0), (1.0, 3.0), (2.5, 0.7)):
        np.testing.assert_allclose(hill(x, kappa, slope), pymc_hill_function(x, slope, kappa), atol=1e-12)


finite = st.floats(min_value=0.0, max_value=1e7, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(finite, min_size=1, max_size=40), st.floats(0.1, 36.0), st.booleans())
def test_adstock_properties(xs: list[float], half_life: float, normalize: bool) -> None:
    x = np.array(xs)
    y = geometric_adstock(x, half_life, normalize=normalize)
    assert np.all(y >= 0)
    assert np.all(np.isfinite(y))
    assert np.allclose(geometric_adstock(np.zeros_like(x), half_life, normalize=normalize), 0.0)
    if normalize:  # a weighted average of past spend never exceeds the largest month
        assert np.all(y <= x.max() * (1 + 1e-9) + 1e-9)
    bigger = geometric_adstock(x + 1.0, half_life, normalize=normalize)
    assert np.all(bigger >= y - 1e-6)  # more spend never lowers the stock


@settings(max_examples=80, deadline=None)
@given(finite, finite, st.floats(0.01, 100.0), st.floats(0.3, 4.0), st.floats(0.001, 10.0))
def test_saturation_properties(a: float, b: float, kappa: float, slope: float, lam: float) -> None:
    lo, hi = min(a, b), max(a, b)
    for f in (lambda v: hill(v, kappa, slope), lambda v: logistic_saturation(v, lam)):
        assert float(f(0.0)) == 0.0
        assert 0.0 <= float(f(lo)) <= float(f(hi)) <= 1.0
