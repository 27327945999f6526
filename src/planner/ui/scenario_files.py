"""The open workspace as a scenario file, and a scenario file back into data: no Qt, no dialogs.

`document_of` turns what the window holds into a `PlannerFile` (references
to the input files with their hashes, or the carried data when the
workspace came from a file shared for review, so saving it back keeps it
usable without the CRM export). `read_inputs` loads what a file refers to;
it runs on the worker, so a large CRM export never freezes the window.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from planner.errors import InputError
from planner.io.types import Budget, Deals
from planner.scenario.collection import ScenarioSet
from planner.scenario.files import InputCheck, InputRef, PlannerFile, check_inputs


@dataclass(frozen=True)
class OpenedData:
    """What a scenario file opens to: the data, the files it came from, and the notices to show."""

    budget: Budget
    deals: Deals
    files: tuple[str, ...]
    notices: tuple[str, ...]


def document_of(
    scenarios: ScenarioSet,
    budget: Budget,
    deals: Deals,
    *,
    seed: int,
    paths: int,
    base: PlannerFile | None = None,
    carry_data: bool = False,
) -> PlannerFile:
    """The workspace as a file. `base` (the file it was opened from) keeps name, notes, lift results
    and each input's mapping; inputs are re-hashed now, so the saved hashes match the files in use."""
    doc = replace(base or PlannerFile(), scenarios=scenarios, seed=int(seed), paths=int(paths))
    if carry_data:
        return doc.shared(budget, deals)
    doc = replace(doc, budget=None, deals=None)
    for role, data in (("budget", budget), ("crm", deals)):
        if not data.path:
            raise InputError(None, f"the {role} was not read from a file; use Share for review to save it with its data")
        old = doc.input(role)  # type: ignore[arg-type]
        same_file = old is not None and Path(old.path) == Path(data.path).resolve()
        sheet = old.sheet if old is not None and same_file else None
        columns = dict(old.columns) if old is not None and same_file else None
        doc = doc.with_input(InputRef.of(role, data.path, sheet=sheet, columns=columns))  # type: ignore[arg-type]
    return doc


def problems(doc: PlannerFile, path: str | Path | None) -> tuple[InputCheck, ...]:
    """The inputs that are not what the file was made from (changed or missing); none for carried data."""
    if doc.carries_data:
        return ()
    return tuple(c for c in check_inputs(doc, path) if c.status != "ok")


def read_inputs(doc: PlannerFile, path: str | Path | None) -> OpenedData:
    """The budget and CRM export the file refers to (or carries), read with the saved mapping."""
    if doc.carries_data:
        assert doc.budget is not None and doc.deals is not None
        return OpenedData(doc.budget, doc.deals, (), ())
    from planner.io.budget import load_budget
    from planner.io.crm import load_deals
    from planner.io.sources import load_source_map

    checks = {c.ref.role: c for c in check_inputs(doc, path)}
    found: dict[str, Path] = {}
    for role in ("budget", "crm"):
        check = checks.get(role)
        if check is None:
            raise InputError(path, f"names no {role} file and carries no data")
        if check.found is None:
            raise InputError(path, check.message)
        found[role] = check.found
    mapping = None
    if "sources" in checks and checks["sources"].found is not None:
        mapping = load_source_map(checks["sources"].found)
    budget_check, crm_check = checks["budget"], checks["crm"]
    budget = load_budget(found["budget"], sheet=budget_check.ref.sheet)
    deals = load_deals(found["crm"], sources=mapping, columns=dict(crm_check.ref.columns) or None,
                       sheet=crm_check.ref.sheet)
    notices = tuple(c.message for c in checks.values() if c.status == "changed")
    return OpenedData(budget, deals, (str(found["budget"]), str(found["crm"])), notices)


__all__ = ["OpenedData", "document_of", "problems", "read_inputs"]
