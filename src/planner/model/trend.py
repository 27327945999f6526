"""Growth: a log-linear trend in monthly volumes and deal sizes, shrunk towards no growth.

Why shrunk: two or three noisy years of a CRM export can look like a boom or
a slump by chance; a N(0, 15 %/year) prior on the growth rate keeps a
stationary company flat while a real 30 %/year company still shows most of
its growth. Used by the back-test (each cutoff's forecast) and by the
calibration (so a growing or shrinking company is not planned flat).
"""

from __future__ import annotations

import math

import numpy as np

TREND_SD_PER_YEAR = 0.15
WINDOW_MONTHS = 36


def volume_trend(counts: np.ndarray, season: np.ndarray | None = None, start: int = 0) -> tuple[float, float, float, float]:
    """Poisson log-linear level and trend (per month, centred time) with the growth prior.

    Newton steps to the penalised maximum; the inverse Hessian is the Laplace covariance (diagonal kept).
    Returns (level, trend, var_level, var_trend).
    """
    n = counts.size
    t = np.arange(n) - (n - 1) / 2.0
    cal = np.arange(n) % 12
    s = season[(cal + start) % 12] if season is not None and season.size == 12 else np.ones(n)
    sd = TREND_SD_PER_YEAR / 12.0
    level = math.log(max(counts.sum(), 0.5) / max(s.sum(), 1e-9))
    trend = 0.0
    h = np.eye(2)
    for _ in range(8):
        mu = s * np.exp(level + trend * t)
        g = np.array([np.sum(counts - mu), np.sum((counts - mu) * t) - trend / sd**2])
        h = np.array([[mu.sum(), (mu * t).sum()], [(mu * t).sum(), (mu * t * t).sum() + 1.0 / sd**2]])
        step = np.linalg.solve(h, g)
        level, trend = level + step[0], trend + step[1]
    cov = np.linalg.inv(h)
    return float(level), float(trend), float(cov[0, 0]), float(cov[1, 1])


def size_trend(log_amounts: np.ndarray, t: np.ndarray, sd_all: float) -> tuple[float, float, float, float, float]:
    """Log deal size at t = 0, its monthly trend (ridge with the growth prior), residual sd and both variances."""
    n = log_amounts.size
    sd = float(max(log_amounts.std(), 0.1)) if n >= 5 else sd_all
    prior_prec = (TREND_SD_PER_YEAR / 12.0) ** -2 * sd**2  # in units of the residual variance
    x = np.column_stack([np.ones(n), t])
    xtx = x.T @ x + np.diag([1e-9, prior_prec])
    beta = np.linalg.solve(xtx, x.T @ log_amounts)
    cov = np.linalg.inv(xtx) * sd**2
    return float(beta[0]), float(beta[1]), sd, float(cov[0, 0]), float(cov[1, 1])


def monthly_growth(created: np.ndarray, today: np.datetime64) -> float:
    """Monthly log growth of opportunities created, over up to the last 36 complete months (0 when too few)."""
    return monthly_growth_fit(created, today)[0]


def monthly_growth_fit(created: np.ndarray, today: np.datetime64) -> tuple[float, float]:
    """Monthly log growth of opportunities created and its posterior sd (0 and the prior's sd when too few)."""
    prior = (0.0, TREND_SD_PER_YEAR / 12.0)
    if created.size == 0:
        return prior
    last = int(today.astype("datetime64[M]").astype(np.int64)) - 1
    months = created.astype("datetime64[M]").astype(np.int64)
    first = max(int(months.min()), last - WINDOW_MONTHS + 1)
    if last - first + 1 < 12:
        return prior
    sel = (months >= first) & (months <= last)
    counts = np.bincount(months[sel] - first, minlength=last - first + 1).astype(np.float64)
    if counts.sum() < 24:
        return prior
    _, trend, _, var = volume_trend(counts)
    return trend, math.sqrt(var)


def deal_size_growth(amounts: np.ndarray, closed: np.ndarray, today: np.datetime64) -> float:
    """Monthly log growth of won deal sizes over up to the last 36 months (0 when fewer than 12 wins)."""
    return deal_size_growth_fit(amounts, closed, today)[0]


def deal_size_growth_fit(amounts: np.ndarray, closed: np.ndarray, today: np.datetime64) -> tuple[float, float]:
    """Monthly log growth of won deal sizes and its posterior sd (0 and the prior's sd when too few wins)."""
    prior = (0.0, TREND_SD_PER_YEAR / 12.0)
    ok = np.isfinite(amounts) & (amounts > 0) & ~np.isnat(closed)
    if ok.sum() < 12:
        return prior
    t = (closed[ok].astype("datetime64[M]").astype(np.int64) - int(today.astype("datetime64[M]").astype(np.int64)))
    keep = t > -WINDOW_MONTHS
    if keep.sum() < 12:
        return prior
    log_a = np.log(amounts[ok][keep])
    _, trend, _, _, var = size_trend(log_a, t[keep].astype(np.float64) - t[keep].mean(), float(log_a.std()))
    return trend, math.sqrt(var)
