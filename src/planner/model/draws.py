"""Parameter draws: what we do not know, drawn once per group of Monte Carlo paths.

Why groups: a path's parameters (assumptions and the data's own fitted
figures) change its plan, its landing weights and its revenue kernel, which
are the costly, luck-free part of a run. Drawing them per path would rebuild
them 10,000 times; drawing them per *group* of paths (K groups x P/K paths)
rebuilds them K times and keeps one small matrix product per group, so a run
with parameter uncertainty costs about as much as one without
(`benchmarks/model_speed.py` measures it). The K parameter sets are a Latin
hypercube over every drawn quantity (each prior's range is covered evenly by
so few groups), from one seeded generator: the same seed gives the same draws.

What is drawn, per group:

* every assumption in `priors.DRAWN` from its current `Belief` (the prior, or
  the posterior after the history fit / a lift test; centred on the user's
  value when the user set one);
* per stream, the win rate from its Beta posterior (the calibration's
  pseudo-counts), the mean log deal size from its sampling distribution
  (sigma / sqrt(won)), the mean log cycle from its own (sigma / sqrt(n)), and
  the stream's growth in volume and deal size from their Laplace posteriors;
  today's open pipeline follows the drawn win rate.

The scenario and its baseline use the same draws (the session caches them per
calibration and seed), so their difference is sharp where the data are sharp.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
from scipy import stats

from planner.model.calibrate import anchored_curves
from planner.model.calibration import Calibration, StreamFit
from planner.model.fitting import lag_pmf
from planner.model.lifecycle import Retention
from planner.model.priors import DRAWN, Belief, beliefs

MAX_GROUPS = 8
PATHS_PER_GROUP = 250
# A preview while a slider moves (1,000 paths) runs 2 groups instead of 4: each group costs a plan, a
# revenue kernel and a count table, and 2 groups put the preview as close to the settled 10,000-path
# figures as 4 do (`python -m benchmarks.preview_accuracy` measures both), at about half the cost.
PREVIEW_PATHS_PER_GROUP = 500


def groups_for(paths: int, *, preview: bool = False) -> int:
    """How many parameter groups a run of `paths` paths gets (at least 250 paths of luck per group;
    500 for a `preview`)."""
    per_group = PREVIEW_PATHS_PER_GROUP if preview else PATHS_PER_GROUP
    return int(min(MAX_GROUPS, max(1, paths // per_group)))


@dataclass(frozen=True)
class ParameterDraws:
    """K parameter sets and the calibration each one implies (index k = group k)."""

    assumptions: tuple[dict[str, float], ...]
    calibrations: tuple[Calibration, ...]

    @property
    def groups(self) -> int:
        return len(self.calibrations)

    def bounds(self, paths: int) -> np.ndarray:
        """Path index where each group starts, and the end (K + 1 values)."""
        return np.linspace(0, paths, self.groups + 1).round().astype(int)


def latin_hypercube(rng: np.random.Generator, n: int, dims: int) -> np.ndarray:
    """(n, dims) uniforms, each column one draw per stratum [i/n, (i+1)/n) in random order."""
    u = rng.random((n, dims))
    strata = np.argsort(rng.random((n, dims)), axis=0)
    return (strata + u) / n


def draw_parameters(
    calibration: Calibration, groups: int, seed: int, current: Mapping[str, Belief] | None = None
) -> ParameterDraws:
    """`groups` parameter sets for `calibration` (its assumptions are each belief's centre when set by the user)."""
    found = beliefs(current)
    streams = calibration.streams
    n_s = len(streams)
    rng = np.random.default_rng([int(seed), 0x9A7])
    u = latin_hypercube(rng, groups, len(DRAWN) + 5 * n_s)
    normal = stats.norm.ppf(u[:, len(DRAWN):])
    sets: list[dict[str, float]] = []
    for k in range(groups):
        a = dict(calibration.assumptions)
        for j, key in enumerate(DRAWN):
            a[key] = float(found[key].ppf(u[k, j]))
        sets.append(a)
    win_u = u[:, len(DRAWN):len(DRAWN) + n_s]
    calibrations = tuple(
        _group_calibration(calibration, sets[k], win_u[k], normal[k, n_s:2 * n_s], normal[k, 2 * n_s:3 * n_s],
                           normal[k, 3 * n_s:4 * n_s], normal[k, 4 * n_s:])
        for k in range(groups)
    )
    return ParameterDraws(tuple(sets), calibrations)


def with_assumptions(cal: Calibration, a: Mapping[str, float]) -> Calibration:
    """`cal` re-anchored for other values of the drawn assumptions (no CRM refit; stream figures kept)."""
    values = dict(cal.assumptions)
    values.update(a)
    intent = next(f for f in cal.streams if f.name == "intent")
    demand = next(f for f in cal.streams if f.name == "demand")
    awareness_ref, intent_base, demand_base, mql_ref, mql_max = anchored_curves(
        cal.spend_brand_ref, cal.spend_demand_ref, cal.spend_scale, intent.volume, demand.volume, values
    )
    base = cal.base
    if base.retention_source != "accounts":
        base = replace(base, retention=Retention.from_people(
            values["first_renewal_retention"], values["retention_heterogeneity"], values["expansion_rate"]))
    return replace(cal, assumptions=values, base=base, awareness_ref=awareness_ref, intent_base=intent_base,
                   demand_base=demand_base, mql_ref=mql_ref, mql_max=mql_max)


def _win_rate(fit: StreamFit, u: float, prior_strength: float) -> float:
    """A draw from the stream's Beta posterior (mean = the fitted win rate, pseudo-count = closed + prior)."""
    n = fit.closed + prior_strength
    rate = min(max(fit.win_rate, 1e-6), 1 - 1e-6)
    return float(stats.beta.ppf(u, rate * n, (1.0 - rate) * n))


def _drawn_stream(
    fit: StreamFit, win: float, size_z: float, cycle_z: float, growth_z: float = 0.0, size_growth_z: float = 0.0
) -> StreamFit:
    shift = size_z * fit.size_sigma / math.sqrt(max(fit.won, 1))
    cycle_mu = fit.cycle_mu + cycle_z * fit.cycle_sigma / math.sqrt(max(fit.closed + fit.censored, 1))
    return replace(
        fit,
        win_rate=win,
        size_mu=fit.size_mu + shift,
        size_mean=fit.size_mean * math.exp(shift),
        size_m2=fit.size_m2 * math.exp(2.0 * shift),
        cycle_mu=cycle_mu,
        cycle_median_days=math.exp(cycle_mu),
        lag_pmf=lag_pmf(cycle_mu, fit.cycle_sigma),
        volume_growth=fit.volume_growth + growth_z * fit.volume_growth_sd,
        size_growth=fit.size_growth + size_growth_z * fit.size_growth_sd,
    )


def _group_calibration(
    cal: Calibration, a: dict[str, float], win_u: np.ndarray, size_z: np.ndarray, cycle_z: np.ndarray,
    growth_z: np.ndarray, size_growth_z: np.ndarray,
) -> Calibration:
    """The calibration one parameter set implies: same data, re-anchored curves, drawn stream figures."""
    wins = [_win_rate(f, float(win_u[i]), a["win_rate_prior"]) for i, f in enumerate(cal.streams)]
    streams = tuple(
        _drawn_stream(f, wins[i], float(size_z[i]), float(cycle_z[i]), float(growth_z[i]), float(size_growth_z[i]))
        for i, f in enumerate(cal.streams)
    )
    ratio = np.array([w / f.win_rate if f.win_rate > 0 else 1.0 for w, f in zip(wins, cal.streams, strict=True)])
    intent = next(f for f in streams if f.name == "intent")
    demand = next(f for f in streams if f.name == "demand")
    awareness_ref, intent_base, demand_base, mql_ref, mql_max = anchored_curves(
        cal.spend_brand_ref, cal.spend_demand_ref, cal.spend_scale, intent.volume, demand.volume, a
    )
    base = cal.base
    if base.retention_source != "accounts":
        base = replace(base, retention=Retention.from_people(
            a["first_renewal_retention"], a["retention_heterogeneity"], a["expansion_rate"]))
    return replace(
        cal,
        assumptions=a,
        streams=streams,
        base=base,
        awareness_ref=awareness_ref,
        intent_base=intent_base,
        demand_base=demand_base,
        mql_ref=mql_ref,
        mql_max=mql_max,
        open_wins=cal.open_wins * ratio[:, None],
        open_mean=cal.open_mean * ratio[:, None],
        open_var=cal.open_var * ratio[:, None],
    )
