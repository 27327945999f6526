"""Share for review: one file with the budget, the CRM reduced to the model's columns, and all scenarios."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from tests.filegen.scenario_inputs import SECRET_WORDS, write_model_files

from planner.io.budget import load_budget
from planner.io.crm import load_deals
from planner.scenario.collection import ScenarioSet
from planner.scenario.document import Scenario
from planner.scenario.files import InputRef, PlannerFile, load, save
from planner.scenario.shared import DEAL_FIELDS


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("share")
    budget_path, crm_path = write_model_files(folder)
    budget, deals = load_budget(budget_path), load_deals(crm_path)
    scenarios = ScenarioSet().add(Scenario(name="Brand push", brand_share=0.5, months=18))
    doc = PlannerFile(scenarios=scenarios, name="For the CFO",
                      inputs=(InputRef.of("budget", budget_path), InputRef.of("crm", crm_path)))
    plain = save(doc, folder / "plan.planner.json")
    shared = save(doc.shared(budget, deals), folder / "review.planner.json")
    return folder, budget_path, crm_path, budget, deals, plain, shared


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, timeout=180)


def test_shared_file_holds_no_deal_name_account_or_owner(made) -> None:
    folder, _, crm_path, _, deals, _, shared = made
    crm_text = crm_path.read_text(encoding="utf-8")
    text = shared.read_text(encoding="utf-8")
    for word in SECRET_WORDS:
        assert word in crm_text  # the export has them...
        assert word not in text  # ...the review file does not
    assert text.count("\n") < 150  # the carried columns are one line each, not one line a deal
    crm = json.loads(text)["data"]["crm"]
    assert set(crm) == {"currency", "count", "notices", "account", *DEAL_FIELDS}  # accounts as pseudonyms
    assert crm["count"] == len(deals)


def test_shared_file_gives_back_the_models_data_exactly(made) -> None:
    *_, budget, deals, _, shared = made
    doc = load(shared)
    assert doc.carries_data
    assert doc.budget.months == budget.months and doc.budget.currency == budget.currency
    for mine, theirs in zip(doc.budget.lines, budget.lines, strict=True):
        assert (mine.name, mine.spend_class) == (theirs.name, theirs.spend_class)
        assert np.array_equal(mine.amounts, theirs.amounts)
    for name in DEAL_FIELDS:
        a, b = getattr(doc.deals, name), getattr(deals, name)
        assert a.dtype == b.dtype, name
        assert np.array_equal(a, b, equal_nan=a.dtype.kind in "fM"), name
    assert set(doc.deals.name) == {""} and set(doc.deals.stage) == {""}


def test_figures_from_the_shared_file_equal_the_originals(made) -> None:
    folder, budget_path, crm_path, *_, plain, shared = made
    common = ("--paths", "1500", "--seed", "11", "--json")
    original = _cli("simulate", "--budget", str(budget_path), "--crm", str(crm_path), "--scenario", str(plain), *common)
    from_share = _cli("simulate", "--scenario", str(shared), *common)
    assert original.returncode == 0, original.stderr
    assert from_share.returncode == 0, from_share.stderr
    a, b = json.loads(original.stdout), json.loads(from_share.stdout)
    assert (a["brand_share"], a["months"]) == (pytest.approx(0.5), 18)
    assert a["kpis"] == b["kpis"] and a["monthly"] == b["monthly"]
    # the CFO's copy on another machine: the inputs are gone, the file still runs
    budget_path.rename(folder / "gone.xlsx")
    try:
        again = _cli("simulate", "--scenario", str(shared), *common)
        assert again.returncode == 0 and json.loads(again.stdout)["kpis"] == a["kpis"]
        moved = _cli("simulate", "--scenario", str(plain), *common)
        assert moved.returncode == 2 and moved.stderr.count("\n") == 1
        assert "plan.planner.json: the budget file" in moved.stderr and "--budget" in moved.stderr
    finally:
        (folder / "gone.xlsx").rename(budget_path)


def test_plain_scenario_file_runs_on_its_referenced_files(made) -> None:
    _, budget_path, crm_path, *_, plain, _ = made
    common = ("--paths", "800", "--seed", "2", "--json")
    by_reference = _cli("simulate", "--scenario", str(plain), *common)
    given = _cli("simulate", "--budget", str(budget_path), "--crm", str(crm_path), "--brand-share", "0.5",
                 "--months", "18", *common)
    assert by_reference.returncode == 0, by_reference.stderr
    assert by_reference.stderr == ""
    assert json.loads(by_reference.stdout)["kpis"] == json.loads(given.stdout)["kpis"]
    baseline = _cli("simulate", "--scenario", str(plain), "--scenario-name", "baseline", *common)
    assert json.loads(baseline.stdout)["months"] == 36
    unknown = _cli("simulate", "--scenario", str(plain), "--scenario-name", "Nope", *common)
    assert unknown.returncode == 2 and "no scenario called 'Nope'" in unknown.stderr


def test_changed_input_is_a_notice_on_stderr(made, tmp_path) -> None:
    _, budget_path, crm_path, *_, plain, _ = made
    edited = tmp_path / "crm.csv"
    edited.write_text(crm_path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    out = _cli("simulate", "--budget", str(budget_path), "--crm", str(edited), "--scenario", str(plain),
               "--paths", "200", "--json")
    assert out.returncode == 0, out.stderr
    assert "crm.csv: the crm file changed since the scenario was saved" in out.stderr
    json.loads(out.stdout)  # stdout stays pure JSON


def test_budget_without_crm_is_refused(made) -> None:
    _, budget_path, *_ = made
    out = _cli("simulate", "--budget", str(budget_path), "--paths", "100")
    assert out.returncode == 2 and "--crm" in out.stderr and out.stderr.count("\n") == 1
