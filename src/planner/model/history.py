"""Learn the response from the company's own history: spend months before the CRM's last date, and lift tests.

When the budget (or a second spend file) holds months of actual spend that
the CRM export also covers, the CRM's monthly counts of new opportunities by
class, given that spend, say something about how brand and lead generation
act. We update the priors by importance sampling (no MCMC dependency):

1. draw M parameter sets from the current beliefs (`priors.py`);
2. for each, run the model's own volume equations over the history months:
   brand stock -> awareness -> (after the lag) intent volume
   `I0 (1 + volume_lift a~_t)`, lead-gen stock -> demand volume
   `c (f0 + (1 - f0) hill(D_t) / hill(D_ref))`, times the CRM's seasonality
   and a log-linear trend per class;
3. the level of each class (I0, c) is profiled out (its Poisson maximum
   likelihood), and so is each class's log-linear trend (its penalised
   maximum, prior sd 15 %/year: a growing company's volume is not read as a
   brand effect, and a nuisance drawn at random would waste the sample), so
   only the *shape* over time is evidence: the weight of a set is its Poisson
   likelihood for intent and negative-binomial (shape = `demand_dispersion`)
   for demand, with the trend's penalty;
4. posterior = the weighted sample; its quantiles become the new `Belief`.

A lift test (Meridian's ROI-prior calibration is the anchor) is one more
likelihood term on the same sample: the brand effect the set implies at
today's spend against no brand at all, for the measured metric, Gaussian with
the test's standard error. Lift file (JSON list or CSV with these columns):

    metric   inbound_opportunities | win_rate | price | mql_acceptance
    lift     measured relative lift, e.g. 0.12 for +12 %
    sd       its standard error, e.g. 0.05
    label    optional text ("Q3 brand holdout")

With no history months and no lift tests the priors stand (`FitResult.note`).
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import special

from planner.errors import InputError
from planner.io.types import Budget, Deals
from planner.model.calibration import Calibration
from planner.model.priors import Belief, beliefs, from_weighted_sample, to_dict

F64 = npt.NDArray[np.float64]

FIT_KEYS: tuple[str, ...] = (
    "brand_half_life", "brand_saturation", "brand_slope", "brand_lag_months", "brand_volume_lift",
    "demand_half_life", "demand_saturation", "demand_slope", "demand_baseline_share",
)
LIFT_KEYS: dict[str, str] = {
    "inbound_opportunities": "brand_volume_lift",
    "win_rate": "brand_win_lift",
    "price": "brand_price_lift",
    "mql_acceptance": "brand_activation_lift",
}
SAMPLES = 4000
TREND_SD_PER_YEAR = 0.15
MIN_HISTORY_MONTHS = 6


@dataclass(frozen=True)
class LiftTest:
    metric: str
    lift: float
    sd: float
    label: str = ""

    @property
    def key(self) -> str:
        return LIFT_KEYS[self.metric]


@dataclass(frozen=True)
class FitResult:
    months_of_history: int
    history_labels: tuple[str, ...]
    priors: dict[str, Belief]
    posteriors: dict[str, Belief]  # only the assumptions the evidence touched
    effective_samples: float
    lift_tests: tuple[LiftTest, ...]
    note: str
    # brand's effect on inbound the history shows: volume_lift x (highest - lowest acting awareness in it),
    # prior and posterior quantiles; None without history
    inbound_effect: tuple[dict[str, float], dict[str, float]] | None = None

    @property
    def updated(self) -> bool:
        return bool(self.posteriors)

    def to_dict(self) -> dict[str, Any]:
        keys = list(FIT_KEYS) + [t.key for t in self.lift_tests if t.key not in FIT_KEYS]
        return {
            "months_of_history": self.months_of_history,
            "history_months": list(self.history_labels),
            "effective_samples": round(self.effective_samples, 1),
            "lift_tests": [{"metric": t.metric, "lift": t.lift, "sd": t.sd, "label": t.label} for t in self.lift_tests],
            "note": self.note,
            "brand_inbound_effect": None if self.inbound_effect is None else {
                "prior": self.inbound_effect[0], "posterior": self.inbound_effect[1]},
            "assumptions": {
                k: {"prior": to_dict(self.priors[k]), "posterior": to_dict(self.posteriors.get(k, self.priors[k]))}
                for k in dict.fromkeys(keys)
            },
        }


def read_lift_file(path: str | Path) -> tuple[LiftTest, ...]:
    """Lift tests from a JSON list of objects or a CSV with metric,lift,sd[,label] (InputError naming the file)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(str(p), f"cannot read the lift file ({exc.strerror or exc})") from None
    try:
        rows = json.loads(text) if p.suffix.lower() == ".json" or text.lstrip().startswith("[") else list(
            csv.DictReader(text.splitlines()))
    except (json.JSONDecodeError, csv.Error) as exc:
        raise InputError(str(p), f"not a lift file: {exc}") from None
    if isinstance(rows, dict):
        rows = [rows]
    if not isinstance(rows, list) or not rows:
        raise InputError(str(p), "the lift file has no tests (expected rows with metric, lift, sd)")
    out = []
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise InputError(str(p), f"test {i} is not an object with metric, lift, sd")
        metric = str(row.get("metric", "")).strip().lower()
        if metric not in LIFT_KEYS:
            raise InputError(str(p), f"test {i}: metric must be one of {', '.join(LIFT_KEYS)}, got {metric!r}")
        try:
            lift, sd = float(row["lift"]), float(row["sd"])
        except (KeyError, TypeError, ValueError):
            raise InputError(str(p), f"test {i}: lift and sd must be numbers") from None
        if not (math.isfinite(lift) and math.isfinite(sd) and sd > 0):
            raise InputError(str(p), f"test {i}: lift must be a number and sd above 0")
        out.append(LiftTest(metric, lift, sd, str(row.get("label") or "")))
    return tuple(out)


