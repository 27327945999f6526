"""The budget templates a new user fills in are shipped, current, and read exactly as written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from planner.io.budget import load_budget
from planner.resources import resource_path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ("templates/budget_template.xlsx", "templates/budget_template.csv")


def _expected() -> tuple[dict[str, str], float]:
    """Line -> class and the yearly total, from the generator's own table."""
    spec = {"Brand": "brand", "Lead generation": "demand"}
    code = (
        "import runpy, json; m = runpy.run_path('scripts/make_templates.py');"
        "print(json.dumps([[n, k, a] for n, k, a in m['LINES']]))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    lines = json.loads(out.stdout)
    return {n: spec[k] for n, k, _ in lines}, 12 * sum(a for _, _, a in lines)


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_is_read_as_written(name: str) -> None:
    classes, total = _expected()
    budget = load_budget(resource_path(name))
    assert budget.months == tuple(f"2027-{m:02d}" for m in range(1, 13))
    assert {ln.name: ln.spend_class for ln in budget.lines} == classes
    assert all(ln.class_origin == "column" for ln in budget.lines)  # told by the Type column, not guessed
    assert budget.total == pytest.approx(total)
    assert not [n for n in budget.notices if n.kind != "sheet"], budget.notices


def test_xlsx_template_says_its_currency() -> None:
    assert load_budget(resource_path(TEMPLATES[0])).currency == "EUR"


def test_shipped_templates_are_what_the_script_writes(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "scripts/make_templates.py", "--out", str(tmp_path)], cwd=ROOT, check=True,
        capture_output=True,
    )  # fmt: skip
    assert (tmp_path / "budget_template.csv").read_bytes() == resource_path(TEMPLATES[1]).read_bytes()
    fresh, shipped = load_budget(tmp_path / "budget_template.xlsx"), load_budget(resource_path(TEMPLATES[0]))
    assert [ln.name for ln in fresh.lines] == [ln.name for ln in shipped.lines]
    assert np.array_equal(
        np.array([ln.amounts for ln in fresh.lines]), np.array([ln.amounts for ln in shipped.lines])
    )
