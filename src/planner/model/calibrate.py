"""Deals + Budget -> Calibration: what today looks like, in numbers the simulation can use.

Anchoring to today is the point: win rates, deal sizes, sales cycles and
monthly opportunity volumes come from the CRM, and the response curves are
scaled so that *today's* budget reproduces today's volumes and revenue run
rate. What one export cannot tell (how fast brand memory fades, how much it
lifts win rates) comes from `assumptions.py`, with a source and a range.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

import numpy as np
from scipy import optimize, special, stats

from planner.io.types import Budget, Deals
from planner.model import assumptions as assumptions_mod
from planner.model.inputs import currency_of
from planner.model.response import hill

DAYS_PER_MONTH = 365.25 / 12
MAX_LAG = 60  # months; the longest horizon, so landing curves never need recomputing
_MIN_CLOSED_FOR_OWN_CYCLE = 8
_MIN_WON_FOR_OWN_SIZE = 5
_DEFAULT_CYCLE_DAYS = 90.0
_DEFAULT_CYCLE_SIGMA = 0.8
_ANCHOR_RANGE = (2.0 / 3.0, 1.5)


@dataclass(frozen=True)
class StreamFit:
    """One stream of opportunities (intent or demand new business, or existing business)."""

    name: str  # "intent" | "demand" | "existing"
    opportunities: int
    closed: int
    won: int
    volume: float  # opportunities created per month, trailing 12 months
    win_rate: float  # Beta posterior mean
    win_rate_low: float  # 90 % posterior interval
    win_rate_high: float
    size_mu: float  # lognormal of won amounts: mean of log amount (after the run-rate anchor)
    size_sigma: float
    size_mean: float  # E[amount of a won deal]
    size_m2: float  # E[amount^2], for the variance of revenue
    opp_amount: float  # average amount of an opportunity, for pipeline value
    cycle_mu: float  # lognormal of days created -> closed, open deals right-censored
    cycle_sigma: float
    cycle_median_days: float
    censored: int  # open deals used as censored cycles
    lag_pmf: np.ndarray = field(repr=False)  # P(closes k months after the month it was created), k < 60


@dataclass(frozen=True)
class Calibration:
    """Everything the simulation needs, fitted to one CRM export and one budget."""

    assumptions: dict[str, float]
    streams: tuple[StreamFit, ...]
    has_existing: bool
    today: str
    history_months: float
    seasonality: tuple[float, ...]  # opportunity-volume index by calendar month Jan..Dec, mean 1
    seasonal: bool
    currency: str | None
    spend_brand_ref: float  # today's monthly spend by class (budget average)
    spend_demand_ref: float
    spend_scale: float  # monthly spend the saturation points are multiples of
    awareness_ref: float  # saturated brand level today, in [0, 1)
    intent_base: float  # intent opportunities per month with no brand stock at all
    demand_base: float  # demand opportunities per month that need no lead-gen spend
    mql_ref: float  # MQLs per month today
    mql_max: float  # MQL ceiling of the lead-gen curve
    revenue_run_rate: float  # CRM: won revenue per month, trailing 12 months
    revenue_cv: float  # CRM: coefficient of variation of monthly won revenue
    model_run_rate: float  # steady-state revenue per month the fitted streams imply (before anchor)
    anchor: float  # deal-size factor that makes the model reproduce the run rate
    demand_dispersion_data: float | None  # negative-binomial shape the CRM's demand volumes suggest
    open_deals: int
    open_value: float
    # today's open pipeline, by calendar month from the snapshot's month (index 0 = today's month)
    open_wins: np.ndarray = field(repr=False)  # (streams, 60) expected wins from today's open pipeline per month
    open_mean: np.ndarray = field(repr=False)  # (streams, 60) expected revenue from it per month
    open_var: np.ndarray = field(repr=False)  # (streams, 60) its variance per month
    warnings: tuple[str, ...] = ()

    def stream(self, name: str) -> StreamFit | None:
        for s in self.streams:
            if s.name == name:
                return s
        return None

    def summary(self) -> str:
        """A readable page of the fitted figures, for the CLI and the UI's 'calibration' panel."""
        cur = f" {self.currency}" if self.currency else ""
        lines = [
            f"Calibration as of {self.today} ({self.history_months:.0f} months of CRM history)",
            f"  revenue run rate (CRM, trailing 12 months): {self.revenue_run_rate:,.0f}{cur}/month, "
            f"monthly CV {self.revenue_cv:.0%}",
            f"  model steady state before anchoring: {self.model_run_rate:,.0f}{cur}/month "
            f"(deal sizes scaled x{self.anchor:.2f} to match)",
            f"  today's spend: brand {self.spend_brand_ref:,.0f}{cur}/month, "
            f"lead gen {self.spend_demand_ref:,.0f}{cur}/month "
            f"(brand share {self.brand_share_ref:.0%}; B2B reference {assumptions_mod.REFERENCE_BRAND_SHARE:.0%})",
            f"  brand awareness level today: {self.awareness_ref:.2f} of saturation; "
            f"MQLs today {self.mql_ref:,.0f}/month",
            f"  open pipeline: {self.open_deals} deals, {self.open_value:,.0f}{cur}",
            "  seasonality: "
            + (" ".join(f"{v:.2f}" for v in self.seasonality) if self.seasonal else "none (under 24 months of history)"),
        ]
        for s in self.streams:
            lines.append(
                f"  {s.name:<9} {s.volume:6.1f} opps/month, win rate {s.win_rate:.1%} "
                f"[{s.win_rate_low:.1%}-{s.win_rate_high:.1%}] ({s.won}/{s.closed} closed), "
                f"won deal {s.size_mean:,.0f}{cur} avg, cycle median {s.cycle_median_days:.0f} days"
            )
        demand = self.stream("demand")
        if demand is not None:
            mql_to_won = self.assumptions["mql_acceptance"] * demand.win_rate
            lines.append(
                f"  implied MQL-to-won: {mql_to_won:.2%} (Forrester: under {assumptions_mod.REFERENCE_MQL_TO_WON:.0%})"
            )
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    @property
    def brand_share_ref(self) -> float:
        total = self.spend_brand_ref + self.spend_demand_ref
        return self.spend_brand_ref / total if total > 0 else 0.0

    def to_dict(self) -> dict:
        """JSON-ready figures (no arrays longer than a year)."""
        streams = []
        for s in self.streams:
            d = asdict(s)
            d.pop("lag_pmf")
            streams.append({k: _json_float(v) for k, v in d.items()})
        return {
            "today": self.today,
            "history_months": round(self.history_months, 2),
            "currency": self.currency,
            "revenue_run_rate": _json_float(self.revenue_run_rate),
            "revenue_cv": _json_float(self.revenue_cv),
            "model_run_rate": _json_float(self.model_run_rate),
            "anchor": _json_float(self.anchor),
            "spend_brand_monthly": _json_float(self.spend_brand_ref),
            "spend_demand_monthly": _json_float(self.spend_demand_ref),
            "brand_share": _json_float(self.brand_share_ref),
            "awareness": _json_float(self.awareness_ref),
            "mqls_monthly": _json_float(self.mql_ref),
            "seasonal": self.seasonal,
            "seasonality": [round(v, 4) for v in self.seasonality],
            "open_deals": self.open_deals,
            "open_value": _json_float(self.open_value),
            "demand_dispersion_data": _json_float(self.demand_dispersion_data),
            "streams": streams,
            "assumptions": dict(self.assumptions),
            "warnings": list(self.warnings),
        }


