"""What an export shows, computed once: every scenario's KPIs, monthly series and adjusted budget.

The figures come from the one road (`ModelSession.run`), so they equal what
`planner simulate --json` prints for the same scenario, paths and seed
(tests/report/test_xlsx.py runs the real CLI to prove it). The writers
(xlsx, pdf) only lay these values out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from planner.io.types import Budget, Deals
from planner.model.assumptions import ASSUMPTIONS, resolve
from planner.model.session import ModelSession
from planner.scenario.collection import ScenarioSet
from planner.scenario.document import Scenario, apply_to_budget


@dataclass(frozen=True)
class ScenarioFigures:
    """One scenario as the export shows it."""

    name: str
    colour: str  # "#RRGGBB", the scenario's colour everywhere
    notes: str
    scenario: Scenario
    brand_share: float  # brand's share of spend over the horizon, as simulated
    labels: tuple[str, ...]  # "YYYY-MM" of each simulated month
    kpis: dict[str, Any]  # Kpis.to_dict() without "monthly": floats, None when undefined
    monthly: dict[str, list[float | None]]  # Kpis.to_dict()["monthly"]
    budget: Budget  # the budget as the scenario adjusts it


@dataclass(frozen=True)
class AssumptionRow:
    key: str
    label: str
    unit: str
    default: float
    low: float
    high: float
    source: str
    values: tuple[float, ...]  # one per scenario, after its overrides


@dataclass(frozen=True)
class ReportData:
    title: str
    currency: str | None
    seed: int
    paths: int
    created: str  # ISO timestamp, UTC
    scenarios: tuple[ScenarioFigures, ...]
    assumptions: tuple[AssumptionRow, ...]
    notices: tuple[str, ...]  # data notices: import notices and input-file checks


def build_report(
    budget: Budget,
    deals: Deals,
    scenarios: ScenarioSet,
    *,
    seed: int = 0,
    paths: int = 10_000,
    title: str = "Marketing plan",
    notices: tuple[str, ...] = (),
    session: ModelSession | None = None,
) -> ReportData:
    """Run every scenario of the set (baseline first) and gather what the writers need."""
    session = session or ModelSession(budget, deals)
    figures = []
    for entry in scenarios:
        # compare, as `planner simulate` does: KPIs measured against the baseline (break-even month...)
        result, kpis, _ = session.compare(entry.scenario, paths, seed)
        full = kpis.to_dict()
        monthly = full.pop("monthly")
        figures.append(
            ScenarioFigures(
                name=entry.name,
                colour=entry.colour,
                notes=entry.notes,
                scenario=entry.scenario,
                brand_share=float(result.brand_share),
                labels=tuple(result.labels),
                kpis=full,
                monthly=monthly,
                budget=apply_to_budget(budget, entry.scenario),
            )
        )
    resolved = [resolve(f.scenario.assumption_overrides()) for f in figures]
    rows = tuple(
        AssumptionRow(a.key, a.label, a.unit, a.value, a.low, a.high, a.source,
                      tuple(float(r[a.key]) for r in resolved))
        for a in ASSUMPTIONS
    )
    data_notices = tuple(n.message for n in budget.notices) + tuple(n.message for n in deals.notices)
    return ReportData(
        title=title,
        currency=budget.currency or deals.currency or None,
        seed=int(seed),
        paths=int(paths),
        created=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        scenarios=tuple(figures),
        assumptions=rows,
        notices=tuple(notices) + data_notices,
    )
