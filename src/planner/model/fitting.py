"""The statistics calibration is made of: win rates, deal sizes, sales cycles, monthly volumes.

Each function fits one thing from plain arrays, with the reason for its
choice (Beta prior, censored cycles, shrunk seasonality) in its docstring;
`calibrate.py` puts them together.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, special, stats

DAYS_PER_MONTH = 365.25 / 12
MAX_LAG = 60  # months; the longest horizon, so landing curves never need recomputing


def beta_posterior(won: int, lost: int, prior_rate: float, strength: float) -> tuple[float, float, float]:
    """Posterior mean and 90 % interval of a win rate, prior Beta centred on `prior_rate`.

    Why: a source with 3 wins out of 3 has not got a 100 % win rate; the prior
    (worth `strength` deals) pulls it towards the company's overall rate.
    """
    p = min(max(prior_rate, 0.01), 0.99)
    a = strength * p + won
    b = strength * (1 - p) + lost
    low, high = stats.beta.ppf([0.05, 0.95], a, b)
    return a / (a + b), float(low), float(high)


def lognormal_censored_fit(closed_days: np.ndarray, open_days: np.ndarray) -> tuple[float, float]:
    """MLE of a lognormal cycle length where open deals are right-censored.

    An open deal that is 200 days old tells us its cycle is longer than 200
    days, not that it was lost; ignoring it would make cycles look shorter.
    """
    logs = np.log(closed_days)
    mu0 = float(logs.mean())
    s0 = float(max(logs.std(), 0.2))
    if open_days.size == 0:
        return mu0, s0
    log_open = np.log(open_days)

    def nll(theta: np.ndarray) -> float:
        mu, log_s = theta
        s = math.exp(log_s)
        z = (logs - mu) / s
        zc = (log_open - mu) / s
        return float(0.5 * np.sum(z * z) + logs.size * log_s - np.sum(special.log_ndtr(-zc)))

    res = optimize.minimize(nll, np.array([mu0, math.log(s0)]), method="Nelder-Mead",
                            options={"xatol": 1e-4, "fatol": 1e-6, "maxiter": 400})
    mu, log_s = res.x
    if not (np.isfinite(mu) and np.isfinite(log_s)):
        return mu0, s0
    return float(mu), float(min(max(math.exp(log_s), 0.05), 3.0))


def lag_pmf(cycle_mu: float, cycle_sigma: float, months: int = MAX_LAG) -> np.ndarray:
    """P(a deal created in month t closes in month t + k), k = 0..months-1.

    Deals are created uniformly through their month, so the lag in months is
    floor(U + D / 30.44) with U uniform and D the lognormal cycle in days.
    """
    u = (np.arange(64) + 0.5) / 64
    edges = np.arange(months + 1, dtype=np.float64)
    days = (edges[:, None] - u[None, :]) * DAYS_PER_MONTH
    with np.errstate(divide="ignore"):
        z = (np.log(np.maximum(days, 1e-300)) - cycle_mu) / cycle_sigma
    cdf = np.where(days > 0, special.ndtr(z), 0.0).mean(axis=1)
    return np.diff(cdf)


def month_index(dates: np.ndarray) -> np.ndarray:
    return dates.astype("datetime64[M]").astype(np.int64)


def fit_sizes(amounts: np.ndarray) -> tuple[float, float, int]:
    a = amounts[np.isfinite(amounts) & (amounts > 0)]
    if a.size == 0:
        return float("nan"), float("nan"), 0
    logs = np.log(a)
    sigma = float(logs.std(ddof=1)) if a.size > 1 else float("nan")
    return float(logs.mean()), sigma, int(a.size)



def monthly_cv(closed: np.ndarray, amounts: np.ndarray, today: np.datetime64) -> float:
    """CV of monthly won revenue over the last (up to) 24 complete months."""
    if closed.size == 0:
        return 0.0
    m = month_index(closed)
    last = int(month_index(np.array([today]))[0]) - 1  # the month before today's (complete)
    first = max(int(m.min()), last - 23)
    if last - first + 1 < 3:
        return 0.0
    sel = (m >= first) & (m <= last)
    totals = np.bincount(m[sel] - first, weights=amounts[sel], minlength=last - first + 1)
    mean = totals.mean()
    return float(totals.std() / mean) if mean > 0 else 0.0


def complete_month_counts(dates: np.ndarray, today: np.datetime64) -> tuple[np.ndarray, int]:
    """Counts per month over complete months (today's month excluded), and the first month index."""
    if dates.size == 0:
        return np.zeros(0), 0
    m = month_index(dates)
    last = int(month_index(np.array([today]))[0]) - 1
    first = int(m.min())
    if last < first:
        return np.zeros(0), first
    sel = (m >= first) & (m <= last)
    return np.bincount(m[sel] - first, minlength=last - first + 1).astype(np.float64), first


def seasonality(created: np.ndarray, today: np.datetime64) -> tuple[np.ndarray, bool]:
    """Calendar-month index of new opportunity volume, when there are 24+ complete months.

    Each month is compared with the 12-month average around it (so growth is
    not mistaken for season), averaged per calendar month, and shrunk towards
    1 by years/(years+1) because two Januaries are weak evidence.
    """
    counts, first = complete_month_counts(created, today)
    if counts.size < 24 or counts.sum() < 48:
        return np.ones(12), False
    return seasonal_index(counts, first), True


def dispersion(created: np.ndarray, today: np.datetime64) -> float | None:
    """Negative-binomial shape suggested by the month-to-month spread of demand volumes (shown, not used)."""
    counts, _ = complete_month_counts(created, today)
    counts = counts[-24:]
    if counts.size < 12 or counts.mean() <= 0:
        return None
    mean, var = counts.mean(), counts.var(ddof=1)
    if var <= mean:
        return None
    return float(mean * mean / (var - mean))


def seasonal_index(counts: np.ndarray, first: int) -> np.ndarray:
    """Calendar-month index (mean 1) of monthly counts whose first month is `first` (months since 1970).

    Each month against the 12-month average around it (growth is not season),
    averaged per calendar month, shrunk towards 1 by years / (years + 1).
    """
    level = np.convolve(counts, np.ones(12) / 12.0, mode="same")
    # edges: the 'same' convolution sees fewer months there; use the full-window mean instead
    level[:6], level[-6:] = counts[:12].mean(), counts[-12:].mean()
    ratio = np.divide(counts, level, out=np.ones_like(counts), where=level > 0)
    cal = (np.arange(counts.size) + first) % 12  # 0 = January
    index = np.ones(12)
    for c in range(12):
        sel = cal == c
        if sel.any():
            years = sel.sum()
            index[c] = 1.0 + (ratio[sel].mean() - 1.0) * years / (years + 1.0)
    index = np.clip(index, 0.5, 1.5)
    mean: float = index.mean()
    return index / mean
