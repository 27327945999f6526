"""Scenario files (`.planner.json`): one human-readable, versioned JSON document per workspace.

What a file holds: the scenarios (Baseline plus the named ones, with their
colours and notes), references to the input files with a sha256 of each and
the mapping used to read them (sheet, CRM columns, lead-source map), any
entered lift results, the seed and path count, a name and notes. A file
"shared for review" also carries the data (`planner.scenario.shared`), so it
opens without the input files.

Reading runs no code: `json.loads` with NaN/Infinity refused, then plain
field-by-field checks. Schema 1 (one `Scenario` as `planner.scenario.document`
wrote it) is migrated on load; a newer schema or a damaged file is one
`InputError` line naming the file, and nothing is written. Saving is atomic
(`planner.scenario.atomic`) and refuses to replace a file a newer planner wrote.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from planner.errors import InputError
from planner.io.types import Budget, Deals
from planner.scenario import document
from planner.scenario.atomic import sha256_of, write_atomic
from planner.scenario.collection import BASELINE_ID, Entry, ScenarioSet
from planner.scenario.document import Scenario
from planner.scenario.shared import budget_from_dict, budget_to_dict, deals_from_dict, deals_to_dict

SCHEMA_VERSION = 2
SUFFIX = ".planner.json"
FORMAT = "planner workspace"
MAX_FILE_BYTES = 200 * 1024 * 1024  # the input files' own limit (planner.io.safety); a shared CRM fits well within
ROLES = ("budget", "crm", "sources")
Role = Literal["budget", "crm", "sources"]


@dataclass(frozen=True)
class InputRef:
    """An input file as the scenario was made from it: where it was, its content hash, how it was read."""

    role: Role
    path: str  # absolute, as it was when saved
    sha256: str
    sheet: str | None = None
    columns: tuple[tuple[str, str], ...] = ()  # CRM field -> header (the confirmed column mapping)

    @classmethod
    def of(cls, role: Role, path: str | Path, *, sheet: str | None = None,
           columns: dict[str, str] | None = None) -> InputRef:
        """Reference a file that exists now (its hash is taken here)."""
        path = Path(path).resolve()
        try:
            digest = sha256_of(path)
        except OSError as exc:
            raise InputError(path, f"cannot be read ({exc.strerror or exc})") from exc
        return cls(role, str(path), digest, sheet, tuple(sorted((columns or {}).items())))


@dataclass(frozen=True)
class LiftResult:
    """A lift test the user entered: measured relative lift of one spend class, with its interval."""

    name: str
    spend_class: Literal["brand", "demand"]
    lift: float  # relative, 0.12 = +12 %
    low: float | None = None
    high: float | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.spend_class not in ("brand", "demand"):
            raise ValueError(f"lift result class must be 'brand' or 'demand', got {self.spend_class!r}")
        for value in (self.lift, self.low, self.high):
            if value is not None and not math.isfinite(float(value)):
                raise ValueError("lift figures must be finite numbers")


@dataclass(frozen=True)
class PlannerFile:
    """Everything one `.planner.json` holds."""

    scenarios: ScenarioSet = field(default_factory=ScenarioSet)
    inputs: tuple[InputRef, ...] = ()
    seed: int = 0
    paths: int = 10_000
    name: str = ""
    notes: str = ""
    lift_results: tuple[LiftResult, ...] = ()
    budget: Budget | None = field(default=None, compare=False)  # carried data: a file shared for review
    deals: Deals | None = field(default=None, compare=False)

    @property
    def carries_data(self) -> bool:
        return self.budget is not None and self.deals is not None

    def input(self, role: Role) -> InputRef | None:
        return next((ref for ref in self.inputs if ref.role == role), None)

    def with_input(self, ref: InputRef) -> PlannerFile:
        """This workspace referring to `ref` for its role (a re-located or re-imported file)."""
        others = tuple(r for r in self.inputs if r.role != ref.role)
        return replace(self, inputs=tuple(sorted((*others, ref), key=lambda r: ROLES.index(r.role))))

    def shared(self, budget: Budget, deals: Deals) -> PlannerFile:
        """This workspace carrying `budget` and the model's columns of `deals` (share for review)."""
        return replace(self, budget=budget, deals=deals)


# ---------------------------------------------------------------- writing
def to_dict(doc: PlannerFile) -> dict[str, Any]:
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "format": FORMAT,
        "name": doc.name,
        "notes": doc.notes,
        "seed": int(doc.seed),
        "paths": int(doc.paths),
        "inputs": {ref.role: _ref_to_dict(ref) for ref in doc.inputs},
        "lift_results": [_lift_to_dict(lift) for lift in doc.lift_results],
        "current": doc.scenarios.current,
        "scenarios": [
            {"id": e.id, "colour": e.colour, "notes": e.notes, "scenario": _scenario_to_dict(e.scenario)}
            for e in doc.scenarios
        ],
    }
    if doc.carries_data:
        out["data"] = {"budget": budget_to_dict(doc.budget), "crm": deals_to_dict(doc.deals)}  # type: ignore[arg-type]
    return out


