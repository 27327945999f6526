"""Recurring revenue by cohort: contracts that start, renew, expand or churn (pure numpy).

Why cohorts: a B2B subscription company books annual contract value (ACV)
once but recognises it month by month for as long as the customer stays.
Counting bookings at close (the model before issue #9) made a won customer
worth one year, so cutting marketing looked free. Here every won contract
starts in its close month, is recognised as ACV / 12 per month, and at each
anniversary renews (and expands by `expansion`) or churns.

Retention is the shifted-beta-geometric (sBG) model of Fader & Hardie (2007,
"How to Project Customer Retention", J. Interactive Marketing 21(1)): each
customer has its own churn probability theta ~ Beta(alpha, beta), so the
customers who stay are the loyal ones and retention rises with tenure:

    S(t) = B(alpha, beta + t) / B(alpha, beta)           (survives t renewals)
    r(t) = S(t) / S(t - 1) = (beta + t - 1) / (alpha + beta + t - 1)

Parametrised for people by first-renewal retention r1 = r(1) = beta / (alpha + beta)
and heterogeneity h = alpha + beta (small h: retention rises strongly with tenure).

Brand acts on renewals as a log-odds shift of r(t) in the renewal's month
(`shift`), so the kernel depends on the plan's awareness path; it stays a
small deterministic (months x cohorts) matrix, and recognised revenue per
path is one matrix product with each path's bookings.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special

CONTRACT_MONTHS = 12


@dataclass(frozen=True)
class Retention:
    """sBG retention (alpha, beta) and expansion per renewal of the customers who stay."""

    alpha: float
    beta: float
    expansion: float = 0.0

    @classmethod
    def from_people(cls, first_renewal: float, heterogeneity: float, expansion: float = 0.0) -> Retention:
        """From first-renewal retention r1 and heterogeneity alpha + beta (see module docstring)."""
        r1 = min(max(float(first_renewal), 1e-6), 1 - 1e-6)
        h = max(float(heterogeneity), 1e-6)
        return cls(alpha=(1.0 - r1) * h, beta=r1 * h, expansion=float(expansion))

    @property
    def first_renewal(self) -> float:
        return self.beta / (self.alpha + self.beta)

    def survival(self, t: npt.NDArray[np.float64] | float) -> npt.NDArray[np.float64]:
        """S(t): probability a new customer is still a customer after t renewals."""
        t = np.asarray(t, dtype=np.float64)
        surviving: npt.NDArray[np.float64] = np.exp(
            special.betaln(self.alpha, self.beta + t) - special.betaln(self.alpha, self.beta)
        )
        return surviving

    def renewal_rate(self, t: np.ndarray | float) -> np.ndarray:
        """r(t) = P(renews at the t-th anniversary | renewed t - 1 times), t >= 1."""
        t = np.asarray(t, dtype=np.float64)
        return (self.beta + t - 1.0) / (self.alpha + self.beta + t - 1.0)


@dataclass(frozen=True)
class CohortMrr:
    """Expected monthly recognised revenue per unit of ACV, for each cohort and month."""

    first_year: npt.NDArray[np.float64]  # (months, cohorts) MRR while in the first contract year of a fresh contract
    renewed: npt.NDArray[np.float64]  # (months, cohorts) MRR after one or more renewals (expansion included)
    churned: npt.NDArray[np.float64]  # (months, cohorts) MRR lost at a renewal in that month
    expansion: npt.NDArray[np.float64]  # (months, cohorts) MRR added by expansion at a renewal in that month


def cohort_mrr(
    start: np.ndarray,
    months: int,
    retention: Retention,
    shift: np.ndarray | None = None,
    tenure: np.ndarray | None = None,
) -> CohortMrr:
    """MRR per unit ACV of contracts starting in month `start[c]` (negative: before the horizon).

    `tenure[c]` renewals are already behind a contract (an account known to be
    active at the export): its next renewal is its (tenure + 1)-th, with the
    sBG rate for that tenure (conditional survival S(k + n) / S(k)). `shift`
    (months,) is a log-odds shift of renewal odds in each month of the
    horizon (brand); renewals before the horizon get none.
    """
    start = np.asarray(start, dtype=np.int64)
    n_cohorts = start.size
    tenure = np.zeros(n_cohorts, dtype=np.int64) if tenure is None else np.asarray(tenure, dtype=np.int64)
    shift = np.zeros(months) if shift is None else np.asarray(shift, dtype=np.float64)
    out = CohortMrr(*(np.zeros((months, n_cohorts)) for _ in range(4)))
    if n_cohorts == 0 or months == 0:
        return out
    max_renewals = max(int((months - 1 - start.min()) // CONTRACT_MONTHS), 0)
    j = np.arange(1, max_renewals + 1)
    renew_month = start[:, None] + CONTRACT_MONTHS * j[None, :]  # (C, J)
    rate = retention.renewal_rate(tenure[:, None] + j[None, :])
    inside = (renew_month >= 0) & (renew_month < months)
    s = np.where(inside, shift[np.clip(renew_month, 0, months - 1)], 0.0)
    if np.any(s != 0):
        logit = np.log(rate) - np.log1p(-rate) + s
        rate = special.expit(logit)
    alive = np.concatenate([np.ones((n_cohorts, 1)), np.cumprod(rate, axis=1)], axis=1)  # (C, J + 1)
    grow = (1.0 + retention.expansion) ** np.arange(max_renewals + 1)
    level = alive * grow[None, :] / CONTRACT_MONTHS  # MRR per ACV after n renewals
    m = np.arange(months)[:, None]
    lag = m - start[None, :]
    active = lag >= 0
    n = np.where(active, lag // CONTRACT_MONTHS, 0)
    value = np.where(active, level[np.arange(n_cohorts)[None, :], np.minimum(n, max_renewals)], 0.0)
    fresh = tenure[None, :] == 0
    first = active & (n == 0) & fresh
    out.first_year[:] = np.where(first, value, 0.0)
    out.renewed[:] = np.where(active & ~first, value, 0.0)
    at_renewal = active & (n >= 1) & (lag % CONTRACT_MONTHS == 0)
    prev = level[np.arange(n_cohorts)[None, :], np.maximum(np.minimum(n, max_renewals) - 1, 0)]
    survived = np.where(at_renewal, value / (1.0 + retention.expansion), 0.0)  # before expansion
    out.churned[:] = np.where(at_renewal, prev - survived, 0.0)
    out.expansion[:] = np.where(at_renewal, value - survived, 0.0)
    return out


def horizon_kernel(months: int, retention: Retention, shift: np.ndarray | None = None) -> CohortMrr:
    """(months, months) MRR per unit ACV for the contracts won in each month of the horizon."""
    return cohort_mrr(np.arange(months), months, retention, shift)


@functools.lru_cache(maxsize=64)
def value_profile(retention: Retention, months: int = 240) -> npt.NDArray[np.float64]:
    """Expected revenue per unit ACV in each month of a new contract's life (no brand shift).

    Read-only and cached per retention: every run of a scenario asks for the same profile.
    """
    one = cohort_mrr(np.array([0]), months, retention)
    profile = one.first_year[:, 0] + one.renewed[:, 0]
    profile.setflags(write=False)
    return profile


def lifetime_factor(profile: np.ndarray, years: float, discount: float) -> float:
    """Discounted revenue per unit ACV over `years` of a contract's life (annual discount rate)."""
    k = np.arange(min(int(round(years * CONTRACT_MONTHS)), profile.size))
    return float((profile[k] / (1.0 + discount) ** (k / CONTRACT_MONTHS)).sum())


