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
from typing import Any

import numpy as np

from planner.model.kpi import compute_kpis, prob_beats
from planner.model.session import Cancelled, ModelSession
from planner.model.simulate import make_plan, run_plan
from planner.model.uncertain import run_with_draws
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
    warnings: tuple[str, ...] = ()  # where these data disagree with the pattern the model's structure predicts
    # against today's split, path by path (same luck, same parameter draws)
    current_share: float = float("nan")
    prob_beats_by_share: np.ndarray = field(default_factory=lambda: np.zeros(0))  # P(contribution > today's)
    gain_p10_by_share: np.ndarray = field(default_factory=lambda: np.zeros(0))  # P10 of the contribution gain
    robust_share: float = float("nan")  # the share with the best P10 gain over today's split

    def frontier(self) -> list[dict[str, float | bool]]:
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "months": self.months,
            "paths": self.paths,
            "best_share_contribution": self.best_share_contribution,
            "best_share_risk_adjusted": self.best_share_risk_adjusted,
            "best_share_by_horizon": {str(h): s for h, s in zip(self.horizons, self.best_share_by_horizon, strict=True)},
            "robust_share": self.robust_share,
            "prob_beats_by_share": [_clean(p) for p in self.prob_beats_by_share],
            "frontier": self.frontier(),
            "warnings": list(self.warnings),
        }


