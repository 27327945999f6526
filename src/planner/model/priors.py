"""What we believe about each assumption before (and after) the data: a distribution over its range.

Why: an assumption's single default hides how unsure it is. Every assumption
in `assumptions.py` gets a prior over its documented range, centred on its
default: a scaled Beta with its mode at the default and concentration
alpha + beta = 6 (a plausible range is then roughly the P1-P99 of the
prior). Ranges that span an order of magnitude or more (saturation points,
dispersion, heterogeneity) get the Beta on the log scale, so "4.5 % of
revenue" is as far from 1.5 % as from 13.5 %.

A `Belief` is a distribution stored as its quantile function on a fixed grid
of probabilities: priors and posteriors (a weighted sample from the history
fit, `history.py`, or a lift test) share one form, are cheap to draw from
with stratified uniforms, and serialise as a short list.

Each assumption also carries a one-line "what would settle it": the test or
data field that would replace the prior with evidence (shown next to the
sensitivity ranking).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import overload

import numpy as np
import numpy.typing as npt
from scipy import stats

from planner.model.assumptions import ASSUMPTIONS, Assumption, get

CONCENTRATION = 6.0  # alpha + beta of the scaled Beta prior
_GRID = np.concatenate([[0.0005], np.linspace(0.005, 0.995, 100), [0.9995]])

# assumptions whose draws change the simulated paths (the rest are valuation conventions or
# facts the data already carry: see docs/model.md, "What the model cannot know")
DRAWN: tuple[str, ...] = (
    "brand_half_life", "demand_half_life", "brand_saturation", "brand_slope", "demand_saturation",
    "demand_slope", "brand_lag_months", "brand_activation_lift", "brand_volume_lift", "brand_win_lift",
    "brand_price_lift", "brand_existing_effect", "mql_acceptance", "demand_baseline_share",
    "demand_dispersion", "demand_persistence", "first_renewal_retention",
    "retention_heterogeneity", "expansion_rate",
)

SETTLE: dict[str, str] = {
    "brand_half_life": "A brand pulse (one quarter of extra brand spend) and 12 months of inbound opportunities after it; or 24+ months of spend history in the budget file.",
    "demand_half_life": "Pause one lead-gen channel for a month and count demand opportunities over the next two months.",
    "brand_saturation": "Spend history at several brand spend levels (past months of actual spend in the budget file).",
    "brand_slope": "Spend history at three or more brand spend levels.",
    "demand_saturation": "A lead-gen spend step (+30 % for a quarter) and the MQLs it brought.",
    "demand_slope": "Spend history at three or more lead-gen spend levels.",
    "brand_lag_months": "A first-touch date per opportunity in the CRM, or how many months inbound follows a brand pulse.",
    "brand_activation_lift": "MQL acceptance of leads who knew the brand before first contact vs those who did not (a lead-survey field).",
    "brand_volume_lift": "A brand holdout (regions or months without brand spend) measuring inbound opportunities: enter it as a lift test.",
    "brand_win_lift": "Win rates of deals whose buyer knew the brand before first contact (a 'how did you hear of us' field).",
    "brand_price_lift": "Discount per deal (list vs closed amount) in the CRM.",
    "brand_existing_effect": "Renewal rates of customers reached by brand campaigns vs not.",
    "mql_acceptance": "MQL and sales-accepted counts from the marketing automation system.",
    "demand_baseline_share": "A lead-source value for sales outbound and partners in the CRM.",
    "demand_dispersion": "24+ months of demand opportunity counts (the CRM export's history).",
    "demand_persistence": "Month-to-month correlation of demand opportunity counts over 24+ months.",
    "gross_margin": "The finance team's gross margin (1 - cost of revenue / revenue).",
    "win_rate_prior": "More closed deals per lead source.",
    "first_renewal_retention": "An account column in the CRM export (renewals per customer).",
    "retention_heterogeneity": "An account column with three or more years of renewals.",
    "expansion_rate": "Renewal amounts per account (an account column in the CRM export).",
    "recurring_share": "A contract-type field per deal (subscription vs one-off).",
    "discount_rate": "The finance team's cost of capital.",
    "ltv_years": "The finance team's policy for customer lifetime value.",
}


def _log_scale(spec: Assumption) -> bool:
    return spec.low > 0 and spec.high / spec.low >= 10.0


@dataclass(frozen=True)
class Belief:
    """One assumption's distribution: values at the fixed probabilities `_GRID` (non-decreasing)."""

    key: str
    values: tuple[float, ...]
    source: str = "prior"  # "prior" | "history" | "lift" | "history+lift"

    @overload
    def ppf(self, u: float) -> float: ...

    @overload
    def ppf(self, u: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]: ...

    def ppf(self, u: npt.NDArray[np.float64] | float) -> npt.NDArray[np.float64] | float:
        """Quantile function (linear between grid points; flat beyond the outermost ones)."""
        return np.interp(u, _GRID, np.asarray(self.values, dtype=np.float64))

    def quantiles(self) -> dict[str, float]:
        p10, p50, p90 = self.ppf(np.array([0.1, 0.5, 0.9]))
        return {"p10": float(p10), "p50": float(p50), "p90": float(p90)}

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.ppf(rng.random(n))