def _json_float(value: object) -> object:
    if isinstance(value, float | np.floating):
        v = float(value)
        return v if math.isfinite(v) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


@dataclass(frozen=True)
class SourceStats:
    """Win rate and deal figures for one lead source, for the 'sources' table."""

    source: str
    source_class: str
    deals: int
    closed: int
    won: int
    win_rate: float
    win_rate_low: float
    win_rate_high: float
    avg_won_amount: float
    median_cycle_days: float
    won_share: float


# ----------------------------------------------------------------------------- helpers


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


def _lognormal_censored_fit(closed_days: np.ndarray, open_days: np.ndarray) -> tuple[float, float]:
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


def _month_index(dates: np.ndarray) -> np.ndarray:
    return dates.astype("datetime64[M]").astype(np.int64)


def _fit_sizes(amounts: np.ndarray) -> tuple[float, float, int]:
    a = amounts[np.isfinite(amounts) & (amounts > 0)]
    if a.size == 0:
        return float("nan"), float("nan"), 0
    logs = np.log(a)
    sigma = float(logs.std(ddof=1)) if a.size > 1 else float("nan")
    return float(logs.mean()), sigma, int(a.size)


# ----------------------------------------------------------------------------- calibrate


def calibrate(
    deals: Deals, budget: Budget, assumptions: Mapping[str, float] | None = None
) -> Calibration:
    """Fit the model to a CRM export and today's budget (see the module docstring)."""
    a = assumptions_mod.resolve(assumptions)
    warnings: list[str] = []
    n = len(deals)
    created = np.asarray(deals.created, dtype="datetime64[D]")
    closed_at = np.asarray(deals.closed, dtype="datetime64[D]")
    outcome = np.asarray(deals.outcome, dtype=object)
    won = outcome == "won"
    lost = outcome == "lost"
    is_open = ~(won | lost)
    amount = np.asarray(deals.amount, dtype=np.float64)
    source_class = np.asarray(deals.source_class, dtype=object)
    deal_type = np.asarray(deals.deal_type, dtype=object)

    valid_created = ~np.isnat(created)
    all_dates = np.concatenate([created[valid_created], closed_at[~np.isnat(closed_at)]])
    if all_dates.size == 0:
        today = np.datetime64("today", "D")
        first = today
        warnings.append("the CRM export has no dated deals; volumes are zero")
    else:
        today = all_dates.max()
        first = created[valid_created].min() if valid_created.any() else today
    history_days = float((today - first).astype(np.int64)) + 1.0
    window_days = min(365.0, max(history_days, DAYS_PER_MONTH))
    window_months = window_days / DAYS_PER_MONTH
    window_start = today - np.timedelta64(int(round(window_days)) - 1, "D")
    in_window = valid_created & (created >= window_start) & (created <= today)
    if history_days < 365:
        warnings.append(
            f"only {history_days / DAYS_PER_MONTH:.1f} months of CRM history; volumes are averaged over what there is"
        )

    # streams: existing business apart when the CRM says which deals are renewals/expansions
    has_existing = bool(np.any(deal_type == "existing")) and bool(np.any(deal_type != "existing"))
    if has_existing:
        stream_masks = {
            "intent": (deal_type != "existing") & (source_class == "intent"),
            "demand": (deal_type != "existing") & (source_class != "intent"),
            "existing": deal_type == "existing",
        }
    else:
        stream_masks = {"intent": source_class == "intent", "demand": source_class != "intent"}

    # pooled figures used as priors and fallbacks
    n_won, n_lost = int(won.sum()), int(lost.sum())
    pooled_rate = (n_won + 1.0) / (n_won + n_lost + 2.0)
    pool_mu, pool_sigma, pool_n = _fit_sizes(amount[won])
    if pool_n == 0:
        pool_mu, pool_sigma, pool_n = _fit_sizes(amount)
        if pool_n:
            warnings.append("no won deals with an amount; deal sizes come from all opportunities")
        else:
            warnings.append("no deal amounts in the CRM export; revenue cannot be estimated")
    if not np.isfinite(pool_sigma):
        pool_sigma = 0.8
    cycle_days = (closed_at - created).astype(np.float64)
    closed_ok = (won | lost) & np.isfinite(cycle_days)
    open_age = (today - created).astype(np.float64)
    open_ok = is_open & np.isfinite(open_age)
    if closed_ok.sum() >= 2:
        pool_cmu, pool_csig = _lognormal_censored_fit(
            np.maximum(cycle_days[closed_ok], 0.0) + 0.5, np.maximum(open_age[open_ok], 0.0) + 0.5
        )
    else:
        pool_cmu, pool_csig = math.log(_DEFAULT_CYCLE_DAYS), _DEFAULT_CYCLE_SIGMA
        warnings.append(f"too few closed deals to fit sales cycles; assuming a {_DEFAULT_CYCLE_DAYS:.0f}-day median")

    fits: list[StreamFit] = []
    for name, mask in stream_masks.items():
        s_won, s_lost = int((won & mask).sum()), int((lost & mask).sum())
        rate, low, high = beta_posterior(s_won, s_lost, pooled_rate, a["win_rate_prior"])
        mu, sigma, k = _fit_sizes(amount[won & mask])
        if k == 0:
            mu, sigma = pool_mu, pool_sigma
            if mask.any() and pool_n:
                warnings.append(f"no won {name} deals; their deal size is the company average")
        elif k < _MIN_WON_FOR_OWN_SIZE:
            mu = (k * mu + 3.0 * pool_mu) / (k + 3.0)
            sigma = pool_sigma
        if not np.isfinite(sigma):
            sigma = pool_sigma
        if np.isfinite(mu):
            size_mean = math.exp(mu + 0.5 * sigma**2)
            size_m2 = math.exp(2 * mu + 2 * sigma**2)
        else:
            size_mean = size_m2 = 0.0
        opp_amounts = amount[mask & np.isfinite(amount) & (amount > 0)]
        opp_amount = float(opp_amounts.mean()) if opp_amounts.size else size_mean
        c_mask = closed_ok & mask
        if c_mask.sum() >= _MIN_CLOSED_FOR_OWN_CYCLE:
            cmu, csig = _lognormal_censored_fit(
                np.maximum(cycle_days[c_mask], 0.0) + 0.5,
                np.maximum(open_age[open_ok & mask], 0.0) + 0.5,
            )
        else:
            cmu, csig = pool_cmu, pool_csig
        volume = float((in_window & mask).sum()) / window_months
        fits.append(
            StreamFit(
                name=name,
                opportunities=int(mask.sum()),
                closed=s_won + s_lost,
                won=s_won,
                volume=volume,
                win_rate=rate,
                win_rate_low=low,
                win_rate_high=high,
                size_mu=float(mu) if np.isfinite(mu) else 0.0,
                size_sigma=float(sigma),
                size_mean=size_mean,
                size_m2=size_m2,
                opp_amount=opp_amount,
                cycle_mu=cmu,
                cycle_sigma=csig,
                cycle_median_days=math.exp(cmu),
                censored=int((open_ok & mask).sum()),
                lag_pmf=lag_pmf(cmu, csig),
            )
        )

    # revenue run rate and its month-to-month variability
    won_in_window = won & ~np.isnat(closed_at) & (closed_at >= window_start) & (closed_at <= today)
    won_amounts = np.where(np.isfinite(amount), amount, 0.0)
    run_rate = float(won_amounts[won_in_window].sum()) / window_months
    revenue_cv = _monthly_cv(closed_at[won & ~np.isnat(closed_at)], won_amounts[won & ~np.isnat(closed_at)], today)
    model_rr = sum(f.volume * f.win_rate * f.size_mean for f in fits)
    anchor = 1.0
    if model_rr > 0 and run_rate > 0:
        anchor = min(max(run_rate / model_rr, _ANCHOR_RANGE[0]), _ANCHOR_RANGE[1])
        if anchor in _ANCHOR_RANGE:
            warnings.append(
                f"the CRM's run rate and its volumes x win rates x deal sizes disagree by more than the anchor allows "
                f"(ratio {run_rate / model_rr:.2f}); revenue may be off"
            )
        fits = [
            _scaled_sizes(f, anchor) for f in fits
        ]

    seasonality, seasonal = _seasonality(created[valid_created & (deal_type[valid_created] != "existing") if has_existing else valid_created], today)
    dispersion = _dispersion(created[valid_created & stream_masks["demand"]], today)

    # spend today and the response curves anchored to it
    brand_ref = float(np.mean(budget.monthly("brand"))) if budget.months else 0.0
    demand_ref = float(np.mean(budget.monthly("demand"))) if budget.months else 0.0
    scale = brand_ref + demand_ref
    if scale <= 0:
        scale = 1.0
        warnings.append("today's budget is empty; response curves use an arbitrary spend scale")
    awareness_ref = float(hill(brand_ref / scale, a["brand_saturation"], a["brand_slope"]))
    intent = next(f for f in fits if f.name == "intent")
    demand = next(f for f in fits if f.name == "demand")
    intent_base = intent.volume / (1.0 + a["brand_volume_lift"] * awareness_ref)
    f0 = a["demand_baseline_share"]
    acc = a["mql_acceptance"]
    if demand_ref > 0:
        demand_base = f0 * demand.volume
        mql_ref = (1.0 - f0) * demand.volume / acc
        mql_max = mql_ref / float(hill(demand_ref / scale, a["demand_saturation"], a["demand_slope"]))
    else:
        demand_base = demand.volume
        mql_ref = 0.0
        mql_max = 2.0 * (1.0 - f0) * demand.volume / acc
        if demand.volume > 0:
            warnings.append(
                "no lead-gen spend in today's budget: today's demand opportunities are taken as not spend-driven, "
                "and lead gen is assumed to add as many again at its half-saturation spend"
            )

    open_wins, open_mean, open_var, open_value = _open_pipeline(
        fits, stream_masks, is_open & valid_created, open_age, amount, today
    )

    return Calibration(
        assumptions=a,
        streams=tuple(fits),
        has_existing=has_existing,
        today=str(today),
        history_months=history_days / DAYS_PER_MONTH,
        seasonality=tuple(float(v) for v in seasonality),
        seasonal=seasonal,
        currency=currency_of(budget, deals),
        spend_brand_ref=brand_ref,
        spend_demand_ref=demand_ref,
        spend_scale=scale,
        awareness_ref=awareness_ref,
        intent_base=intent_base,
        demand_base=demand_base,
        mql_ref=mql_ref,
        mql_max=mql_max,
        revenue_run_rate=run_rate,
        revenue_cv=revenue_cv,
        model_run_rate=model_rr,
        anchor=anchor,
        demand_dispersion_data=dispersion,
        open_deals=int((is_open & valid_created).sum()),
        open_value=open_value,
        open_wins=open_wins,
        open_mean=open_mean,
        open_var=open_var,
        warnings=tuple(warnings) + (("no deals in the CRM export",) if n == 0 else ()),
    )


