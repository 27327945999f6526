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
- cac: marketing spend / new-business wins from opportunities created in the
  horizon (today's open pipeline was paid for by earlier spend, so its wins
  are not new customers here); cac_payback_months: CAC divided by the monthly
  gross margin of an average such new deal, taking deal amounts as annual
  contract value. Both are NaN (null in JSON) when undefined: no new wins, or
  gross margin <= 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np

from planner.model.lifecycle import lifetime_factor, payback_month
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
    # --- the customer lifecycle (issue #9) --------------------------------------------------
    revenue_new_mean: float = math.nan  # first-year revenue of contracts won in the horizon
    revenue_recurring_mean: float = math.nan  # renewed contracts and today's installed base
    arr_end_mean: float = math.nan  # 12 x recurring MRR in the horizon's last month
    bookings_mean: float = math.nan  # won amounts at close (for reference)
    nrr: float = math.nan  # installed base, first 12 months, expansion included
    grr: float = math.nan  # installed base, first 12 months, no expansion
    ltv: float = math.nan  # gross-margin lifetime value of an average new customer (discounted)
    ltv_to_cac: float = math.nan
    # --- return on spend, counting the lifetime value of customers won in the horizon ----------
    roi_brand: float = math.nan
    roi_demand: float = math.nan
    mroi_brand: float = math.nan
    mroi_demand: float = math.nan
    roi_counts_lifetime_value: bool = True
    # --- against the baseline (set by ModelSession.compare) ---------------------------------
    breakeven_month: float = math.nan  # first month the cumulative contribution gain turns and stays positive
    # share of paths (same luck, same parameter draws) on which the plan's horizon contribution / revenue
    # beats the baseline's; NaN when the plan is the baseline
    prob_beats_baseline: float = math.nan
    prob_beats_baseline_revenue: float = math.nan
    # per-path horizon totals ("revenue", "contribution"), for paired comparisons; not in the JSON
    path_totals: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: scalars as floats (None when undefined), monthly series as lists."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name in ("monthly", "path_totals"):
                continue
            value = getattr(self, f.name)
            out[f.name] = value if isinstance(value, bool) else _clean(value)
        out["monthly"] = {k: [_clean(v) for v in np.asarray(arr, dtype=np.float64)] for k, arr in self.monthly.items()}
        return out


def _clean(value: float) -> float | None:
    v = float(value)
    return v if math.isfinite(v) else None


def _safe_div(a: float, b: float) -> float:
    return float(a) / float(b) if b > 0 else 0.0


def _div_or_nan(a: float, b: float) -> float:
    """a / b, or NaN when b <= 0 (an undefined KPI, not a zero one)."""
    return float(a) / float(b) if b > 0 else math.nan


def _quantiles(values: np.ndarray, qs: tuple[float, ...]) -> list[float]:
    """np.quantile's default (linear) quantiles, without its overhead (it costs 5x the sort here)."""
    n = values.size
    srt = np.sort(values)
    out = []
    for q in qs:
        pos = (n - 1) * q
        below = int(math.floor(pos))
        lo, hi = float(srt[below]), float(srt[min(below + 1, n - 1)])
        frac = pos - below
        # numpy's lerp: from the nearer end, so q = 1 gives exactly the maximum
        out.append(lo + (hi - lo) * frac if frac < 0.5 else hi - (hi - lo) * (1.0 - frac))
    return out


def _monthly_percentiles(rev: np.ndarray, qs: tuple[float, ...]) -> list[np.ndarray]:
    """Per-month percentiles across paths (nearest rank).

    A full sort of each month: numpy's vectorised sort beats np.partition
    with several ranks (which falls back to a scalar select) and matches a
    single-rank partition done three times.
    """
    paths = rev.shape[1]
    srt = np.sort(rev, axis=1)
    return [srt[:, min(int(q * paths), paths - 1)].astype(np.float64) for q in qs]


def _revenue_cv(rev: np.ndarray, monthly_mean: np.ndarray) -> float:
    """RMS distance of every (path, month) from the expected month, relative to mean monthly revenue."""
    months, paths = rev.shape
    mean_rev = float(monthly_mean.mean()) if months else 0.0
    dev = np.subtract(rev, monthly_mean.astype(np.float32)[:, None])
    # float32 squares summed per month with SIMD partial sums, then in float64: ~1e-8 relative
    sq = np.einsum("tp,tp->t", dev, dev).astype(np.float64)
    rms = math.sqrt(float(sq.sum()) / max(months * paths, 1))
    return _safe_div(rms, mean_rev)


