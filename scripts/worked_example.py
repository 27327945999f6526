"""The worked example of docs/model.md, computed: the demo company as a CFO would walk through it.

Every figure is printed by the model (seed 0), none typed in: the section of
docs/model.md between the `worked-example` markers is this script's output,
and `tests/model/test_worked_example.py` fails when the two disagree, so the
docs cannot drift from the model.

    python scripts/worked_example.py            # print the markdown
    python scripts/worked_example.py --write    # replace the section in docs/model.md
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from planner.io.budget import load_budget
from planner.io.crm import load_deals
from planner.model.assumptions import REFERENCE_BRAND_SHARE
from planner.model.optimize import optimize, total_budget
from planner.model.session import ModelSession
from planner.resources import demo_paths
from planner.scenario.document import Scenario

DOC = Path(__file__).resolve().parents[1] / "docs" / "model.md"
START, END = "<!-- worked-example:start -->", "<!-- worked-example:end -->"
PATHS, SEED, MONTHS = 4000, 0, 36


def _m(value: float) -> str:
    """Millions with one decimal (thousands below a million): what a CFO reads in a budget meeting."""
    return f"{value / 1e6:,.1f} M" if abs(value) >= 1e6 else f"{value / 1e3:,.0f} k"


def _month(value: float) -> str:
    return f"month {int(value)}" if math.isfinite(value) else "not within the horizon"


def markdown() -> str:
    budget_path, crm_path = demo_paths()
    budget, deals = load_budget(budget_path), load_deals(crm_path)
    session = ModelSession(budget, deals)
    plan = Scenario(months=MONTHS)
    cal = session.calibration(plan)
    cur = f" {cal.currency}" if cal.currency else ""
    _, k, _ = session.compare(plan, PATHS, SEED)
    shift = Scenario(months=MONTHS, brand_share=REFERENCE_BRAND_SHARE)
    _, s, b = session.compare(shift, PATHS, SEED)
    _, s6, b6 = session.compare(Scenario(months=6, brand_share=REFERENCE_BRAND_SHARE), PATHS, SEED)
    sweep = optimize(session, plan, paths=2000, seed=SEED)
    curve = total_budget(session, plan, paths=1000, seed=SEED)
    spreads = sweep.contribution_by_horizon.max(axis=1) - sweep.contribution_by_horizon.min(axis=1)
    best = ", ".join(f"{share:.0%} at {h}" for h, share in zip(sweep.horizons[1:], sweep.best_share_by_horizon[1:],
                                                                strict=True))
    retention = cal.base.retention
    lines = [
        START,
        f"All figures: `python scripts/worked_example.py` (the demo files, {PATHS:,} paths, seed {SEED}; "
        "amounts in" + (cur or " the files' currency") + ").",
        "",
        f"1. **Today.** The CRM ({cal.history_months:.0f} months of history up to {cal.today}) shows "
        f"{_m(12 * cal.new_run_rate)} of won new business over the last 12 months; the installed base is "
        f"**ARR {_m(12 * cal.base_mrr)}** ({cal.base.acv.size} contracts), **{_m(cal.revenue_ref)} of revenue a "
        f"month**. Retention comes from {'the account histories' if retention_source(cal) else 'the sourced defaults'}: "
        f"first renewal {retention.first_renewal:.0%}, expansion {retention.expansion:.0%} per renewal. The 2027 "
        f"budget is {_m(budget.total)}, {budget.brand_share:.0%} brand: **{cal.spend_to_revenue:.1%} of revenue**; "
        f"brand awareness today {cal.awareness_ref:.2f} of saturation.",
        f"2. **One new customer.** Its gross-margin lifetime value is **{_m(k.ltv)}**; CAC is **{_m(k.cac)}**, "
        f"so LTV:CAC **{k.ltv_to_cac:.1f}**, and its gross margin repays CAC in "
        f"**{k.cac_payback_months:.1f} months**.",
        f"3. **Three years of the budget.** Recognised revenue {_m(k.revenue_mean)} (P10 {_m(k.revenue_p10)}, "
        f"P90 {_m(k.revenue_p90)}), of which {_m(k.revenue_new_mean)} from contracts won in the horizon and "
        f"{_m(k.revenue_recurring_mean)} recurring; ARR at the end **{_m(k.arr_end_mean)}**; contribution after "
        f"marketing **{_m(k.contribution)}**; NRR {k.nrr:.0%}, GRR {k.grr:.0%} on today's base.",
        f"4. **What the next krone buys.** Brand ROI {k.roi_brand:.2f}, **mROI {k.mroi_brand:.2f}**; lead gen "
        f"ROI {k.roi_demand:.2f}, **mROI {k.mroi_demand:.2f}** (lifetime gross margin of customers won in the "
        f"horizon, per krone). The whole budget's mROI falls through 1 at **{curve.best_total_scale:.1f}× "
        "today's** (`planner optimize --total`).",
        f"5. **A shift to {REFERENCE_BRAND_SHARE:.0%} brand** changes MQLs by {s6.mqls - b6.mqls:+,.0f} and "
        f"pipeline by {_m(s6.pipeline_created - b6.pipeline_created)} in the first six months; over 36 months it "
        f"breaks even in **{_month(s.breakeven_month)}**, changes contribution by "
        f"{_m(s.contribution - b.contribution)} and ARR at the end by {_m(s.arr_end_mean - b.arr_end_mean)}, "
        f"and beats the budget on contribution in **{s.prob_beats_baseline:.0%}** of paths (same luck, same "
        f"parameter draws). The best share by horizon: {best} months; at {sweep.horizons[0]} months every "
        f"share gives the same contribution within {_m(spreads[0])} (no real preference, brand has not had "
        "time to work).",
        END,
    ]
    return "\n".join(lines) + "\n"


def retention_source(cal: object) -> bool:
    """True when retention was fitted to the CRM's account histories."""
    return getattr(getattr(cal, "base", None), "retention_source", "") == "accounts"


def replace_section(text: str, section: str) -> str:
    start, end = text.index(START), text.index(END) + len(END) + 1
    return text[:start] + section + text[end:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="replace the section in docs/model.md")
    section = markdown()
    if parser.parse_args().write:
        DOC.write_text(replace_section(DOC.read_text(encoding="utf-8"), section), encoding="utf-8")
    else:
        print(section, end="")


if __name__ == "__main__":
    main()
