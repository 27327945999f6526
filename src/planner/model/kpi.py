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
    new_revenue = max(
        revenue_mean - float(result.revenue_existing_mean.sum()) - float(result.revenue_open_new_mean.sum()), 0.0
    )
    avg_new_deal = _div_or_nan(new_revenue, new_wins)
    monthly_margin_per_deal = avg_new_deal * gm_pct / 12.0
    if cac == 0.0 and monthly_margin_per_deal > 0:
        payback = 0.0  # nothing spent: paid back at once
    else:
        payback = _div_or_nan(cac, monthly_margin_per_deal)  # NaN when gross margin <= 0 or no new wins
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