def _scaled_sizes(f: StreamFit, factor: float) -> StreamFit:
    from dataclasses import replace

    return replace(
        f,
        size_mu=f.size_mu + math.log(factor),
        size_mean=f.size_mean * factor,
        size_m2=f.size_m2 * factor * factor,
    )


def _monthly_cv(closed: np.ndarray, amounts: np.ndarray, today: np.datetime64) -> float:
    """CV of monthly won revenue over the last (up to) 24 complete months."""
    if closed.size == 0:
        return 0.0
    m = _month_index(closed)
    last = int(_month_index(np.array([today]))[0]) - 1  # the month before today's (complete)
    first = max(int(m.min()), last - 23)
    if last - first + 1 < 3:
        return 0.0
    sel = (m >= first) & (m <= last)
    totals = np.bincount(m[sel] - first, weights=amounts[sel], minlength=last - first + 1)
    mean = totals.mean()
    return float(totals.std() / mean) if mean > 0 else 0.0


def _complete_month_counts(dates: np.ndarray, today: np.datetime64) -> tuple[np.ndarray, int]:
    """Counts per month over complete months (today's month excluded), and the first month index."""
    if dates.size == 0:
        return np.zeros(0), 0
    m = _month_index(dates)
    last = int(_month_index(np.array([today]))[0]) - 1
    first = int(m.min())
    if last < first:
        return np.zeros(0), first
    sel = (m >= first) & (m <= last)
    return np.bincount(m[sel] - first, minlength=last - first + 1).astype(np.float64), first


