"""The workspace's rules without a widget: changes, generations, the results cache, staleness."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tests.model.synthetic import make_budget, make_deals

from planner.model.session import ModelSession
from planner.scenario.document import Scenario, apply_to_budget
from planner.scenario.workspace import Change, Job, Results, WorkspaceState


@pytest.fixture(scope="module")
def data():
    return make_budget(), make_deals(seed=3)


@pytest.fixture
def state(data) -> WorkspaceState:
    s = WorkspaceState(paths=400, coarse_paths=100, seed=2)
    s.load(*data, files=("b.xlsx", "c.csv"))
    return s


def _results(data, job: Job) -> Results:
    """What the worker hands back for `job` (the real model, small path counts)."""
    session = ModelSession(*data)
    result, kpis, baseline = session.compare(job.scenario, job.paths, 2, known_baseline=job.baseline)
    return Results(session.calibration(job.scenario), kpis, baseline, job.scenario, job.paths, tuple(result.labels))


def test_change_says_which_parts_of_the_document_changed() -> None:
    a = Scenario()
    assert Change.between(a, replace(a, brand_share=0.4)) == Change(spend=True)
    assert Change.between(a, replace(a, months=12)) == Change(horizon=True)
    assert Change.between(a, replace(a, line_classes=(("X", "brand"),))) == Change(lines=True)
    assert Change.between(a, replace(a, source_classes=(("W", "intent"),))) == Change(sources=True)
    assert Change.between(a, replace(a, assumptions=(("gross_margin", 0.5),))) == Change(assumptions=True)
    both = Change.between(a, replace(a, total_scale=1.2, months=24))
    assert both.spend and both.horizon and not both.model
    assert Change(sources=True).model and not Change(spend=True).model
    assert Change(lines=True).budget and not Change(horizon=True).budget
    assert Change.everything().data and Change.everything().any and not Change().any


def test_load_starts_history_and_asks_for_a_coarse_run(state, data) -> None:
    assert state.has_data() and state.files == ("b.xlsx", "c.csv") and not state.history.can_undo()
    step = state.next_step()
    assert step.show is None and step.compute is not None
    assert (step.compute.paths, step.compute.generation) == (100, state.generation)
    assert state.effective_budget is state.effective_budget  # computed once per document value


def test_equal_change_is_no_step(state) -> None:
    assert state.change(state.scenario, "nothing") is None
    assert not state.history.can_undo()


def test_a_drag_is_one_undo_step(state) -> None:
    for share in (0.3, 0.35, 0.4):
        assert state.change(replace(state.scenario, brand_share=share), "Brand share", merge=True) == Change(spend=True)
    state.end_gesture()
    state.change(replace(state.scenario, months=12), "Horizon")
    assert state.undo() == Change(horizon=True)
    assert state.undo() == Change(spend=True) and state.scenario == Scenario()
    assert state.undo() is None
    assert state.redo() == Change(spend=True) and state.scenario.brand_share == 0.4


def test_coarse_then_fine_and_a_result_for_an_old_generation_is_cached_not_shown(state, data) -> None:
    coarse = state.next_step().compute
    coarse_results = _results(data, coarse)
    step = state.accept(coarse, coarse_results)
    assert step.show is coarse_results and step.fine_later
    state.show(coarse_results)
    assert not state.is_settled and not state.shows_other_document()
    fine = state.fine_step().compute
    assert fine.paths == 400
    state.change(replace(state.scenario, brand_share=0.6), "move")
    moved = state.next_step().compute
    fine_results = _results(data, fine)
    assert state.accept(fine, fine_results).show is None  # the user moved on
    assert state.shows_other_document()
    assert moved.paths == 100 and moved.baseline is coarse_results.baseline_kpis  # a drag reuses the baseline
    state.undo()
    back = state.next_step()
    assert back.show is fine_results and back.compute is None  # undo: instant and exact


def test_never_replace_a_fine_result_with_a_coarse_one(state, data) -> None:
    state.set_paths(400, None)
    fine = state.next_step().compute
    fine_results = _results(data, fine)
    state.show(state.accept(fine, fine_results).show)
    coarse = Job(state.generation, state.data_version, state.scenario, 100, None)
    assert state.accept(coarse, _results(data, coarse)).show is None
    assert state.results is fine_results and state.is_settled


def test_a_failure_counts_only_for_the_current_document_and_files(state, data) -> None:
    old = state.next_step().compute
    current = state.next_step().compute
    assert not state.reject(old) and not state.failed
    assert state.reject(current) and state.failed
    state.load(*data)
    assert not state.failed and state.results is None
    assert state.accept(current, _results(data, current)).show is None  # other files now
    assert state.cached(current.scenario, current.paths) is None


def test_effective_budget_and_currency(state, data) -> None:
    state.change(replace(state.scenario, brand_share=0.5), "share")
    assert state.effective_budget.brand_share == pytest.approx(apply_to_budget(data[0], state.scenario).brand_share)
    assert state.currency == (data[0].currency or data[1].currency or None)
    assert WorkspaceState().next_step().compute is None  # no files: nothing to run
