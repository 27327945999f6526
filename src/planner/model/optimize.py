"""Brand-share sweep: expected contribution, downside and volatility for each split.

Every share is simulated with the *same* random numbers (common random
numbers), so differences between shares are differences of plan, not of luck,
and the curves are smooth enough to read a best point off. Because the model
is causal (month m never depends on later spend), one sweep over the longest
horizon also gives the best split for every shorter horizon.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from planner.model.kpi import compute_kpis
from planner.model.session import Cancelled, ModelSession
from planner.model.simulate import make_plan, run_plan
from planner.scenario.document import Scenario, apply_to_budget, replace_scenario

DEFAULT_SHARES: tuple[float, ...] = tuple(np.round(np.linspace(0.0, 1.0, 21), 4).tolist())
HORIZONS: tuple[int, ...] = (6, 12, 24, 36, 48, 60)


@dataclass(frozen=True)
class Sweep:
    """One value per brand share (arrays aligned with `shares`)."""

    months: int
    paths: int
    shares: np.ndarray
    revenue_mean: np.ndarray
    revenue_p10: np.ndarray
    revenue_cv_monthly: np.ndarray
    contribution: np.ndarray
    contribution_p10: np.ndarray
    gross_margin_pct: np.ndarray
    win_rate: np.ndarray
    mqls: np.ndarray
    efficient: np.ndarray  # bool: on the frontier (no other share has more revenue AND less volatility)
    best_share_contribution: float
    best_share_risk_adjusted: float  # maximises P10 contribution (a bad year is what a CFO plans for)
    horizons: tuple[int, ...] = ()
    best_share_by_horizon: tuple[float, ...] = ()  # best contribution share for each of `horizons`
    contribution_by_horizon: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)), repr=False)

    def frontier(self) -> list[dict]:
        """Expected revenue against volatility, one point per share, JSON-ready."""
        return [
            {
                "brand_share": float(s),
                "revenue_mean": float(r),
                "revenue_cv_monthly": float(c),
                "contribution": float(k),
                "efficient": bool(e),
            }
            for s, r, c, k, e in zip(
                self.shares, self.revenue_mean, self.revenue_cv_monthly, self.contribution, self.efficient, strict=True
            )
        ]

    def to_dict(self) -> dict:
        return {
            "months": self.months,
            "paths": self.paths,
            "best_share_contribution": self.best_share_contribution,
            "best_share_risk_adjusted": self.best_share_risk_adjusted,
            "best_share_by_horizon": {str(h): s for h, s in zip(self.horizons, self.best_share_by_horizon, strict=True)},
            "frontier": self.frontier(),
        }


def _efficient(revenue: np.ndarray, cv: np.ndarray) -> np.ndarray:
    n = revenue.size
    out = np.ones(n, dtype=bool)
    for i in range(n):
        better = (revenue >= revenue[i]) & (cv <= cv[i]) & ((revenue > revenue[i]) | (cv < cv[i]))
        out[i] = not better.any()
    return out


def optimize(
    session: ModelSession,
    scenario: Scenario,
    *,
    shares: Sequence[float] | None = None,
    paths: int = 2000,
    seed: int = 0,
    progress: Callable[[float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Sweep:
    """Sweep the brand share of total spend (monthly totals kept) and find the best splits.

    Calibration and random draws come from `session`, so each share's figures
    are exactly what `session.run` gives for that share at the same seed and
    path count. `cancel()` returning True raises `Cancelled`.
    """
    grid = np.asarray(DEFAULT_SHARES if shares is None else shares, dtype=np.float64)
    if grid.size == 0 or np.any((grid < 0) | (grid > 1)):
        raise ValueError("shares must be a non-empty list of values between 0 and 1")
    months = int(scenario.months)
    budget, calibration = session.prepared(scenario)
    base = apply_to_budget(budget, replace_scenario(scenario, brand_share=None))
    horizons = tuple(h for h in HORIZONS if h < months) + (months,)
    noise = session.noise(seed, len(calibration.streams), months, paths)
    rows: dict[str, list[float]] = {k: [] for k in (
        "revenue_mean", "revenue_p10", "revenue_cv_monthly", "contribution", "contribution_p10",
        "gross_margin_pct", "win_rate", "mqls")}
    by_horizon = np.zeros((len(horizons), grid.size))
    for j, share in enumerate(grid):
        if cancel is not None and cancel():
            raise Cancelled()
        applied = apply_to_budget(base, Scenario(brand_share=float(share), months=months))
        result = run_plan(calibration, make_plan(calibration, applied, months), noise, seed=seed)
        k = compute_kpis(result)
        for key in rows:
            rows[key].append(getattr(k, key))
        cum = np.cumsum(k.monthly["contribution"])
        by_horizon[:, j] = [cum[h - 1] for h in horizons]
        if progress is not None:
            progress((j + 1) / grid.size)
    arr = {key: np.asarray(v) for key, v in rows.items()}
    return Sweep(
        months=months,
        paths=paths,
        shares=grid,
        efficient=_efficient(arr["revenue_mean"], arr["revenue_cv_monthly"]),
        best_share_contribution=float(grid[int(np.argmax(arr["contribution"]))]),
        best_share_risk_adjusted=float(grid[int(np.argmax(arr["contribution_p10"]))]),
        horizons=horizons,
        best_share_by_horizon=tuple(float(grid[int(np.argmax(r))]) for r in by_horizon),
        contribution_by_horizon=by_horizon,
        **arr,
    )
