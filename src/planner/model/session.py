"""One model session: the single road from a budget, a CRM export and a scenario to KPIs.

`planner simulate`, `planner optimize`, the window's workspace and its
best-split sweep all run the model through a `ModelSession`, so the figures
the window shows are the figures the CLI prints for the same scenario and
seed (tests/ui/test_window_workspace.py runs the real CLI to prove it).

A session belongs to one pair of files. It keeps what makes a slider drag
cheap: the calibration for each set of data corrections and assumptions
(`model_key`), and the random draws for each (seed, streams, months, paths),
so every scenario at the same path count shares the same draws (common
random numbers: the difference between two plans is plan, not luck), and
the parameter draws for each (calibration, seed, groups): every path carries
its own assumptions and data figures (`draws.py`), and a scenario and its
baseline share them, so their difference is paired path by path.

`beliefs` are the session's current distributions of the assumptions: the
priors, or the posteriors of a history fit / lift test (`history.py`) once
`set_beliefs` is called. `parameter_uncertainty = False` runs every path at
the point calibration (the pre-issue-10 behaviour, kept for comparison).

It is thread-safe in the sense the window needs: caches are guarded by a
lock, values are computed outside it (two threads may compute the same value
once each; both are identical), and nothing cached is ever written to.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace

from planner.io.types import Budget, Deals
from planner.model.calibrate import Calibration, SourceStats, calibrate, source_table
from planner.model.draws import ParameterDraws, draw_parameters, groups_for
from planner.model.inputs import base_budget, check_currencies, corrected_deals
from planner.model.kpi import Kpis, against_baseline, compute_kpis
from planner.model.priors import Belief, centred_on
from planner.model.priors import beliefs as all_beliefs
from planner.model.returns import class_returns
from planner.model.simulate import Noise, Result, draw_noise
from planner.model.uncertain import run_with_draws
from planner.scenario.document import Scenario, apply_to_budget, replace_scenario
from planner.scenario.edits import ModelKey, baseline_of, model_key

Progress = Callable[[float], None]
Cancel = Callable[[], bool]

_MAX_CALIBRATIONS = 8
_MAX_NOISES = 6


class Cancelled(Exception):
    """The caller's `cancel()` said stop (not an error)."""


