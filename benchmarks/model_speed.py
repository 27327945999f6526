"""Model speed: simulate + KPIs at 10,000 paths x 36 months, a 21-point optimise at 2,000 paths.

Issue #10: `simulate_kpis_with_draws_*` is the session's run with parameter
uncertainty (every group of paths draws its own assumptions and data
figures: `model/draws.py`), timed interleaved with the same minimal Monte
Carlo pass; target <= 1.5x. `demo_fit_ms` and `demo_backtest_ms` time the
history fit (calibration included) and the back-test on the demo files;
target <= 2 s each.

Prints one JSON object. Targets (issue #4): simulate+KPIs <= 25 ms median, optimise
<= 1 s, peak memory < 500 MB; (issue #9) simulate+KPIs <= 1.5x a minimal Monte Carlo
pass of the same size (a Poisson count and a lognormal size per path-month, summed),
timed interleaved in the same run. `session_run_*` adds what the CLI and the window
also compute per run: ROI and mROI per class (five expected-value plans). The reference is a straightforward pure-Python loop
(per path, per month, per deal) on a small size, scaled per path-month, so the
ratio says what the aggregated numpy engine buys; on a shared machine it also
shows how fast the CPU was during the run. `cpu_threads` says how many threads
numpy's BLAS may start (the engine itself stays on one: see `planner.model.gemm.small_gemms`).

    python -m benchmarks.model_speed [--repeat 21]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import statistics
import sys
import time

import numpy as np
from tests.model.synthetic import DEFAULT_STREAMS, EXISTING_STREAM, make_budget, make_deals  # noqa: E402

from planner.model.calibrate import Calibration, calibrate  # noqa: E402
from planner.model.draws import groups_for  # noqa: E402
from planner.model.kpi import compute_kpis  # noqa: E402
from planner.model.optimize import optimize  # noqa: E402
from planner.model.session import ModelSession  # noqa: E402
from planner.model.simulate import Plan, make_plan, simulate  # noqa: E402
from planner.scenario.document import Scenario, apply_to_budget  # noqa: E402


def _times_ms(fn, repeat: int) -> list[float]:
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - start) * 1000.0)
    return times


def cpu_threads() -> dict:
    """CPUs this process may run on, and how many threads numpy's BLAS may use.

    Read from the BLAS environment variables (they cap the pool when numpy
    loads) and the CPU affinity; threadpoolctl, if installed, reports the
    live value instead. Not a dependency.
    """
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        name = f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # older numpy or an unusual build: the name is only informative
        name = "unknown"
    env = {k: os.environ[k] for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS") if k in os.environ}
    limits = [int(v) for v in env.values() if v.strip().isdigit() and int(v) > 0]
    threads, source = (min(limits[0], cpus), "environment") if limits else (cpus, "cpu affinity")
    try:
        from threadpoolctl import threadpool_info

        live = [pool["num_threads"] for pool in threadpool_info() if pool.get("user_api") == "blas"]
        if live:
            threads, source = max(live), "threadpoolctl"
    except ImportError:
        pass
    return {"cpus": cpus, "blas": name, "blas_threads_max": threads, "source": source, "env": env,
            "engine_threads": 1}


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024.0 * 1024.0) if sys.platform == "darwin" else peak / 1024.0  # bytes on macOS, KB on Linux


def python_reference(cal: Calibration, plan: Plan, paths: int, seed: int) -> float:
    """Per-deal pure-Python Monte Carlo of the same model; returns mean revenue (to use the result)."""
    rng = random.Random(seed)
    months = plan.months
    total = 0.0
    for _ in range(paths):
        revenue = [0.0] * months
        for i, fit in enumerate(cal.streams):
            for t in range(months):
                lam = plan.volume[i, t]
                if math.isfinite(plan.dispersion[i]):
                    lam *= rng.gammavariate(plan.dispersion[i], 1.0 / plan.dispersion[i])
                # Poisson by multiplying uniforms (Knuth), fine for these volumes
                n, p_acc, limit = 0, rng.random(), math.exp(-lam)
                while p_acc > limit:
                    n += 1
                    p_acc *= rng.random()
                for _ in range(n):
                    if rng.random() < plan.win_rate[i, t]:
                        days = rng.lognormvariate(fit.cycle_mu, fit.cycle_sigma)
                        m = t + int(rng.random() + days / 30.4375)
                        if m < months:
                            revenue[m] += plan.price[i, t] * rng.lognormvariate(fit.size_mu, fit.size_sigma)
        total += sum(revenue)
    return total / paths


def minimal_monte_carlo(seed: int, paths: int = 10_000, months: int = 36) -> float:
    """The floor any Monte Carlo of this size pays (issue #9's reference): a Poisson count and a
    lognormal size per path-month, multiplied and summed."""
    rng = np.random.default_rng(seed)
    counts = rng.poisson(20.0, size=(months, paths))
    sizes = rng.lognormal(11.0, 0.7, size=(months, paths))
    return float((counts * sizes).sum(axis=0).mean())


def _demo_evidence_ms() -> tuple[float, float]:
    """The history fit (reading the files and calibrating included) and the back-test on the demo, in ms."""
    from planner.io.budget import load_budget
    from planner.io.crm import load_deals
    from planner.model.backtest import backtest
    from planner.model.history import fit_history
    from planner.resources import demo_paths

    budget_path, crm_path = demo_paths()
    start = time.perf_counter()
    demo_budget, demo_deals = load_budget(budget_path), load_deals(crm_path)
    cal = ModelSession(demo_budget, demo_deals).calibration(Scenario(months=36))
    fit_history(cal, demo_deals, demo_budget)
    fit_ms = (time.perf_counter() - start) * 1000.0
    start = time.perf_counter()
    backtest(load_deals(crm_path))
    return fit_ms, (time.perf_counter() - start) * 1000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()

    deals = make_deals(streams=DEFAULT_STREAMS + (EXISTING_STREAM,), seed=1)
    budget = make_budget()
    start = time.perf_counter()
    cal = calibrate(deals, budget)
    calibrate_ms = (time.perf_counter() - start) * 1000.0
    scenario = Scenario(months=36)

    compute_kpis(simulate(cal, budget, scenario, paths=10_000, seed=0))  # warm-up
    sim_times = _times_ms(lambda i: compute_kpis(simulate(cal, budget, scenario, paths=10_000, seed=i)), args.repeat)
    sim_ms = statistics.median(sim_times)
    minimal_monte_carlo(0)  # warm-up
    # interleaved with the model in the same run, so a busy neighbour slows both alike
    pairs = [
        (_times_ms(lambda i: compute_kpis(simulate(cal, budget, scenario, paths=10_000, seed=i)), 1)[0],
         _times_ms(minimal_monte_carlo, 1)[0])
        for _ in range(args.repeat)
    ]
    paired_sim = statistics.median(p[0] for p in pairs)
    minimal_ms = statistics.median(p[1] for p in pairs)
    uncertain = ModelSession(budget, deals)
    compute_kpis(uncertain.simulate(scenario, 10_000, 0))  # warm-up: calibration and parameter draws cached
    draw_pairs = [
        (_times_ms(lambda i: compute_kpis(uncertain.simulate(scenario, 10_000, 0)), 1)[0],
         _times_ms(minimal_monte_carlo, 1)[0])
        for _ in range(args.repeat)
    ]
    draws_ms = statistics.median(p[0] for p in draw_pairs)
    draws_minimal_ms = statistics.median(p[1] for p in draw_pairs)
    fit_ms, backtest_ms = _demo_evidence_ms()
    session = ModelSession(budget, deals)
    session.prepared(scenario)  # calibrated once, as in the window and the CLI
    session.run(scenario, 10_000, 0)
    run_ms = statistics.median(_times_ms(lambda i: session.run(scenario, 10_000, i), args.repeat))
    opt_ms = statistics.median(
        _times_ms(lambda i: optimize(session, scenario, paths=2000, seed=i), max(3, args.repeat // 4))
    )

    ref_paths = 40
    plan = make_plan(cal, apply_to_budget(budget, scenario), 36)
    ref_ms = statistics.median(_times_ms(lambda i: python_reference(cal, plan, ref_paths, i), 3))
    ref_per_path_month_us = ref_ms * 1000.0 / (ref_paths * 36)
    ours_per_path_month_us = sim_ms * 1000.0 / (10_000 * 36)

    peak_mb = _peak_rss_mb()
    print(json.dumps({
        "simulate_kpis_ms_median": round(sim_ms, 2),
        "simulate_kpis_ms_min": round(min(sim_times), 2),
        "simulate_kpis_size": {"paths": 10_000, "months": 36, "streams": len(cal.streams)},
        "simulate_kpis_target_ms": 25,
        "minimal_monte_carlo_ms_median": round(minimal_ms, 2),
        "simulate_kpis_over_minimal_mc": round(paired_sim / minimal_ms, 2),
        "simulate_kpis_over_minimal_mc_target": 1.5,
        "simulate_kpis_with_draws_ms_median": round(draws_ms, 2),
        "minimal_monte_carlo_ms_median_same_run": round(draws_minimal_ms, 2),
        "simulate_kpis_with_draws_over_minimal_mc": round(draws_ms / draws_minimal_ms, 2),
        "simulate_kpis_with_draws_over_minimal_mc_target": 1.5,
        "parameter_groups_at_10000_paths": groups_for(10_000),
        "demo_fit_ms": round(fit_ms, 1),
        "demo_backtest_ms": round(backtest_ms, 1),
        "demo_fit_backtest_target_ms": 2000,
        "session_run_with_roi_ms_median": round(run_ms, 2),
        "session_run_over_minimal_mc": round(run_ms / minimal_ms, 2),
        "optimize_21_shares_ms_median": round(opt_ms, 1),
        "optimize_size": {"shares": 21, "paths": 2000, "months": 36},
        "optimize_target_ms": 1000,
        "calibrate_ms": round(calibrate_ms, 1),
        "python_reference": {
            "paths": ref_paths, "months": 36, "ms_median_of_3": round(ref_ms, 1),
            "us_per_path_month": round(ref_per_path_month_us, 2),
        },
        "numpy_us_per_path_month": round(ours_per_path_month_us, 4),
        "speedup_vs_python_per_path_month": round(ref_per_path_month_us / ours_per_path_month_us, 1),
        "peak_rss_mb": round(peak_mb, 1),
        "memory_target_mb": 500,
        "cpu_threads": cpu_threads(),
    }, indent=2))


if __name__ == "__main__":
    main()
