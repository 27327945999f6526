"""Everything the window's model-health view and the Assumptions panel need, in one pure call.

How sure is the plan? The history fit (and lift tests) update the session's
beliefs, the back-test says how well the model's bookings equation forecast
past years, and the tornado says which assumption decides the split. One
function of (session, scenario) so the window can run it on its worker and a
test or script can call it directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planner.model.backtest import Backtest, backtest
from planner.model.history import FitResult, LiftTest, fit_history
from planner.model.optimize import optimize
from planner.model.sensitivity import Swing, tornado
from planner.model.session import ModelSession
from planner.scenario.document import Scenario

_SWEEP_PATHS = 500


@dataclass(frozen=True)
class Evidence:
    fit: FitResult
    backtest: Backtest
    target_share: float  # the best share of a quick sweep: the decision the tornado is about
    swings: tuple[Swing, ...]

    def verdict(self) -> str:
        """'good' | 'rough' | 'weak' | 'unknown': the back-test in one word (the view words it)."""
        bt = self.backtest
        if not bt.cutoffs:
            return "unknown"
        if bt.model_mape <= bt.naive_mape and bt.coverage >= 0.6 and bt.model_mape < 0.25:
            return "good"
        if bt.model_mape <= 1.1 * bt.naive_mape:
            return "rough"
        return "weak"


def gather(
    session: ModelSession, scenario: Scenario, *, lift_tests: Sequence[LiftTest] = (), seed: int = 0
) -> Evidence:
    """Fit the beliefs to the history and lift tests (the session keeps them), back-test, rank the assumptions."""
    calibration = session.calibration(scenario)
    fit = fit_history(calibration, session.deals, session.budget, lift_tests=lift_tests, seed=seed)
    session.set_beliefs(fit.posteriors)
    test = backtest(session.deals, seed=seed)
    sweep = optimize(session, scenario, paths=_SWEEP_PATHS, seed=seed)
    swings = tornado(session, scenario, sweep.best_share_contribution, seed=seed)
    return Evidence(fit, test, sweep.best_share_contribution, tuple(swings))