def history_spend(budget: Budget, today: str, extra: Budget | None = None) -> tuple[tuple[str, ...], F64, F64]:
    """Months of actual spend before the CRM's last month (labels, brand, lead gen); `extra` wins where both have a month."""
    cutoff = str(today)[:7]
    months: dict[str, tuple[float, float]] = {}
    for b in (budget, extra):
        if b is None:
            continue
        brand, demand = b.monthly("brand"), b.monthly("demand")
        for i, label in enumerate(b.months):
            if label < cutoff:
                months[label] = (float(brand[i]), float(demand[i]))
    labels = tuple(sorted(months))
    # only a consecutive run ending before the cutoff is a history the adstock can walk through
    run: list[str] = []
    for label in reversed(labels):
        if run and _next_month(label) != run[-1]:
            break
        run.append(label)
    labels = tuple(reversed(run))
    return labels, np.array([months[m][0] for m in labels]), np.array([months[m][1] for m in labels])


def _next_month(label: str) -> str:
    return str(np.datetime64(label, "M") + np.timedelta64(1, "M"))


def monthly_opportunities(deals: Deals, labels: Sequence[str]) -> tuple[F64, F64]:
    """New-business opportunities created per history month: intent and demand."""
    created = deals.created.astype("datetime64[M]").astype(str)
    new = deals.deal_type != "existing"
    index = {m: i for i, m in enumerate(labels)}
    out = np.zeros((2, len(labels)))
    for row, cls in enumerate(("intent", "demand")):
        sel = new & (deals.source_class == cls)
        for m in created[sel]:
            i = index.get(str(m))
            if i is not None:
                out[row, i] += 1
    return out[0], out[1]