def payback_month(profile: np.ndarray, cost_per_acv: float) -> float:
    """First month (1-based, interpolated) in which cumulative revenue per ACV reaches `cost_per_acv`."""
    if not np.isfinite(cost_per_acv):
        return float("nan")
    if cost_per_acv <= 0:
        return 0.0
    cum = np.cumsum(profile)
    hit = np.flatnonzero(cum >= cost_per_acv)
    if hit.size == 0:
        return float("nan")
    k = int(hit[0])
    before = float(cum[k - 1]) if k else 0.0
    return k + (cost_per_acv - before) / max(float(profile[k]), 1e-300)


def fit_sbg(due: np.ndarray, renewed: np.ndarray, prior_heterogeneity: float | None = None) -> tuple[float, float]:
    """Maximum-likelihood sBG (alpha, beta) from renewals due and renewed at each contract year.

    `due[t-1]` customers faced their t-th renewal and `renewed[t-1]` of them
    renewed. The likelihood is Fader & Hardie's (2007, eq. 4-6): a customer
    lost at renewal t contributes P(T = t) = S(t-1) - S(t), one still active
    after its last renewal t contributes S(t). Here a renewal-level form of
    the same likelihood: log L = sum_t renewed_t log r(t) + (due_t - renewed_t) log(1 - r(t)).
    It is the same function: a customer who renewed t times and left at t + 1
    contributes r(1)...r(t)(1 - r(t+1)) = S(t) - S(t+1), one still active S(t).

    A few years of history hold mostly first and second renewals, which pin
    r1 down but hardly alpha + beta (how fast retention rises). With
    `prior_heterogeneity` the fit is a posterior mode with log(alpha + beta)
    ~ Normal(log prior, 1): the data move it only as far as they can tell.
    """
    from scipy import optimize

    due = np.asarray(due, dtype=np.float64)
    renewed = np.asarray(renewed, dtype=np.float64)
    t = np.arange(1, due.size + 1, dtype=np.float64)

    def negll(x: np.ndarray) -> float:
        a, b = np.exp(x)
        r = (b + t - 1.0) / (a + b + t - 1.0)
        ll = float(np.sum(renewed * np.log(r) + (due - renewed) * np.log1p(-r)))
        if prior_heterogeneity is not None:
            ll -= 0.5 * (math.log(a + b) - math.log(prior_heterogeneity)) ** 2
        return -ll

    res = optimize.minimize(negll, np.log([1.0, 5.0]), method="Nelder-Mead", options={"xatol": 1e-6, "fatol": 1e-9})
    a, b = np.exp(res.x)
    return float(a), float(b)
