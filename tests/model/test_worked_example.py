"""docs/model.md's worked example is the model's own output: regenerate it and compare."""

from __future__ import annotations

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_worked_example_in_the_docs_is_what_the_model_prints() -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "worked_example.py"))
    doc = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    start, end = doc.index(script["START"]), doc.index(script["END"]) + len(script["END"]) + 1
    assert doc[start:end] == script["markdown"](), "run `python scripts/worked_example.py --write`"


def test_the_back_test_table_in_the_docs_is_what_the_model_prints() -> None:
    from planner.io.crm import load_deals
    from planner.model.backtest import backtest
    from planner.resources import demo_paths

    script = runpy.run_path(str(ROOT / "scripts" / "evidence_report.py"))
    table = script["backtest_markdown"](backtest(load_deals(demo_paths()[1]), seed=0))
    assert table in (ROOT / "docs" / "model.md").read_text(encoding="utf-8"), (
        "run `python scripts/evidence_report.py --markdown` and paste the table into docs/model.md"
    )