def fit_history(
    calibration: Calibration,
    deals: Deals,
    budget: Budget,
    *,
    extra_spend: Budget | None = None,
    lift_tests: Sequence[LiftTest] = (),
    current: Mapping[str, Belief] | None = None,
    samples: int = SAMPLES,
    seed: int = 0,
) -> FitResult:
    """Posterior beliefs from the spend history and lift tests (see the module docstring)."""
    found = beliefs(current)
    labels, brand, demand = history_spend(budget, calibration.today, extra_spend)
    use_history = len(labels) >= MIN_HISTORY_MONTHS and (brand.sum() + demand.sum()) > 0
    lift_tests = tuple(lift_tests)
    priors = {k: found[k] for k in dict.fromkeys(FIT_KEYS + tuple(t.key for t in lift_tests))}
    if not use_history and not lift_tests:
        note = ("no months of actual spend before the CRM's last date (and no lift test): the priors stand; "
                "add past months of spend to the budget or open a spend-history file to learn from them")
        return FitResult(len(labels) if use_history else 0, labels if use_history else (), priors, {}, 0.0, (), note)
    rng = np.random.default_rng([int(seed), 0x417])
    draws = {k: b.sample(rng, samples) for k, b in priors.items()}
    log_w = np.zeros(samples)
    scale = calibration.spend_scale
    if use_history:
        intent_y, demand_y = monthly_opportunities(deals, labels)
        season = np.array([calibration.seasonality[int(m[5:7]) - 1] for m in labels])
        t: F64 = np.arange(len(labels), dtype=np.float64) - (len(labels) - 1) / 2.0
        awareness = _awareness(brand, scale, draws)
        intent_shape = season[None, :] * (1.0 + draws["brand_volume_lift"][:, None] * awareness)
        demand_shape = season[None, :] * _demand_shape(demand, scale, draws)
        dispersion = float(calibration.assumptions.get("demand_dispersion", 5.0))
        intent_shape, intent_penalty = _with_trend(intent_y, intent_shape, t)
        demand_shape, demand_penalty = _with_trend(demand_y, demand_shape, t)
        log_w += intent_penalty + demand_penalty
        log_w += _poisson_profile(intent_y, intent_shape) + _negbin_profile(demand_y, demand_shape, dispersion)
        swing = draws["brand_volume_lift"] * (awareness.max(axis=1) - awareness.min(axis=1))
    if lift_tests:
        a_ref = _hill(calibration.spend_brand_ref / scale, draws["brand_saturation"], draws["brand_slope"]) \
            if "brand_saturation" in draws else np.full(samples, calibration.awareness_ref)
        for test in lift_tests:
            implied = _implied_lift(test.metric, draws[test.key], a_ref)
            log_w += -0.5 * ((implied - test.lift) / test.sd) ** 2
    w = np.exp(log_w - log_w.max())
    ess = float(w.sum() ** 2 / (w**2).sum())
    source = "history+lift" if use_history and lift_tests else ("history" if use_history else "lift")
    posteriors = {k: from_weighted_sample(k, draws[k], w, source) for k in priors}
    effect = None
    if use_history:
        effect = (_weighted_quantiles(swing, np.ones(samples)), _weighted_quantiles(swing, w))
    note = (f"{len(labels)} months of spend history" if use_history else "no spend history") + (
        f" and {len(lift_tests)} lift test(s)" if lift_tests else "") + f" updated the priors ({ess:.0f} effective samples)"
    return FitResult(len(labels) if use_history else 0, labels if use_history else (), priors, posteriors, ess,
                     lift_tests, note, effect)


def _weighted_quantiles(values: F64, weights: F64) -> dict[str, float]:
    order = np.argsort(values)
    cdf = np.cumsum(weights[order])
    cdf = (cdf - 0.5 * weights[order]) / cdf[-1]
    q = np.interp([0.1, 0.5, 0.9], cdf, values[order])
    return {"p10": round(float(q[0]), 6), "p50": round(float(q[1]), 6), "p90": round(float(q[2]), 6)}


def _hill(x: F64 | float, k: F64, s: F64) -> F64:
    x = np.maximum(np.asarray(x, dtype=np.float64), 0.0)
    ratio = np.divide(x, k)
    return ratio**s / (1.0 + ratio**s)


