"""Shared by `planner simulate` and `planner optimize`: read the two files the model needs."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from planner.errors import InputError
from planner.io.types import Budget, Deals


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: an integer in [low, high], else a one-line usage error (exit 2)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high:,}, got {value}")
        return value

    return parse


def add_input_arguments(parser: argparse.ArgumentParser, *, files_required: bool = True) -> None:
    """The input options; `files_required=False` where a scenario file may name or carry the files."""
    parser.add_argument("--budget", required=files_required, metavar="B", help="marketing budget (.xlsx, .csv)")
    parser.add_argument("--crm", required=files_required, metavar="C", help="CRM opportunity export (.xlsx, .csv)")
    parser.add_argument(
        "--sources",
        metavar="MAP",
        help="CSV with columns source,class (intent|demand) overriding the lead-source classes",
    )
    parser.add_argument(
        "--columns",
        metavar="FIELD=HEADER,...",
        help="CRM columns to use when detection guesses wrong, e.g. amount=Auftragswert,stage=Phase",
    )
    parser.add_argument("--crm-sheet", metavar="NAME", help="CRM workbook sheet to read")
    parser.add_argument("--budget-sheet", metavar="NAME", help="budget workbook sheet to read")
    parser.add_argument("--months", type=int, default=None, metavar="M", help="horizon in months, 1-60 (default 36, or the scenario's)")
    parser.add_argument("--seed", type=bounded_int(0, 2**63 - 1), default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")


def check_months(months: int | None) -> int:
    """The --months value (36 when not given), or InputError when out of range."""
    if months is None:
        return 36
    if not 1 <= months <= 60:
        raise InputError(None, f"--months must be between 1 and 60, got {months}")
    return months


def load_inputs(args: argparse.Namespace) -> tuple[Budget, Deals]:
    """Budget and deals from the paths in `args` (InputError with one line when unreadable)."""
    from planner.io.budget import load_budget
    from planner.io.crm import load_deals, parse_column_mapping

    mapping = None
    if getattr(args, "sources", None):
        from planner.io.sources import load_source_map

        mapping = load_source_map(args.sources)
    columns = parse_column_mapping(args.columns) if getattr(args, "columns", None) else None
    budget = load_budget(args.budget, sheet=getattr(args, "budget_sheet", None))
    deals = load_deals(
        args.crm, sources=mapping, columns=columns, sheet=getattr(args, "crm_sheet", None)
    )
    if not budget.lines:
        raise InputError(args.budget, "the budget has no spend lines")
    write_notices(budget, deals)
    return budget, deals


def write_notices(budget: Budget, deals: Deals) -> None:
    """The import notices (rows skipped, dates missing...) on stderr, never in --json stdout."""
    import sys

    from planner.commands._output import write_text
    from planner.commands.inspect import notice_lines

    lines = notice_lines(budget, deals)
    if lines:
        write_text("\n".join(lines) + "\n", stream=sys.stderr)