def _seasonality(created: np.ndarray, today: np.datetime64) -> tuple[np.ndarray, bool]:
    """Calendar-month index of new opportunity volume, when there are 24+ complete months.

    Each month is compared with the 12-month average around it (so growth is
    not mistaken for season), averaged per calendar month, and shrunk towards
    1 by years/(years+1) because two Januaries are weak evidence.
    """
    counts, first = _complete_month_counts(created, today)
    if counts.size < 24 or counts.sum() < 48:
        return np.ones(12), False
    kernel = np.ones(12) / 12.0
    level = np.convolve(counts, kernel, mode="same")
    # edges: the 'same' convolution sees fewer months there; use the full-window mean instead
    half = 6
    level[:half] = counts[:12].mean()
    level[-half:] = counts[-12:].mean()
    ratio = np.divide(counts, level, out=np.ones_like(counts), where=level > 0)
    cal = (np.arange(counts.size) + first) % 12  # 0 = January
    index = np.ones(12)
    for c in range(12):
        sel = cal == c
        if sel.any():
            years = sel.sum()
            index[c] = 1.0 + (ratio[sel].mean() - 1.0) * years / (years + 1.0)
    index = np.clip(index, 0.5, 1.5)
    return index / index.mean(), True


def _dispersion(created: np.ndarray, today: np.datetime64) -> float | None:
    """Negative-binomial shape suggested by the month-to-month spread of demand volumes (shown, not used)."""
    counts, _ = _complete_month_counts(created, today)
    counts = counts[-24:]
    if counts.size < 12 or counts.mean() <= 0:
        return None
    mean, var = counts.mean(), counts.var(ddof=1)
    if var <= mean:
        return None
    return float(mean * mean / (var - mean))


