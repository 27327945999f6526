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
