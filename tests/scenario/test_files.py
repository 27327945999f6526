"""Scenario files: round trip, schema 1 migration, newer and damaged files, atomic save, input checks."""

from __future__ import annotations

import json
import os

import pytest

from planner.errors import InputError
from planner.scenario import document
from planner.scenario.collection import BASELINE_ID, ScenarioSet
from planner.scenario.document import Scenario
from planner.scenario.files import (
    SCHEMA_VERSION,
    InputRef,
    LiftResult,
    PlannerFile,
    check_inputs,
    default_name,
    load,
    save,
)

EDITED = Scenario(
    name="Brand push",
    brand_share=0.45,
    months=24,
    total_scale=1.1,
    line_classes=(("Webinars", "brand"),),
    line_scales=(("Paid search", 0.8),),
    cell_edits=(("Paid search", "2026-03", 12_345.5),),
    assumptions=(("brand_half_life", 12.0),),
    source_classes=(("Webinar", "intent"),),
)


@pytest.fixture
def inputs(tmp_path):
    budget = tmp_path / "budget.csv"
    crm = tmp_path / "crm.csv"
    budget.write_text("Line,Jan 2026\nAds,100\n", encoding="utf-8")
    crm.write_text("Opportunity Name,Stage\nA,Won\n", encoding="utf-8")
    return budget, crm


def _document(budget, crm) -> PlannerFile:
    scenarios = ScenarioSet().add(EDITED).add(Scenario(name="Cut 10 %", total_scale=0.9))
    scenarios = scenarios.with_notes(scenarios.ids[1], "The CFO's question from Tuesday")
    return PlannerFile(
        scenarios=scenarios,
        inputs=(InputRef.of("budget", budget, sheet="Plan 2026"),
                InputRef.of("crm", crm, columns={"amount": "Auftragswert", "stage": "Phase"})),
        seed=7,
        paths=5_000,
        name="Q3 review",
        notes="Ærø: numbers before the board meeting",
        lift_results=(LiftResult("LinkedIn holdout", "brand", 0.12, 0.03, 0.21, "Q1 geo test"),),
    )


def test_round_trip_keeps_everything(tmp_path, inputs) -> None:
    doc = _document(*inputs)
    path = save(doc, tmp_path / "plan.planner.json")
    again = load(path)
    assert again == doc
    assert again.scenarios.by_name("Brand push").scenario == EDITED
    assert again.input("crm").columns == (("amount", "Auftragswert"), ("stage", "Phase"))
    assert again.input("budget").sheet == "Plan 2026"
    text = path.read_text(encoding="utf-8")
    assert json.loads(text)["schema_version"] == SCHEMA_VERSION
    assert "Ærø" in text  # human-readable: not escaped
    assert text.count("\n") > 50  # indented, one field a line
    assert default_name(path) == "plan"


def test_schema_1_file_is_migrated(tmp_path) -> None:
    old = tmp_path / "old.planner.json"
    old.write_text(document.to_json(EDITED), encoding="utf-8")
    assert json.loads(old.read_text())["schema_version"] == 1
    doc = load(old)
    assert doc.scenarios.names == ("Baseline", "Brand push")
    assert doc.scenarios.active.scenario == EDITED
    # the baseline keeps the world the scenario was made in (assumptions, classes, horizon), no spend edits
    base = doc.scenarios.baseline.scenario
    assert (base.assumptions, base.source_classes, base.line_classes, base.months) == (
        EDITED.assumptions, EDITED.source_classes, EDITED.line_classes, EDITED.months)
    assert (base.brand_share, base.total_scale, base.cell_edits, base.line_scales) == (None, 1.0, (), ())
    # saved again, it is schema 2 and reads back the same
    assert load(save(doc, tmp_path / "new.planner.json")) == doc


def test_schema_1_plain_plan_is_just_the_baseline(tmp_path) -> None:
    old = tmp_path / "plain.planner.json"
    old.write_text(document.to_json(Scenario(months=18)), encoding="utf-8")
    doc = load(old)
    assert doc.scenarios.ids == (BASELINE_ID,)
    assert doc.scenarios.baseline.scenario.months == 18


def _one_line_naming(exc: InputError, name: str) -> str:
    assert "\n" not in exc.message
    assert exc.message.startswith(name + ":")
    return exc.message