def compute_kpis(result: Result) -> Kpis:
    """KPIs of one simulation run: reductions over the per-path arrays, partial sorts for percentiles.

    Expectations (pipeline, wins, MQLs) come from mean counts, because they
    are linear in the counts; only revenue needs per-path work.
    """
    months, paths = result.months, result.paths
    rev = result.revenue_tp  # (T, P) float32
    # float32 sums (pairwise along paths; 36 terms along months) are accurate to ~1e-6, at a third of the cost
    monthly_mean = rev.sum(axis=1).astype(np.float64) / paths
    gm_pct_m = np.asarray(result.gross_margin_pct_monthly, dtype=np.float64)

    # per-path horizon sums: revenue, and gross margin (einsum: no BLAS threads for a matrix-vector product)
    totals = rev.sum(axis=0).astype(np.float64)  # (P,)
    if result.gross_margin_pct_tp is not None:  # paths with their own parameters (`uncertain.py`)
        gm_totals = np.einsum("tp,tp->p", result.gross_margin_pct_tp, rev)
    else:
        gm_totals = np.einsum("t,tp->p", gm_pct_m.astype(np.float32), rev)  # (P,)
    spend_m = result.spend_brand + result.spend_demand
    spend = float(spend_m.sum())
    contrib = gm_totals.astype(np.float64) - spend
    p10, p50, p90 = _quantiles(totals, (0.1, 0.5, 0.9))
    (c10,) = _quantiles(contrib, (0.1,))

    cv = _revenue_cv(rev, monthly_mean)
    m10, m50, m90 = _monthly_percentiles(rev, (0.1, 0.5, 0.9))

    # opportunities and pipeline: per-stream monthly means are enough for the expectations
    counts_mean = result.counts_mean  # (S, T)
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
    mqls_m = result.mqls_mean
    wins_m = result.wins_mean
    gm_m = monthly_mean * gm_pct_m

    total_wins = float(wins_m.sum())
    # new customers: new-business wins from opportunities created in the horizon (not today's open pipeline)
    new_wins = float(sum(w for w, s in zip(result.wins_by_stream, result.streams, strict=True) if s != "existing"))
    revenue_mean = float(totals.mean())
    gm_total = float(gm_m.sum())
    gm_pct = _safe_div(gm_total, revenue_mean) if revenue_mean > 0 else float(gm_pct_m.mean()) if months else 0.0
    cac = _div_or_nan(spend, new_wins)
    new_bookings = max(
        float(result.bookings_mean.sum())
        - (float(result.revenue_existing_mean.sum()) if not result.recognition.recurring else 0.0)
        - float(result.revenue_open_new_mean.sum()),
        0.0,
    )
    avg_new_deal = _div_or_nan(new_bookings, new_wins)
    ltv, payback = _lifetime(result, avg_new_deal, gm_pct, cac)
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
        "revenue_new": np.asarray(result.revenue_new_mean, dtype=np.float64),
        "revenue_recurring": np.asarray(result.revenue_recurring_mean, dtype=np.float64),
        "revenue_churned": np.asarray(result.revenue_churned_mean, dtype=np.float64),
        "arr": np.asarray(result.arr_mean, dtype=np.float64),
        "bookings": np.asarray(result.bookings_mean, dtype=np.float64),
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
        revenue_new_mean=float(result.revenue_new_mean.sum()),
        revenue_recurring_mean=float(result.revenue_recurring_mean.sum()),
        arr_end_mean=float(result.arr_mean[-1]) if months else 0.0,
        bookings_mean=float(result.bookings_mean.sum()),
        nrr=result.recognition.nrr,
        grr=result.recognition.grr,
        ltv=ltv,
        ltv_to_cac=_div_or_nan(ltv, cac) if math.isfinite(cac) else math.nan,
        path_totals={"revenue": totals, "contribution": contrib},
    )


def _lifetime(result: Result, avg_new_deal: float, gm_pct: float, cac: float) -> tuple[float, float]:
    """Gross-margin LTV of an average new customer, and months until its gross margin repays CAC.

    Both read the same value: the customer's expected recognised revenue month
    by month (sBG survival and expansion; one-off for project sales) times the
    gross margin. LTV is discounted and capped at `ltv_years`; payback is not
    discounted (the usual SaaS convention) and is NaN when never reached.
    """
    a = result.assumptions
    profile = result.recognition.profile
    if not (math.isfinite(avg_new_deal) and avg_new_deal > 0 and gm_pct > 0):
        return math.nan, math.nan
    per_acv = lifetime_factor(profile, a["ltv_years"], a["discount_rate"])
    ltv = avg_new_deal * gm_pct * per_acv
    if not math.isfinite(cac):
        return ltv, math.nan
    return ltv, payback_month(profile, cac / (avg_new_deal * gm_pct))


def breakeven_month(gain_cumulative: np.ndarray) -> float:
    """First month (1-based) from which the cumulative gain is positive and stays so; NaN when none."""
    gain = np.asarray(gain_cumulative, dtype=np.float64)
    if gain.size == 0 or gain[-1] <= 0:
        return math.nan
    not_positive = np.flatnonzero(gain <= 0)
    return float(not_positive[-1] + 2) if not_positive.size else 1.0


def against_baseline(kpis: Kpis, baseline: Kpis) -> Kpis:
    """The scenario's KPIs with the cumulative contribution gain over the baseline and its break-even month.

    Both runs share their random numbers (the session's common draws), so the
    month-by-month difference is the plan's, not luck's.
    """
    gain = np.cumsum(np.asarray(kpis.monthly["contribution"]) - np.asarray(baseline.monthly["contribution"]))
    monthly = dict(kpis.monthly)
    monthly["contribution_gain_cumulative"] = gain
    return replace(
        kpis, monthly=monthly, breakeven_month=breakeven_month(gain),
        prob_beats_baseline=prob_beats(kpis.path_totals.get("contribution"), baseline.path_totals.get("contribution")),
        prob_beats_baseline_revenue=prob_beats(kpis.path_totals.get("revenue"), baseline.path_totals.get("revenue")),
    )


def prob_beats(plan: np.ndarray | None, baseline: np.ndarray | None) -> float:
    """Share of paired paths on which `plan` is above `baseline`; NaN when unpaired or identical.

    Paths are paired (same random numbers, same parameter draws), so this is
    the probability the plan wins given what we do not know, not the overlap
    of two independent bands. Identical plans are no contest: NaN, not 0.
    """
    if plan is None or baseline is None or plan.shape != baseline.shape or plan.size == 0:
        return math.nan
    diff = np.asarray(plan, dtype=np.float64) - np.asarray(baseline, dtype=np.float64)
    scale = max(float(np.abs(baseline).max()), 1.0) * 1e-9
    if float(np.abs(diff).max()) <= scale:
        return math.nan
    return float(np.mean(diff > 0))
