"""Result -> the KPIs a CFO reads: revenue and its spread, margin, win rate, qualified pipeline, CAC.

MQLs and cost per MQL are computed too, but they are activity metrics: the
UI labels them so, because optimising them is the McNamara trap the model
exists to avoid.

Definitions (all over the horizon unless 'monthly'):
- revenue: won deal amounts in the month they close (bookings), all streams;
  mean and P10/P50/P90 across paths of the horizon total.
- revenue_cv_monthly: how far a typical month lands from the expected month,
  as a share of average monthly revenue: sqrt(mean over paths and months of
  (revenue[p, m] - expected[m])^2) / mean monthly revenue. Measured against
  the expected path, so planned growth and seasonality are not mistaken for
  volatility.
- revenue_spread: (P90 - P10) / P50 of horizon revenue.
- win_rate: expected wins / opportunities created, all streams (blended).
- qualified_pipeline: pipeline created weighted by each opportunity's win rate.
- gross_margin_pct: gross margin / revenue; contribution: gross margin minus marketing spend.
- cac: marketing spend / new-business wins; cac_payback_months: CAC divided by the
  monthly gross margin of an average new deal, taking deal amounts as annual contract value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields

import numpy as np

from planner.model.simulate import Result


@dataclass(frozen=True)
class Kpis:
    revenue_mean: float
    revenue_p10: float
    revenue_p50: float
    revenue_p90: float
    revenue_cv_monthly: float
    revenue_spread: float
    pipeline_created: float
    qualified_pipeline: float
    win_rate: float
    gross_margin_pct: float
    contribution: float
    cac: float
    cac_payback_months: float
    mqls: float
    cost_per_mql: float
    wins: float
    new_wins: float
    spend: float
    contribution_p10: float
    monthly: dict[str, np.ndarray] = field(repr=False)

    def to_dict(self) -> dict:
        """JSON-ready: scalars as floats (None when undefined), monthly series as lists."""
        out: dict = {}
        for f in fields(self):
            if f.name == "monthly":
                continue
            out[f.name] = _clean(getattr(self, f.name))
        out["monthly"] = {k: [_clean(v) for v in np.asarray(arr, dtype=np.float64)] for k, arr in self.monthly.items()}
        return out


def _clean(value: float) -> float | None:
    v = float(value)
    return v if math.isfinite(v) else None


def _safe_div(a: float, b: float) -> float:
    return float(a) / float(b) if b > 0 else 0.0


def compute_kpis(result: Result) -> Kpis:
    """KPIs of one simulation run. Cheap: reductions over the arrays plus one sort per month."""
    months, paths = result.months, result.paths
    rev = result.revenue_tp  # (T, P)
    monthly_mean = rev.mean(axis=1, dtype=np.float64)
    gm_pct_m = np.asarray(result.gross_margin_pct_monthly, dtype=np.float64)

    totals = rev.sum(axis=0, dtype=np.float64)  # (P,)
    gm_totals = gm_pct_m.astype(np.float32) @ rev  # (P,)
    spend_m = result.spend_brand + result.spend_demand
    spend = float(spend_m.sum())
    contrib = gm_totals.astype(np.float64) - spend
    p10, p50, p90 = np.quantile(totals, [0.1, 0.5, 0.9])
    c10 = float(np.quantile(contrib, 0.1))

    mean_rev = float(monthly_mean.mean())
    dev = rev - monthly_mean.astype(np.float32)[:, None]
    rms = math.sqrt(float(np.einsum("tp,tp->", dev, dev, dtype=np.float64)) / (months * paths))
    cv = _safe_div(rms, mean_rev)

    srt = np.sort(rev, axis=1)
    idx = [min(int(q * paths), paths - 1) for q in (0.1, 0.5, 0.9)]
    m10, m50, m90 = (srt[:, i].astype(np.float64) for i in idx)

    # opportunities and pipeline: per-stream monthly means are enough for the expectations
    counts_mean = result.counts_tp.mean(axis=2, dtype=np.float64)  # (S, T)
    value = result.opp_amount[:, None] * result.price
    pipe_by = counts_mean * value
    qual_by = pipe_by * result.win_rates
    wins_by = counts_mean * result.win_rates
    opps_m = counts_mean.sum(axis=0)

    def stream_row(arr: np.ndarray, name: str) -> np.ndarray:
        return arr[result.streams.index(name)] if name in result.streams else np.zeros(months)

    pipeline_m = pipe_by.sum(axis=0)
    qualified_m = qual_by.sum(axis=0)
    win_rate_m = np.divide(wins_by.sum(axis=0), opps_m, out=np.zeros(months), where=opps_m > 0)
    mqls_m = result.mqls_tp.mean(axis=1, dtype=np.float64)
    wins_m = result.wins_tp.mean(axis=1, dtype=np.float64)
    gm_m = monthly_mean * gm_pct_m

    total_wins = float(wins_m.sum())
    new_wins = max(total_wins - float(result.wins_existing_mean.sum()), 0.0)
    revenue_mean = float(totals.mean())
    gm_total = float(gm_m.sum())
    gm_pct = _safe_div(gm_total, revenue_mean) if revenue_mean > 0 else float(gm_pct_m.mean()) if months else 0.0
    cac = _safe_div(spend, new_wins)
    new_revenue = max(revenue_mean - float(result.revenue_existing_mean.sum()), 0.0)
    avg_new_deal = _safe_div(new_revenue, new_wins)
    monthly_margin_per_deal = avg_new_deal * gm_pct / 12.0
    payback = _safe_div(cac, monthly_margin_per_deal) if cac > 0 else 0.0
    mqls = float(mqls_m.sum())

    monthly = {
        "revenue_mean": monthly_mean,
        "revenue_p10": m10,
        "revenue_p50": m50,
        "revenue_p90": m90,
        "revenue_existing": np.asarray(result.revenue_existing_mean, dtype=np.float64),
        "pipeline_intent": stream_row(pipe_by, "intent"),
        "pipeline_demand": stream_row(pipe_by, "demand"),
        "pipeline_existing": stream_row(pipe_by, "existing"),
        "pipeline_created": pipeline_m,
        "qualified_pipeline": qualified_m,
        "opportunities": opps_m,
        "mqls": mqls_m,
        "wins": wins_m,
        "win_rate": win_rate_m,
        "win_rate_intent": stream_row(result.win_rates, "intent"),
        "win_rate_demand": stream_row(result.win_rates, "demand"),
        "spend_brand": np.asarray(result.spend_brand, dtype=np.float64),
        "spend_demand": np.asarray(result.spend_demand, dtype=np.float64),
        "gross_margin_pct": gm_pct_m,
        "gross_margin": gm_m,
        "contribution": gm_m - spend_m,
        "awareness": np.asarray(result.awareness, dtype=np.float64),
    }
    return Kpis(
        revenue_mean=revenue_mean,
        revenue_p10=float(p10),
        revenue_p50=float(p50),
        revenue_p90=float(p90),
        revenue_cv_monthly=cv,
        revenue_spread=_safe_div(float(p90 - p10), float(p50)),
        pipeline_created=float(pipeline_m.sum()),
        qualified_pipeline=float(qualified_m.sum()),
        win_rate=_safe_div(float(wins_by.sum()), float(opps_m.sum())),
        gross_margin_pct=gm_pct,
        contribution=float(contrib.mean()),
        cac=cac,
        cac_payback_months=payback,
        mqls=mqls,
        cost_per_mql=_safe_div(float(result.spend_demand.sum()), mqls),
        wins=total_wins,
        new_wins=new_wins,
        spend=spend,
        contribution_p10=c10,
        monthly=monthly,
    )
