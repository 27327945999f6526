"""One set of real input files and a scenario file for the report tests (generated, not checked in)."""

from __future__ import annotations

import pytest
from tests.filegen.scenario_inputs import write_model_files

from planner.scenario.collection import ScenarioSet
from planner.scenario.document import Scenario
from planner.scenario.files import InputRef, PlannerFile, save

SCENARIOS = (
    Scenario(name="Brand push", brand_share=0.5, months=18),
    Scenario(name="Cut 20 %", total_scale=0.8, assumptions=(("gross_margin", 0.6),)),
)


@pytest.fixture(scope="session")
def report_inputs(tmp_path_factory):
    """budget.xlsx, crm.csv and plan.planner.json (Baseline, Brand push, Cut 20 %) in one folder."""
    folder = tmp_path_factory.mktemp("report")
    budget, crm = write_model_files(folder)
    scenarios = ScenarioSet()
    for scenario in SCENARIOS:
        scenarios = scenarios.add(scenario)
    doc = PlannerFile(scenarios=scenarios, name="Board pack",
                      inputs=(InputRef.of("budget", budget), InputRef.of("crm", crm)))
    return folder, budget, crm, save(doc, folder / "plan.planner.json")
