"""The horizon table of issue #9: best brand share, contribution, ARR, volatility and break-even by horizon.

For each horizon (6, 12, 24, 36 months) the brand share is swept over 21
points with common random numbers (`planner.model.optimize`); at the best
share the scenario is compared with the budget as imported (same draws):
contribution after marketing over the horizon, ARR at its end, monthly
revenue volatility, and the month from which the cumulative contribution gain
over the budget stays positive. Every figure is computed, none typed in.

    python scripts/horizon_table.py [--budget B --crm C] [--paths 2000] [--json]
"""

from __future__ import annotations

import argparse
import json
import math

from planner.io.budget import load_budget  # noqa: E402
from planner.io.crm import load_deals  # noqa: E402
from planner.model.assumptions import REFERENCE_BRAND_SHARE  # noqa: E402
from planner.model.optimize import optimize  # noqa: E402
from planner.model.session import ModelSession  # noqa: E402
from planner.resources import demo_paths  # noqa: E402
from planner.scenario.document import Scenario  # noqa: E402

HORIZONS = (6, 12, 24, 36)


def table(session: ModelSession, paths: int, seed: int) -> list[dict]:
    rows = []
    for months in HORIZONS:
        scenario = Scenario(months=months)
        sweep = optimize(session, scenario, paths=paths, seed=seed)
        best = sweep.best_share_contribution
        _, kpis, base = session.compare(Scenario(months=months, brand_share=best), paths, seed)
        _, ref, _ = session.compare(Scenario(months=months, brand_share=REFERENCE_BRAND_SHARE), paths, seed)
        spread = float(sweep.contribution.max() - sweep.contribution.min())
        rows.append({
            "months": months,
            "best_share": best,
            "budget_share": session.calibration(scenario).brand_share_ref,
            "contribution": kpis.contribution,
            "contribution_budget": base.contribution,
            "arr_end": kpis.arr_end_mean,
            "arr_end_budget": base.arr_end_mean,
            "revenue_cv_monthly": kpis.revenue_cv_monthly,
            "revenue_cv_budget": base.revenue_cv_monthly,
            "breakeven_month": None if not math.isfinite(kpis.breakeven_month) else kpis.breakeven_month,
            "mqls": kpis.mqls,
            "mqls_budget": base.mqls,
            "contribution_spread_over_shares": spread,
            "at_46": {
                "contribution_gain": ref.contribution - base.contribution,
                "mqls_change": ref.mqls - base.mqls,
                "pipeline_change": ref.pipeline_created - base.pipeline_created,
                "arr_end_gain": ref.arr_end_mean - base.arr_end_mean,
                "breakeven_month": None if not math.isfinite(ref.breakeven_month) else ref.breakeven_month,
            },
        })
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    budget_path, crm_path = demo_paths()
    parser.add_argument("--budget", default=str(budget_path))
    parser.add_argument("--crm", default=str(crm_path))
    parser.add_argument("--paths", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    session = ModelSession(load_budget(args.budget), load_deals(args.crm))
    rows = table(session, args.paths, args.seed)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    cur = session.calibration(Scenario()).currency or ""
    print(f"budget brand share {rows[0]['budget_share']:.1%}; amounts in M {cur}; {args.paths} paths, seed {args.seed}")
    print("| horizon | best brand share | contribution (budget) | ARR at end (budget) | monthly CV (budget) "
          "| MQLs (budget) | break-even month |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        be = "none within the horizon" if r["breakeven_month"] is None else f"{r['breakeven_month']:.0f}"
        print(f"| {r['months']} | {r['best_share']:.0%} | {r['contribution'] / 1e6:,.1f} ({r['contribution_budget'] / 1e6:,.1f}) "
              f"| {r['arr_end'] / 1e6:,.1f} ({r['arr_end_budget'] / 1e6:,.1f}) "
              f"| {r['revenue_cv_monthly']:.1%} ({r['revenue_cv_budget']:.1%}) "
              f"| {r['mqls']:,.0f} ({r['mqls_budget']:,.0f}) | {be} |")
    print()
    print(f"Moving to the B2B reference split ({REFERENCE_BRAND_SHARE:.0%} brand) from the budget's, same draws:")
    print("| horizon | contribution gain | MQLs | pipeline created | ARR at end | break-even month "
          "| contribution spread over all shares |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        x = r["at_46"]
        be = "none within the horizon" if x["breakeven_month"] is None else f"{x['breakeven_month']:.0f}"
        print(f"| {r['months']} | {x['contribution_gain'] / 1e6:+,.2f} | {x['mqls_change']:+,.0f} "
              f"| {x['pipeline_change'] / 1e6:+,.1f} | {x['arr_end_gain'] / 1e6:+,.2f} | {be} "
              f"| {r['contribution_spread_over_shares'] / 1e6:,.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
