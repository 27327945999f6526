"""A workspace of scenarios: Baseline (the files' own plan) plus any number of named ones.

An immutable value like the `Scenario` itself: every operation returns a new
`ScenarioSet`, so the window can keep it on its undo stack and compare two
versions with `==`. Each entry has a stable id (renaming keeps it) and a
colour picked once from a fixed colour-blind-safe palette and saved with the
file, so "Brand push" is the same orange in the compare view, the export and
next week's session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from planner.scenario.document import Scenario
from planner.scenario.edits import baseline_of

BASELINE_ID = "baseline"
BASELINE_NAME = "Baseline"
BASELINE_COLOUR = "#8C8C8C"  # neutral grey: the reference every other curve is read against
# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency. Black is left out (it vanishes on a dark theme); grey marks the baseline instead.
PALETTE: tuple[str, ...] = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442")
MAX_NAME = 80


@dataclass(frozen=True)
class Entry:
    """One scenario of the workspace, as the user named and coloured it."""

    id: str
    scenario: Scenario
    colour: str
    notes: str = ""

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def is_baseline(self) -> bool:
        return self.id == BASELINE_ID


def _baseline(scenario: Scenario | None = None) -> Entry:
    plan = baseline_of(scenario or Scenario())
    return Entry(BASELINE_ID, replace(plan, name=BASELINE_NAME), BASELINE_COLOUR)


@dataclass(frozen=True)
class ScenarioSet:
    """Baseline first, then the named scenarios in the user's order; `current` is the one on screen."""

    entries: tuple[Entry, ...] = (_baseline(),)
    current: str = BASELINE_ID

    def __post_init__(self) -> None:
        ids = [e.id for e in self.entries]
        if not ids or ids[0] != BASELINE_ID:
            raise ValueError("the first scenario of a workspace is the baseline")
        if len(set(ids)) != len(ids):
            raise ValueError("scenario ids must be unique")
        names = [e.name.casefold() for e in self.entries]
        if len(set(names)) != len(names):
            raise ValueError("scenario names must be unique")
        if self.current not in ids:
            raise ValueError(f"no scenario with id {self.current!r}")

    # ------------------------------------------------------------- reading
    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.entries)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.entries)

    def entry(self, entry_id: str) -> Entry:
        for e in self.entries:
            if e.id == entry_id:
                return e
        raise KeyError(entry_id)

    def by_name(self, name: str) -> Entry:
        """The entry called `name` (case-insensitive); KeyError when there is none."""
        for e in self.entries:
            if e.name.casefold() == name.strip().casefold():
                return e
        raise KeyError(name)

    @property
    def active(self) -> Entry:
        return self.entry(self.current)

    @property
    def baseline(self) -> Entry:
        return self.entries[0]

    # ------------------------------------------------------------- changing
    @classmethod
    def starting_with(cls, scenario: Scenario, notes: str = "") -> ScenarioSet:
        """A workspace with the baseline and `scenario` (current) - what one open scenario becomes."""
        base = cls(entries=(_baseline(scenario),))
        if replace(scenario, name="Scenario") == baseline_of(scenario):
            return base  # no spend change: the scenario is the plan itself, one entry is enough
        return base.add(scenario, notes=notes)

    def add(self, scenario: Scenario, *, notes: str = "", select: bool = True, colour: str | None = None,
            reserved: frozenset[str] = frozenset()) -> ScenarioSet:
        """Append a named scenario (its name made unique) in `colour` if no one wears it, else the next free one.

        `reserved` colours are not handed out as free ones (they are about to be kept by others).
        """
        if colour is None or colour.upper() in {e.colour.upper() for e in self.entries}:
            colour = self._free_colour(reserved)
        entry = Entry(self._new_id(), replace(scenario, name=self._unique(scenario.name)), colour, notes)
        return replace(self, entries=(*self.entries, entry), current=entry.id if select else self.current)

    def duplicate(self, entry_id: str) -> ScenarioSet:
        """A copy right after the original, named '<name> (copy)', with its own colour; it becomes current."""
        source = self.entry(entry_id)
        copy = Entry(
            self._new_id(),
            replace(source.scenario, name=self._unique(f"{source.name} (copy)")),
            self._free_colour(),
            source.notes,
        )
        at = self.ids.index(entry_id) + 1
        entries = (*self.entries[:at], copy, *self.entries[at:])
        return replace(self, entries=entries, current=copy.id)

    def rename(self, entry_id: str, name: str) -> ScenarioSet:
        """A new name; ValueError when it is empty, too long, taken, or the entry is the baseline."""
        name = " ".join(name.split())
        if entry_id == BASELINE_ID:
            raise ValueError("the baseline keeps its name")
        if not name:
            raise ValueError("a scenario needs a name")
        if len(name) > MAX_NAME:
            raise ValueError(f"a scenario name has at most {MAX_NAME} characters")
        others = {e.name.casefold() for e in self.entries if e.id != entry_id}
        if name.casefold() in others:
            raise ValueError(f"there is already a scenario called {name!r}")
        return self._swap(entry_id, lambda e: replace(e, scenario=replace(e.scenario, name=name)))

    def delete(self, entry_id: str) -> ScenarioSet:
        """Without that scenario; the baseline cannot go. The neighbour before it becomes current."""
        if entry_id == BASELINE_ID:
            raise ValueError("the baseline cannot be deleted")
        at = self.ids.index(entry_id)
        entries = tuple(e for e in self.entries if e.id != entry_id)
        current = self.current if self.current != entry_id else entries[at - 1].id
        return replace(self, entries=entries, current=current)

    def move(self, entry_id: str, position: int) -> ScenarioSet:
        """Reorder: put the scenario at `position` (1 = first after the baseline, clamped)."""
        if entry_id == BASELINE_ID:
            raise ValueError("the baseline stays first")
        moving = self.entry(entry_id)
        rest = [e for e in self.entries if e.id != entry_id]
        position = min(max(int(position), 1), len(rest))
        rest.insert(position, moving)
        return replace(self, entries=tuple(rest))

    def select(self, entry_id: str) -> ScenarioSet:
        self.entry(entry_id)
        return replace(self, current=entry_id)

    def update(self, entry_id: str, scenario: Scenario) -> ScenarioSet:
        """Store the edited scenario (its name is kept: renaming goes through `rename`).

        The baseline keeps only what describes the world (assumptions, classes,
        horizon): a spend edit on it would stop it being the files' own plan.
        """
        if entry_id == BASELINE_ID:
            plan = replace(baseline_of(scenario), name=BASELINE_NAME)
            return self._swap(entry_id, lambda e: replace(e, scenario=plan))
        return self._swap(entry_id, lambda e: replace(e, scenario=replace(scenario, name=e.name)))

    def merged(self, other: ScenarioSet) -> ScenarioSet:
        """This set plus `other`'s named scenarios (its baseline is this one's), colours kept where free."""
        worn = {e.colour.upper() for e in self.entries}
        kept = frozenset(e.colour.upper() for e in other.entries[1:]) - worn
        out = self
        for e in other.entries[1:]:
            out = out.add(e.scenario, notes=e.notes, select=False, colour=e.colour, reserved=kept)
        return out

    def with_notes(self, entry_id: str, notes: str) -> ScenarioSet:
        return self._swap(entry_id, lambda e: replace(e, notes=str(notes)))

    # ------------------------------------------------------------- helpers
    def _swap(self, entry_id: str, change: Callable[[Entry], Entry]) -> ScenarioSet:
        self.entry(entry_id)
        return replace(self, entries=tuple(change(e) if e.id == entry_id else e for e in self.entries))

    def _new_id(self) -> str:
        taken = set(self.ids)
        n = len(self.entries)
        while f"s{n}" in taken:
            n += 1
        return f"s{n}"

    def _unique(self, name: str) -> str:
        name = " ".join(str(name).split())[:MAX_NAME] or "Scenario"
        taken = {e.name.casefold() for e in self.entries}
        if name.casefold() not in taken:
            return name
        n = 2
        while f"{name} {n}".casefold() in taken:
            n += 1
        return f"{name} {n}"

    def _free_colour(self, reserved: frozenset[str] = frozenset()) -> str:
        """The first palette colour no scenario wears (nor is reserved); after all seven, the least worn one."""
        worn = [e.colour for e in self.entries]
        for colour in PALETTE:
            if colour not in worn and colour not in reserved:
                return colour
        return min(PALETTE, key=lambda c: (worn.count(c), PALETTE.index(c)))


__all__ = ["BASELINE_COLOUR", "BASELINE_ID", "BASELINE_NAME", "PALETTE", "Entry", "ScenarioSet"]
