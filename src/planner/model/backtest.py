"""An honest back-test: forecast each past year from only what was known before it, and compare.

For rolling monthly cutoffs c (at least `MIN_TRAIN` months of history before
c and 12 months of actuals after it), the CRM is cut at c: deals created
before c, with the outcome they had at c (a deal won after c was open at c).
From that alone we forecast the next 12 months of **new-business bookings**
(won amounts by close month: the figure the CRM can verify) with the model's
own bookings equation at unchanged spend, stream by stream:

    bookings_m = sum_t volume_t x win rate x deal size_t x P(closes m - t months later)
                 + what today's open deals are expected to bring

* volume: monthly new opportunities, Poisson regression on the last up to
  36 months with a **log-linear trend** (growth shrunk towards 0 by a
  N(0, 15 %/year) prior: a growing or shrinking company is not forecast
  flat, and two noisy years do not become a boom) and the calendar-month
  seasonality when 24+ months are known;
* deal size: lognormal of won amounts with its own shrunk trend;
* win rate: Beta posterior; cycle: lognormal with open deals censored.

P10-P90 comes from 2,000 paths that draw the trend, level, win rate and deal
size from their posteriors (Laplace / Beta / t) and then Poisson wins and
lognormal amounts. The naive forecast is last year's run rate: the won
new-business amount of the 12 months before c, spread evenly. Errors are
absolute percentage errors of quarterly totals (four per cutoff: seasonality
and trend both show there), averaged; coverage is how often the actual
12-month total fell inside the forecast's P10-P90.

What it does not test: the response to a spend change (the history holds
none unless the budget has past months, see `history.py`), and recognised
revenue (the installed base at a past cutoff cannot be rebuilt from a CRM
export without accounts).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from planner.io.types import Deals
from planner.model.fitting import (
    DAYS_PER_MONTH,
    beta_posterior,
    lag_pmf,
    lognormal_censored_fit,
    seasonal_index,
)
from planner.model.trend import size_trend, volume_trend

F64 = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]

MIN_TRAIN = 18
HORIZON = 12
MAX_CUTOFFS = 12
PATHS = 2000
_WINDOW = 36


@dataclass(frozen=True)
class Cutoff:
    cutoff: str  # first forecast month "YYYY-MM"
    forecast: tuple[float, ...]  # (12,) expected bookings per month
    p10: float  # 12-month total
    p50: float
    p90: float
    naive: float  # 12-month total of the run-rate forecast
    actual_monthly: tuple[float, ...]
    model_ape: float  # mean absolute percentage error of quarterly totals
    naive_ape: float

    @property
    def actual(self) -> float:
        return float(sum(self.actual_monthly))

    @property
    def covered(self) -> bool:
        return self.p10 <= self.actual <= self.p90

    def to_dict(self) -> dict[str, Any]:
        return {"cutoff": self.cutoff, "forecast_total": round(sum(self.forecast), 2), "p10": round(self.p10, 2),
                "p50": round(self.p50, 2), "p90": round(self.p90, 2), "naive_total": round(self.naive, 2),
                "actual_total": round(self.actual, 2), "model_ape": round(self.model_ape, 4),
                "naive_ape": round(self.naive_ape, 4), "covered": self.covered,
                "forecast_monthly": [round(v, 2) for v in self.forecast],
                "actual_monthly": [round(v, 2) for v in self.actual_monthly]}


@dataclass(frozen=True)
class Backtest:
    cutoffs: tuple[Cutoff, ...]
    note: str = ""

    @property
    def model_mape(self) -> float:
        return float(np.mean([c.model_ape for c in self.cutoffs])) if self.cutoffs else math.nan

    @property
    def naive_mape(self) -> float:
        return float(np.mean([c.naive_ape for c in self.cutoffs])) if self.cutoffs else math.nan

    @property
    def coverage(self) -> float:
        return float(np.mean([c.covered for c in self.cutoffs])) if self.cutoffs else math.nan

    @property
    def beats_naive(self) -> float:
        """Share of cutoffs on which the model's error was below the naive forecast's."""
        return float(np.mean([c.model_ape < c.naive_ape for c in self.cutoffs])) if self.cutoffs else math.nan

    def to_dict(self) -> dict[str, Any]:
        def clean(v: float) -> float | None:
            return None if not math.isfinite(v) else round(v, 4)

        return {"cutoffs": [c.to_dict() for c in self.cutoffs], "model_mape": clean(self.model_mape),
                "naive_mape": clean(self.naive_mape), "coverage_p10_p90": clean(self.coverage),
                "beats_naive_share": clean(self.beats_naive), "quantity": "new-business bookings",
                "horizon_months": HORIZON, "note": self.note}


def _month(dates: npt.NDArray[np.datetime64]) -> npt.NDArray[np.int64]:
    months: npt.NDArray[np.int64] = dates.astype("datetime64[M]").astype(np.int64)
    return months


def backtest(deals: Deals, *, seed: int = 0, max_cutoffs: int = MAX_CUTOFFS) -> Backtest:
    """Rolling-origin back-test of new-business bookings (see the module docstring)."""
    new = deals.deal_type != "existing"
    created = _month(deals.created)
    closed_ok = ~np.isnat(deals.closed)
    if len(deals) == 0 or not new.any():
        return Backtest((), "no new-business deals to test on")
    last_day = max(deals.created.max(), deals.closed[closed_ok].max() if closed_ok.any() else deals.created.max())
    last_complete = int(_month(np.array([last_day]))[0]) - 1  # the export's own month is incomplete
    first = int(created[new].min())
    candidates = list(range(first + MIN_TRAIN, last_complete - HORIZON + 2))
    if not candidates:
        months = last_complete - first + 1
        return Backtest((), f"{months} months of history: a back-test needs {MIN_TRAIN + HORIZON}")
    rng = np.random.default_rng([int(seed), 0xB7])
    out = tuple(_one_cutoff(deals, new, c, rng) for c in candidates[-max_cutoffs:])
    return Backtest(out, "")


def _label(month: int) -> str:
    return str(np.datetime64(month, "M"))


def _won_by_month(deals: Deals, sel: Mask, start: int, months: int) -> F64:
    closed = deals.closed
    ok = sel & deals.won & ~np.isnat(closed) & np.isfinite(deals.amount)
    m = _month(closed[ok]) - start
    keep = (m >= 0) & (m < months)
    return np.bincount(m[keep], weights=deals.amount[ok][keep], minlength=months)[:months].astype(np.float64)


def _one_cutoff(deals: Deals, new: Mask, c: int, rng: np.random.Generator) -> Cutoff:
    """Forecast the 12 months from month index c with what was known before it."""
    cut_day = np.datetime64(c, "M").astype("datetime64[D]")
    created_m = _month(deals.created)
    known = new & (deals.created < cut_day)
    closed_before = known & ~np.isnat(deals.closed) & (deals.closed < cut_day)
    won_before = closed_before & deals.won
    lost_before = closed_before & deals.lost
    open_at = known & ~closed_before
    start = max(int(created_m[known].min()), c - _WINDOW)
    months = c - start

    # volume with trend and season, per class
    exp_bookings = np.zeros(HORIZON)
    paths_total = np.zeros(PATHS)
    amounts = deals.amount
    sizes_all = amounts[won_before & np.isfinite(amounts) & (amounts > 0)]
    size_mu_all, size_sd_all = (float(np.log(sizes_all).mean()), float(max(np.log(sizes_all).std(), 0.1))) \
        if sizes_all.size else (0.0, 1.0)
    rate_all = won_before.sum() / max(closed_before.sum(), 1)
    for cls in ("intent", "demand"):
        sel = known & (deals.source_class == cls)
        if not sel.any():
            continue
        counts = np.bincount(created_m[sel] - start, minlength=months)[:months].astype(np.float64)
        season = _season(counts, start)
        level, trend, var_level, var_trend = volume_trend(counts, season, start)
        t_future = np.arange(months, months + HORIZON) - (months - 1) / 2.0
        cal = (np.arange(c, c + HORIZON)) % 12
        won_c, lost_c = int((won_before & sel).sum()), int((lost_before & sel).sum())
        p, _, _ = beta_posterior(won_c, lost_c, float(rate_all), 4.0)
        # deal size of this class with its own shrunk trend (log amount against close month)
        w_sel = won_before & sel & np.isfinite(amounts) & (amounts > 0)
        log_a = np.log(amounts[w_sel]) if w_sel.any() else np.array([size_mu_all])
        t_close = (_month(deals.closed[w_sel]) - c).astype(np.float64) if w_sel.any() else np.zeros(1)
        s_mu, s_trend, s_sd, s_var_mu, s_var_trend = size_trend(log_a, t_close, size_sd_all)
        # cycle: created -> closed days, open deals censored at the cutoff
        c_days = (deals.closed[sel & closed_before] - deals.created[sel & closed_before]).astype(np.float64)
        o_days = (cut_day - deals.created[sel & open_at]).astype(np.float64)
        if c_days.size >= 5:
            cmu, csig = lognormal_censored_fit(np.maximum(c_days, 0) + 0.5, np.maximum(o_days, 0) + 0.5)
        else:
            cmu, csig = math.log(90.0), 0.8
        pmf = lag_pmf(cmu, csig, HORIZON)
        land = np.where(np.arange(HORIZON)[:, None] >= np.arange(HORIZON)[None, :],
                        pmf[np.clip(np.arange(HORIZON)[:, None] - np.arange(HORIZON)[None, :], 0, HORIZON - 1)], 0.0)
        h = np.arange(HORIZON, dtype=np.float64)  # months after the cutoff
        size_mean = np.exp(s_mu + s_trend * h + 0.5 * s_sd**2)
        volume = np.exp(level + trend * t_future) * season[cal]
        exp_bookings += land @ (volume * p * size_mean)
        # open deals at the cutoff of this class: closing with the cycle given their age, won at p
        open_exp = _open_pipeline(deals, sel & open_at, cut_day, cmu, csig, p, float(np.exp(s_mu + 0.5 * s_sd**2)))
        exp_bookings += open_exp
        # paths: parameters from their posteriors, then Poisson wins and lognormal amounts for the year
        lv = rng.normal(level, math.sqrt(var_level), PATHS)
        tr = rng.normal(trend, math.sqrt(var_trend), PATHS)
        pw = rng.beta(p * (won_c + lost_c + 4.0), (1 - p) * (won_c + lost_c + 4.0), PATHS)
        smu = rng.normal(s_mu, math.sqrt(s_var_mu), PATHS)
        st = rng.normal(s_trend, math.sqrt(s_var_trend), PATHS)
        landed = land.sum(axis=0)  # share of each month's opportunities that closes within the year
        vol_paths = np.exp(lv[:, None] + tr[:, None] * t_future[None, :]) * season[cal][None, :]
        wins = rng.poisson((vol_paths * landed[None, :]).sum(axis=1) * pw + open_exp.sum() / max(size_mean[0], 1e-9))
        mean_size = np.exp(smu + st * HORIZON / 2.0 + 0.5 * s_sd**2)
        var_size = mean_size**2 * (math.exp(s_sd**2) - 1.0)
        paths_total += _lognormal_sum(wins, mean_size, var_size, rng)
    actual = _won_by_month(deals, new, c, HORIZON)
    run_rate = _won_by_month(deals, new, c - 12, 12).sum() / 12.0
    naive = np.full(HORIZON, run_rate)
    p10, p50, p90 = np.quantile(paths_total, [0.1, 0.5, 0.9])
    return Cutoff(_label(c), tuple(float(v) for v in exp_bookings), float(p10), float(p50), float(p90),
                  float(naive.sum()), tuple(float(v) for v in actual), _quarterly_ape(exp_bookings, actual),
                  _quarterly_ape(naive, actual))


def _season(counts: F64, start: int) -> F64:
    """Calendar-month index (mean 1) from 24+ months of counts (`fitting.seasonal_index`); else flat."""
    if counts.size < 24 or counts.sum() < 48:
        return np.ones(12)
    return seasonal_index(counts, start)


def _open_pipeline(deals: Deals, sel: Mask, cut_day: np.datetime64, cmu: float, csig: float, p: float,
                   default_size: float) -> F64:
    """Expected bookings per month from deals open at the cutoff (closing given their age, won at p)."""
    from scipy import special

    out = np.zeros(HORIZON)
    if not sel.any():
        return out
    age = np.maximum((cut_day - deals.created[sel]).astype(np.float64), 0.0) + 0.5
    amount = np.where(np.isfinite(deals.amount[sel]) & (deals.amount[sel] > 0), deals.amount[sel], default_size)
    edges = age[:, None] + DAYS_PER_MONTH * np.arange(HORIZON + 1)[None, :]
    surv = special.ndtr(-(np.log(edges) - cmu) / csig)
    closes = (surv[:, :-1] - surv[:, 1:]) / np.maximum(surv[:, :1], 1e-12)
    per_month: F64 = (amount[:, None] * closes).sum(axis=0)
    return p * per_month


def _lognormal_sum(n: F64, mean: F64, var: F64, rng: np.random.Generator) -> F64:
    """Sum of n lognormal amounts per path, as one lognormal with the sum's mean and variance."""
    m = n * mean
    v = n * var
    s2 = np.log1p(np.divide(v, np.maximum(m * m, 1e-30)))
    return np.where(n > 0, m * np.exp(np.sqrt(s2) * rng.standard_normal(n.size) - 0.5 * s2), 0.0)


def _quarterly_ape(forecast: F64, actual: F64) -> float:
    f = np.asarray(forecast).reshape(4, 3).sum(axis=1)
    a = np.asarray(actual).reshape(4, 3).sum(axis=1)
    ok = a > 0
    return float(np.mean(np.abs(f[ok] - a[ok]) / a[ok])) if ok.any() else math.nan
