"""Look-ahead previews in the pure workspace state: what is planned, where results go, when it stops."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from tests.model.synthetic import make_budget, make_deals

from planner.model.session import ModelSession
from planner.scenario.collection import BASELINE_ID
from planner.scenario.document import Scenario
from planner.scenario.edits import SLIDER_POSITIONS
from planner.scenario.workspace import Job, Results, WorkspaceState


@pytest.fixture(scope="module")
def data():
    return make_budget(), make_deals(seed=3)


@pytest.fixture(scope="module")
def session(data) -> ModelSession:
    return ModelSession(*data)


@pytest.fixture
def state(data) -> WorkspaceState:
    s = WorkspaceState(paths=400, coarse_paths=100, seed=2)
    s.load(*data, files=("b.xlsx", "c.csv"))
    return s


def _results(session: ModelSession, job: Job) -> Results:
    """What the worker hands back for `job` (the real model, small path counts)."""
    result, kpis, baseline = session.compare(job.scenario, job.paths, 2, known_baseline=job.baseline,
                                             preview=job.coarse)
    return Results(session.calibration(job.scenario), kpis, baseline, job.scenario, job.paths, tuple(result.labels))


def _settle(state: WorkspaceState, session: ModelSession) -> None:
    """Run the steps a workspace runs after a change until the fine result is on screen."""
    step = state.next_step()
    for _ in range(5):  # coarse job, coarse shown, fine job, fine shown, settled
        if state.is_settled:
            return
        if step.show is not None:
            state.show(step.show)
            step = state.fine_step()
        elif step.compute is not None:
            step = state.accept(step.compute, _results(session, step.compute))
        else:
            step = state.fine_step()
    raise AssertionError("did not settle")


def _run_lookahead(state: WorkspaceState, session: ModelSession, *, fake: Results | None = None) -> list[Job]:
    """Hand out every look-ahead job and accept its result (`fake` relabelled, to skip the model)."""
    jobs = []
    while (job := state.next_lookahead()) is not None:
        jobs.append(job)
        results = _results(session, job) if fake is None else replace(fake, scenario=job.scenario, paths=job.paths)
        assert state.accept(job, results).show is None  # cached, never shown
    return jobs


def test_the_figures_do_not_depend_on_the_scenario_name(session) -> None:
    """Why the cache key leaves the name out: the same scenario under two names gives the same figures."""
    for share in (None, 0.41):
        named = [replace(Scenario(brand_share=share, months=12), name=n) for n in ("Baseline", "Scenario", "x")]
        first, *others = (session.compare(s, 300, 4, preview=True) for s in named)
        for other in others:
            np.testing.assert_equal(vars(other[1]), vars(first[1]))
            np.testing.assert_equal(vars(other[2]), vars(first[2]))


def test_nothing_is_looked_ahead_before_a_result_for_the_current_scenario_shows(state, session) -> None:
    assert state.next_lookahead() is None  # no result yet
    coarse = state.next_step().compute
    assert state.next_lookahead() is None  # the first preview is still being computed
    state.show(state.accept(coarse, _results(session, coarse)).show)
    assert not state.is_settled and state.next_lookahead() is not None  # the preview is on screen: look ahead
    state.change(replace(state.scenario, months=12), "Horizon")
    state.next_step()
    assert state.next_lookahead() is None  # the screen shows the 36-month result: not this document's
    assert WorkspaceState(coarse_paths=None).next_lookahead() is None


def test_a_drag_keeps_the_sweep_and_computes_ahead_of_the_slider_first(state, session) -> None:
    """A move of the slider changes only the brand share: what is left of the sweep is reordered, the
    positions the drag is heading for first; a change of anything else stops it."""
    state.change(replace(state.scenario, brand_share=0.37), "Brand share")
    _settle(state, session)
    fake = state.results
    for job in [state.next_lookahead() for _ in range(4)]:  # 38, 36, 39, 35 %
        state.accept(job, replace(fake, scenario=job.scenario, paths=job.paths))
    for share in (0.38, 0.39):  # dragging up, each move finds its preview cached
        state.change(replace(state.scenario, brand_share=share), "Brand share", merge=True)
        step = state.next_step()
        assert step.compute is None and step.show is not None
        state.show(step.show)
    ahead = [state.next_lookahead().scenario.brand_share for _ in range(4)]
    assert ahead == [0.4, 0.41, 0.42, 0.43]  # up from 39 %, where the drag is heading
    state.change(replace(state.scenario, brand_share=0.38), "Brand share", merge=True)  # now down
    state.show(state.next_step().show)  # cached
    assert state.next_lookahead().scenario.brand_share == 0.34  # 37, 36 and 35 % are cached already
    state.change(replace(state.scenario, brand_share=0.3), "Brand share", merge=True)  # 8 points a move
    job = state.next_step().compute  # not computed yet: the user's own preview comes first
    assert state.lookahead_planned and state.next_lookahead() is None
    state.show(state.accept(job, replace(fake, scenario=job.scenario, paths=job.paths)).show)
    ahead = [state.next_lookahead().scenario.brand_share for _ in range(4)]
    assert ahead == [0.22, 0.14, 0.06, 0.29]  # where steps of 8 points land, then the rest below
    state.change(replace(state.scenario, total_scale=1.2), "Total budget")
    state.next_step()
    assert not state.lookahead_planned and state.next_lookahead() is None


def test_after_a_settle_every_slider_position_is_planned_nearest_first(state, session) -> None:
    state.change(replace(state.scenario, brand_share=0.37), "Brand share")
    _settle(state, session)
    first = state.next_lookahead()
    assert first is not None and first.lookahead and first.coarse and first.paths == 100
    assert state.lookahead_planned
    shares = [first.scenario.brand_share]
    while (job := state.next_lookahead()) is not None:
        shares.append(job.scenario.brand_share)
    assert not state.lookahead_planned and state.next_lookahead() is None  # once per settled scenario
    assert shares[:5] == [0.38, 0.36, 0.39, 0.35, 0.4]  # outward from 37 %, alternating
    assert sorted(shares) == [p / 100.0 for p in SLIDER_POSITIONS if p != 37]  # 37 % is on screen already


def test_the_budgets_own_split_is_looked_ahead_from_where_the_slider_stands(state, session) -> None:
    _settle(state, session)  # brand_share None: the budget's own 30 %
    assert state.scenario.brand_share is None
    jobs = _run_lookahead(state, session, fake=state.results)
    assert [j.scenario.brand_share for j in jobs[:3]] == [0.3, 0.31, 0.29]
    assert len(jobs) == len(SLIDER_POSITIONS)  # 30 % is not the same document as "the budget's own split"


def test_a_drag_finds_its_preview_cached_with_the_exact_figures_of_a_preview_job(state, session) -> None:
    _settle(state, session)
    _run_lookahead(state, session)
    state.change(replace(state.scenario, brand_share=0.55), "Brand share", merge=True)
    step = state.next_step()
    assert step.compute is None and step.fine_later
    assert step.show is not None and step.show.scenario == state.scenario and step.show.paths == 100
    cold = _results(session, Job(0, state.data_version, state.scenario, 100, None, coarse=True))
    np.testing.assert_equal(vars(step.show.scenario_kpis), vars(cold.scenario_kpis))
    np.testing.assert_equal(vars(step.show.baseline_kpis), vars(cold.baseline_kpis))


def test_a_document_change_stops_the_look_ahead_and_the_next_settle_skips_what_is_cached(state, session) -> None:
    _settle(state, session)
    fake = state.results
    done = [state.next_lookahead() for _ in range(10)]
    for job in done:
        state.accept(job, replace(fake, scenario=job.scenario, paths=job.paths))
    state.change(replace(state.scenario, total_scale=1.1), "Total budget")
    state.next_step()
    assert not state.lookahead_planned and state.next_lookahead() is None
    state.undo()
    state.next_step()  # the fine result for the undone-to scenario is cached: settled at once
    state.show(state.cached(state.scenario, state.paths))
    rest = _run_lookahead(state, session, fake=fake)
    assert len(rest) == len(SLIDER_POSITIONS) - 10
    assert not {j.scenario for j in done} & {j.scenario for j in rest}


def test_set_paths_and_turning_it_off_stop_the_look_ahead(state, session) -> None:
    _settle(state, session)
    assert state.next_lookahead() is not None
    state.set_lookahead(False)
    assert not state.lookahead_planned and state.next_lookahead() is None
    state.set_lookahead(True)
    assert state.next_lookahead() is not None
    state.set_paths(400, 100)
    assert not state.lookahead_planned and state.next_lookahead() is None


def test_previews_computed_under_baseline_serve_the_scenario_a_drag_forks(state, session) -> None:
    state.change_scenarios(state.scenarios.select(BASELINE_ID), "Select")
    _settle(state, session)
    assert state.scenario.name == "Baseline"
    _run_lookahead(state, session, fake=state.results)
    state.change(replace(state.scenario, brand_share=0.62), "Brand share", merge=True)
    assert state.scenarios.current != BASELINE_ID and state.scenario.name != "Baseline"  # forked
    step = state.next_step()
    assert step.compute is None and step.show is not None
    assert step.show.scenario == state.scenario  # shown as the forked scenario, not as "Baseline"


def test_look_ahead_results_never_show_and_never_push_the_users_results_out(state, session) -> None:
    _settle(state, session)
    settled = state.results
    first = state.next_lookahead()
    results = replace(settled, scenario=first.scenario, paths=first.paths)
    assert state.accept(first, results).show is None
    state.change(first.scenario, "Brand share")  # the user goes there while it is computed: cached for them
    assert state.next_step().show.scenario_kpis is results.scenario_kpis
    state.undo()
    state.next_step()
    state.show(state.cached(state.scenario, state.paths))
    _run_lookahead(state, session, fake=settled)
    assert state.cached(settled.scenario, state.paths) is settled  # 100 previews later, still there
    assert len(state._previews) <= state.LOOKAHEAD_SIZE and len(state._cache) <= state.CACHE_SIZE


def test_a_look_ahead_failure_is_not_the_users_failure(state, session) -> None:
    _settle(state, session)
    job = state.next_lookahead()
    assert not state.reject(job) and not state.failed
    assert not state.lookahead_planned and state.next_lookahead() is None


def test_a_renamed_scenario_keeps_its_results_and_previews(state, session) -> None:
    _settle(state, session)
    _run_lookahead(state, session, fake=state.results)
    state.change_scenarios(state.scenarios.rename(state.scenarios.current, "Plan B"), "Rename")
    step = state.next_step()
    assert step.compute is None and step.show is not None and step.show.scenario.name == "Plan B"
    state.show(step.show)
    assert state.is_settled and state.next_lookahead() is None  # every preview is still there: no work
    state.change(replace(state.scenario, brand_share=0.8), "Brand share", merge=True)
    step = state.next_step()
    assert step.compute is None and step.show.scenario == state.scenario
