"""How close the slider preview is to the settled figures, and what it costs, by parameter groups.

While a slider moves the window shows a preview: 1,000 paths instead of
10,000 (`Workspace(coarse_paths=...)`). Every group of paths draws its own
assumptions and data figures (`model/draws.py`); a group costs a plan, a
revenue kernel and a count table, so the number of groups, not the paths,
sets a small run's time. This script runs the demo at several brand shares
and seeds as a preview with 2 groups (`preview=True`, what the window uses)
and with 4 groups (the plain 1,000-path run), and compares each KPI with
the settled 10,000-path run (8 groups, same seed):

- `bias_pct` / `sd_pct`: mean and spread over seeds of the relative
  difference preview - settled, per KPI and brand share;
- `mean_abs_pct`: mean absolute relative difference over all of them;
- `cpu_ms`: median CPU time of one preview run (scenario + KPIs + the
  standard errors the KPI strip shows), timed interleaved.

The choice in `draws.PREVIEW_PATHS_PER_GROUP` is right when the 2-group
preview is about as close as the 4-group one and cheaper.

    python -m benchmarks.preview_accuracy [--seeds 6]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np

from planner.io.open import load_file
from planner.io.types import Budget, Deals
from planner.model.draws import groups_for
from planner.model.kpi import Kpis
from planner.model.noise_band import path_figures, standard_errors
from planner.model.session import ModelSession
from planner.resources import demo_paths
from planner.scenario.document import Scenario
from planner.scenario.edits import baseline_of

SHARES = (0.1, 0.3, 0.5)
PREVIEW_PATHS = 1_000
SETTLED_PATHS = 10_000


def figures(kpis: Kpis, baseline: Kpis) -> dict[str, float]:
    """The figures the KPI strip and the charts show while dragging."""
    return {
        "revenue_mean": kpis.revenue_mean,
        "contribution_vs_baseline": kpis.contribution - baseline.contribution,
        "revenue_cv_monthly": kpis.revenue_cv_monthly,
        "revenue_spread": kpis.revenue_spread,
        "cac_payback_months": kpis.cac_payback_months,
    }


def run(session: ModelSession, share: float, paths: int, seed: int, preview: bool) -> dict[str, float]:
    _result, kpis, baseline = session.compare(Scenario(brand_share=share), paths, seed, preview=preview)
    return figures(kpis, baseline)


def preview_cpu_ms(session: ModelSession, preview: bool, seed: int) -> float:
    """CPU time of what the window's worker does per slider move (without the baseline, which a drag reuses)."""
    base = Scenario(brand_share=0.0)
    _r, _k, known = session.compare(base, PREVIEW_PATHS, seed, preview=preview)
    theirs = path_figures(session.simulate(baseline_of(base), PREVIEW_PATHS, seed, preview=preview))
    start = time.thread_time()
    result, _kpis, _b = session.compare(Scenario(brand_share=0.3), PREVIEW_PATHS, seed, known, preview=preview)
    standard_errors(path_figures(result), theirs)
    return (time.thread_time() - start) * 1000.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=60, help="timed runs per variant")
    args = parser.parse_args(argv)

    data = [load_file(p)[1] for p in demo_paths()]
    budget = next(d for d in data if isinstance(d, Budget))
    deals = next(d for d in data if isinstance(d, Deals))
    session = ModelSession(budget, deals)
    seeds = list(range(1, args.seeds + 1))
    variants = {"preview_2_groups": True, "plain_4_groups": False}

    out: dict[str, object] = {
        "benchmark": "preview_accuracy",
        "preview_paths": PREVIEW_PATHS,
        "settled_paths": SETTLED_PATHS,
        "groups": {name: groups_for(PREVIEW_PATHS, preview=p) for name, p in variants.items()}
        | {"settled": groups_for(SETTLED_PATHS)},
    }
    for name, preview in variants.items():
        differences: dict[tuple[str, float], list[float]] = {}
        for share in SHARES:
            for seed in seeds:
                settled = run(session, share, SETTLED_PATHS, seed, preview=False)
                quick = run(session, share, PREVIEW_PATHS, seed, preview=preview)
                for key, value in quick.items():
                    differences.setdefault((key, share), []).append((value - settled[key]) / abs(settled[key]) * 100.0)
        summary: dict[str, dict[str, dict[str, float]]] = {}
        for (key, share), rel in differences.items():
            summary.setdefault(key, {})[f"{share:.0%}"] = {
                "bias_pct": round(float(np.mean(rel)), 1), "sd_pct": round(float(np.std(rel)), 1)
            }
        all_abs = [abs(x) for rel in differences.values() for x in rel]
        out[name] = {"mean_abs_pct": round(float(np.mean(all_abs)), 1), "by_kpi": summary}

    times: dict[str, list[float]] = {name: [] for name in variants}
    for i in range(args.repeat):
        for name, preview in variants.items():
            times[name].append(preview_cpu_ms(session, preview, seed=1 + i % 3))
    out["cpu_ms"] = {name: round(statistics.median(t), 2) for name, t in times.items()}
    out["cpu_ratio_preview_vs_plain"] = round(
        statistics.median(times["preview_2_groups"]) / statistics.median(times["plain_4_groups"]), 2
    )
    # one line per top-level key: readable, still one JSON object
    print("{\n" + ",\n".join(f" {json.dumps(k)}: {json.dumps(v)}" for k, v in out.items()) + "\n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