def to_text(doc: PlannerFile) -> str:
    """Indented JSON; the carried data keeps one field a line (a column of 50,000 deals is one line, not 50,000)."""
    body = to_dict(doc)
    data = body.pop("data", None)
    text = json.dumps(body, indent=2, ensure_ascii=False, allow_nan=False)
    if data is not None:
        text = text[: -len("\n}")] + ',\n  "data": ' + _compact_sections(data) + "\n}"
    return text + "\n"


def _compact_sections(data: dict[str, dict[str, Any]]) -> str:
    def one(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))

    sections = []
    for name, fields in data.items():
        inner = ",\n".join(f"      {one(key)}: {one(value)}" for key, value in fields.items())
        sections.append(f"    {one(name)}: {{\n{inner}\n    }}")
    return "{\n" + ",\n".join(sections) + "\n  }"


def save(doc: PlannerFile, path: str | Path) -> Path:
    """Write `doc` to `path` atomically; InputError when `path` holds a newer planner's file."""
    path = Path(path)
    if path.is_file():
        version = _schema_of_existing(path)
        if version is not None and version > SCHEMA_VERSION:
            raise InputError(path, f"was written by a newer planner (schema {version}); "
                                   "save under another name so it is not lost")
    try:
        return write_atomic(path, to_text(doc))
    except OSError as exc:
        raise InputError(path, f"cannot be saved ({exc.strerror or exc})") from exc


def _schema_of_existing(path: Path) -> int | None:
    try:
        head = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    version = head.get("schema_version") if isinstance(head, dict) else None
    return version if isinstance(version, int) else None


# ---------------------------------------------------------------- reading
def load(path: str | Path) -> PlannerFile:
    """Read a scenario file of any schema this planner knows; InputError (one line) otherwise."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(path, f"is {size / 1e6:,.0f} MB; a scenario file is at most {MAX_FILE_BYTES // 2**20} MB")
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(path, "no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(path, "is a folder, not a scenario file") from exc
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, "is not a scenario file (not UTF-8 text)") from exc
    return from_text(text, path)


def from_text(text: str, path: str | Path | None = None) -> PlannerFile:
    try:
        doc = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise InputError(path, f"is not a scenario file (invalid JSON: {_why(exc)})") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("schema_version"), int):
        raise InputError(path, "is not a scenario file (no schema_version)")
    version = doc["schema_version"]
    if version > SCHEMA_VERSION:
        raise InputError(path, f"is from a newer planner (schema {version}; this version reads up to "
                               f"{SCHEMA_VERSION}); update planner to open it")
    if version < 1:
        raise InputError(path, f"is not a scenario file (schema_version {version})")
    try:
        if version == 1:
            return _from_v1(doc)
        return _from_v2(doc, None if path is None else str(path))
    except InputError as exc:
        raise InputError(path, exc.problem) from exc
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise InputError(path, f"scenario file is damaged ({_why(exc)})") from exc


def _from_v1(doc: dict[str, Any]) -> PlannerFile:
    """Schema 1: one Scenario and nothing else (no inputs, seed or colours were saved then)."""
    scenario = document.from_json(json.dumps(doc))
    return PlannerFile(scenarios=ScenarioSet.starting_with(scenario), name=scenario.name)


def _from_v2(doc: dict[str, Any], path: str | None) -> PlannerFile:
    entries = []
    for item in _list(doc, "scenarios"):
        entries.append(Entry(str(item["id"]), _scenario_from_dict(item["scenario"]), _colour(item["colour"]),
                             str(item.get("notes", ""))))
    if not entries or entries[0].id != BASELINE_ID:
        raise ValueError("the first scenario must be the baseline")
    scenarios = ScenarioSet(tuple(entries), str(doc.get("current", BASELINE_ID)))
    inputs = doc.get("inputs") or {}
    if not isinstance(inputs, dict):
        raise TypeError("inputs must be an object")
    budget = deals = None
    data = doc.get("data")
    if data is not None:
        budget = budget_from_dict(data["budget"], path)
        deals = deals_from_dict(data["crm"], path)
    seed, paths = int(doc.get("seed", 0)), int(doc.get("paths", 10_000))
    if not 0 <= seed < 2**63 or not 1 <= paths <= 1_000_000:
        raise ValueError(f"seed {seed} or paths {paths} out of range")
    return PlannerFile(
        scenarios=scenarios,
        inputs=tuple(_ref_from_dict(role, inputs[role]) for role in ROLES if role in inputs),
        seed=seed,
        paths=paths,
        name=str(doc.get("name", "")),
        notes=str(doc.get("notes", "")),
        lift_results=tuple(_lift_from_dict(d) for d in _list(doc, "lift_results")),
        budget=budget,
        deals=deals,
    )


# ---------------------------------------------------------------- input checks
@dataclass(frozen=True)
class InputCheck:
    """Whether a referenced input is still what the scenario was made from.

    `status`: "ok" (same content), "changed" (found, other content: figures
    may differ) or "missing" (moved or deleted: the user re-locates it).
    `found` is where it was found (beside the scenario file first, so a
    folder moved as a whole still works).
    """

    ref: InputRef
    status: Literal["ok", "changed", "missing"]
    found: Path | None

    @property
    def message(self) -> str:
        name = Path(self.ref.path).name
        if self.status == "missing":
            return f"{name}: the {self.ref.role} file this scenario was made from is not at {self.ref.path}; re-locate it"
        if self.status == "changed":
            return f"{name}: the {self.ref.role} file changed since the scenario was saved; figures may differ"
        return f"{name}: unchanged"


def locate(ref: InputRef, scenario_path: str | Path | None) -> Path | None:
    """Where the referenced file is now: beside the scenario file (same name), else its saved path."""
    candidates = []
    if scenario_path is not None:
        candidates.append(Path(scenario_path).resolve().parent / Path(ref.path).name)
    candidates.append(Path(ref.path))
    return next((c for c in candidates if c.is_file()), None)


def check_input(ref: InputRef, actual: str | Path | None) -> InputCheck:
    """Compare the file at `actual` (None: not found) with the reference's hash."""
    if actual is None or not Path(actual).is_file():
        return InputCheck(ref, "missing", None)
    try:
        same = sha256_of(actual) == ref.sha256
    except OSError:
        return InputCheck(ref, "missing", None)
    return InputCheck(ref, "ok" if same else "changed", Path(actual))


