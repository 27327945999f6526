"""Parameter uncertainty: priors over each range, draws per group of paths, paired odds, the tornado."""

from __future__ import annotations

import math

import numpy as np
import pytest

from planner.model.assumptions import ASSUMPTIONS
from planner.model.draws import draw_parameters, groups_for, latin_hypercube
from planner.model.kpi import prob_beats
from planner.model.optimize import optimize
from planner.model.priors import DRAWN, PRIORS, SETTLE, centred_on
from planner.model.sensitivity import tornado
from planner.model.session import ModelSession
from planner.scenario.document import Scenario


@pytest.mark.parametrize("spec", ASSUMPTIONS, ids=lambda s: s.key)
def test_every_prior_lies_in_its_range_around_its_default_with_a_way_to_settle_it(spec):
    prior = PRIORS[spec.key]
    values = np.asarray(prior.values)
    assert np.all(np.diff(values) >= 0) and values[0] >= spec.low and values[-1] <= spec.high
    q = prior.quantiles()
    assert q["p10"] <= spec.value <= q["p90"] or spec.value in (spec.low, spec.high)
    assert SETTLE[spec.key]


def test_a_user_value_moves_the_prior_s_centre_and_keeps_its_spread():
    moved = centred_on(PRIORS["brand_half_life"], 12.0)
    assert moved.ppf(0.5) == pytest.approx(12.0)
    assert moved.ppf(0.9) - moved.ppf(0.1) == pytest.approx(
        PRIORS["brand_half_life"].ppf(0.9) - PRIORS["brand_half_life"].ppf(0.1), rel=0.2)


def test_latin_hypercube_covers_every_stratum_once():
    u = latin_hypercube(np.random.default_rng(0), 8, 5)
    assert np.all(np.sort(np.floor(u * 8), axis=0) == np.arange(8)[:, None])


def test_draws_are_seeded_and_each_group_has_its_own_calibration(calibration):
    a = draw_parameters(calibration, 8, seed=1)
    b = draw_parameters(calibration, 8, seed=1)
    assert a.assumptions == b.assumptions
    lifts = [d["brand_volume_lift"] for d in a.assumptions]
    assert len(set(lifts)) == 8
    wins = {round(c.streams[0].win_rate, 6) for c in a.calibrations}
    assert len(wins) == 8
    for cal, d in zip(a.calibrations, a.assumptions, strict=True):
        assert cal.assumptions == d
        # re-anchored: today's intent volume is reproduced whatever the lift
        intent = cal.stream("intent")
        assert cal.intent_base * (1 + d["brand_volume_lift"] * cal.awareness_ref) == pytest.approx(intent.volume)
    assert set(DRAWN) <= set(a.assumptions[0])


def test_bands_widen_with_what_we_do_not_know_and_stay_reproducible(budget, deals):
    scenario = Scenario(months=24)
    fixed = ModelSession(budget, deals)
    fixed.parameter_uncertainty = False
    drawn = ModelSession(budget, deals)
    _, k_fixed = fixed.run(scenario, 4000, 0)
    _, k_drawn = drawn.run(scenario, 4000, 0)
    assert groups_for(4000) == 8
    assert (k_drawn.revenue_p90 - k_drawn.revenue_p10) > 1.2 * (k_fixed.revenue_p90 - k_fixed.revenue_p10)
    assert drawn.run(scenario, 4000, 0)[1].revenue_p10 == k_drawn.revenue_p10


def test_scenario_and_baseline_are_paired_so_their_difference_is_sharp(budget, deals):
    session = ModelSession(budget, deals)
    plan = Scenario(months=24, brand_share=0.45)
    _, kpis, base = session.compare(plan, 4000, 0)
    diff = kpis.path_totals["contribution"] - base.path_totals["contribution"]
    spread = np.quantile(kpis.path_totals["contribution"], 0.9) - np.quantile(kpis.path_totals["contribution"], 0.1)
    assert np.quantile(diff, 0.9) - np.quantile(diff, 0.1) < 0.5 * spread  # pairing removes the shared luck
    assert 0.0 <= kpis.prob_beats_baseline <= 1.0
    assert kpis.prob_beats_baseline == pytest.approx(float(np.mean(diff > 0)))
    same = session.compare(Scenario(months=24), 4000, 0)[1]
    assert math.isnan(same.prob_beats_baseline)  # the budget against itself: no contest


def test_prob_beats_counts_paired_paths():
    assert prob_beats(np.array([1.0, 2.0, 3.0, 4.0]), np.array([0.0, 3.0, 2.0, 5.0])) == 0.5
    assert math.isnan(prob_beats(np.ones(3), np.ones(3)))
    assert math.isnan(prob_beats(None, np.ones(3)))


def test_the_sweep_names_a_robust_share_and_the_odds_per_share(session):
    sweep = optimize(session, Scenario(months=24), paths=1000)
    assert sweep.prob_beats_by_share.shape == sweep.shares.shape
    assert sweep.robust_share == sweep.shares[int(np.argmax(sweep.gain_p10_by_share))]
    today = int(np.argmin(np.abs(sweep.shares - sweep.current_share)))
    assert sweep.shares[today] == pytest.approx(sweep.current_share)  # the synthetic budget is 30 % brand
    assert math.isnan(sweep.prob_beats_by_share[today])  # today's split against itself: no contest
    others = np.delete(sweep.prob_beats_by_share, today)
    assert np.all((others >= 0) & (others <= 1))


def test_tornado_ranks_every_assumption_by_its_swing(session):
    swings = tornado(session, Scenario(months=24), 0.6, paths=200)
    assert {s.key for s in swings} == {a.key for a in ASSUMPTIONS}
    values = [s.swing for s in swings]
    assert values == sorted(values, reverse=True) and values[0] > 0
    by_key = {s.key: s for s in swings}
    assert by_key["ltv_years"].swing == 0.0  # a valuation convention does not move contribution in the horizon
    assert all(s.settle for s in swings)