def prior(key: str) -> Belief:
    """The scaled-Beta prior of assumption `key`: mode at its default, over its documented range."""
    spec = get(key)
    to = (lambda v: math.log(v)) if _log_scale(spec) else (lambda v: v)
    lo, hi, mode_x = to(spec.low), to(spec.high), to(spec.value)
    m = 0.5 if hi <= lo else min(max((mode_x - lo) / (hi - lo), 0.0), 1.0)
    a = 1.0 + m * (CONCENTRATION - 2.0)
    b = 1.0 + (1.0 - m) * (CONCENTRATION - 2.0)
    x = lo + (hi - lo) * stats.beta.ppf(_GRID, a, b)
    values = np.exp(x) if _log_scale(spec) else x
    return Belief(key, tuple(float(v) for v in np.clip(values, spec.low, spec.high)))


PRIORS: dict[str, Belief] = {a.key: prior(a.key) for a in ASSUMPTIONS}


def from_weighted_sample(key: str, values: np.ndarray, weights: np.ndarray, source: str) -> Belief:
    """A posterior from an importance-weighted sample: the weighted quantiles on the grid."""
    order = np.argsort(values)
    v, w = np.asarray(values, dtype=np.float64)[order], np.asarray(weights, dtype=np.float64)[order]
    cdf = np.cumsum(w)
    cdf = (cdf - 0.5 * w) / cdf[-1]
    return Belief(key, tuple(float(x) for x in np.interp(_GRID, cdf, v)), source)


def beliefs(overrides: Mapping[str, Belief] | None = None) -> dict[str, Belief]:
    """Every assumption's current belief: the prior, unless the history or a lift test updated it."""
    out = dict(PRIORS)
    out.update(overrides or {})
    return out


def centred_on(belief: Belief, value: float) -> Belief:
    """`belief` moved so its median is `value` (the user set the assumption): same spread, clipped to range.

    Multiplicative for log-scale assumptions, additive otherwise, so a user's
    value keeps the uncertainty we have about it instead of becoming certain.
    """
    spec = get(belief.key)
    arr = np.asarray(belief.values)
    median = float(belief.ppf(0.5))
    if _log_scale(spec) and median > 0 and value > 0:
        moved = arr * (value / median)
    else:
        moved = arr + (value - median)
    return Belief(belief.key, tuple(float(v) for v in np.clip(moved, spec.low, spec.high)), belief.source)


def to_dict(belief: Belief) -> dict[str, float]:
    return {k: round(v, 6) for k, v in belief.quantiles().items()}
