"""Every pure Scenario -> Scenario edit a widget can ask for, and the scenarios derived from one.

Widgets only call these: an edit is one new immutable `Scenario` value, which
the workspace records as one undo step. Keeping them here (no Qt) means the
rules -- "choosing the imported class again leaves no trace", "100 % removes
the scale" -- are tested without a window, and the CLI could apply the same
edits.
"""

from __future__ import annotations

from dataclasses import replace

from planner.scenario.document import Scenario

SLIDER_POSITIONS = tuple(range(101))
"""The brand-share slider's positions, in percent (the look-ahead previews each of them)."""


def with_slider_share(scenario: Scenario, position: int) -> Scenario:
    """The scenario with the brand share a slider position stands for: one rule for the
    slider and for the previews computed ahead of it, so both make the same scenario."""
    return replace(scenario, brand_share=position / 100.0)


def with_cell_edit(scenario: Scenario, line: str, month: str, amount: float, original: float | None) -> Scenario:
    """The scenario with one month of one line set; typing the file's own amount removes the edit."""
    edits = tuple(e for e in scenario.cell_edits if (e[0], e[1]) != (line, month))
    if original is None or amount != original:
        edits = (*edits, (line, month, max(float(amount), 0.0)))
    return replace(scenario, cell_edits=edits)


def with_line_class(scenario: Scenario, line: str, spend_class: str, imported: str) -> Scenario:
    """The scenario with a line's class set; the imported class removes the override."""
    if spend_class not in ("brand", "demand"):
        raise ValueError(f"unknown spend class {spend_class!r}")
    classes = tuple(e for e in scenario.line_classes if e[0] != line)
    if spend_class != imported:
        classes = (*classes, (line, spend_class))
    return replace(scenario, line_classes=classes)


def with_line_scale(scenario: Scenario, line: str, scale: float) -> Scenario:
    """The scenario with a line's multiplier set; 1.0 removes the entry."""
    scales = tuple(e for e in scenario.line_scales if e[0] != line)
    if scale != 1.0:
        scales = (*scales, (line, max(float(scale), 0.0)))
    return replace(scenario, line_scales=scales)


def without_line_edits(scenario: Scenario, line: str) -> Scenario:
    """The scenario with every edit of one line (amounts, class, scale) removed."""
    return replace(
        scenario,
        cell_edits=tuple(e for e in scenario.cell_edits if e[0] != line),
        line_classes=tuple(e for e in scenario.line_classes if e[0] != line),
        line_scales=tuple(e for e in scenario.line_scales if e[0] != line),
    )


def with_source_class(scenario: Scenario, source: str, source_class: str, imported: str | None) -> Scenario:
    """The scenario with a source's class set; the class the importer gave removes the override."""
    if source_class not in ("intent", "demand"):
        raise ValueError(f"unknown source class {source_class!r}")
    classes = tuple(e for e in scenario.source_classes if e[0] != source)
    if source_class != imported:
        classes = (*classes, (source, source_class))
    return replace(scenario, source_classes=classes)


def sweep_key(scenario: Scenario) -> Scenario:
    """What a brand-share sweep depends on: everything except the brand share itself (and the name)."""
    return replace(scenario, brand_share=None, name="")


def baseline_of(scenario: Scenario) -> Scenario:
    """The plan as imported, under the same model facts as `scenario`.

    The baseline keeps what describes the *world* (assumptions, lead-source
    classes, line classes the user corrected) and the horizon, and drops
    every spend change (brand share, total, line scales, cell edits). So the
    difference in the KPI strip is the effect of the spend decision alone,
    not of having edited an assumption.
    """
    return Scenario(
        months=scenario.months,
        line_classes=scenario.line_classes,
        assumptions=scenario.assumptions,
        source_classes=scenario.source_classes,
    )


ModelKey = tuple[
    tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], tuple[tuple[str, float], ...]
]
"""What `model_key` returns: hashable, so sessions cache calibrations by it."""


def model_key(scenario: Scenario) -> ModelKey:
    """What calibration depends on: the user's corrections of the data, and the assumptions."""
    return (scenario.line_classes, scenario.source_classes, scenario.assumptions)
