"""The two files as the model sees them: one currency, and the user's corrections of the data.

Calibration anchors to *today's* budget and CRM export. The user may correct
what the files say (a line or a lead source in the wrong class); those
corrections change the anchor. A what-if (share, scales, edits) must not.
"""

from __future__ import annotations

from planner.errors import InputError
from planner.io.types import Budget, Deals
from planner.scenario.document import Scenario, apply_to_budget


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


def base_budget(budget: Budget, scenario: Scenario) -> Budget:
    """Today's budget as the user corrected it: line re-classifications only."""
    if not scenario.line_classes:
        return budget
    return apply_to_budget(budget, Scenario(line_classes=scenario.line_classes))


def corrected_deals(deals: Deals, scenario: Scenario) -> Deals:
    """The CRM export with the user's lead-source re-classifications."""
    if not scenario.source_classes:
        return deals
    return deals.with_source_classes(scenario.source_overrides())  # type: ignore[arg-type]