def check_inputs(doc: PlannerFile, scenario_path: str | Path | None) -> tuple[InputCheck, ...]:
    """Every referenced input, located and compared with its saved hash."""
    return tuple(check_input(ref, locate(ref, scenario_path)) for ref in doc.inputs)


# ---------------------------------------------------------------- pieces
def _scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario in schema 1's words (planner.scenario.document), without the version."""
    out: dict[str, Any] = json.loads(document.to_json(scenario))
    out.pop("schema_version")
    return out


def _scenario_from_dict(item: Any) -> Scenario:
    if not isinstance(item, dict):
        raise TypeError("a scenario must be an object")
    return document.from_json(json.dumps({**item, "schema_version": 1}))


def _ref_to_dict(ref: InputRef) -> dict[str, Any]:
    out: dict[str, Any] = {"path": ref.path, "sha256": ref.sha256}
    if ref.sheet is not None:
        out["sheet"] = ref.sheet
    if ref.columns:
        out["columns"] = dict(ref.columns)
    return out


def _ref_from_dict(role: str, item: dict[str, Any]) -> InputRef:
    digest = str(item["sha256"]).lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"{role} sha256 is not a hash")
    columns = item.get("columns") or {}
    sheet = item.get("sheet")
    return InputRef(role, str(item["path"]), digest, None if sheet is None else str(sheet),  # type: ignore[arg-type]
                    tuple(sorted((str(k), str(v)) for k, v in columns.items())))


def _lift_to_dict(lift: LiftResult) -> dict[str, Any]:
    return {"name": lift.name, "class": lift.spend_class, "lift": lift.lift, "low": lift.low,
            "high": lift.high, "note": lift.note}


def _lift_from_dict(item: dict[str, Any]) -> LiftResult:
    def num(key: str) -> float | None:
        return None if item.get(key) is None else float(item[key])

    return LiftResult(str(item["name"]), str(item["class"]), float(item["lift"]), num("low"), num("high"),  # type: ignore[arg-type]
                      str(item.get("note", "")))


def _colour(value: Any) -> str:
    text = str(value)
    if len(text) != 7 or text[0] != "#" or any(c not in "0123456789abcdefABCDEF" for c in text[1:]):
        raise ValueError(f"colour {text!r} is not #RRGGBB")
    return text.upper()


def _list(doc: dict[str, Any], key: str) -> list[Any]:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise TypeError(f"{key} must be a list")
    return value


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _why(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, KeyError):
        return f"missing {exc.args[0]!r}"
    return str(getattr(exc, "msg", None) or exc)


def default_name(path: str | Path) -> str:
    """'Q3 plan' for 'Q3 plan.planner.json' (what the title bar shows before the user names it)."""
    name = Path(path).name
    return name[: -len(SUFFIX)] if name.endswith(SUFFIX) else os.path.splitext(name)[0]
