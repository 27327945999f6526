"""The workspace holds a ScenarioSet: edits go to the current entry, list operations are undo steps."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tests.model.synthetic import make_budget, make_deals

from planner.scenario.collection import BASELINE_ID, ScenarioSet
from planner.scenario.document import Scenario
from planner.scenario.workspace import WORKING_NAME, Change, WorkspaceState


@pytest.fixture
def state() -> WorkspaceState:
    s = WorkspaceState(paths=200, coarse_paths=None, seed=1)
    s.load(make_budget(), make_deals(seed=3), files=("b.xlsx", "c.csv"))
    return s


def test_fresh_workspace_is_baseline_and_a_working_scenario(state) -> None:
    assert state.scenarios.names == ("Baseline", WORKING_NAME)
    assert state.scenario == Scenario() and state.scenarios.current != BASELINE_ID
    assert not state.is_modified


def test_an_edit_changes_the_current_entry_and_undo_restores_it(state) -> None:
    current = state.scenarios.current
    assert state.change(replace(state.scenario, brand_share=0.45), "Brand share") == Change(spend=True)
    assert state.scenarios.entry(current).scenario.brand_share == 0.45
    assert state.scenarios.baseline.scenario.brand_share is None
    assert state.is_modified
    state.undo()
    assert state.scenario.brand_share is None and not state.is_modified


def test_switching_scenarios_is_one_step_and_edits_stay_with_their_entry(state) -> None:
    state.change(replace(state.scenario, brand_share=0.5), "Brand share")
    first = state.scenarios.current
    change = state.change_scenarios(state.scenarios.duplicate(first), "Duplicate")
    assert change.scenarios and state.scenario.brand_share == 0.5
    copy = state.scenarios.current
    state.change(replace(state.scenario, months=12), "Horizon")
    assert state.scenarios.entry(first).scenario.months == 36
    change = state.change_scenarios(state.scenarios.select(first), "Switch")
    assert change.scenarios and change.horizon and state.scenario.months == 36
    assert state.undo().horizon and state.scenarios.current == copy and state.scenario.months == 12


def test_rename_delete_and_reorder_are_undoable(state) -> None:
    s = state.scenarios.add(Scenario(name="Brand push", brand_share=0.6))
    state.change_scenarios(s, "Add")
    pushed = state.scenarios.current
    state.change_scenarios(state.scenarios.rename(pushed, "Brand 60"), "Rename")
    assert state.scenario.name == "Brand 60"
    state.change_scenarios(state.scenarios.move(pushed, 1), "Move")
    assert state.scenarios.names == ("Baseline", "Brand 60", WORKING_NAME)
    state.change_scenarios(state.scenarios.delete(pushed), "Delete")
    assert "Brand 60" not in state.scenarios.names
    state.undo()
    state.undo()
    state.undo()
    assert state.scenarios.names == ("Baseline", WORKING_NAME, "Brand push")


def test_a_spend_edit_on_the_baseline_forks_a_scenario(state) -> None:
    state.change_scenarios(state.scenarios.select(BASELINE_ID), "Switch")
    assert state.scenario.name == "Baseline"
    for share in (0.4, 0.42):
        state.change(replace(state.scenario, brand_share=share), "Brand share", merge=True)
    assert state.scenarios.baseline.scenario.brand_share is None
    assert state.scenarios.current != BASELINE_ID and state.scenario.brand_share == 0.42
    assert state.scenario.name == f"{WORKING_NAME} 2"
    state.undo()
    assert state.scenarios.current == BASELINE_ID and len(state.scenarios) == 2
    # the horizon describes the world: the baseline keeps it and no scenario is forked
    state.change(replace(state.scenario, months=24), "Horizon")
    assert state.scenarios.current == BASELINE_ID and state.scenario.months == 24


def test_opening_a_set_starts_from_it_unmodified(state) -> None:
    opened = ScenarioSet().add(Scenario(name="CFO", brand_share=0.3))
    assert state.load(make_budget(), make_deals(seed=3), scenarios=opened).scenarios
    assert state.scenarios == opened and not state.is_modified and not state.history.can_undo()
    state.change(replace(state.scenario, months=12), "Horizon")
    assert state.is_modified
    state.mark_saved()
    assert not state.is_modified
