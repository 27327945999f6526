"""`planner report`: the CFO's export - an Excel workbook with native charts, or a PDF.

Runs every scenario (Baseline first, then those of each --scenario file)
through the model session with one seed, and writes `--out` atomically. The
xlsx path never imports Qt; only a .pdf loads Qt's PDF writer.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from planner.commands._model_inputs import add_input_arguments, bounded_int, check_months
from planner.commands._output import write_json, write_text
from planner.commands._scenario_inputs import add_scenario_argument, load_documents, model_inputs
from planner.errors import InputError

if TYPE_CHECKING:
    from planner.report.data import ReportData

FORMATS = (".xlsx", ".pdf")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser, files_required=False)
    add_scenario_argument(parser, many=True)
    parser.add_argument("--paths", type=bounded_int(1, 1_000_000), default=10_000, metavar="N",
                        help="Monte Carlo paths (default 10000)")
    parser.add_argument("--out", required=True, metavar="FILE", help="report.xlsx or report.pdf")


def run(args: argparse.Namespace) -> int:
    from planner.report.data import build_report
    from planner.scenario.collection import ScenarioSet

    out = Path(args.out)
    if out.suffix.lower() not in FORMATS:
        raise InputError(out, "--out must end in .xlsx or .pdf")
    if not out.parent.is_dir():
        raise InputError(out, f"the folder {out.parent} does not exist")
    months = None if args.months is None else check_months(args.months)
    docs = load_documents(args.scenario)
    notes: list[str] = []
    budget, deals = model_inputs(args, docs, notes)
    scenarios = docs[0][1].scenarios if docs else ScenarioSet()
    for _, doc in docs[1:]:
        scenarios = scenarios.merged(doc.scenarios)
    if months is not None:
        for entry in scenarios:
            scenarios = scenarios.update(entry.id, replace(entry.scenario, months=months))
    title = next((doc.name for _, doc in docs if doc.name), "") or "Marketing plan"
    data = build_report(budget, deals, scenarios, seed=args.seed, paths=args.paths, title=title,
                        notices=tuple(notes))
    _write_atomic(out, data)
    if args.json:
        write_json({"out": str(out), "format": out.suffix.lower().lstrip("."),
                    "scenarios": [f.name for f in data.scenarios], "seed": args.seed, "paths": args.paths})
    else:
        write_text(f"wrote {out} ({len(data.scenarios)} scenarios)\n")
    return 0


def _write_atomic(out: Path, data: ReportData) -> None:
    """Write beside `out` and rename, so a failed export never leaves half a report under its name."""
    fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    try:
        if out.suffix.lower() == ".pdf":
            from planner.report.pdf import write_pdf  # Qt is loaded for a PDF only

            write_pdf(data, tmp)
        else:
            from planner.report.xlsx import write_xlsx

            write_xlsx(data, tmp)
        os.replace(tmp, out)
    except OSError as exc:
        raise InputError(out, f"cannot be written ({exc.strerror or exc})") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
