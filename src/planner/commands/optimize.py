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
from planner.commands.fit import add_evidence_arguments, learn


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    add_evidence_arguments(parser)
    parser.add_argument("--paths", type=bounded_int(1, 200_000), default=2000, metavar="N", help="Monte Carlo paths per share (default 2000)")
    parser.add_argument(
        "--total", action="store_true",
        help="also sweep the total budget (0-3x today, split and phasing kept): the point where mROI = 1",
    )


def run(args: argparse.Namespace) -> int:
    from planner.model.optimize import optimize, total_budget
    from planner.model.sensitivity import tornado
    from planner.model.session import ModelSession
    from planner.scenario.document import Scenario

    months = check_months(args.months)
    budget, deals = load_inputs(args)
    scenario = Scenario(months=months)
    session = ModelSession(budget, deals)
    fit = learn(args, session, months)
    calibration = session.calibration(scenario)
    sweep = optimize(session, scenario, paths=args.paths, seed=args.seed)
    swings = tornado(session, scenario, sweep.best_share_contribution, seed=args.seed)
    doc = {
        "months": months,
        "paths": args.paths,
        "seed": args.seed,
        "current_share": round(calibration.brand_share_ref, 6),
        "best_share_contribution": sweep.best_share_contribution,
        "best_share_risk_adjusted": sweep.best_share_risk_adjusted,
        "best_share_by_horizon": {str(h): s for h, s in zip(sweep.horizons, sweep.best_share_by_horizon, strict=True)},
        "robust_share": sweep.robust_share,
        "prob_beats_by_share": [None if p != p else float(p) for p in sweep.prob_beats_by_share],
        "gain_p10_by_share": [float(g) for g in sweep.gain_p10_by_share],
        "sensitivity": [s.to_dict() for s in swings],
        "warnings": list(sweep.warnings),
        "evidence": {"months_of_history": fit.months_of_history, "note": fit.note},
        "frontier": [
            {k: point[k] for k in ("brand_share", "revenue_mean", "revenue_cv_monthly", "contribution")}
            | {"efficient": point["efficient"]}
            for point in sweep.frontier()
        ],
    }
    curve = total_budget(session, scenario, paths=args.paths, seed=args.seed) if args.total else None
    if curve is not None:
        doc.update(curve.to_dict())
    if args.json:
        write_json(doc)
        return 0
    cur = f" {calibration.currency}" if calibration.currency else ""
    print(f"Brand share today: {calibration.brand_share_ref:.0%}")
    print(f"Best share for contribution over {months} months: {sweep.best_share_contribution:.0%}")
    print(f"Best share for a bad year (P10 contribution):   {sweep.best_share_risk_adjusted:.0%}")
    print(f"Robust choice (best P10 of the gain over today's split): {sweep.robust_share:.0%}")
    print("Best share by horizon: " + ", ".join(
        f"{h} months {s:.0%}" for h, s in zip(sweep.horizons, sweep.best_share_by_horizon, strict=True)))
    for w in sweep.warnings:
        print(f"  warning: {w}")
    print()
    print(f"{'brand':>6} {'revenue':>16} {'volatility':>10} {'contribution':>16}")
    for p in sweep.frontier():
        mark = " *" if p["efficient"] else ""
        print(f"{p['brand_share']:>6.0%} {p['revenue_mean']:>16,.0f} {p['revenue_cv_monthly']:>10.1%} "
              f"{p['contribution']:>16,.0f}{mark}")
    print(f"(* on the efficient frontier; amounts in{cur or ' the CRM currency'})")
    print()
    print("P(beats today's split) per share: " + ", ".join(
        f"{s:.0%} {'-' if p != p else f'{p:.0%}'}" for s, p in zip(sweep.shares, sweep.prob_beats_by_share, strict=True)))
    print(f"Which assumption decides (gain of {sweep.best_share_contribution:.0%} over today's split at its P10 / P90):")
    for sw in swings[:5]:
        flag = " (the recommendation flips)" if sw.flips else ""
        print(f"  {sw.label:<45} {sw.low:>14,.0f} {sw.high:>14,.0f}{flag}")
        print(f"      settle it: {sw.settle}")
    if curve is not None:
        print()
        print(f"Total budget: best scale {curve.best_total_scale:.1f}x today's (marginal ROI falls through 1 there; "
              "lifetime gross margin of customers won in the horizon counted)")
        print(f"{'scale':>6} {'spend':>14} {'revenue':>16} {'contribution':>16} {'mROI':>6}")
        for s, x, r, c, m in zip(curve.scales, curve.spend, curve.revenue_mean, curve.contribution_mean, curve.mroi,
                                 strict=True):
            print(f"{s:>6.1f} {x:>14,.0f} {r:>16,.0f} {c:>16,.0f} {m:>6.2f}")
    return 0
