"""The one call the CLI and the UI both make: files -> calibration -> simulation -> KPIs."""

from __future__ import annotations

from planner.errors import InputError
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


def currency_of(budget: Budget, deals: Deals) -> str | None:
    """The currency every figure is labelled in: the budget's, else the CRM export's (None if neither says)."""
    return budget.currency or deals.currency or None


def check_currencies(budget: Budget, deals: Deals) -> None:
    """Refuse a budget and a CRM export in different known currencies: the model would mix them unconverted."""
    b, d = budget.currency, deals.currency
    if b and d and b.strip().upper() != d.strip().upper():
        raise InputError(
            None, f"the budget is in {b} but the CRM export is in {d}; convert one of them first"
        )


def prepare(budget: Budget, deals: Deals, scenario: Scenario) -> tuple[Budget, Calibration]:
    """Apply the scenario's source re-classifications and assumptions, and calibrate.

    Raises `InputError` when the budget and the CRM export are in different currencies.
    """
    check_currencies(budget, deals)
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
