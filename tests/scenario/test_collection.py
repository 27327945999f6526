"""The workspace of scenarios: baseline rules, duplicate, rename, delete, reorder, stable colours."""

from __future__ import annotations

import pytest

from planner.scenario.collection import BASELINE_COLOUR, BASELINE_ID, PALETTE, ScenarioSet
from planner.scenario.document import Scenario
from planner.scenario.files import PlannerFile, load, save

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


def test_palette_is_okabe_ito() -> None:
    assert set(PALETTE) == OKABE_ITO and len(PALETTE) == 7
    assert BASELINE_COLOUR not in PALETTE


def test_a_new_workspace_is_the_baseline() -> None:
    s = ScenarioSet()
    assert s.names == ("Baseline",) and s.current == BASELINE_ID and s.active.is_baseline


def test_add_duplicate_rename_delete_reorder() -> None:
    s = ScenarioSet().add(Scenario(name="Brand push", brand_share=0.5))
    s = s.add(Scenario(name="Cut", total_scale=0.8))
    push = s.by_name("brand push").id
    s = s.duplicate(push)
    assert s.names == ("Baseline", "Brand push", "Brand push (copy)", "Cut")
    copy = s.active
    assert copy.scenario.brand_share == 0.5 and copy.colour not in {e.colour for e in s if e.id != copy.id}
    s = s.rename(copy.id, "  Brand   push 60 % ")
    assert s.entry(copy.id).name == "Brand push 60 %"
    with pytest.raises(ValueError, match="already"):
        s.rename(copy.id, "CUT")
    with pytest.raises(ValueError):
        s.rename(BASELINE_ID, "Plan")
    with pytest.raises(ValueError):
        s.rename(copy.id, "   ")
    s = s.move(s.by_name("Cut").id, 1)
    assert s.names == ("Baseline", "Cut", "Brand push", "Brand push 60 %")
    s = s.move(s.by_name("Cut").id, 99)
    assert s.names[-1] == "Cut"
    with pytest.raises(ValueError):
        s.move(BASELINE_ID, 2)
    s = s.select(copy.id).delete(copy.id)
    assert s.names == ("Baseline", "Brand push", "Cut")
    assert s.active.name == "Brand push"  # the neighbour before the deleted one
    with pytest.raises(ValueError):
        s.delete(BASELINE_ID)


def test_names_are_made_unique_on_add() -> None:
    s = ScenarioSet().add(Scenario(name="Plan")).add(Scenario(name="plan")).add(Scenario(name="Baseline"))
    assert s.names == ("Baseline", "Plan", "plan 2", "Baseline 2")


def test_baseline_takes_no_spend_edit() -> None:
    s = ScenarioSet().update(BASELINE_ID, Scenario(name="x", brand_share=0.9, months=12, assumptions=(("gross_margin", 0.6),)))
    base = s.baseline.scenario
    assert base.name == "Baseline" and base.brand_share is None
    assert base.months == 12 and base.assumptions == (("gross_margin", 0.6),)


def test_colours_are_distinct_then_reused_least_worn() -> None:
    s = ScenarioSet()
    for i in range(len(PALETTE)):
        s = s.add(Scenario(name=f"S{i}"))
    assert [e.colour for e in s.entries[1:]] == list(PALETTE)
    s = s.add(Scenario(name="Eighth"))
    assert s.active.colour == PALETTE[0]
    s = s.delete(s.by_name("S2").id).add(Scenario(name="Ninth"))
    assert s.active.colour == PALETTE[2]  # the freed colour is the one taken


def test_colours_are_stable_across_sessions(tmp_path) -> None:
    s = ScenarioSet().add(Scenario(name="A")).add(Scenario(name="B")).add(Scenario(name="C"))
    s = s.delete(s.by_name("A").id)  # B and C keep their colours; A's is free again
    colours = {e.name: e.colour for e in s}
    again = load(save(PlannerFile(scenarios=s), tmp_path / "w.planner.json")).scenarios
    assert {e.name: e.colour for e in again} == colours
    assert again.add(Scenario(name="D")).active.colour == PALETTE[0]


def test_merged_keeps_colours_where_free() -> None:
    one = ScenarioSet().add(Scenario(name="A"))
    other = ScenarioSet().add(Scenario(name="X")).add(Scenario(name="Y"))
    merged = one.merged(other)
    assert merged.names == ("Baseline", "A", "X", "Y")
    assert merged.by_name("A").colour == PALETTE[0] != merged.by_name("X").colour  # X wore A's colour: it gets a free one
    assert len({e.colour for e in merged}) == len(merged)
    assert merged.by_name("Y").colour == other.by_name("Y").colour
