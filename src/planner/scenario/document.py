"""The Scenario document: everything a planner changed relative to the imported files.

A scenario never stores money amounts of the base budget, only edits to it, so
the same scenario can be re-applied after the files are re-imported, and a
saved file stays small and readable. It is immutable: the UI's undo stack keeps
old versions and one user action swaps in one new document.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace

import numpy as np

from planner.errors import InputError
from planner.io.types import Budget, BudgetLine

SCHEMA_VERSION = 1
MAX_MONTHS = 60
_SPEND_CLASSES = ("brand", "demand")
_SOURCE_CLASSES = ("intent", "demand")


@dataclass(frozen=True)
class Scenario:
    """What-if settings applied on top of a base budget and CRM."""

    name: str = "Scenario"
    brand_share: float | None = None  # None = the budget's own split
    months: int = 36
    total_scale: float = 1.0
    line_classes: tuple[tuple[str, str], ...] = ()  # line name -> "brand" | "demand"
    line_scales: tuple[tuple[str, float], ...] = ()  # line name -> multiplier
    cell_edits: tuple[tuple[str, str, float], ...] = ()  # line name, "YYYY-MM", amount
    assumptions: tuple[tuple[str, float], ...] = ()  # assumption key -> value
    source_classes: tuple[tuple[str, str], ...] = ()  # lead source -> "intent" | "demand"

    def __post_init__(self) -> None:
        if not 1 <= int(self.months) <= MAX_MONTHS:
            raise ValueError(f"months must be between 1 and {MAX_MONTHS}, got {self.months}")
        if self.brand_share is not None and not 0.0 <= float(self.brand_share) <= 1.0:
            raise ValueError(f"brand_share must be between 0 and 1, got {self.brand_share}")
        if not float(self.total_scale) >= 0.0:
            raise ValueError(f"total_scale must be 0 or more, got {self.total_scale}")
        for _, cls in self.line_classes:
            if cls not in _SPEND_CLASSES:
                raise ValueError(f"line class must be 'brand' or 'demand', got {cls!r}")
        for _, cls in self.source_classes:
            if cls not in _SOURCE_CLASSES:
                raise ValueError(f"source class must be 'intent' or 'demand', got {cls!r}")
        for _, scale in self.line_scales:
            if not float(scale) >= 0.0:
                raise ValueError(f"line scale must be 0 or more, got {scale}")

    def assumption_overrides(self) -> dict[str, float]:
        return {key: float(value) for key, value in self.assumptions}

    def source_overrides(self) -> dict[str, str]:
        return dict(self.source_classes)


def extend_months(values: np.ndarray, months: int) -> np.ndarray:
    """A monthly series over `months` months: past the budget's end, its last 12 months repeat."""
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0:
        return np.zeros(months)
    if values.size >= months:
        return values[:months].copy()
    period = values[-min(12, values.size):]
    reps = math.ceil((months - values.size) / period.size)
    return np.concatenate([values, np.tile(period, reps)])[:months]


def _shift_brand_share(lines: list[BudgetLine], months: int, share: float, horizon: int) -> list[BudgetLine]:
    """Make brand `share` of the horizon's spend, keeping the plan's shape.

    Brand lines scale by one factor and lead-gen lines by another, so every
    line keeps its monthly phasing and a line with no money stays empty; the
    horizon's total (with the months past the budget's end repeating its last
    year, as the simulation reads it) is kept. A class with no money at all in
    the horizon cannot be scaled: when it must get money, it gets one new line
    phased like the total budget ("Brand (scenario)" / "Lead gen (scenario)"),
    and the other class keeps its shape at its new size.
    """
    if not lines:
        return lines
    amounts = np.array([ln.amounts for ln in lines], dtype=np.float64).reshape(len(lines), months)
    is_brand = np.array([ln.spend_class == "brand" for ln in lines])
    in_horizon = np.array([extend_months(row, horizon).sum() for row in amounts]) if months else np.zeros(len(lines))
    total = float(in_horizon.sum())
    out = amounts.copy()
    extra: list[BudgetLine] = []
    totals = amounts.sum(axis=0)
    for mask, target_share, cls, label in (
        (is_brand, share, "brand", "Brand (scenario)"),
        (~is_brand, 1.0 - share, "demand", "Lead gen (scenario)"),
    ):
        have = float(in_horizon[mask].sum())
        if have > 0:
            out[mask] = amounts[mask] * (target_share * total / have)
        elif target_share > 0 and total > 0:
            extra.append(BudgetLine(label, cls, totals * target_share, None, "user"))  # type: ignore[arg-type]
    result = [replace(ln, amounts=out[i]) for i, ln in enumerate(lines)]
    return result + extra


