"""`--scenario F` for the verbs that run the model: which data, and which scenarios, a scenario file means.

A scenario file either carries its data (shared for review) or refers to the
input files by path and content hash. With --budget/--crm the given files are
used (and compared with the references); without them the carried data, or
the referenced files, are. A referenced file that changed is a notice on
stderr; one that moved is an InputError asking for --budget/--crm.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from planner.commands._model_inputs import load_inputs, write_notices
from planner.errors import InputError
from planner.io.types import Budget, Deals
from planner.scenario.document import Scenario
from planner.scenario.files import InputCheck, InputRef, PlannerFile, check_input, load, locate


def add_scenario_argument(parser: argparse.ArgumentParser, *, many: bool = False) -> None:
    if many:
        parser.add_argument(
            "--scenario", action="append", default=[], metavar="F",
            help="a .planner.json scenario or review file (repeatable); it may carry or name the input files",
        )
    else:
        parser.add_argument(
            "--scenario", metavar="F",
            help="a .planner.json scenario or review file: runs its current scenario (it may carry or name the inputs)",
        )
        parser.add_argument("--scenario-name", metavar="NAME", help="run this scenario of the file instead of its current one")


def load_documents(paths: Sequence[str]) -> list[tuple[Path, PlannerFile]]:
    return [(Path(p), load(p)) for p in paths]


def model_inputs(
    args: argparse.Namespace, docs: Sequence[tuple[Path, PlannerFile]], notes: list[str] | None = None
) -> tuple[Budget, Deals]:
    """Budget and deals for the run: the given files, else the first file's carried or referenced data.

    Input files that changed or moved since a scenario was saved are a notice on
    stderr, and are added to `notes` when given (the report lists them).
    """
    if bool(args.budget) != bool(args.crm):
        raise InputError(None, "give both --budget and --crm, or neither and a --scenario file that has them")
    if args.budget:
        budget, deals = load_inputs(args)
        given = {"budget": args.budget, "crm": args.crm, "sources": getattr(args, "sources", None)}
        for _, doc in docs:
            _warn([check_input(ref, given[ref.role]) for ref in doc.inputs if given.get(ref.role)], notes)
        return budget, deals
    if not docs:
        raise InputError(None, "give --budget and --crm, or a --scenario file")
    for _, doc in docs:
        if doc.carries_data:
            return doc.budget, doc.deals  # type: ignore[return-value]
    path, doc = docs[0]
    return _referenced(path, doc, notes)


def _referenced(path: Path, doc: PlannerFile, notes: list[str] | None) -> tuple[Budget, Deals]:
    from planner.io.budget import load_budget
    from planner.io.crm import load_deals
    from planner.io.sources import load_source_map

    found: dict[str, tuple[InputRef, Path]] = {}
    for role in ("budget", "crm"):
        ref = doc.input(role)
        if ref is None:
            raise InputError(path, f"names no {role} file and carries no data; give --budget and --crm")
        where = locate(ref, path)
        if where is None:
            raise InputError(path, f"the {role} file {ref.path} has moved or was deleted; "
                                   f"give its new place with --budget and --crm")
        found[role] = (ref, where)
    checks = [check_input(ref, where) for ref, where in found.values()]
    mapping = None
    source_ref = doc.input("sources")
    if source_ref is not None and (where := locate(source_ref, path)) is not None:
        checks.append(check_input(source_ref, where))
        mapping = load_source_map(where)
    _warn(checks, notes)
    budget_ref, budget_path = found["budget"]
    crm_ref, crm_path = found["crm"]
    budget = load_budget(budget_path, sheet=budget_ref.sheet)
    deals = load_deals(crm_path, sources=mapping, columns=dict(crm_ref.columns) or None, sheet=crm_ref.sheet)
    if not budget.lines:
        raise InputError(budget_path, "the budget has no spend lines")
    write_notices(budget, deals)
    return budget, deals


def _warn(checks: Sequence[InputCheck], notes: list[str] | None = None) -> None:
    for check in checks:
        if check.status != "ok":
            print(f"planner: notice: {check.message}", file=sys.stderr)
            if notes is not None:
                notes.append(check.message)


def chosen_scenario(doc: PlannerFile, name: str | None, path: Path) -> Scenario:
    """The file's current scenario, or the one called `name`."""
    if name is None:
        return doc.scenarios.active.scenario
    try:
        return doc.scenarios.by_name(name).scenario
    except KeyError:
        names = ", ".join(doc.scenarios.names)
        raise InputError(path, f"has no scenario called {name!r} (it has: {names})") from None


def scenario_for_run(args: argparse.Namespace, months: int | None, brand_share: float | None) -> tuple[Budget, Deals, Scenario]:
    """What `planner simulate` runs: the files, and the scenario (from --scenario, then the flags on top)."""
    docs = load_documents([args.scenario] if args.scenario else [])
    budget, deals = model_inputs(args, docs)
    scenario = chosen_scenario(docs[0][1], args.scenario_name, docs[0][0]) if docs else Scenario()
    if args.scenario_name and not docs:
        raise InputError(None, "--scenario-name needs a --scenario file")
    if months is not None:
        scenario = replace(scenario, months=months)
    if brand_share is not None:
        scenario = replace(scenario, brand_share=brand_share)
    return budget, deals, scenario
