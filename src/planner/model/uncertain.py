"""A Monte Carlo run whose paths carry parameter uncertainty: one plan per parameter group.

Group k's paths use group k's calibration (`draws.py`) with their slice of the
run's random numbers, so luck and parameters are drawn jointly and a
scenario and its baseline that share draws and noise are paired path by path.
The groups' results are joined into one `Result`: per-path arrays side by
side, expected monthly figures as the paths-weighted mean over groups (the
mixture's mean), and the revenue kernel's summary figures (NRR, GRR, the
lifetime profile behind LTV) from the point calibration.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from planner.io.types import Budget
from planner.model.calibration import Calibration
from planner.model.draws import ParameterDraws
from planner.model.recognition import Recognition
from planner.model.simulate import Noise, Result, make_plan, plan_recognition, run_plan

_F = np.float32

# expected figures shaped (..., months) averaged over groups, weighted by their paths
_MEAN_FIELDS = (
    "awareness", "win_rates", "price", "gross_margin_pct_monthly", "revenue_existing_mean", "wins_existing_mean",
    "revenue_open_new_mean", "bookings_mean", "revenue_new_mean", "revenue_recurring_mean", "revenue_churned_mean",
    "arr_mean", "win_landing", "open_wins", "mqls_per_opp",
)


def run_with_draws(
    calibration: Calibration, budget: Budget, months: int, noise: Noise, draws: ParameterDraws, *, seed: int = 0
) -> Result:
    """Simulate an already scenario-applied `budget` with each parameter group on its own slice of paths."""
    paths = noise.counts.shape[2]
    if draws.groups <= 1 or paths < draws.groups:
        cal = draws.calibrations[0] if draws.groups else calibration
        return run_plan(cal, make_plan(cal, budget, months), noise, seed=seed)
    bounds = draws.bounds(paths)
    parts: list[Result] = []
    for k, cal in enumerate(draws.calibrations):
        cut = slice(int(bounds[k]), int(bounds[k + 1]))
        part_noise = Noise(noise.counts[:, :, cut], noise.normal[:, cut], noise.streak[:, cut])
        parts.append(run_plan(cal, make_plan(cal, budget, months, summaries=False), part_noise, seed=seed))
    return join(parts, calibration, plan_recognition(calibration, budget, months))


def join(parts: list[Result], calibration: Calibration, recognition: Recognition) -> Result:
    """One Result from group results (see the module docstring)."""
    sizes = np.array([p.paths for p in parts], dtype=np.float64)
    weights = sizes / sizes.sum()
    means = {name: sum(w * np.asarray(getattr(p, name), dtype=np.float64) for w, p in zip(weights, parts, strict=True))
             for name in _MEAN_FIELDS}
    gm_tp = np.concatenate(
        [np.broadcast_to(p.gross_margin_pct_monthly.astype(_F)[:, None], (p.months, p.paths)) for p in parts], axis=1
    )
    first = parts[0]
    return replace(
        first,
        paths=int(sizes.sum()),
        recognition=recognition,
        assumptions=calibration.assumptions,
        bookings_tp=np.concatenate([p.bookings_tp for p in parts], axis=1),
        counts_tp=np.concatenate([p.counts_tp for p in parts], axis=2),
        revenue_tp=np.concatenate([p.revenue_tp for p in parts], axis=1),
        gross_margin_pct_tp=gm_tp,
        **means,
    )
