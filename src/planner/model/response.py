"""Adstock (carry-over) and saturation (diminishing returns) curves.

These are the standard media-mix building blocks, written to agree with the
published formulas of PyMC-Marketing (`geometric_adstock`, `hill_function`,
`logistic_saturation`); `tests/model/test_response.py` checks that numerically.

Normalisation: our adstock is the *infinite-lag normalised* geometric adstock,
    stock_t = d * stock_{t-1} + (1 - d) * x_t,    d = 0.5 ** (1 / half_life),
so its weights (1 - d) * d**i sum to one and a steady spend of X per month
builds a stock of exactly X. That keeps the stock in "currency per month"
units, so saturation points can be stated as multiples of a monthly budget.
It equals PyMC-Marketing's `geometric_adstock(normalize=True)` times
(1 - d**l_max), i.e. the same as l_max grows; with `normalize=False` the
recursion stock_t = d * stock_{t-1} + x_t equals theirs exactly for l_max >= T.
"""

from __future__ import annotations

import numpy as np


def decay_from_half_life(half_life: float) -> float:
    """Monthly retention `d` such that half of a stock is left after `half_life` months."""
    if half_life <= 0:
        return 0.0
    return float(0.5 ** (1.0 / half_life))


def geometric_adstock(
    x: np.ndarray,
    half_life: float,
    *,
    normalize: bool = True,
    initial: float = 0.0,
) -> np.ndarray:
    """Carry-over stock of a monthly series (last axis is time).

    `initial` is the stock before the first month: we start from the steady
    state of today's spend rather than from zero, because a company that has
    advertised for years does not start with an empty memory.
    """
    x = np.asarray(x, dtype=np.float64)
    d = decay_from_half_life(half_life)
    gain = (1.0 - d) if normalize else 1.0
    out = np.empty_like(x)
    stock = np.full(x.shape[:-1], float(initial))
    for t in range(x.shape[-1]):
        stock = d * stock + gain * x[..., t]
        out[..., t] = stock
    return out


def hill(x: np.ndarray | float, half_saturation: float, slope: float = 1.0) -> np.ndarray:
    """Hill saturation x^s / (x^s + k^s): 0 at 0, 1/2 at k, approaching 1.

    Written as PyMC-Marketing's `hill_function` 1 - k^s / (k^s + x^s), which is
    the same number; negative inputs are treated as 0 (spend cannot be negative).
    """
    x = np.maximum(np.asarray(x, dtype=np.float64), 0.0)
    k = max(float(half_saturation), 1e-12)
    ratio = (x / k) ** slope
    out = ratio / (1.0 + ratio)
    # From 2**53 on, 1 + ratio rounds and the quotient can step down by one ulp as x grows;
    # 1 - 1 / (1 + ratio) is monotone there. Below it (every realistic spend) nothing changes.
    far = ratio >= 2.0**53
    if np.any(far):
        out = np.where(far, 1.0 - 1.0 / (1.0 + ratio), out)[()]
    return out


def logistic_saturation(x: np.ndarray | float, lam: float) -> np.ndarray:
    """PyMC-Marketing's logistic saturation (1 - e^(-lam x)) / (1 + e^(-lam x)) = tanh(lam x / 2).

    Offered as the alternative curve; tanh is the numerically stable form.
    """
    x = np.maximum(np.asarray(x, dtype=np.float64), 0.0)
    return np.tanh(0.5 * float(lam) * x)
