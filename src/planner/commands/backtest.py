"""`planner backtest`: forecast each past year from the history before it and compare with what happened."""

from __future__ import annotations

import argparse
import time

from planner.commands._model_inputs import add_input_arguments, load_inputs
from planner.commands._output import write_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from planner.model.backtest import backtest

    _, deals = load_inputs(args)
    start = time.perf_counter()
    result = backtest(deals, seed=args.seed)
    doc = result.to_dict() | {"compute_ms": round((time.perf_counter() - start) * 1000.0, 1)}
    if args.json:
        write_json(doc)
        return 0
    if not result.cutoffs:
        print(f"No back-test: {result.note}")
        return 0
    print("Forecast of the next 12 months of new-business bookings from the history before each cutoff")
    print(f"{'cutoff':<8} {'P10':>14} {'forecast':>14} {'P90':>14} {'actual':>14} {'run rate':>14} "
          f"{'model err':>9} {'naive err':>9}")
    for c in result.cutoffs:
        print(f"{c.cutoff:<8} {c.p10:>14,.0f} {sum(c.forecast):>14,.0f} {c.p90:>14,.0f} {c.actual:>14,.0f} "
              f"{c.naive:>14,.0f} {c.model_ape:>9.1%} {c.naive_ape:>9.1%}")
    print(f"Model error {result.model_mape:.1%} (quarterly totals) against {result.naive_mape:.1%} for last year's "
          f"run rate; better on {result.beats_naive:.0%} of cutoffs; the actual year fell inside P10-P90 in "
          f"{result.coverage:.0%} of them.")
    return 0
