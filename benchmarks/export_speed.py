"""Export and save speed: the workbook, the PDF, a review file and one autosave, on the demo data.

Prints one JSON object. The reference is the model run the export cannot avoid
(every scenario simulated once at the same path count, timed in the same run),
so `*_over_model` says what the writing itself adds on this machine today.

    python -m benchmarks.export_speed [--paths 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from planner.io.budget import load_budget
from planner.io.crm import load_deals
from planner.model.session import ModelSession
from planner.report.data import build_report
from planner.report.xlsx import write_xlsx
from planner.resources import demo_paths
from planner.scenario.autosave import AutosaveSlot
from planner.scenario.collection import ScenarioSet
from planner.scenario.document import Scenario
from planner.scenario.files import InputRef, PlannerFile, load, save


def _median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return round(statistics.median(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    budget_path, crm_path = demo_paths()
    budget, deals = load_budget(budget_path), load_deals(crm_path)
    scenarios = ScenarioSet()
    for share in (0.3, 0.45, 0.6):
        scenarios = scenarios.add(Scenario(name=f"Brand {share:.0%}", brand_share=share))
    session = ModelSession(budget, deals)
    session.prepared(Scenario())  # calibration and draws are shared by both timings below
    for entry in scenarios:
        session.run(entry.scenario, args.paths, 0)

    def model_only() -> None:
        for entry in scenarios:
            session.run(entry.scenario, args.paths, 0)

    data = build_report(budget, deals, scenarios, paths=args.paths, session=session)
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-"))
    doc = PlannerFile(scenarios=scenarios, inputs=(InputRef.of("budget", budget_path), InputRef.of("crm", crm_path)))
    from planner.report.pdf import write_pdf  # Qt, loaded once before timing

    model_ms = _median_ms(model_only, args.repeat)
    xlsx_ms = _median_ms(lambda: write_xlsx(data, folder / "r.xlsx"), args.repeat)
    pdf_ms = _median_ms(lambda: write_pdf(data, folder / "r.pdf"), args.repeat)
    share_ms = _median_ms(lambda: save(doc.shared(budget, deals), folder / "review.planner.json"), args.repeat)
    open_ms = _median_ms(lambda: load(folder / "review.planner.json"), args.repeat)
    slot = AutosaveSlot(folder / "autosave")
    autosave_ms = _median_ms(lambda: slot.save(doc), max(args.repeat, 5))
    print(json.dumps({
        "scenarios": len(scenarios), "paths": args.paths, "deals": len(deals),
        "model_all_scenarios_ms": model_ms,
        "xlsx_write_ms": xlsx_ms, "xlsx_over_model": round(xlsx_ms / model_ms, 2),
        "pdf_write_ms": pdf_ms, "pdf_over_model": round(pdf_ms / model_ms, 2),
        "review_file_save_ms": share_ms, "review_file_open_ms": open_ms,
        "review_file_kb": round((folder / "review.planner.json").stat().st_size / 1024, 1),
        "autosave_ms": autosave_ms,
        "xlsx_kb": round((folder / "r.xlsx").stat().st_size / 1024, 1),
        "pdf_kb": round((folder / "r.pdf").stat().st_size / 1024, 1),
        "python": sys.version.split()[0],
    }))


if __name__ == "__main__":
    main()
