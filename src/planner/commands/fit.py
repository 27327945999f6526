"""`planner fit`: update the response assumptions from the spend history and lift tests; prior vs posterior."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from planner.commands._model_inputs import add_input_arguments, check_months, load_inputs
from planner.commands._output import write_json

if TYPE_CHECKING:  # imported when run, to keep `planner --help` quick
    from planner.model.history import FitResult
    from planner.model.session import ModelSession


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    add_evidence_arguments(parser)


def add_evidence_arguments(parser: argparse.ArgumentParser) -> None:
    """--lift and --history: shared with `simulate` and `optimize`, whose runs then draw from the posteriors."""
    parser.add_argument(
        "--lift", metavar="FILE",
        help="lift tests (JSON list or CSV: metric,lift,sd[,label]; metric inbound_opportunities | win_rate | "
             "price | mql_acceptance), e.g. a brand holdout that measured +12 %% +- 5 %% inbound",
    )
    parser.add_argument(
        "--history", metavar="FILE",
        help="a second budget file with past months of actual spend (same layout as the budget)",
    )


def learn(args: argparse.Namespace, session: ModelSession, months: int) -> FitResult:
    """Fit the session's beliefs to the history and the --lift / --history files; returns the FitResult."""
    from planner.model.history import fit_history, read_lift_file
    from planner.scenario.document import Scenario

    lift = read_lift_file(args.lift) if getattr(args, "lift", None) else ()
    extra = None
    if getattr(args, "history", None):
        from planner.io.budget import load_budget

        extra = load_budget(args.history)
    calibration = session.calibration(Scenario(months=months))
    fit = fit_history(calibration, session.deals, session.budget, extra_spend=extra, lift_tests=lift, seed=args.seed)
    session.set_beliefs(fit.posteriors)
    return fit


def run(args: argparse.Namespace) -> int:
    from planner.model.session import ModelSession

    months = check_months(args.months)
    budget, deals = load_inputs(args)
    session = ModelSession(budget, deals)
    fit = learn(args, session, months)
    doc = fit.to_dict()
    if args.json:
        write_json(doc)
        return 0
    print(fit.note)
    print(f"{'assumption':<26} {'prior P10-P50-P90':>28} {'posterior P10-P50-P90':>28}")
    for key, entry in doc["assumptions"].items():
        pr, po = entry["prior"], entry["posterior"]
        print(f"{key:<26} {pr['p10']:>8.3g} {pr['p50']:>9.3g} {pr['p90']:>9.3g} "
              f"{po['p10']:>8.3g} {po['p50']:>9.3g} {po['p90']:>9.3g}")
    return 0
