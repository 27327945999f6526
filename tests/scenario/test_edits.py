"""Scenario edits: each widget action is one pure Scenario -> Scenario function."""

from __future__ import annotations

import pytest

from planner.scenario.document import Scenario
from planner.scenario.edits import (
    baseline_of,
    model_key,
    sweep_key,
    with_cell_edit,
    with_line_class,
    with_line_scale,
    with_source_class,
    without_line_edits,
)


def test_baseline_ignores_spend_changes_but_keeps_model_facts() -> None:
    s = Scenario(
        brand_share=0.7, months=12, total_scale=1.3, line_scales=(("Paid search", 0.5),),
        assumptions=(("brand_half_life", 12.0),), source_classes=(("Webinar", "intent"),),
    )  # fmt: skip
    base = baseline_of(s)
    assert base.brand_share is None and base.total_scale == 1.0 and base.line_scales == ()
    assert base.months == 12
    assert base.assumptions == s.assumptions and base.source_classes == s.source_classes


def test_cell_edit_replaces_and_the_files_own_amount_removes_it() -> None:
    s = with_cell_edit(Scenario(), "Paid search", "2025-03", 1_000.0, original=800.0)
    assert s.cell_edits == (("Paid search", "2025-03", 1_000.0),)
    s = with_cell_edit(s, "Paid search", "2025-03", 1_200.0, original=800.0)
    assert s.cell_edits == (("Paid search", "2025-03", 1_200.0),)
    assert with_cell_edit(s, "Paid search", "2025-03", 800.0, original=800.0).cell_edits == ()
    assert with_cell_edit(Scenario(), "New", "2025-01", -5.0, original=None).cell_edits == (("New", "2025-01", 0.0),)


def test_line_class_override_only_while_it_differs_from_the_import() -> None:
    s = with_line_class(Scenario(), "Events", "brand", imported="demand")
    assert s.line_classes == (("Events", "brand"),)
    assert with_line_class(s, "Events", "demand", imported="demand").line_classes == ()
    with pytest.raises(ValueError):
        with_line_class(s, "Events", "intent", imported="demand")


def test_line_scale_of_one_removes_the_entry_and_negatives_are_zero() -> None:
    s = with_line_scale(Scenario(), "Paid search", 1.5)
    assert s.line_scales == (("Paid search", 1.5),)
    assert with_line_scale(s, "Paid search", 1.0).line_scales == ()
    assert with_line_scale(s, "Paid search", -2.0).line_scales == (("Paid search", 0.0),)


def test_without_line_edits_clears_one_line_only() -> None:
    s = Scenario(
        cell_edits=(("A", "2025-01", 1.0), ("B", "2025-01", 2.0)),
        line_classes=(("A", "brand"),), line_scales=(("A", 2.0), ("B", 0.5)),
    )  # fmt: skip
    cleared = without_line_edits(s, "A")
    assert cleared.cell_edits == (("B", "2025-01", 2.0),)
    assert cleared.line_classes == () and cleared.line_scales == (("B", 0.5),)


def test_source_class_override_only_while_it_differs_from_the_import() -> None:
    s = with_source_class(Scenario(), "Webinar", "intent", imported="demand")
    assert s.source_classes == (("Webinar", "intent"),)
    assert with_source_class(s, "Webinar", "demand", imported="demand").source_classes == ()
    assert with_source_class(Scenario(), "New", "demand", imported=None).source_classes == (("New", "demand"),)
    with pytest.raises(ValueError):
        with_source_class(s, "Webinar", "brand", imported="demand")


def test_sweep_key_ignores_the_share_and_the_name_only() -> None:
    a = Scenario(name="a", brand_share=0.2, months=24)
    assert sweep_key(a) == sweep_key(Scenario(name="b", brand_share=0.8, months=24))
    assert sweep_key(a) != sweep_key(Scenario(brand_share=0.2, months=12))
    assert sweep_key(a) != sweep_key(Scenario(brand_share=0.2, months=24, total_scale=1.1))


def test_model_key_moves_with_data_corrections_and_assumptions_only() -> None:
    base = Scenario()
    assert model_key(base) == model_key(Scenario(brand_share=0.4, months=12, total_scale=2.0))
    assert model_key(base) != model_key(Scenario(line_classes=(("A", "brand"),)))
    assert model_key(base) != model_key(Scenario(source_classes=(("W", "intent"),)))
    assert model_key(base) != model_key(Scenario(assumptions=(("gross_margin", 0.5),)))