def _stock(spend: F64, half_life: F64) -> F64:
    """(M, T) geometric adstock of one spend series for M half-lives, starting at the first month's level."""
    decay = 0.5 ** (1.0 / np.maximum(half_life, 1e-6))
    out = np.empty((half_life.size, spend.size))
    level = np.full(half_life.size, spend[0] if spend.size else 0.0)
    for i, x in enumerate(spend):
        level = decay * level + (1.0 - decay) * x
        out[:, i] = level
    return out


def _awareness(brand: F64, scale: float, d: Mapping[str, F64]) -> F64:
    """(M, T) brand level acting on each month's new opportunities (after each set's lag)."""
    a = _hill(_stock(brand, d["brand_half_life"]) / scale, d["brand_saturation"][:, None], d["brand_slope"][:, None])
    lag = np.rint(d["brand_lag_months"]).astype(int)
    idx = np.arange(brand.size)[None, :] - lag[:, None]
    return np.where(idx >= 0, np.take_along_axis(a, np.maximum(idx, 0), axis=1), a[:, :1])


def _demand_shape(demand: F64, scale: float, d: Mapping[str, F64]) -> F64:
    """(M, T) demand volume relative to the history's average lead-gen level (level profiled out later)."""
    h = _hill(_stock(demand, d["demand_half_life"]) / scale, d["demand_saturation"][:, None], d["demand_slope"][:, None])
    ref: F64 = np.maximum(h.mean(axis=1, keepdims=True), 1e-12)
    f0: F64 = d["demand_baseline_share"][:, None]
    return f0 + (1.0 - f0) * h / ref


def _with_trend(y: F64, shape: F64, t: F64) -> tuple[F64, F64]:
    """`shape` times exp(b t) with each row's penalised-maximum trend b (Newton steps, Poisson, prior sd 15 %/yr),
    and the trend prior's log density at b (the penalty to add to the log-likelihood)."""
    sd = TREND_SD_PER_YEAR / 12.0
    b = np.zeros(shape.shape[0])
    if y.sum() <= 0:
        return shape, b
    for _ in range(6):
        mu = shape * np.exp(b[:, None] * t[None, :])
        mu *= y.sum() / mu.sum(axis=1, keepdims=True)
        grad = ((y[None, :] - mu) * t[None, :]).sum(axis=1) - b / sd**2
        hess = (mu * t[None, :] ** 2).sum(axis=1) + 1.0 / sd**2
        b = b + grad / hess
    return shape * np.exp(b[:, None] * t[None, :]), -0.5 * (b / sd) ** 2


def _poisson_profile(y: F64, shape: F64) -> F64:
    """Poisson log-likelihood with the level at its maximum (level = sum y / sum shape), up to a constant."""
    if y.sum() <= 0:
        return np.zeros(shape.shape[0])
    mu = shape * (y.sum() / shape.sum(axis=1, keepdims=True))
    loglik: F64 = (y[None, :] * np.log(np.maximum(mu, 1e-300)) - mu).sum(axis=1)
    return loglik


def _negbin_profile(y: F64, shape: F64, k: float) -> F64:
    """Negative-binomial (gamma shape k) log-likelihood, level set by its moment estimate, up to a constant."""
    if y.sum() <= 0:
        return np.zeros(shape.shape[0])
    mu = shape * (y.sum() / shape.sum(axis=1, keepdims=True))
    loglik: F64 = (special.gammaln(y[None, :] + k) - special.gammaln(k) + k * np.log(k / (k + mu))
                   + y[None, :] * np.log(np.maximum(mu, 1e-300) / (k + mu))).sum(axis=1)
    return loglik


def _implied_lift(metric: str, value: F64, awareness: F64) -> F64:
    """The brand effect at today's awareness against no brand, on the tested metric (relative lift)."""
    if metric in ("inbound_opportunities", "price"):
        return value * awareness
    return np.exp(value * awareness) - 1.0  # odds ratio - 1 for win rate and MQL acceptance (log-odds lifts)
