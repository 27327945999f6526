"""Which assumption decides: a tornado of the split decision over every assumption's plausible range.

The decision is "move from today's brand share to the recommended one". Its
value is the expected contribution gain over the horizon (recommended minus
today's split, same random numbers). Each assumption is set to the P10 and
the P90 of its current belief (prior, or posterior after the history fit)
with every other assumption at its value, and the gain recomputed; the swing
|gain(P90) - gain(P10)| ranks the assumptions. When the gain changes sign
within an assumption's range, the recommendation itself depends on it
(`flips`). Each entry carries the one line that would settle it
(`priors.SETTLE`).

Cost: two plans per assumption value on a few hundred common paths at the
point parameters (each value is re-anchored without refitting the CRM:
`draws.with_assumptions`; the two that need a refit go through the session).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.model.assumptions import ASSUMPTIONS
from planner.model.calibration import Calibration
from planner.model.draws import with_assumptions
from planner.model.kpi import compute_kpis
from planner.model.priors import SETTLE
from planner.model.session import ModelSession
from planner.model.simulate import make_plan, run_plan
from planner.scenario.document import Scenario, apply_to_budget, replace_scenario

_REFIT = ("win_rate_prior", "recurring_share")  # change the CRM fit itself
_PATHS = 400


@dataclass(frozen=True)
class Swing:
    key: str
    label: str
    value_low: float  # the assumption's P10
    value_high: float  # its P90
    low: float  # expected contribution gain of the recommended split at the assumption's P10
    high: float  # ... at its P90
    swing: float
    flips: bool  # the gain changes sign within the range: the recommendation depends on this assumption
    settle: str

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "value_low": self.value_low, "value_high": self.value_high,
                "low": self.low, "high": self.high, "swing": self.swing, "flips": self.flips,
                "settle": self.settle}


def tornado(
    session: ModelSession, scenario: Scenario, target_share: float, *, paths: int = _PATHS, seed: int = 0
) -> list[Swing]:
    """Every assumption's swing of the gain from today's split to `target_share`, largest first."""
    months = int(scenario.months)
    budget, calibration = session.prepared(scenario)
    today_budget = apply_to_budget(budget, replace_scenario(scenario, brand_share=None, line_classes=()))
    target_budget = apply_to_budget(today_budget, Scenario(brand_share=float(target_share), months=months))
    noise = session.noise(seed, len(calibration.streams), months, paths)
    found = session.current_beliefs(scenario)

    def gain(cal: Calibration) -> float:
        runs = [compute_kpis(run_plan(cal, make_plan(cal, b, months, summaries=False), noise, seed=seed))
                for b in (target_budget, today_budget)]
        return runs[0].contribution - runs[1].contribution

    out = []
    for spec in ASSUMPTIONS:
        q = found[spec.key].quantiles()
        values = []
        for v in (q["p10"], q["p90"]):
            if spec.key in _REFIT:
                overrides = dict(scenario.assumption_overrides()) | {spec.key: v}
                cal = session.calibration(replace_scenario(scenario, assumptions=tuple(sorted(overrides.items()))))
            else:
                cal = with_assumptions(calibration, {spec.key: v})
            values.append(gain(cal))
        low, high = values
        out.append(Swing(spec.key, spec.label, q["p10"], q["p90"], low, high, abs(high - low),
                         (low > 0) != (high > 0), SETTLE.get(spec.key, "")))
    return sorted(out, key=lambda s: -s.swing)
