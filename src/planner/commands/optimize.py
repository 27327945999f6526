"""`planner optimize`: sweep the brand share and print the best split and the frontier."""

from __future__ import annotations

import argparse

from planner.commands._model_inputs import (
    add_input_arguments,
    bounded_int,
    check_months,
    load_inputs,
)
from planner.commands._output import write_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--paths", type=bounded_int(1, 200_000), default=2000, metavar="N", help="Monte Carlo paths per share (default 2000)")


def run(args: argparse.Namespace) -> int:
    from planner.model.optimize import optimize
    from planner.model.pipeline import prepare
    from planner.scenario.document import Scenario

    months = check_months(args.months)
    budget, deals = load_inputs(args)
    scenario = Scenario(months=months)
    base, calibration = prepare(budget, deals, scenario)
    sweep = optimize(calibration, base, scenario, paths=args.paths, seed=args.seed)
    doc = {
        "months": months,
        "paths": args.paths,
        "seed": args.seed,
        "current_share": round(calibration.brand_share_ref, 6),
        "best_share_contribution": sweep.best_share_contribution,
        "best_share_risk_adjusted": sweep.best_share_risk_adjusted,
        "best_share_by_horizon": {str(h): s for h, s in zip(sweep.horizons, sweep.best_share_by_horizon, strict=True)},
        "frontier": [
            {k: point[k] for k in ("brand_share", "revenue_mean", "revenue_cv_monthly", "contribution")}
            | {"efficient": point["efficient"]}
            for point in sweep.frontier()
        ],
    }
    if args.json:
        write_json(doc)
        return 0
    cur = f" {calibration.currency}" if calibration.currency else ""
    print(f"Brand share today: {calibration.brand_share_ref:.0%}")
    print(f"Best share for contribution over {months} months: {sweep.best_share_contribution:.0%}")
    print(f"Best share for a bad year (P10 contribution):   {sweep.best_share_risk_adjusted:.0%}")
    print("Best share by horizon: " + ", ".join(
        f"{h} months {s:.0%}" for h, s in zip(sweep.horizons, sweep.best_share_by_horizon, strict=True)))
    print()
    print(f"{'brand':>6} {'revenue':>16} {'volatility':>10} {'contribution':>16}")
    for p in sweep.frontier():
        mark = " *" if p["efficient"] else ""
        print(f"{p['brand_share']:>6.0%} {p['revenue_mean']:>16,.0f} {p['revenue_cv_monthly']:>10.1%} "
              f"{p['contribution']:>16,.0f}{mark}")
    print(f"(* on the efficient frontier; amounts in{cur or ' the CRM currency'})")
    return 0
