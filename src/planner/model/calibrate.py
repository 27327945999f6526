"""Deals + Budget -> Calibration: what today looks like, in numbers the simulation can use.

Anchoring to today is the point: win rates, deal sizes, sales cycles and
monthly opportunity volumes come from the CRM, and the response curves are
scaled so that *today's* budget reproduces today's volumes and revenue run
rate. What one export cannot tell (how fast brand memory fades, how much it
lifts win rates) comes from `assumptions.py`, with a source and a range.

This module is the order of the steps; each step is a small function below,
the statistics are in `fitting.py`, today's open pipeline in
`open_pipeline.py`, and the result types in `calibration.py`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from planner.io.types import Budget, Deals
from planner.model import assumptions as assumptions_mod
from planner.model.calibration import Calibration, StreamFit
from planner.model.fitting import (
    DAYS_PER_MONTH,
    MAX_LAG,
    beta_posterior,
    dispersion,
    fit_sizes,
    lag_pmf,
    lognormal_censored_fit,
    monthly_cv,
    seasonality,
)
from planner.model.inputs import currency_of
from planner.model.installed_base import InstalledBase, base_mrr, estimate_base, is_project_business
from planner.model.open_pipeline import months_between, open_pipeline, open_pipeline_window
from planner.model.response import hill
from planner.model.trend import deal_size_growth_fit, monthly_growth_fit

__all__ = [
    "DAYS_PER_MONTH", "MAX_LAG", "Calibration", "SourceStats", "StreamFit", "beta_posterior", "calibrate",
    "lag_pmf", "months_between", "open_pipeline_window", "source_table",
]  # fmt: skip

_MIN_CLOSED_FOR_OWN_CYCLE = 8
_MIN_WON_FOR_OWN_SIZE = 5
_DEFAULT_CYCLE_DAYS = 90.0
_DEFAULT_CYCLE_SIGMA = 0.8
_ANCHOR_RANGE = (2.0 / 3.0, 1.5)


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


@dataclass(frozen=True)
class _Columns:
    """The CRM export as the arrays calibration reads."""

    created: np.ndarray
    closed_at: np.ndarray
    won: np.ndarray
    lost: np.ndarray
    is_open: np.ndarray
    amount: np.ndarray
    source_class: np.ndarray
    deal_type: np.ndarray
    valid_created: np.ndarray

    @classmethod
    def of(cls, deals: Deals) -> _Columns:
        created = np.asarray(deals.created, dtype="datetime64[D]")
        outcome = np.asarray(deals.outcome, dtype=object)
        won, lost = outcome == "won", outcome == "lost"
        return cls(
            created=created,
            closed_at=np.asarray(deals.closed, dtype="datetime64[D]"),
            won=won,
            lost=lost,
            is_open=~(won | lost),
            amount=np.asarray(deals.amount, dtype=np.float64),
            source_class=np.asarray(deals.source_class, dtype=object),
            deal_type=np.asarray(deals.deal_type, dtype=object),
            valid_created=~np.isnat(created),
        )


@dataclass(frozen=True)
class _Window:
    """Today (the export's last date) and the trailing window volumes are averaged over."""

    today: np.datetime64
    history_days: float
    months: float  # length of the window in months
    start: np.datetime64
    created_in: np.ndarray  # deals created inside the window


@dataclass(frozen=True)
class _Pooled:
    """Company-wide figures: priors for the streams and fallbacks when a stream is thin."""

    rate: float
    size_mu: float
    size_sigma: float
    size_n: int
    cycle_mu: float
    cycle_sigma: float
    cycle_days: np.ndarray  # created -> closed, per deal
    closed_ok: np.ndarray  # closed deals with a cycle
    open_age: np.ndarray  # days from created to today, per deal
    open_ok: np.ndarray  # open deals with an age


@dataclass(frozen=True)
class _Curves:
    """Today's spend and the response curves anchored to it."""

    brand_ref: float
    demand_ref: float
    scale: float
    awareness_ref: float
    intent_base: float
    demand_base: float
    mql_ref: float
    mql_max: float



def _days(delta: np.ndarray) -> np.ndarray:
    """Day counts as floats, NaN where a date was missing (NaT would cast to -9.2e18)."""
    return np.where(np.isnat(delta), np.nan, delta.astype("timedelta64[D]").astype(np.int64)).astype(np.float64)

def calibrate(
    deals: Deals, budget: Budget, assumptions: Mapping[str, float] | None = None
) -> Calibration:
    """Fit the model to a CRM export and today's budget (see the module docstring)."""
    a = assumptions_mod.resolve(assumptions)
    warnings: list[str] = []
    cols = _Columns.of(deals)
    window = _window(cols, warnings)
    masks = _stream_masks(cols)
    has_existing = "existing" in masks
    pooled = _pooled(cols, window, warnings)
    fits = [_fit_stream(name, mask, cols, window, pooled, a, warnings) for name, mask in masks.items()]
    fits, run_rate, revenue_cv, model_rr, anchor = _anchor_to_run_rate(fits, cols, window, warnings)

    new_business = cols.valid_created & (cols.deal_type != "existing") if has_existing else cols.valid_created
    season, seasonal = seasonality(cols.created[new_business], window.today)
    demand_dispersion = dispersion(cols.created[cols.valid_created & masks["demand"]], window.today)
    a["recurring_share"] = _recurring_share(cols, deals, window, assumptions, a, warnings)
    base = estimate_base(
        amount=cols.amount, closed_at=cols.closed_at, won=cols.won, lost=cols.lost, deal_type=cols.deal_type,
        account=_accounts(deals), today=window.today, history_months=window.history_days / DAYS_PER_MONTH,
        a=a, warnings=warnings,
    )
    new_run_rate = _new_business_run_rate(cols, window)
    revenue_ref = _revenue_reference(base, a["recurring_share"], new_run_rate, run_rate)
    curves = _response_curves(budget, fits, a, revenue_ref, warnings)
    open_mask = cols.is_open & cols.valid_created
    open_wins, open_mean, open_var, open_value = open_pipeline(
        fits, masks, open_mask, pooled.open_age, cols.amount, window.today
    )

    return Calibration(
        assumptions=a,
        streams=tuple(fits),
        has_existing=has_existing,
        today=str(window.today),
        history_months=window.history_days / DAYS_PER_MONTH,
        seasonality=tuple(float(v) for v in season),
        seasonal=seasonal,
        currency=currency_of(budget, deals),
        spend_brand_ref=curves.brand_ref,
        spend_demand_ref=curves.demand_ref,
        spend_scale=curves.scale,
        recurring_share=a["recurring_share"],
        base=base,
        new_run_rate=new_run_rate,
        revenue_ref=revenue_ref,
        awareness_ref=curves.awareness_ref,
        intent_base=curves.intent_base,
        demand_base=curves.demand_base,
        mql_ref=curves.mql_ref,
        mql_max=curves.mql_max,
        revenue_run_rate=run_rate,
        revenue_cv=revenue_cv,
        model_run_rate=model_rr,
        anchor=anchor,
        demand_dispersion_data=demand_dispersion,
        open_deals=int(open_mask.sum()),
        open_value=open_value,
        open_wins=open_wins,
        open_mean=open_mean,
        open_var=open_var,
        warnings=tuple(warnings) + (("no deals in the CRM export",) if len(deals) == 0 else ()),
    )


def _window(cols: _Columns, warnings: list[str]) -> _Window:
    """Today is the export's last date; volumes are averaged over the trailing year (or what there is)."""
    created, valid = cols.created, cols.valid_created
    all_dates = np.concatenate([created[valid], cols.closed_at[~np.isnat(cols.closed_at)]])
    if all_dates.size == 0:
        today = np.datetime64("today", "D")
        first = today
        warnings.append("the CRM export has no dated deals; volumes are zero")
    else:
        today = all_dates.max()
        first = created[valid].min() if valid.any() else today
    history_days = float((today - first).astype(np.int64)) + 1.0
    window_days = min(365.0, max(history_days, DAYS_PER_MONTH))
    start = today - np.timedelta64(int(round(window_days)) - 1, "D")
    if history_days < 365:
        warnings.append(
            f"only {history_days / DAYS_PER_MONTH:.1f} months of CRM history; volumes are averaged over what there is"
        )
    return _Window(
        today=today,
        history_days=history_days,
        months=window_days / DAYS_PER_MONTH,
        start=start,
        created_in=valid & (created >= start) & (created <= today),
    )


def _stream_masks(cols: _Columns) -> dict[str, np.ndarray]:
    """Intent and demand new business; existing business apart when the CRM says which deals are renewals."""
    deal_type, source_class = cols.deal_type, cols.source_class
    if bool(np.any(deal_type == "existing")) and bool(np.any(deal_type != "existing")):
        return {
            "intent": (deal_type != "existing") & (source_class == "intent"),
            "demand": (deal_type != "existing") & (source_class != "intent"),
            "existing": deal_type == "existing",
        }
    return {"intent": source_class == "intent", "demand": source_class != "intent"}


def _pooled(cols: _Columns, window: _Window, warnings: list[str]) -> _Pooled:
    """Win rate, deal size and cycle over all deals: the priors and fallbacks of every stream."""
    won, lost, amount = cols.won, cols.lost, cols.amount
    n_won, n_lost = int(won.sum()), int(lost.sum())
    size_mu, size_sigma, size_n = fit_sizes(amount[won])
    if size_n == 0:
        size_mu, size_sigma, size_n = fit_sizes(amount)
        if size_n:
            warnings.append("no won deals with an amount; deal sizes come from all opportunities")
        else:
            warnings.append("no deal amounts in the CRM export; revenue cannot be estimated")
    if not np.isfinite(size_sigma):
        size_sigma = 0.8
    cycle_days = _days(cols.closed_at - cols.created)
    closed_ok = (won | lost) & np.isfinite(cycle_days)
    open_age = _days(window.today - cols.created)
    open_ok = cols.is_open & np.isfinite(open_age)
    if closed_ok.sum() >= 2:
        cycle_mu, cycle_sigma = lognormal_censored_fit(
            np.maximum(cycle_days[closed_ok], 0.0) + 0.5, np.maximum(open_age[open_ok], 0.0) + 0.5
        )
    else:
        cycle_mu, cycle_sigma = math.log(_DEFAULT_CYCLE_DAYS), _DEFAULT_CYCLE_SIGMA
        warnings.append(f"too few closed deals to fit sales cycles; assuming a {_DEFAULT_CYCLE_DAYS:.0f}-day median")
    return _Pooled(
        rate=(n_won + 1.0) / (n_won + n_lost + 2.0),
        size_mu=size_mu,
        size_sigma=size_sigma,
        size_n=size_n,
        cycle_mu=cycle_mu,
        cycle_sigma=cycle_sigma,
        cycle_days=cycle_days,
        closed_ok=closed_ok,
        open_age=open_age,
        open_ok=open_ok,
    )


def _fit_stream(
    name: str,
    mask: np.ndarray,
    cols: _Columns,
    window: _Window,
    pooled: _Pooled,
    a: Mapping[str, float],
    warnings: list[str],
) -> StreamFit:
    """One stream's win rate, deal size, cycle and volume; thin streams lean on the pooled figures."""
    won, amount = cols.won, cols.amount
    s_won, s_lost = int((won & mask).sum()), int((cols.lost & mask).sum())
    rate, low, high = beta_posterior(s_won, s_lost, pooled.rate, a["win_rate_prior"])
    mu, sigma, k = fit_sizes(amount[won & mask])
    if k == 0:
        mu, sigma = pooled.size_mu, pooled.size_sigma
        if mask.any() and pooled.size_n:
            warnings.append(f"no won {name} deals; their deal size is the company average")
    elif k < _MIN_WON_FOR_OWN_SIZE:
        mu = (k * mu + 3.0 * pooled.size_mu) / (k + 3.0)
        sigma = pooled.size_sigma
    if not np.isfinite(sigma):
        sigma = pooled.size_sigma
    if np.isfinite(mu):
        size_mean = math.exp(mu + 0.5 * sigma**2)
        size_m2 = math.exp(2 * mu + 2 * sigma**2)
    else:
        size_mean = size_m2 = 0.0
    opp_amounts = amount[mask & np.isfinite(amount) & (amount > 0)]
    opp_amount = float(opp_amounts.mean()) if opp_amounts.size else size_mean
    volume_growth, volume_growth_sd = monthly_growth_fit(cols.created[cols.valid_created & mask], window.today)
    size_growth, size_growth_sd = deal_size_growth_fit(amount[won & mask], cols.closed_at[won & mask], window.today)
    c_mask = pooled.closed_ok & mask
    if c_mask.sum() >= _MIN_CLOSED_FOR_OWN_CYCLE:
        cmu, csig = lognormal_censored_fit(
            np.maximum(pooled.cycle_days[c_mask], 0.0) + 0.5,
            np.maximum(pooled.open_age[pooled.open_ok & mask], 0.0) + 0.5,
        )
    else:
        cmu, csig = pooled.cycle_mu, pooled.cycle_sigma
    return StreamFit(
        name=name,
        opportunities=int(mask.sum()),
        closed=s_won + s_lost,
        won=s_won,
        volume=float((window.created_in & mask).sum()) / window.months,
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
        censored=int((pooled.open_ok & mask).sum()),
        lag_pmf=lag_pmf(cmu, csig),
        volume_growth=volume_growth,
        size_growth=size_growth,
        volume_growth_sd=volume_growth_sd,
        size_growth_sd=size_growth_sd,
    )


def _anchor_to_run_rate(
    fits: list[StreamFit], cols: _Columns, window: _Window, warnings: list[str]
) -> tuple[list[StreamFit], float, float, float, float]:
    """Scale deal sizes so the fitted streams reproduce the CRM's revenue run rate (within a range).

    Returns the scaled fits, the run rate, its monthly CV, the model's run rate before the
    anchor, and the anchor.
    """
    won, closed_at, today = cols.won, cols.closed_at, window.today
    won_in_window = won & ~np.isnat(closed_at) & (closed_at >= window.start) & (closed_at <= today)
    won_amounts = np.where(np.isfinite(cols.amount), cols.amount, 0.0)
    run_rate = float(won_amounts[won_in_window].sum()) / window.months
    dated = won & ~np.isnat(closed_at)
    revenue_cv = monthly_cv(closed_at[dated], won_amounts[dated], today)
    model_rr = sum(f.volume * f.win_rate * f.size_mean for f in fits)
    anchor = 1.0
    if model_rr > 0 and run_rate > 0:
        anchor = min(max(run_rate / model_rr, _ANCHOR_RANGE[0]), _ANCHOR_RANGE[1])
        if anchor in _ANCHOR_RANGE:
            warnings.append(
                f"the CRM's run rate and its volumes x win rates x deal sizes disagree by more than the anchor allows "
                f"(ratio {run_rate / model_rr:.2f}); revenue may be off"
            )
        fits = [_scaled_sizes(f, anchor) for f in fits]
    return fits, run_rate, revenue_cv, model_rr, anchor


def _scaled_sizes(f: StreamFit, factor: float) -> StreamFit:
    return replace(
        f,
        size_mu=f.size_mu + math.log(factor),
        size_mean=f.size_mean * factor,
        size_m2=f.size_m2 * factor * factor,
    )


def _accounts(deals: Deals) -> np.ndarray | None:
    """The account of each deal, when the importer read one (and it lines up with the deals)."""
    account = getattr(deals, "account", None)
    if account is None or len(account) != len(deals):
        return None
    return np.asarray(account, dtype=object)


def _recurring_share(
    cols: _Columns, deals: Deals, window: _Window, overrides: Mapping[str, float] | None,
    a: Mapping[str, float], warnings: list[str],
) -> float:
    """The user's recurring share if set; else 0 when the data show project sales, else the default."""
    if overrides and "recurring_share" in overrides:
        return float(a["recurring_share"])
    if is_project_business(cols.deal_type, cols.won, _accounts(deals), window.history_days / DAYS_PER_MONTH):
        warnings.append(
            f"no renewals and no repeat customers in {window.history_days / DAYS_PER_MONTH:.0f} months: revenue is "
            "treated as one-off project sales (bookings at close); set 'Recurring share of new business' to change"
        )
        return 0.0
    return float(a["recurring_share"])


def _new_business_run_rate(cols: _Columns, window: _Window) -> float:
    """Won new-business amount (ACV) per month, trailing window: the rate of new contracts."""
    won_in = cols.won & ~np.isnat(cols.closed_at) & (cols.closed_at >= window.start) & (cols.closed_at <= window.today)
    amount = np.where(np.isfinite(cols.amount), cols.amount, 0.0)
    return float(amount[won_in & (cols.deal_type != "existing")].sum()) / window.months


def _revenue_reference(base: InstalledBase, share: float, new_run_rate: float, bookings_run_rate: float) -> float:
    """Today's monthly revenue: recognised MRR of the installed base plus one-off revenue, or bookings."""
    if share <= 0:
        return bookings_run_rate
    mrr, _ = base_mrr(base, 1, 0)
    return share * float(mrr[0]) + (1.0 - share) * new_run_rate


def _plausibility(spend: float, revenue: float, currency: str | None, warnings: list[str]) -> None:
    """One notice when marketing spend is implausible against the CRM's revenue (likely currency or units)."""
    if spend <= 0 or revenue <= 0:
        return
    ratio = spend / revenue
    ref = assumptions_mod.REFERENCE_MARKETING_TO_REVENUE
    if ratio > 0.5 or ratio > 10 * ref or ratio < ref / 10:
        cur = f" ({currency})" if currency else ""
        warnings.append(
            f"marketing spend is {ratio:.0%} of the CRM's monthly revenue{cur}; B2B companies spend about "
            f"{ref:.0%} (Gartner CMO Spend Survey): check that the budget and the CRM export are in the same "
            "currency and units (thousands vs whole amounts) before trusting the response to spend"
        )


def _response_curves(
    budget: Budget, fits: list[StreamFit], a: Mapping[str, float], revenue_ref: float, warnings: list[str]
) -> _Curves:
    """Today's spend by class, and the brand and lead-gen curves anchored so it reproduces today's volumes.

    Saturation points are shares of the company's monthly revenue, so where
    today's budget sits on each curve depends on how much it spends against
    what it earns (a budget at 190 % of revenue is deep in saturation).
    """
    brand_ref = float(np.mean(budget.monthly("brand"))) if budget.months else 0.0
    demand_ref = float(np.mean(budget.monthly("demand"))) if budget.months else 0.0
    scale = revenue_ref
    if scale <= 0:
        spend = brand_ref + demand_ref
        scale = spend / assumptions_mod.REFERENCE_MARKETING_TO_REVENUE if spend > 0 else 1.0
        warnings.append(
            "no revenue in the CRM export: saturation points assume the budget is the benchmark share of revenue"
        )
    else:
        _plausibility(brand_ref + demand_ref, scale, budget.currency, warnings)
    intent = next(f for f in fits if f.name == "intent")
    demand = next(f for f in fits if f.name == "demand")
    awareness_ref, intent_base, demand_base, mql_ref, mql_max = anchored_curves(
        brand_ref, demand_ref, scale, intent.volume, demand.volume, a
    )
    if demand_ref <= 0 and demand.volume > 0:
        warnings.append(
            "no lead-gen spend in today's budget: today's demand opportunities are taken as not spend-driven, "
            "and lead gen is assumed to add as many again at its half-saturation spend"
        )
    return _Curves(brand_ref, demand_ref, scale, awareness_ref, intent_base, demand_base, mql_ref, mql_max)


def anchored_curves(
    brand_ref: float, demand_ref: float, scale: float, intent_volume: float, demand_volume: float,
    a: Mapping[str, float],
) -> tuple[float, float, float, float, float]:
    """Awareness today, intent base, demand base, MQLs today and the MQL ceiling that reproduce today's volumes.

    Public because a parameter draw (`draws.py`) re-anchors the curves for its
    own assumptions without refitting the CRM.
    """
    awareness_ref = float(hill(brand_ref / scale, a["brand_saturation"], a["brand_slope"]))
    intent_base = intent_volume / (1.0 + a["brand_volume_lift"] * awareness_ref)
    f0 = a["demand_baseline_share"]
    acc = a["mql_acceptance"]
    if demand_ref > 0:
        demand_base = f0 * demand_volume
        mql_ref = (1.0 - f0) * demand_volume / acc
        mql_max = mql_ref / float(hill(demand_ref / scale, a["demand_saturation"], a["demand_slope"]))
    else:
        demand_base = demand_volume
        mql_ref = 0.0
        mql_max = 2.0 * (1.0 - f0) * demand_volume / acc
    return awareness_ref, intent_base, demand_base, mql_ref, mql_max


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
    cycle = _days(np.asarray(deals.closed, dtype="datetime64[D]") - np.asarray(deals.created, dtype="datetime64[D]"))
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