def apply_to_budget(budget: Budget, scenario: Scenario) -> Budget:
    """The budget the scenario describes: cell edits, line classes, line scales, total, brand share.

    Edits naming a line or month that is not in this budget are skipped, so a
    scenario saved against last month's file still opens on this month's file.
    """
    index = {m: i for i, m in enumerate(budget.months)}
    lines = list(budget.lines)
    names = [ln.name for ln in lines]
    if scenario.cell_edits:
        for name, month, amount in scenario.cell_edits:
            if month not in index:
                continue
            for i, ln_name in enumerate(names):
                if ln_name == name:
                    amounts = lines[i].amounts.astype(np.float64, copy=True)
                    amounts[index[month]] = max(float(amount), 0.0)
                    lines[i] = replace(lines[i], amounts=amounts)
    for name, cls in scenario.line_classes:
        for i, ln_name in enumerate(names):
            if ln_name == name and lines[i].spend_class != cls:
                lines[i] = replace(lines[i], spend_class=cls, class_origin="user")  # type: ignore[arg-type]
    for name, scale in scenario.line_scales:
        for i, ln_name in enumerate(names):
            if ln_name == name:
                lines[i] = replace(lines[i], amounts=lines[i].amounts * float(scale))
    if scenario.total_scale != 1.0:
        lines = [replace(ln, amounts=ln.amounts * float(scenario.total_scale)) for ln in lines]
    if scenario.brand_share is not None:
        lines = _shift_brand_share(lines, len(budget.months), float(scenario.brand_share), int(scenario.months))
    return replace(budget, lines=tuple(lines))


def to_json(scenario: Scenario) -> str:
    """The scenario as versioned, human-readable JSON."""
    doc = {
        "schema_version": SCHEMA_VERSION,
        "name": scenario.name,
        "brand_share": scenario.brand_share,
        "months": int(scenario.months),
        "total_scale": float(scenario.total_scale),
        "line_classes": [{"line": n, "class": c} for n, c in scenario.line_classes],
        "line_scales": [{"line": n, "scale": float(s)} for n, s in scenario.line_scales],
        "cell_edits": [
            {"line": n, "month": m, "amount": float(a)} for n, m, a in scenario.cell_edits
        ],
        "assumptions": {k: float(v) for k, v in scenario.assumptions},
        "source_classes": [{"source": s, "class": c} for s, c in scenario.source_classes],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def from_json(text: str) -> Scenario:
    """Read a scenario file; raises InputError with one line when it is not one."""
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, TypeError) as exc:
        raise InputError(None, f"not a scenario file (invalid JSON: {exc.msg if hasattr(exc, 'msg') else exc})") from exc
    if not isinstance(doc, dict) or "schema_version" not in doc:
        raise InputError(None, "not a scenario file (no schema_version)")
    version = doc["schema_version"]
    if not isinstance(version, int) or version < 1:
        raise InputError(None, f"not a scenario file (schema_version {version!r})")
    if version > SCHEMA_VERSION:
        raise InputError(
            None, f"scenario file is from a newer planner (schema {version}, this reads {SCHEMA_VERSION})"
        )
    try:
        share = doc.get("brand_share")
        assumptions = doc.get("assumptions") or {}
        if isinstance(assumptions, list):  # tolerate [[key, value], ...]
            assumptions = dict(assumptions)
        return Scenario(
            name=str(doc.get("name", "Scenario")),
            brand_share=None if share is None else float(share),
            months=int(doc.get("months", 36)),
            total_scale=float(doc.get("total_scale", 1.0)),
            line_classes=tuple((str(d["line"]), str(d["class"])) for d in doc.get("line_classes", [])),
            line_scales=tuple((str(d["line"]), float(d["scale"])) for d in doc.get("line_scales", [])),
            cell_edits=tuple(
                (str(d["line"]), str(d["month"]), float(d["amount"])) for d in doc.get("cell_edits", [])
            ),
            assumptions=tuple((str(k), float(v)) for k, v in assumptions.items()),
            source_classes=tuple(
                (str(d["source"]), str(d["class"])) for d in doc.get("source_classes", [])
            ),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(None, f"scenario file is damaged ({exc})") from exc


def replace_scenario(scenario: Scenario, **changes: object) -> Scenario:
    """A copy with some fields changed (validated like a new document)."""
    return replace(scenario, **changes)  # type: ignore[arg-type]
