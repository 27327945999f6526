"""The open workspace as plain data and rules: files, document history, results and staleness.

No Qt and no threads here: `planner.ui.workspace.Workspace` is a thin adapter
that adds the timers, the worker and the signals. Everything it decides --
what a change means, whether a cached result can be shown at once, which
computation to start, whether a result that comes back may be shown -- is
decided here, so those rules are tested without a widget
(tests/scenario/test_workspace_state.py).

The document is a `ScenarioSet` (Baseline plus named scenarios): the scenario
on screen is the set's current entry, an edit changes that entry, and every
set operation (add, duplicate, rename, delete, reorder, switch) is one undo
step like any edit. A fresh workspace holds the Baseline and a working
"Scenario" equal to it, so the first slider move has somewhere to go; an edit
of spend while the Baseline itself is selected forks a new scenario instead of
being lost (the Baseline is the files' own plan by definition).

Results are keyed by (data version, scenario without its name, paths): the
figures do not depend on the name, so a drag that forks a working scenario
from the Baseline finds what was computed under "Baseline". A generation
counter goes up with every document change; a result computed for an older
generation is cached (the user may come back to it with undo) but never put
on screen as the current one.

Look-ahead: once a result for the current scenario is on screen,
`next_lookahead` hands out, one at a time, the coarse previews a brand-share
drag can reach next (the slider's integer positions, nearest first). They go
into their own bounded store, so speculative work never pushes the user's
history out of the cache, and a drag then shows its preview at once. A move of
the slider only reorders what is left (the positions ahead of the drag first);
any other document change stops it.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass, fields, replace
from typing import Any

from planner.io.types import Budget, Deals
from planner.scenario.collection import BASELINE_ID, ScenarioSet
from planner.scenario.document import Scenario, apply_to_budget
from planner.scenario.edits import SLIDER_POSITIONS, baseline_of, with_slider_share
from planner.scenario.history import History

# The model sits above this package (it imports the Scenario document), so its values are
# held here without importing it: Calibration is planner.model.calibrate.Calibration, Kpis is
# planner.model.kpi.Kpis.
Calibration = Any
Kpis = Any

_SPEND_FIELDS = frozenset({"brand_share", "total_scale", "line_scales", "cell_edits"})
WORKING_NAME = "Scenario"  # the working scenario a fresh workspace starts with


def _unnamed(scenario: Scenario) -> Scenario:
    """What the figures depend on: everything but the name (a test compares the figures under two names)."""
    return replace(scenario, name="")


def _sweep(scenario: Scenario) -> Scenario:
    """What the scenarios one slider drag can reach have in common: all but the name and the brand share."""
    return replace(scenario, name="", brand_share=None)


def fresh_scenarios() -> ScenarioSet:
    """Baseline plus a working scenario equal to it (current): where the first edit goes."""
    return ScenarioSet().add(Scenario(name=WORKING_NAME))


def _outline(scenarios: ScenarioSet) -> tuple[str, tuple[tuple[str, str, str, str], ...]]:
    """The list as the scenario bar shows it (not the scenarios' contents)."""
    return (scenarios.current, tuple((e.id, e.name, e.colour, e.notes) for e in scenarios))


@dataclass(frozen=True)
class Change:
    """What differs between two documents, so each panel redraws only what it shows."""

    spend: bool = False  # brand share, total, line scales or cell edits
    horizon: bool = False
    lines: bool = False  # a budget line re-classified
    sources: bool = False  # a lead source re-classified
    assumptions: bool = False
    data: bool = False  # other files were opened
    name: bool = False
    scenarios: bool = False  # the list of scenarios: names, order, colours, notes or which one is current

    @classmethod
    def between(cls, old: Scenario, new: Scenario) -> Change:
        differs = {f.name for f in fields(Scenario) if getattr(old, f.name) != getattr(new, f.name)}
        return cls(
            spend=bool(differs & _SPEND_FIELDS),
            horizon="months" in differs,
            lines="line_classes" in differs,
            sources="source_classes" in differs,
            assumptions="assumptions" in differs,
            name="name" in differs,
        )

    @classmethod
    def between_sets(cls, old: ScenarioSet, new: ScenarioSet) -> Change:
        """What differs between two workspaces: the current scenario's parts, and the list itself."""
        change = cls.between(old.active.scenario, new.active.scenario)
        if _outline(old) != _outline(new):
            change = replace(change, scenarios=True)
        return change

    @classmethod
    def everything(cls) -> Change:
        """New files: every panel starts again."""
        return cls(**{f.name: True for f in fields(cls)})

    @property
    def any(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    @property
    def model(self) -> bool:
        """The calibration changes (the data or its corrections, or the assumptions)."""
        return self.data or self.lines or self.sources or self.assumptions

    @property
    def budget(self) -> bool:
        """The effective budget (what the budget table shows) changes."""
        return self.data or self.spend or self.lines


@dataclass(frozen=True)
class Results:
    """What the charts show: scenario and baseline KPIs for one scenario value."""

    calibration: Calibration
    scenario_kpis: Kpis
    baseline_kpis: Kpis
    scenario: Scenario
    paths: int
    labels: tuple[str, ...] = ()  # "YYYY-MM" of each simulated month
    seconds: float = 0.0  # wall time of the worker run


@dataclass(frozen=True)
class Job:
    """One computation to run off the UI thread: a scenario at a path count."""

    generation: int
    data_version: int
    scenario: Scenario
    paths: int
    baseline: Kpis | None  # when already known for this baseline and path count
    coarse: bool = False  # a quick run while the user drags: the figures the slider moves, nothing more
    lookahead: bool = False  # a preview nobody asked for yet: cached, never shown, never a failure to report


@dataclass(frozen=True)
class Step:
    """What the adapter does next: show a cached result, start a job, and/or start the fine timer."""

    show: Results | None = None
    compute: Job | None = None
    fine_later: bool = False


class WorkspaceState:
    """Files, the Scenario history, the results cache and the rules that tie them together."""

    CACHE_SIZE = 64
    LOOKAHEAD_SIZE = 2 * len(SLIDER_POSITIONS)
    """Look-ahead previews kept: the sweep around the settled scenario and the one before it
    (e.g. a horizon toggled back and forth costs no second sweep)."""

    def __init__(self, *, paths: int = 10_000, coarse_paths: int | None = 1_000, seed: int = 0,
                 lookahead: bool = True) -> None:
        self.paths = int(paths)
        self.coarse_paths = self._coarse(coarse_paths, self.paths)
        self.seed = int(seed)
        self.lookahead = bool(lookahead)  # compute the previews a drag can reach while idle
        self.budget: Budget | None = None
        self.deals: Deals | None = None
        self.files: tuple[str, ...] = ()
        self.history: History[ScenarioSet] = History(fresh_scenarios())
        self._saved: ScenarioSet | None = self.history.current  # the value last saved to (or opened from) a file
        self.data_version = 0
        self.generation = 0
        self.results: Results | None = None  # on screen
        self.failed = False  # the last computation for the current document failed
        self._merge_label: str | None = None
        self._effective: tuple[Scenario, Budget] | None = None
        self._baselines: dict[tuple[int, Scenario, int], Kpis] = {}
        self._cache: OrderedDict[tuple[int, Scenario, int], Results] = OrderedDict()
        self._previews: OrderedDict[tuple[int, Scenario, int], Results] = OrderedDict()  # look-ahead results
        self._ahead: deque[Scenario] = deque()  # look-ahead scenarios still to hand out, nearest first
        self._ahead_for: tuple[int, Scenario, int] | None = None  # the sweep they belong to (`_sweep`)
        self._ahead_at = 0  # the slider position they are ordered around

    @staticmethod
    def _coarse(coarse: int | None, paths: int) -> int | None:
        return int(coarse) if coarse and coarse < paths else None

    # ---------------------------------------------------------------- reading
    @property
    def scenario(self) -> Scenario:
        """The scenario on screen: the current entry of the workspace's set."""
        return self.history.current.active.scenario

    @property
    def scenarios(self) -> ScenarioSet:
        """Baseline and the named scenarios, with the one on screen marked current."""
        return self.history.current

    @property
    def is_modified(self) -> bool:
        """The scenarios differ from what was last saved or opened (undo back to it: not modified)."""
        return self.history.current != self._saved

    def mark_saved(self) -> None:
        """The scenarios as they are now were written to a file."""
        self._saved = self.history.current

    def mark_unsaved(self) -> None:
        """Nothing on disk holds this state (work restored from an autosave)."""
        self._saved = None

    def has_data(self) -> bool:
        return self.budget is not None and self.deals is not None

    @property
    def currency(self) -> str | None:
        """The currency the figures are in: the budget's, else the CRM export's."""
        if self.budget is not None and self.budget.currency:
            return self.budget.currency
        if self.deals is not None and self.deals.currency:
            return self.deals.currency
        return None

    @property
    def effective_budget(self) -> Budget | None:
        """The budget with the scenario's edits applied (computed once per document value)."""
        if self.budget is None:
            return None
        scenario = self.scenario
        if self._effective is None or self._effective[0] != scenario:
            self._effective = (scenario, apply_to_budget(self.budget, scenario))
        return self._effective[1]

    @property
    def is_settled(self) -> bool:
        """The results on screen are the fine ones for the current document."""
        r = self.results
        return r is not None and r.scenario == self.scenario and r.paths == self.paths

    def shows_other_document(self) -> bool:
        """The results on screen belong to another document (they must not pass for this one)."""
        return self.results is not None and self.results.scenario != self.scenario

    def cached(self, scenario: Scenario, paths: int) -> Results | None:
        """A result with `scenario`'s figures, labelled as `scenario` (it may have been computed under another name)."""
        key = self._key(scenario, paths)
        found = self._cache.get(key)
        if found is None:
            found = self._previews.get(key)
        if found is not None and found.scenario != scenario:
            found = replace(found, scenario=scenario)  # the charts check which scenario they show
        return found

    @property
    def lookahead_planned(self) -> bool:
        """Look-ahead previews are still to be handed out for the current sweep."""
        return bool(self._ahead)

    # ---------------------------------------------------------------- changing
    def load(self, budget: Budget, deals: Deals, files: tuple[str, ...] = (),
             scenarios: ScenarioSet | None = None) -> Change:
        """Replace the data; the history starts again from `scenarios` (a scenario file's) or a fresh set."""
        self.budget, self.deals = budget, deals
        self.files = tuple(str(f) for f in files)
        self.data_version += 1
        self.history.reset(scenarios if scenarios is not None else fresh_scenarios(), "Open")
        self._saved = self.history.current
        self._merge_label = None
        self._effective = None
        self.forget_results()
        return Change.everything()

    def change(self, new: Scenario, label: str, *, merge: bool = False) -> Change | None:
        """One undoable edit of the current scenario; None when nothing changed. `merge` folds a gesture into one step."""
        if new == self.scenario:
            return None
        return self.change_scenarios(self._with_current(new), label, merge=merge)

    def change_scenarios(self, new: ScenarioSet, label: str, *, merge: bool = False) -> Change | None:
        """One undoable change of the workspace (an edit, or add/duplicate/rename/delete/move/select)."""
        old = self.scenarios
        if new == old:
            return None
        if merge and self._merge_label == label and self.history.can_undo():
            self.history.replace_current(new)
        else:
            self.history.push(new, label)
        self._merge_label = label if merge else None
        self.failed = False
        return Change.between_sets(old, new)

    def _with_current(self, new: Scenario) -> ScenarioSet:
        """The set with `new` as the current entry; a spend edit of the Baseline forks a scenario."""
        scenarios = self.scenarios
        if scenarios.current == BASELINE_ID:
            kept = scenarios.update(BASELINE_ID, new).active.scenario
            if replace(kept, name=new.name) != new:  # the Baseline would drop the edit: fork instead
                return scenarios.add(replace(new, name=WORKING_NAME))
        return scenarios.update(scenarios.current, new)

    def end_gesture(self) -> None:
        self._merge_label = None

    def undo(self) -> Change | None:
        return self._move(self.history.can_undo(), self.history.undo)

    def redo(self) -> Change | None:
        return self._move(self.history.can_redo(), self.history.redo)

    def _move(self, possible: bool, move: Any) -> Change | None:
        if not possible:
            return None
        old = self.scenarios
        self._merge_label = None
        move()
        self.failed = False
        return Change.between_sets(old, self.scenarios)

    def forget_results(self) -> None:
        """Drop every result (new data or a new path count): the next step computes afresh."""
        self._baselines.clear()
        self._cache.clear()
        self._previews.clear()
        self.stop_lookahead()
        self.results = None
        self.failed = False

    def set_paths(self, paths: int, coarse_paths: int | None = None) -> None:
        self.paths = int(paths)
        self.coarse_paths = self._coarse(coarse_paths, self.paths)
        self.forget_results()

    # ---------------------------------------------------------------- computing
    def next_step(self) -> Step:
        """After a document change: a new generation, and a cached result or a job to run."""
        self.generation += 1
        self._follow_lookahead()
        if not self.has_data():
            return Step()
        scenario = self.scenario
        fine = self.cached(scenario, self.paths)
        if fine is not None:  # undo/redo to a state already computed: instant and exact
            return Step(show=fine)
        if self.coarse_paths is None:
            return Step(compute=self._job(scenario, self.paths))
        coarse = self.cached(scenario, self.coarse_paths)
        if coarse is not None:
            return Step(show=coarse, fine_later=True)
        return Step(compute=self._job(scenario, self.coarse_paths))

    def fine_step(self) -> Step:
        """When the user paused: the settled result for the current document."""
        if not self.has_data() or self.is_settled:
            return Step()
        fine = self.cached(self.scenario, self.paths)
        if fine is not None:
            return Step(show=fine)
        return Step(compute=self._job(self.scenario, self.paths))

    def accept(self, job: Job, results: Results) -> Step:
        """A job's results came back: cache them, and say whether to show them."""
        if job.data_version != self.data_version:
            return Step()  # computed for files that are no longer open
        self._baselines[self._key(baseline_of(job.scenario), job.paths)] = results.baseline_kpis
        if job.lookahead:
            self._remember(results, self._previews, self.LOOKAHEAD_SIZE)
            return Step()  # for a drag to find; the user's own job (if any) shows the current scenario
        self._remember(results, self._cache, self.CACHE_SIZE)
        if job.generation != self.generation or job.scenario != self.scenario:
            return Step()  # the user has moved on; cached in case they come back
        shown = self.results
        if shown is not None and shown.scenario == job.scenario and shown.paths > job.paths:
            return Step()  # never replace a fine result with a coarse one
        return Step(show=results, fine_later=job.paths != self.paths)

    def reject(self, job: Job) -> bool:
        """A job failed: True when it was for the current document (the failure must be shown)."""
        if job.lookahead:
            self._ahead.clear()  # no more for this sweep: the user's own job will meet (and report) it
            return False
        if job.data_version != self.data_version or job.generation != self.generation:
            return False
        self.failed = True
        return True

    def show(self, results: Results) -> None:
        self.results = results
        self.failed = False

    # ---------------------------------------------------------------- look-ahead
    def next_lookahead(self) -> Job | None:
        """The next coarse preview a brand-share drag from the current scenario can reach; None when done.

        Planned once a result for the current scenario is on screen, once per
        sweep (the scenarios that differ only in brand share), positions nearest
        the slider first; previews already cached are skipped, so coming back
        to an earlier sweep costs nothing.
        """
        coarse = self.coarse_paths
        if (not self.lookahead or coarse is None or not self.has_data() or self.results is None
                or self.shows_other_document()):
            return None
        sweep = (self.data_version, _sweep(self.scenario), coarse)
        if self._ahead_for != sweep:
            self._ahead_for = sweep
            self._ahead_at = self._position()
            self._ahead = deque(self._reachable())
        while self._ahead:
            scenario = self._ahead.popleft()
            if self.cached(scenario, coarse) is None:
                return self._job(scenario, coarse, lookahead=True)
        return None

    def stop_lookahead(self) -> None:
        """Hand out no more look-ahead previews until a result for the (new) current scenario shows."""
        self._ahead.clear()
        self._ahead_for = None

    def _follow_lookahead(self) -> None:
        """After a document change: a slider move keeps the sweep, ahead of the drag first; else stop."""
        if self._ahead_for != (self.data_version, _sweep(self.scenario), self.coarse_paths):
            self.stop_lookahead()
            return
        here, before = self._position(), self._ahead_at
        self._ahead_at = here
        if here == before:
            return
        forward, stride = here > before, abs(here - before)

        def order(scenario: Scenario) -> tuple[bool, bool, int]:
            # ahead of the drag first, and among those the positions its step lands on
            share = scenario.brand_share if scenario.brand_share is not None else 0.0
            position = round(share * 100)
            return ((position > here) != forward, abs(position - here) % stride != 0, abs(position - here))

        self._ahead = deque(sorted(self._ahead, key=order))

    def set_lookahead(self, enabled: bool) -> None:
        self.lookahead = bool(enabled)
        if not enabled:
            self.stop_lookahead()

    def _reachable(self) -> list[Scenario]:
        """The scenarios the slider can move to from here, nearest position first, alternating outward.

        Each is made as a slider move makes it (`edits.with_slider_share`, then
        the same fork of the Baseline as `change`), so its cache key is exactly
        what the drag will look up.
        """
        here = self._position()
        found: list[Scenario] = []
        for position in sorted(SLIDER_POSITIONS, key=lambda p: (abs(p - here), p < here)):
            edited = with_slider_share(self.scenario, position)
            scenario = self._with_current(edited).active.scenario
            if _unnamed(scenario) != _unnamed(self.scenario):  # not where the slider already is
                found.append(scenario)
        return found

    def _position(self) -> int:
        """Where the slider stands for the current scenario (the budget's own split when it has none)."""
        share = self.scenario.brand_share
        if share is None:
            effective = self.effective_budget
            share = effective.brand_share if effective is not None else 0.0
        return min(max(round(share * 100), SLIDER_POSITIONS[0]), SLIDER_POSITIONS[-1])

    # ---------------------------------------------------------------- internals
    def _key(self, scenario: Scenario, paths: int) -> tuple[int, Scenario, int]:
        """The cache key: the name is no part of it (the figures do not depend on it)."""
        return (self.data_version, _unnamed(scenario), paths)

    def _job(self, scenario: Scenario, paths: int, *, lookahead: bool = False) -> Job:
        baseline = self._baselines.get(self._key(baseline_of(scenario), paths))
        return Job(self.generation, self.data_version, scenario, paths, baseline, coarse=paths < self.paths,
                   lookahead=lookahead)

    def _remember(self, results: Results, store: OrderedDict[tuple[int, Scenario, int], Results], size: int) -> None:
        key = self._key(results.scenario, results.paths)
        store[key] = results
        store.move_to_end(key)
        while len(store) > size:
            store.popitem(last=False)


__all__ = ["WORKING_NAME", "Change", "Job", "Results", "Step", "WorkspaceState", "fresh_scenarios"]
