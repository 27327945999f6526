"""How sure is the plan on the demo: P(beats the budget), the robust share, what decides, and the back-test.

Prints, for 6 and 36 months (seed 0): the mean-best brand share, the chance
that it beats the budget as imported on contribution and on revenue (paired
paths with parameter draws), the robust share (best P10 of the gain over
today's split), and the three assumptions that move the decision most; then
the back-test figures. `--markdown` prints the back-test table that
docs/model.md carries (so the table is generated, never typed).

    python scripts/evidence_report.py [--markdown]
"""

from __future__ import annotations

import argparse
import time

from planner.io.budget import load_budget  # noqa: E402
from planner.io.crm import load_deals  # noqa: E402
from planner.model.backtest import backtest  # noqa: E402
from planner.model.history import fit_history  # noqa: E402
from planner.model.optimize import optimize  # noqa: E402
from planner.model.sensitivity import tornado  # noqa: E402
from planner.model.session import ModelSession  # noqa: E402
from planner.resources import demo_paths  # noqa: E402
from planner.scenario.document import Scenario  # noqa: E402


def _money(v: float) -> str:
    return f"{v / 1e6:,.1f} M" if abs(v) >= 1e6 else f"{v / 1e3:,.0f} k"


def backtest_markdown(result) -> str:
    rows = ["| cutoff | P10 | forecast | P90 | actual | last year's run rate | model error | run-rate error |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for c in result.cutoffs:
        rows.append(f"| {c.cutoff} | {_money(c.p10)} | {_money(sum(c.forecast))} | {_money(c.p90)} | "
                    f"{_money(c.actual)} | {_money(c.naive)} | {c.model_ape:.0%} | {c.naive_ape:.0%} |")
    rows.append(f"| **all** | | | | | | **{result.model_mape:.1%}** | **{result.naive_mape:.1%}** |")
    rows.append("")
    rows.append(f"Model better than the run rate on {result.beats_naive:.0%} of cutoffs; the actual year inside "
                f"P10-P90 in {result.coverage:.0%} of them (errors: quarterly totals of new-business bookings, "
                "NOK; seed 0).")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print only the back-test table for docs/model.md")
    args = parser.parse_args()
    budget_path, crm_path = demo_paths()
    budget, deals = load_budget(budget_path), load_deals(crm_path)
    start = time.perf_counter()
    result = backtest(deals)
    backtest_ms = (time.perf_counter() - start) * 1000.0
    if args.markdown:
        print(backtest_markdown(result))
        return
    session = ModelSession(budget, deals)
    fit = fit_history(session.calibration(Scenario(months=36)), deals, budget)
    session.set_beliefs(fit.posteriors)
    print(f"Demo: {budget_path.name} + {crm_path.name}; {fit.note}")
    for months in (6, 36):
        scenario = Scenario(months=months)
        sweep = optimize(session, scenario, paths=2000, seed=0)
        best = sweep.best_share_contribution
        _, kpis, baseline = session.compare(Scenario(brand_share=best, months=months), 10_000, 0)
        swings = tornado(session, scenario, best, seed=0)
        print(f"\n{months} months: today's brand share {sweep.current_share:.0%}, mean-best {best:.0%}, "
              f"robust (best P10 of the gain) {sweep.robust_share:.0%}")
        if kpis.prob_beats_baseline == kpis.prob_beats_baseline:
            print(f"  P(the mean-best split beats the budget): contribution {kpis.prob_beats_baseline:.0%}, "
                  f"revenue {kpis.prob_beats_baseline_revenue:.0%} "
                  f"(mean gain {_money(kpis.contribution - baseline.contribution)} NOK)")
        else:
            print("  the mean-best split is the budget's own split")
        i = list(sweep.shares).index(sweep.robust_share)
        print(f"  P(robust share beats today's split): {sweep.prob_beats_by_share[i]:.0%}, "
              f"P10 of its gain {_money(sweep.gain_p10_by_share[i])} NOK")
        print("  top three sensitivities (gain of the mean-best split at the assumption's P10 / P90):")
        for sw in swings[:3]:
            flips = "; the recommendation flips" if sw.flips else ""
            print(f"    {sw.key:<24} {_money(sw.low):>9} / {_money(sw.high):>9}  swing {_money(sw.swing)}{flips}")
            print(f"      settle it: {sw.settle}")
    print(f"\nBack-test ({len(result.cutoffs)} cutoffs, {backtest_ms:.0f} ms): model error {result.model_mape:.1%} "
          f"against {result.naive_mape:.1%} for last year's run rate; better on {result.beats_naive:.0%} of "
          f"cutoffs; P10-P90 coverage {result.coverage:.0%}")
    print(backtest_markdown(result))


if __name__ == "__main__":
    main()
