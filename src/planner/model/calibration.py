"""What calibration produces: the fitted streams and the anchored model of today, as plain values.

Kept apart from the fitting (`calibrate.py`) so the simulation, the KPIs and
the window can read a Calibration without the fitting code, and so the
readable summary and the JSON form sit next to the fields they describe.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from planner.model import assumptions as assumptions_mod
from planner.model.installed_base import InstalledBase


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
    # growth (`trend.py`): monthly log growth of opportunities created and of won deal sizes, shrunk to 0
    volume_growth: float = 0.0
    size_growth: float = 0.0
    volume_growth_sd: float = 0.0  # posterior sd of each (what the parameter draws draw from)
    size_growth_sd: float = 0.0


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
    spend_scale: float  # monthly revenue the saturation points are shares of
    recurring_share: float  # share of new-business amounts that is ACV renewing yearly (0 = project sales)
    base: InstalledBase  # contracts active at the export, and the retention that drives them
    new_run_rate: float  # won new-business amount (ACV) per month, trailing 12 months
    revenue_ref: float  # today's monthly revenue (recognised MRR when recurring, bookings otherwise)
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
            f"  revenue today: {self.revenue_ref:,.0f}{cur}/month "
            + (f"recognised (ARR {12 * self.base_mrr:,.0f}{cur}, {self.base.acv.size} contracts; "
               f"{self.recurring_share:.0%} of new deal amounts recur)" if self.recurring_share > 0
               else "(project sales: bookings at close)")
            + f"; marketing is {self.spend_to_revenue:.1%} of it",
            f"  retention ({self.base.retention_source}): first renewal {self.base.retention.first_renewal:.0%}, "
            f"sBG alpha {self.base.retention.alpha:.2f} beta {self.base.retention.beta:.2f}, "
            f"expansion {self.base.retention.expansion:.0%} per renewal",
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
    def base_mrr(self) -> float:
        """Monthly recurring revenue of today's installed base (recurring part only)."""
        return self.recurring_share * float(self.base.acv.sum()) / 12.0

    @property
    def spend_to_revenue(self) -> float:
        """Today's marketing spend as a share of today's monthly revenue."""
        spend = self.spend_brand_ref + self.spend_demand_ref
        return spend / self.revenue_ref if self.revenue_ref > 0 else math.nan

    @property
    def brand_share_ref(self) -> float:
        total = self.spend_brand_ref + self.spend_demand_ref
        return self.spend_brand_ref / total if total > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
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
            "recurring_share": _json_float(self.recurring_share),
            "revenue_monthly": _json_float(self.revenue_ref),
            "new_business_run_rate": _json_float(self.new_run_rate),
            "arr_start": _json_float(12.0 * self.base_mrr),
            "spend_to_revenue": _json_float(self.spend_to_revenue),
            "retention": {
                "source": self.base.retention_source,
                "alpha": _json_float(self.base.retention.alpha),
                "beta": _json_float(self.base.retention.beta),
                "first_renewal": _json_float(self.base.retention.first_renewal),
                "expansion": _json_float(self.base.retention.expansion),
                "renewals_seen": self.base.renewals_seen,
            },
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