def test_newer_schema_is_refused_and_never_overwritten(tmp_path, inputs) -> None:
    path = tmp_path / "future.planner.json"
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION + 1, "hover_car": True}), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(InputError) as caught:
        load(path)
    assert "newer planner" in _one_line_naming(caught.value, path.name)
    with pytest.raises(InputError) as caught:
        save(_document(*inputs), path)
    assert "newer planner" in _one_line_naming(caught.value, path.name)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [
        b'{"schema_version": 2, "scenarios": [',  # cut off mid-write
        b"\x89PNG\r\n\x1a\n\x00\x00binary",
        b'{"schema_version": 2, "seed": NaN, "scenarios": []}',
        b'{"schema_version": 2, "scenarios": [{"id": "s1", "colour": "#E69F00", "scenario": {}}]}',
        b'{"schema_version": 2, "scenarios": [{"id": "baseline", "colour": "red", "scenario": {}}]}',
        b'{"schema_version": 2, "scenarios": "all of them"}',
        b'{"schema_version": 1, "months": 999}',
        b'{"schema_version": 2, "scenarios": [{"id": "baseline", "colour": "#8C8C8C", "scenario": {}}],'
        b' "inputs": {"budget": {"path": "b.xlsx", "sha256": "not-a-hash"}}}',
        b'{"schema_version": 2, "scenarios": [{"id": "baseline", "colour": "#8C8C8C", "scenario": {}}],'
        b' "data": {"budget": {"months": ["2026-01"], "lines": []}, "crm": {"count": 2, "outcome": ["won"]}}}',
        b"[" * 100_000,
        b'{"no": "version"}',
        b"",
    ],
)
def test_damaged_file_is_one_clear_line(tmp_path, content) -> None:
    path = tmp_path / "broken.planner.json"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        load(path)
    message = _one_line_naming(caught.value, path.name)
    assert "scenario file" in message
    assert path.read_bytes() == content


def test_missing_and_folder_paths(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load(tmp_path / "nope.planner.json")
    with pytest.raises(InputError, match="folder"):
        load(tmp_path)


def test_save_is_atomic(tmp_path, inputs, monkeypatch) -> None:
    path = save(_document(*inputs), tmp_path / "plan.planner.json")
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    changed = PlannerFile(scenarios=ScenarioSet().add(Scenario(name="Other")))
    with pytest.raises(InputError, match="cannot be saved"):
        save(changed, path)
    assert path.read_bytes() == before  # the old file is whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budget.csv", "crm.csv", "plan.planner.json"]  # no temp left


def test_input_checks_say_changed_and_moved(tmp_path, inputs) -> None:
    budget, crm = inputs
    path = save(_document(budget, crm), tmp_path / "plan.planner.json")
    doc = load(path)
    assert [c.status for c in check_inputs(doc, path)] == ["ok", "ok"]

    budget.write_text("Line,Jan 2026\nAds,200\n", encoding="utf-8")
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    crm.rename(moved / "crm.csv")
    checks = check_inputs(doc, path)
    assert [c.status for c in checks] == ["changed", "missing"]
    assert "changed since the scenario was saved" in checks[0].message
    assert "re-locate" in checks[1].message and checks[1].found is None

    # the whole folder moved (scenario file and inputs together): found beside the scenario file, unchanged
    folder = tmp_path / "copied"
    folder.mkdir()
    (folder / "crm.csv").write_bytes((moved / "crm.csv").read_bytes())
    copied = folder / "plan.planner.json"
    copied.write_bytes(path.read_bytes())
    crm_check = [c for c in check_inputs(doc, copied) if c.ref.role == "crm"][0]
    assert (crm_check.status, crm_check.found) == ("ok", folder / "crm.csv")

    # the user re-locates the moved file and accepts the changed one: both check out again
    relocated = doc.with_input(InputRef.of("crm", moved / "crm.csv", columns=dict(doc.input("crm").columns)))
    relocated = relocated.with_input(InputRef.of("budget", budget, sheet=doc.input("budget").sheet))
    assert [r.role for r in relocated.inputs] == ["budget", "crm"]
    assert [c.status for c in check_inputs(relocated, path)] == ["ok", "ok"]
    assert relocated.input("crm").columns == doc.input("crm").columns