def _clean(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


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
    draws = session.draws(scenario, seed, paths)
    today = compute_kpis(run_with_draws(calibration, base, months, noise, draws, seed=seed))
    today_paths = today.path_totals["contribution"]
    beats, gain_p10 = [], []
    rows: dict[str, list[float]] = {k: [] for k in (
        "revenue_mean", "revenue_p10", "revenue_cv_monthly", "contribution", "contribution_p10",
        "gross_margin_pct", "win_rate", "mqls")}
    by_horizon = np.zeros((len(horizons), grid.size))
    for j, share in enumerate(grid):
        if cancel is not None and cancel():
            raise Cancelled()
        applied = apply_to_budget(base, Scenario(brand_share=float(share), months=months))
        result = run_with_draws(calibration, applied, months, noise, draws, seed=seed)
        k = compute_kpis(result)
        gain = k.path_totals["contribution"] - today_paths
        beats.append(prob_beats(k.path_totals["contribution"], today_paths))
        gain_p10.append(float(np.quantile(gain, 0.1)))
        for key in rows:
            rows[key].append(getattr(k, key))
        cum = np.cumsum(k.monthly["contribution"])
        by_horizon[:, j] = [cum[h - 1] for h in horizons]
        if progress is not None:
            progress((j + 1) / grid.size)
    arr = {key: np.asarray(v) for key, v in rows.items()}
    best_by_horizon = tuple(float(grid[int(np.argmax(r))]) for r in by_horizon)
    return Sweep(
        months=months,
        paths=paths,
        shares=grid,
        efficient=_efficient(arr["revenue_mean"], arr["revenue_cv_monthly"]),
        best_share_contribution=float(grid[int(np.argmax(arr["contribution"]))]),
        best_share_risk_adjusted=float(grid[int(np.argmax(arr["contribution_p10"]))]),
        horizons=horizons,
        best_share_by_horizon=best_by_horizon,
        contribution_by_horizon=by_horizon,
        warnings=_pattern_warnings(horizons, best_by_horizon, by_horizon, grid),
        current_share=float(calibration.brand_share_ref),
        prob_beats_by_share=np.asarray(beats, dtype=np.float64),
        gain_p10_by_share=np.asarray(gain_p10),
        robust_share=float(grid[int(np.argmax(gain_p10))]),
        **arr,
    )


def _pattern_warnings(
    horizons: tuple[int, ...], best: tuple[float, ...], by_horizon: np.ndarray, grid: np.ndarray
) -> tuple[str, ...]:
    """Say so when the best brand share does not rise with the horizon (the articles' thesis, issue #9).

    Brand acts after a lag and builds slowly while lead generation acts within
    a month, so on most data the best share for a short horizon is lower than
    for a long one. If it is not, the data (or the assumptions) disagree with
    that story, and the user should know rather than read a chart as proof.
    """
    if len(horizons) < 2 or horizons[-1] < 12:
        return ()
    # a short horizon whose curve is flat (brand's lag and monthly recognition leave a few months
    # almost untouched by the split) has no real best share: only a material preference counts
    short = by_horizon[0]
    at_long_best = short[int(np.argmax(by_horizon[-1]))]
    material = short.max() - at_long_best > 1e-3 * max(abs(short.max()), 1.0)
    if best[-1] <= best[0] and material:
        return (
            f"on these data the best brand share does not rise with the horizon ({best[0]:.0%} at {horizons[0]} "
            f"months, {best[-1]:.0%} at {horizons[-1]}): brand's longer-term payback does not show here; check the "
            "brand assumptions (lag, half-life, lifts) before reading the split as advice",
        )
    return ()


TOTAL_SCALES: tuple[float, ...] = tuple(np.round(np.arange(0.0, 3.0001, 0.1), 4).tolist())


@dataclass(frozen=True)
class TotalCurve:
    """Revenue and contribution against the total budget (split and phasing kept): Meridian's flexible budget."""

    months: int
    paths: int
    scales: np.ndarray
    spend: np.ndarray  # horizon spend at each scale
    revenue_mean: np.ndarray
    contribution_mean: np.ndarray  # within the horizon
    lifetime_contribution: np.ndarray  # installed base in the horizon + lifetime margin of customers won - spend
    mroi: np.ndarray  # lifetime gross margin per extra krone at each scale
    best_total_scale: float  # where mROI falls through 1 (the lifetime contribution is highest)

    def to_dict(self) -> dict[str, Any]:
        return {
            "best_total_scale": self.best_total_scale,
            "curve": [
                {"total_scale": float(s), "spend": float(x), "contribution_mean": float(c), "revenue_mean": float(r),
                 "lifetime_contribution": float(v), "mroi": float(m)}
                for s, x, c, r, v, m in zip(self.scales, self.spend, self.contribution_mean, self.revenue_mean,
                                            self.lifetime_contribution, self.mroi, strict=True)
            ],
        }


def total_budget(
    session: ModelSession,
    scenario: Scenario,
    *,
    scales: Sequence[float] | None = None,
    paths: int = 2000,
    seed: int = 0,
) -> TotalCurve:
    """Sweep the total budget's scale with common random numbers; mROI from expected lifetime values."""
    from planner.model.returns import total_curve

    grid = np.asarray(TOTAL_SCALES if scales is None else scales, dtype=np.float64)
    if grid.size == 0 or np.any(grid < 0):
        raise ValueError("scales must be a non-empty list of values of 0 or more")
    months = int(scenario.months)
    budget, calibration = session.prepared(scenario)
    base = apply_to_budget(budget, replace_scenario(scenario, total_scale=1.0, line_classes=()))
    noise = session.noise(seed, len(calibration.streams), months, paths)
    revenue, contribution, spend = [], [], []
    for s in grid:
        applied = apply_to_budget(base, Scenario(total_scale=float(s), months=months))
        k = compute_kpis(run_plan(calibration, make_plan(calibration, applied, months), noise, seed=seed))
        revenue.append(k.revenue_mean)
        contribution.append(k.contribution)
        spend.append(k.spend)
    values, mroi = total_curve(calibration, base, months, grid)
    lifetime = values - np.asarray(spend)
    return TotalCurve(
        months=months,
        paths=paths,
        scales=grid,
        spend=np.asarray(spend),
        revenue_mean=np.asarray(revenue),
        contribution_mean=np.asarray(contribution),
        lifetime_contribution=lifetime,
        mroi=mroi,
        best_total_scale=float(grid[int(np.argmax(lifetime))]),
    )
