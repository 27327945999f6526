"""`planner simulate`: calibrate to a budget and a CRM export, simulate one split, print the KPIs."""

from __future__ import annotations

import argparse
import math
import time

from planner.commands._model_inputs import (
    add_input_arguments,
    bounded_int,
    check_months,
)
from planner.commands._output import write_json
from planner.commands._scenario_inputs import add_scenario_argument, scenario_for_run
from planner.commands.fit import add_evidence_arguments, learn
from planner.errors import InputError

MONTHLY_KEYS = (
    "revenue_mean", "revenue_p10", "revenue_p90", "pipeline_created", "mqls", "spend_brand", "spend_demand",
    "revenue_new", "revenue_recurring", "arr", "revenue_churned", "bookings", "contribution",
    "contribution_gain_cumulative",
)
KPI_KEYS = (
    "revenue_mean", "revenue_p10", "revenue_p50", "revenue_p90", "revenue_cv_monthly", "pipeline_created",
    "qualified_pipeline", "win_rate", "gross_margin_pct", "contribution", "cac", "cac_payback_months",
    "mqls", "cost_per_mql", "revenue_new_mean", "revenue_recurring_mean", "arr_end_mean", "nrr", "grr",
    "ltv", "ltv_to_cac", "roi_brand", "roi_demand", "mroi_brand", "mroi_demand", "roi_counts_lifetime_value",
    "breakeven_month", "bookings_mean", "prob_beats_baseline", "prob_beats_baseline_revenue",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser, files_required=False)
    add_scenario_argument(parser)
    add_evidence_arguments(parser)
    parser.add_argument(
        "--brand-share", type=float, default=None, metavar="X",
        help="brand's share of total spend, 0-1 (default: the budget's own split)",
    )
    parser.add_argument("--paths", type=bounded_int(1, 1_000_000), default=10_000, metavar="N", help="Monte Carlo paths (default 10000)")


def run(args: argparse.Namespace) -> int:
    from planner.model.session import ModelSession

    requested_months = None if args.months is None else check_months(args.months)
    if args.brand_share is not None and not 0.0 <= args.brand_share <= 1.0:
        raise InputError(None, f"--brand-share must be between 0 and 1, got {args.brand_share}")
    budget, deals, scenario = scenario_for_run(args, requested_months, args.brand_share)
    months = scenario.months
    session = ModelSession(budget, deals)
    fit = learn(args, session, months)
    calibration = session.calibration(scenario)
    start = time.perf_counter()
    result, kpis, _ = session.compare(scenario, args.paths, args.seed)
    compute_ms = (time.perf_counter() - start) * 1000.0
    full = kpis.to_dict()
    doc = {
        "brand_share": round(result.brand_share, 6),
        "months": months,
        "paths": args.paths,
        "seed": args.seed,
        "kpis": {k: full[k] for k in KPI_KEYS},
        "monthly": {k: full["monthly"][k] for k in MONTHLY_KEYS},
        "calibration": calibration.to_dict(),
        "compute_ms": round(compute_ms, 3),
        "evidence": {"months_of_history": fit.months_of_history, "note": fit.note},
    }
    if args.json:
        write_json(doc)
        return 0
    cur = f" {calibration.currency}" if calibration.currency else ""
    k = kpis
    print(calibration.summary())
    print()
    print(f"Scenario: brand share {result.brand_share:.0%}, {months} months, {args.paths} paths, seed {args.seed}")
    print(f"  revenue        {k.revenue_mean:,.0f}{cur} (P10 {k.revenue_p10:,.0f}, P90 {k.revenue_p90:,.0f})")
    print(f"  volatility     {k.revenue_cv_monthly:.1%} typical monthly miss; P10-P90 spread {k.revenue_spread:.1%}")
    print(f"  gross margin   {k.gross_margin_pct:.1%}; contribution after marketing {k.contribution:,.0f}{cur}")
    print(f"  win rate       {k.win_rate:.1%}; qualified pipeline {k.qualified_pipeline:,.0f}{cur}")
    if math.isfinite(k.cac) and math.isfinite(k.cac_payback_months):
        print(f"  CAC            {k.cac:,.0f}{cur}, payback {k.cac_payback_months:.1f} months")
    else:  # no new customers won inside the horizon, or no gross margin to pay it back
        print("  CAC            n/a (no new-business wins in the horizon, or no gross margin)")
    print(f"  lifecycle      ARR at the end {k.arr_end_mean:,.0f}{cur}; NRR {k.nrr:.0%}, GRR {k.grr:.0%} "
          f"(installed base, first 12 months); LTV {k.ltv:,.0f}{cur}, LTV:CAC {k.ltv_to_cac:.1f}")
    print(f"  return         brand ROI {k.roi_brand:.2f}, mROI {k.mroi_brand:.2f}; lead gen ROI {k.roi_demand:.2f}, "
          f"mROI {k.mroi_demand:.2f} (lifetime gross margin of customers won in the horizon, per krone)")
    be = "not within the horizon" if not math.isfinite(k.breakeven_month) else f"month {k.breakeven_month:.0f}"
    print(f"  break-even     against the budget as imported: {be}")
    if math.isfinite(k.prob_beats_baseline):
        print(f"  odds           beats the budget as imported on contribution in {k.prob_beats_baseline:.0%} of paths, "
              f"on revenue in {k.prob_beats_baseline_revenue:.0%} (same luck, same parameter draws)")
    print(f"  activity       {k.mqls:,.0f} MQLs at {k.cost_per_mql:,.0f}{cur} each (activity metric, not an outcome)")
    print(f"  computed in {compute_ms:.1f} ms")
    return 0