class ModelSession:
    """The model for one budget and one CRM export: calibrate, draw, simulate, KPIs."""

    def __init__(self, budget: Budget, deals: Deals) -> None:
        self.budget = budget
        self.deals = deals
        self._lock = threading.Lock()
        self._prepared: dict[ModelKey, tuple[Budget, Calibration]] = {}
        self._noise: dict[tuple[int, int, int, int], Noise] = {}
        self._draws: dict[tuple[ModelKey, int, int], ParameterDraws] = {}
        self._beliefs: dict[str, Belief] = {}
        self.parameter_uncertainty = True

    @property
    def beliefs(self) -> dict[str, Belief]:
        """Updated beliefs (posteriors) by assumption key; assumptions not in it keep their prior."""
        return dict(self._beliefs)

    def set_beliefs(self, updated: dict[str, Belief]) -> None:
        """Replace the updated beliefs (e.g. a history fit's posteriors); later runs draw from them."""
        with self._lock:
            self._beliefs = dict(updated)
            self._draws.clear()

    def current_beliefs(self, scenario: Scenario) -> dict[str, Belief]:
        """Every assumption's belief for `scenario`: centred on the user's value where the user set one."""
        found = all_beliefs(self._beliefs)
        for key, value in scenario.assumption_overrides().items():
            if key in found:
                found[key] = centred_on(found[key], float(value))
        return found

    def draws(self, scenario: Scenario, seed: int, paths: int, *, preview: bool = False) -> ParameterDraws:
        """The parameter groups of a run (shared by every scenario with the same model facts and seed)."""
        groups = groups_for(paths, preview=preview) if self.parameter_uncertainty else 0
        key = (model_key(scenario), int(seed), groups)
        with self._lock:
            found = self._draws.get(key)
        if found is None:
            calibration = self.calibration(scenario)
            if groups == 0:
                found = ParameterDraws((calibration.assumptions,), (calibration,))
            else:
                found = draw_parameters(calibration, groups, seed, self.current_beliefs(scenario))
            with self._lock:
                if len(self._draws) >= _MAX_NOISES:
                    self._draws.clear()
                self._draws[key] = found
        return found

    def prepared(self, scenario: Scenario) -> tuple[Budget, Calibration]:
        """Today's budget as the user corrected it, and the calibration for `scenario`'s model facts.

        Raises `InputError` when the budget and the CRM export are in different currencies.
        """
        key = model_key(scenario)
        with self._lock:
            found = self._prepared.get(key)
        if found is None:
            check_currencies(self.budget, self.deals)
            base = base_budget(self.budget, scenario)
            deals = corrected_deals(self.deals, scenario)
            found = (base, calibrate(deals, base, scenario.assumption_overrides()))
            with self._lock:
                if len(self._prepared) >= _MAX_CALIBRATIONS:
                    self._prepared.clear()
                self._prepared[key] = found
        return found

    def calibration(self, scenario: Scenario) -> Calibration:
        return self.prepared(scenario)[1]

    def noise(self, seed: int, streams: int, months: int, paths: int) -> Noise:
        """The random draws of one run (read-only; shared by every scenario with the same key)."""
        key = (int(seed), int(streams), int(months), int(paths))
        with self._lock:
            found = self._noise.get(key)
        if found is None:
            found = draw_noise(*key)
            with self._lock:
                if len(self._noise) >= _MAX_NOISES:
                    self._noise.clear()
                self._noise[key] = found
        return found

    def simulate(self, scenario: Scenario, paths: int, seed: int, *, preview: bool = False) -> Result:
        """Simulate `scenario` on the corrected budget (deterministic for a seed; `preview`: fewer
        parameter groups, see `draws.groups_for`)."""
        if paths < 1:
            raise ValueError("paths must be at least 1")
        base, calibration = self.prepared(scenario)
        months = int(scenario.months)
        noise = self.noise(seed, len(calibration.streams), months, paths)
        # the base budget already carries the line classes; applying them twice is harmless but slower
        plain = replace_scenario(scenario, line_classes=())
        draws = self.draws(scenario, seed, paths, preview=preview)
        return run_with_draws(calibration, apply_to_budget(base, plain), months, noise, draws, seed=seed)

    def run(
        self,
        scenario: Scenario,
        paths: int,
        seed: int,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        *,
        preview: bool = False,
    ) -> tuple[Result, Kpis]:
        """Simulate `scenario` and compute its KPIs. A `preview` (the quick run while a slider moves)
        draws fewer parameter groups and skips ROI and mROI (left NaN)."""
        if cancel is not None and cancel():
            raise Cancelled()
        result = self.simulate(scenario, paths, seed, preview=preview)
        kpis = compute_kpis(result)
        if not preview:
            kpis = self.with_returns(scenario, kpis)
        if progress is not None:
            progress(1.0)
        return result, kpis

    def with_returns(self, scenario: Scenario, kpis: Kpis) -> Kpis:
        """`kpis` with ROI and mROI per class (expected lifetime values: `returns.py`)."""
        base, calibration = self.prepared(scenario)
        plain = replace_scenario(scenario, line_classes=())
        r = class_returns(calibration, apply_to_budget(base, plain), int(scenario.months))
        return replace(kpis, roi_brand=r.roi_brand, roi_demand=r.roi_demand,
                       mroi_brand=r.mroi_brand, mroi_demand=r.mroi_demand)

    def baseline(self, scenario: Scenario, paths: int, seed: int, *, preview: bool = False) -> Kpis:
        """KPIs of `baseline_of(scenario)`: the imported plan under the same model facts."""
        return self.run(baseline_of(scenario), paths, seed, preview=preview)[1]

    def compare(
        self,
        scenario: Scenario,
        paths: int,
        seed: int,
        known_baseline: Kpis | None = None,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        *,
        preview: bool = False,
    ) -> tuple[Result, Kpis, Kpis]:
        """The scenario's result and KPIs, and its baseline's KPIs (what the window's KPI strip shows).

        `known_baseline` skips the baseline run when the caller already has it
        for this baseline and path count (a slider drag does not move it).
        """
        result, kpis = self.run(scenario, paths, seed, cancel=cancel, preview=preview)
        if known_baseline is not None:
            baseline = known_baseline
        elif baseline_of(scenario) == scenario:
            baseline = kpis
        else:
            baseline = self.baseline(scenario, paths, seed, preview=preview)
        kpis = against_baseline(kpis, baseline)
        if progress is not None:
            progress(1.0)
        return result, kpis, baseline

    def source_stats(self, scenario: Scenario) -> list[SourceStats]:
        """Per-lead-source win rates with the user's source classes (the 'sources' table)."""
        return source_table(self.deals.with_source_classes(scenario.source_overrides()))  # type: ignore[arg-type]


__all__ = ["Cancelled", "ModelSession"]