def _open_pipeline(
    fits: list[StreamFit],
    masks: Mapping[str, np.ndarray],
    open_mask: np.ndarray,
    age_days: np.ndarray,
    amount: np.ndarray,
    today: np.datetime64,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """When today's open deals close, and for how much, by calendar month.

    Index k is the k-th calendar month from today's month (k = 0: the rest of
    today's month), so the simulation can line it up with any budget start
    (`open_pipeline_window`). Each open deal closes in month k with the cycle
    distribution conditional on it still being open at its age (a 300-day-old
    deal is not 'due' in month 1 just because the median cycle is 60 days),
    and is won with its stream's win rate. Returns expected wins, expected
    revenue and its variance per stream and month.
    """
    wins = np.zeros((len(fits), MAX_LAG))
    mean = np.zeros((len(fits), MAX_LAG))
    var = np.zeros((len(fits), MAX_LAG))
    total_value = 0.0
    day = np.datetime64(today, "D")
    month_starts = (np.datetime64(day, "M") + np.arange(1, MAX_LAG + 1)).astype("datetime64[D]")
    edges = np.concatenate([[0.0], (month_starts - day).astype(np.float64)])  # days from today
    for i, f in enumerate(fits):
        sel = open_mask & masks[f.name]
        if not sel.any():
            continue
        age = np.maximum(age_days[sel], 0.0) + 0.5
        amt = amount[sel]
        amt = np.where(np.isfinite(amt) & (amt > 0), amt, f.size_mean)
        total_value += float(amt.sum())
        z = (np.log(age[:, None] + edges[None, :]) - f.cycle_mu) / f.cycle_sigma
        sf = special.ndtr(-z)  # P(cycle > age + edge)
        surv0 = np.maximum(sf[:, :1], 1e-12)
        q = (sf[:, :-1] - sf[:, 1:]) / surv0  # P(close in month m | open today)
        pq = f.win_rate * q
        wins[i] = pq.sum(axis=0)
        mean[i] = (pq * amt[:, None]).sum(axis=0)
        var[i] = (pq * (1 - pq) * (amt * amt)[:, None]).sum(axis=0)
    return wins, mean, var, total_value


def months_between(today: str, first_month: str) -> int:
    """Whole calendar months from the CRM snapshot's month to `first_month` ("YYYY-MM"); negative if earlier."""
    t = np.datetime64(np.datetime64(today, "D"), "M")
    return int((np.datetime64(first_month, "M") - t).astype(np.int64))


def open_pipeline_window(per_month: np.ndarray, offset: int, months: int) -> np.ndarray:
    """(streams, months) slice of an open-pipeline array (indexed from the CRM snapshot's month)
    for a horizon starting `offset` calendar months after it.

    A plan that starts before the snapshot (a back-test, or a budget year
    already under way) sees today's open pipeline only from the snapshot's
    month on; the months before it are history and get none. A plan that
    starts after the snapshot (next year's budget, exported in November)
    sees it from its first month, starting with the first full month after the
    export (the rest of the export's month is history by then): the months in
    between run at today's rate, so the pipeline open when the plan starts
    looks like today's. Dropping it instead would show a dip in the first
    months that is only a gap in the data, and a CFO would read it as a
    forecast.
    """
    offset = min(offset, 1)
    out = np.zeros((per_month.shape[0], months))
    lo, hi = max(offset, 0), min(offset + months, per_month.shape[1])
    if hi > lo:
        out[:, lo - offset : hi - offset] = per_month[:, lo:hi]
    return out


# ----------------------------------------------------------------------------- source table


def source_table(deals: Deals, prior_strength: float | None = None) -> list[SourceStats]:
    """Win rate per lead source (Beta posterior, 90 % interval), best first.

    Win rates reveal intent: this is the table that shows which sources bring
    buyers who buy, as opposed to names that fill a form.
    """
    strength = assumptions_mod.get("win_rate_prior").value if prior_strength is None else prior_strength
    outcome = np.asarray(deals.outcome, dtype=object)
    won, lost = outcome == "won", outcome == "lost"
    amount = np.where(np.isfinite(np.asarray(deals.amount, dtype=np.float64)), deals.amount, 0.0)
    sources = np.asarray(deals.source, dtype=object)
    classes = np.asarray(deals.source_class, dtype=object)
    cycle = (np.asarray(deals.closed, dtype="datetime64[D]") - np.asarray(deals.created, dtype="datetime64[D]")).astype(np.float64)
    pooled = (won.sum() + 1.0) / (won.sum() + lost.sum() + 2.0)
    total_won = float(amount[won].sum())
    rows: list[SourceStats] = []
    for src in sorted(set(sources.tolist())):
        mask = sources == src
        w, lo = int((won & mask).sum()), int((lost & mask).sum())
        rate, low, high = beta_posterior(w, lo, pooled, strength)
        cls_values, cls_counts = np.unique(classes[mask].astype(str), return_counts=True)
        cyc = cycle[mask & (won | lost) & np.isfinite(cycle)]
        rows.append(
            SourceStats(
                source=str(src),
                source_class=str(cls_values[np.argmax(cls_counts)]),
                deals=int(mask.sum()),
                closed=w + lo,
                won=w,
                win_rate=rate,
                win_rate_low=low,
                win_rate_high=high,
                avg_won_amount=float(amount[won & mask].mean()) if w else 0.0,
                median_cycle_days=float(np.median(cyc)) if cyc.size else 0.0,
                won_share=float(amount[won & mask].sum() / total_won) if total_won > 0 else 0.0,
            )
        )
    rows.sort(key=lambda r: (-r.win_rate, -r.deals, r.source))
    return rows
