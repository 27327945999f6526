"""The one call the CLI and the UI both make: files -> calibration -> simulation -> KPIs."""

from __future__ import annotations

from planner.io.types import Budget, Deals
from planner.model.calibrate import Calibration, calibrate
from planner.model.kpi import Kpis, compute_kpis
from planner.model.simulate import Result, simulate
from planner.scenario.document import Scenario, apply_to_budget, replace_scenario


def base_budget(budget: Budget, scenario: Scenario) -> Budget:
    """Today's budget as the user corrected it: line re-classifications only.

    Calibration anchors to *today's* spend; a what-if (share, scales, edits)
    must not move that anchor, but fixing a mis-classified line must.
    """
    if not scenario.line_classes:
        return budget
    return apply_to_budget(budget, Scenario(line_classes=scenario.line_classes))


def prepare(budget: Budget, deals: Deals, scenario: Scenario) -> tuple[Budget, Calibration]:
    """Apply the scenario's source re-classifications and assumptions, and calibrate."""
    if scenario.source_classes:
        deals = deals.with_source_classes(scenario.source_overrides())  # type: ignore[arg-type]
    base = base_budget(budget, scenario)
    return base, calibrate(deals, base, scenario.assumption_overrides())


def run(
    budget: Budget, deals: Deals, scenario: Scenario, *, paths: int = 10_000, seed: int = 0
) -> tuple[Calibration, Result, Kpis]:
    """Calibrate to the files, simulate the scenario, compute its KPIs."""
    base, calibration = prepare(budget, deals, scenario)
    result = simulate(calibration, base, replace_scenario(scenario, line_classes=()), paths=paths, seed=seed)
    return calibration, result, compute_kpis(result)
