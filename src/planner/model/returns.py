"""Return on marketing spend in money: ROI and marginal ROI per class, and the total-budget curve.

Value of a plan = expected gross margin of today's installed base within the
horizon + the lifetime gross margin (discounted, capped at `ltv_years`) of
every contract won within the horizon. Counting the customers' lifetime is
the point: a krone that wins a customer in month 30 buys years of revenue,
which a horizon cut-off would throw away (`roi_counts_lifetime_value` in the
KPIs' JSON says so, and the window can say it on screen).

    ROI_class  = (V(plan) - V(plan without that class)) / class spend
    mROI_class = (V(plan with the class x 1.05) - V(plan)) / (0.05 x class spend)

Both are expectations (no Monte Carlo needed: every figure is linear in the
expected counts), from the same plans the simulation uses.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from planner.io.types import Budget
from planner.model.calibration import Calibration
from planner.model.lifecycle import lifetime_factor
from planner.model.simulate import expected_bookings, make_plan

STEP = 0.05  # the marginal step: 5 % more of a class


def lifetime_value(calibration: Calibration, budget: Budget, months: int) -> float:
    """V(plan) above, for an already scenario-applied budget."""
    plan = make_plan(calibration, budget, months)
    a = calibration.assumptions
    gm0 = a["gross_margin"]
    value, at_list = expected_bookings(calibration, plan)
    rec = plan.recognition
    margin = value - (1.0 - gm0) * at_list  # better prices, same cost to serve
    per_acv = lifetime_factor(rec.profile, a["ltv_years"], a["discount_rate"])
    return float(gm0 * rec.base.sum() + margin.sum() * per_acv)


def _scaled(budget: Budget, spend_class: str | None, factor: float) -> Budget:
    lines = tuple(
        replace(ln, amounts=ln.amounts * factor) if spend_class in (None, ln.spend_class) else ln for ln in budget.lines
    )
    return replace(budget, lines=lines)


@dataclass(frozen=True)
class ClassReturns:
    roi_brand: float
    roi_demand: float
    mroi_brand: float
    mroi_demand: float


def class_returns(calibration: Calibration, budget: Budget, months: int) -> ClassReturns:
    """ROI and mROI of brand and of lead generation at the plan `budget` (already scenario-applied)."""
    here = lifetime_value(calibration, budget, months)
    out: dict[str, float] = {}
    for cls in ("brand", "demand"):
        spend = float(_horizon_spend(budget, cls, months))
        if spend <= 0:
            out[f"roi_{cls}"] = out[f"mroi_{cls}"] = float("nan")
            continue
        without = lifetime_value(calibration, _scaled(budget, cls, 0.0), months)
        more = lifetime_value(calibration, _scaled(budget, cls, 1.0 + STEP), months)
        out[f"roi_{cls}"] = (here - without) / spend
        out[f"mroi_{cls}"] = (more - here) / (STEP * spend)
    return ClassReturns(**out)


def _horizon_spend(budget: Budget, spend_class: str | None, months: int) -> float:
    from planner.scenario.document import extend_months

    if spend_class is None:
        return sum(_horizon_spend(budget, c, months) for c in ("brand", "demand"))
    return float(extend_months(budget.monthly(spend_class), months).sum())  # type: ignore[arg-type]


def total_curve(calibration: Calibration, budget: Budget, months: int, scales: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lifetime value and marginal ROI of the whole budget at each total scale (split and phasing kept)."""
    spend = _horizon_spend(budget, None, months)
    values = np.array([lifetime_value(calibration, _scaled(budget, None, float(s)), months) for s in scales])
    ahead = np.array([lifetime_value(calibration, _scaled(budget, None, float(s) + STEP), months) for s in scales])
    mroi = (ahead - values) / (STEP * spend) if spend > 0 else np.full(len(scales), np.nan)
    return values, mroi
