"""Is a KPI change real or simulation noise? The Monte Carlo standard error of a paired difference.

The window compares a scenario with its baseline, both simulated from the same
random draws (common random numbers). A difference of NOK -275 on 11.5 M is
then not news: with another seed it could as well be +275. Coloured red it
makes a CFO distrust every other figure. This module says, per KPI, how large
a difference the simulation itself produces, so the UI can show changes inside
that band as neutral.

Why paired: because scenario and baseline share their draws, path p of the
scenario and path p of the baseline differ only by the decision. The standard
error of the mean of the per-path differences is far smaller (and the honest
figure) than treating the two runs as independent.

How each KPI is treated:
- revenue_mean, contribution: means over paths of per-path horizon totals, so
  the standard error is sd(d_p) / sqrt(P) of the per-path differences d_p.
- gross_margin_pct: a ratio of two means (gross profit / revenue); its
  per-path influence (gp_p - g * rev_p) / mean(rev) linearises it (delta method).
- revenue_cv_monthly: a statistic over all paths and months, with no per-path
  value: the paths are split into batches, the KPI is computed per batch for
  both runs, and the standard error of the full-sample difference is
  sd(batch differences) / sqrt(batches) (batch means).
KPIs not listed (win rate, CAC payback) come from expected values in the
model; they get no band and the UI treats only a difference that rounds to
zero as no change.

Pure numpy; no Qt, and no import of the rest of the model (the window's KPI strip uses it at start-up).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # the window imports this module before the model (and scipy) have loaded
    from planner.model.simulate import Result

NOISE_Z = 2.0
"""A difference within two standard errors is indistinguishable from noise (about 95 %)."""

CV_BATCHES = 20


@dataclass(frozen=True)
class PathFigures:
    """The per-path numbers of one run that the standard errors need."""

    revenue: np.ndarray  # (paths,) horizon revenue of each path
    gross_profit: np.ndarray  # (paths,) horizon gross profit of each path
    monthly: np.ndarray  # (months, paths) revenue of each month and path (float32)


def path_figures(result: Result) -> PathFigures:
    """Reduce one simulation run to the per-path figures (read-only arrays are never written)."""
    rev = np.asarray(result.revenue_tp)
    gm = np.asarray(result.gross_margin_pct_monthly, dtype=np.float32)
    return PathFigures(
        revenue=rev.sum(axis=0, dtype=np.float64),
        gross_profit=np.einsum("t,tp->p", gm, rev).astype(np.float64),
        monthly=rev,
    )


def paired_standard_error(scenario: np.ndarray, baseline: np.ndarray) -> float:
    """Standard error of mean(scenario - baseline) for paired per-path values."""
    s = np.asarray(scenario, dtype=np.float64)
    b = np.asarray(baseline, dtype=np.float64)
    if s.shape != b.shape or s.size < 2:
        return math.nan
    return float(np.std(s - b, ddof=1) / math.sqrt(s.size))


def _ratio_influence(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Per-path linearisation of mean(numerator) / mean(denominator) (the delta method)."""
    mean_den = float(denominator.mean())
    if mean_den <= 0:
        return np.zeros_like(numerator)
    ratio = float(numerator.mean()) / mean_den
    return (numerator - ratio * denominator) / mean_den


def batch_cvs(monthly: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """The KPI's monthly CV (see planner.model.kpi) of each block of paths edges[i]:edges[i + 1], NaN where
    a block's level is not positive. From per-block sums and sums of squares (float64): one pass for all
    blocks instead of a Python loop over them."""
    x = np.asarray(monthly, dtype=np.float64)
    starts = edges[:-1]
    size = np.diff(edges).astype(np.float64)  # paths per block
    total = np.add.reduceat(x, starts, axis=1)  # (months, blocks)
    squares = np.add.reduceat(np.square(x), starts, axis=1)
    mean = total / size
    level = mean.mean(axis=0)
    deviation = np.maximum((squares - total * mean).sum(axis=0), 0.0)  # sum of squares about each month's mean
    rms = np.sqrt(deviation / (x.shape[0] * size))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(level > 0, rms / np.where(level > 0, level, 1.0), np.nan)


def batched_standard_error(
    scenario: np.ndarray, baseline: np.ndarray, batches: int = CV_BATCHES
) -> float:
    """Standard error of the difference in monthly CV, by batch means over paths."""
    paths = scenario.shape[1]
    if scenario.shape != baseline.shape or paths < 2 * batches:
        return math.nan
    edges = np.linspace(0, paths, batches + 1).astype(int)
    diffs = batch_cvs(scenario, edges) - batch_cvs(baseline, edges)
    if not np.all(np.isfinite(diffs)):
        return math.nan
    return float(np.std(diffs, ddof=1) / math.sqrt(batches))


def standard_errors(scenario: PathFigures, baseline: PathFigures) -> dict[str, float]:
    """KPI field -> Monte Carlo standard error of (scenario - baseline), for the KPIs that have one."""
    if scenario.revenue.shape != baseline.revenue.shape:
        return {}
    return {
        "revenue_mean": paired_standard_error(scenario.revenue, baseline.revenue),
        "contribution": paired_standard_error(scenario.gross_profit, baseline.gross_profit),
        "gross_margin_pct": paired_standard_error(
            _ratio_influence(scenario.gross_profit, scenario.revenue),
            _ratio_influence(baseline.gross_profit, baseline.revenue),
        ),
        "revenue_cv_monthly": batched_standard_error(scenario.monthly, baseline.monthly),
    }


def difference_is_noise(
    difference: float, standard_error: float | None, z: float = NOISE_Z
) -> bool:
    """True when |difference| is within `z` standard errors: the simulation alone could produce it.

    An unknown standard error (None, NaN) says nothing, so the difference is
    not called noise.
    """
    if standard_error is None or not math.isfinite(standard_error) or not math.isfinite(difference):
        return False
    return abs(difference) <= z * standard_error
