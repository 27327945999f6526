"""The one open workspace, as Qt sees it: a thin adapter over `WorkspaceState`.

Every widget binds to this object and nothing else. A user action calls
`change()` once; the pure state (`planner.scenario.workspace`) records one
undo step and says what changed; this adapter emits `scenarioChanged(Change)`
once and runs the computation the state asks for on the worker
(`planner.ui.concurrent.Worker`). The model runs through the open files'
`ModelSession`, the same road `planner simulate` takes, so the window's
figures are the CLI's for the same scenario and seed.

Coarse then fine: while the user drags the slider, the scenario is simulated
with `coarse_paths` (fast, a little noisy); once the user pauses for
`fine_delay_ms`, the same scenario is simulated again with `paths` and the
charts settle on it. Both runs use the same seed as the baseline at the same
path count (common random numbers), so the scenario-minus-baseline
differences stay smooth even at the coarse level.

Look-ahead: once a result for the current scenario is on screen and the
worker is idle, the previews a brand-share drag can reach next are computed
one small task at a time, ahead of a drag first, so a drag finds its preview
cached and a move costs only the paint. A user's job waits for one such task
at most; the work is not reported as busy (nobody asked for it) and its
results are cached, never shown. See `WorkspaceState.next_lookahead` and
`Worker.submit_background`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from planner.errors import InputError
from planner.io.types import Budget, Deals
from planner.scenario.collection import ScenarioSet
from planner.scenario.document import Scenario
from planner.scenario.edits import baseline_of
from planner.scenario.history import History
from planner.scenario.workspace import Change, Job, Results, Step, WorkspaceState
from planner.ui.concurrent import Done, Worker

if TYPE_CHECKING:
    # The model pulls in scipy (about a second to import); it is imported by
    # the worker on first use, so the window can show before it is loaded.
    from planner.model.calibrate import SourceStats
    from planner.model.noise_band import PathFigures
    from planner.model.session import ModelSession


class _Sessions:
    """The model session of the open files, created on first use by whichever thread needs it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: tuple[int, ModelSession] | None = None
        self._baselines: dict[tuple, PathFigures] = {}

    def get(self, version: int, budget: Budget, deals: Deals) -> ModelSession:
        from planner.model.session import ModelSession

        with self._lock:
            if self._current is not None and self._current[0] == version:
                return self._current[1]
            session = ModelSession(budget, deals)
            if self._current is None or self._current[0] < version:
                self._current = (version, session)  # an older job never replaces a newer session
                self._baselines = {}
            return session

    def baseline_figures(
        self, session: ModelSession, baseline: Scenario, paths: int, seed: int, *, preview: bool = False
    ) -> PathFigures:
        """The baseline's per-path figures, simulated once per baseline and path count (a drag reuses them)."""
        from planner.model.noise_band import path_figures

        key = (id(session), baseline, paths, seed, preview)
        with self._lock:
            found = self._baselines.get(key)
        if found is None:
            found = path_figures(session.simulate(baseline, paths, seed, preview=preview))
            with self._lock:
                if len(self._baselines) > 8:
                    self._baselines.clear()
                self._baselines[key] = found
        return found


@dataclass(frozen=True)
class UiResults(Results):
    """Results plus what the KPI strip needs to tell a change from simulation noise."""

    standard_errors: dict[str, float] = field(default_factory=dict)  # KPI field -> SE of the difference


def compute_results(
    session: Callable[[], ModelSession],
    job: Job,
    seed: int,
    progress: object = None,
    cancel: object = None,
    *,
    sessions: _Sessions | None = None,
) -> Results:
    """The worker body: the scenario and its baseline through the model session. No Qt.

    With `sessions` (the window's), the result also carries the Monte Carlo
    standard error of each KPI difference (`planner.model.noise_band`).
    """
    from planner.model.noise_band import path_figures, standard_errors

    started = time.perf_counter()
    model = session()
    result, kpis, baseline = model.compare(
        job.scenario, job.paths, seed, known_baseline=job.baseline, preview=job.coarse
    )
    errors: dict[str, float] = {}
    if sessions is not None:
        base_scenario = baseline_of(job.scenario)
        mine = path_figures(result)
        theirs = mine if base_scenario == job.scenario else sessions.baseline_figures(
            model, base_scenario, job.paths, seed, preview=job.coarse
        )
        errors = standard_errors(mine, theirs)
    return UiResults(
        calibration=model.calibration(job.scenario),
        scenario_kpis=kpis,
        baseline_kpis=baseline,
        scenario=job.scenario,
        paths=job.paths,
        labels=tuple(result.labels),
        seconds=time.perf_counter() - started,
        standard_errors=errors,
    )


class Workspace(QObject):
    """Holds the budget, the deals, the Scenario document and its results."""

    dataLoaded = Signal()
    scenarioChanged = Signal(object)  # Change: which parts of the document changed
    resultsReady = Signal()
    busyChanged = Signal(bool)
    errorRaised = Signal(str)  # a file or action failed: one line, shown as an error
    noticeRaised = Signal(str)  # information for the status bar, not an error
    staleChanged = Signal(bool)  # True: the results on screen are not for the current document
    savedChanged = Signal()  # the document was saved or opened: `is_modified` may have changed

    STALE_GRACE_MS = 300
    """How long a result for the previous scenario may stay on screen undimmed while the
    new one computes (a coarse result normally arrives within a few milliseconds)."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        paths: int = 10_000,
        coarse_paths: int | None = 1_000,
        fine_delay_ms: int = 250,
        seed: int = 0,
        lookahead: bool = True,
    ) -> None:
        super().__init__(parent)
        self._state = WorkspaceState(paths=paths, coarse_paths=coarse_paths, seed=seed, lookahead=lookahead)
        self._ahead_job: Job | None = None  # the look-ahead preview the worker is computing
        self._sessions = _Sessions()
        self._source_stats: list[SourceStats] = []
        self._source_stats_key: tuple | None = None
        self._busy = False
        self._stale = False

        self._worker = Worker(self, keep_stale=True)  # stale results are cached for undo
        self._worker.finished.connect(self._on_done)
        self._worker.busyChanged.connect(self._set_busy)

        self._fine_timer = QTimer(self)
        self._fine_timer.setSingleShot(True)
        self._fine_timer.setInterval(max(0, int(fine_delay_ms)))
        self._fine_timer.timeout.connect(lambda: self._do(self._state.fine_step()))

        self._stale_timer = QTimer(self)
        self._stale_timer.setSingleShot(True)
        self._stale_timer.setInterval(self.STALE_GRACE_MS)
        self._stale_timer.timeout.connect(lambda: self._check_stale(now=True))

    # ---------------------------------------------------------------- state
    @property
    def state(self) -> WorkspaceState:
        """The pure state behind this adapter (read it; change it through the actions below)."""
        return self._state

    @property
    def budget(self) -> Budget | None:
        """The budget as imported (the baseline plan)."""
        return self._state.budget

    @property
    def deals(self) -> Deals | None:
        return self._state.deals

    @property
    def files(self) -> tuple[str, ...]:
        return self._state.files

    @property
    def scenario(self) -> Scenario:
        """The current document value."""
        return self._state.scenario

    @property
    def scenarios(self) -> ScenarioSet:
        """Baseline and the named scenarios; `scenario` is its current entry."""
        return self._state.scenarios

    @property
    def is_modified(self) -> bool:
        """Changed since the scenarios were last saved or opened."""
        return self._state.is_modified

    def mark_saved(self) -> None:
        """The scenarios as they are now are on disk (the title bar loses its mark)."""
        self._state.mark_saved()
        self.savedChanged.emit()

    def mark_unsaved(self) -> None:
        """Nothing on disk holds this state (restored from an autosave): the title keeps its mark."""
        self._state.mark_unsaved()
        self.savedChanged.emit()

    @property
    def history(self) -> History[ScenarioSet]:
        return self._state.history

    @property
    def effective_budget(self) -> Budget | None:
        """The budget with the scenario's edits applied (what the table shows)."""
        return self._state.effective_budget

    @property
    def session(self) -> ModelSession:
        """The model session of the open files (the one the worker runs); needs data."""
        return self.session_factory()()

    def session_factory(self) -> Callable[[], ModelSession]:
        """A callable, safe on any thread, returning the model session of the files open now.

        Workers call it, so the model (and scipy) is imported off the UI thread.
        """
        state = self._state
        if state.budget is None or state.deals is None:
            raise RuntimeError("no files are open")
        return partial(self._sessions.get, state.data_version, state.budget, state.deals)

    @property
    def source_stats(self) -> list[SourceStats]:
        """Per-lead-source win rates, with the user's class overrides applied."""
        if self._state.deals is None:
            return []
        key = (self._state.data_version, self.scenario.source_classes)
        if self._source_stats_key != key:
            self._source_stats = self.session.source_stats(self.scenario)
            self._source_stats_key = key
        return self._source_stats

    @property
    def results(self) -> Results | None:
        """The results on screen: `results.scenario` says which document they belong to.

        While a recompute runs this is still the previous result (the charts
        keep showing it, with "Computing…" in the status bar); a result for a
        scenario that is no longer current is never put here. None before the
        first result for the open files.
        """
        return self._state.results

    @property
    def currency(self) -> str | None:
        """The currency the figures are in: the budget's, else the CRM export's."""
        return self._state.currency

    @property
    def paths(self) -> int:
        """Monte Carlo paths of the settled (fine) result."""
        return self._state.paths

    @property
    def fine_delay_ms(self) -> int:
        """How long the scenario must stay unchanged before the fine run starts."""
        return self._fine_timer.interval()

    @property
    def seed(self) -> int:
        return self._state.seed

    @property
    def is_busy(self) -> bool:
        return self._busy

    @property
    def is_settled(self) -> bool:
        """True when the shown results are the fine ones for the current scenario."""
        return self._state.is_settled

    @property
    def lookahead_pending(self) -> bool:
        """Look-ahead previews for the current sweep are still being computed (see the module docstring)."""
        return self._ahead_job is not None or self._state.lookahead_planned

    def set_lookahead(self, enabled: bool) -> None:
        """Turn the look-ahead on or off (off: a preview is computed only when the slider gets there)."""
        self._state.set_lookahead(enabled)
        self._look_ahead()

    @property
    def is_stale(self) -> bool:
        """True when `results` belong to another scenario and must be shown as not current:
        its computation failed, or it is still running after `STALE_GRACE_MS`."""
        return self._stale

    @property
    def failed(self) -> bool:
        """True when the last computation for the current document failed."""
        return self._state.failed

    def has_data(self) -> bool:
        return self._state.has_data()

    # -------------------------------------------------------------- actions
    def load(self, budget: Budget, deals: Deals, files: tuple[str, ...] = (),
             scenarios: ScenarioSet | None = None) -> None:
        """Replace the data; the history starts again from `scenarios` (opened from a file) or a fresh set."""
        change = self._state.load(budget, deals, files, scenarios)
        self._source_stats_key = None
        self._check_stale()
        self.dataLoaded.emit()
        self.scenarioChanged.emit(change)
        self.savedChanged.emit()
        self._schedule()

    def change(self, new_scenario: Scenario, label: str, *, merge: bool = False) -> bool:
        """One undoable document change; False (and no signal) when nothing changed.

        `merge=True` folds consecutive changes with the same label into one
        undo step (a slider drag is one step, not a hundred); call
        `end_gesture()` when the gesture ends.
        """
        change = self._state.change(new_scenario, label, merge=merge)
        if change is None:
            return False
        self._after_document_change(change)
        return True

    def change_scenarios(self, new: ScenarioSet, label: str) -> bool:
        """One undoable change of the list (add, duplicate, rename, delete, move, switch); False when equal."""
        change = self._state.change_scenarios(new, label)
        if change is None:
            return False
        self._after_document_change(change)
        return True

    def end_gesture(self) -> None:
        """Close a merged gesture so the next change is its own undo step."""
        self._state.end_gesture()

    def undo(self) -> None:
        change = self._state.undo()
        if change is not None:
            self._after_document_change(change)

    def redo(self) -> None:
        change = self._state.redo()
        if change is not None:
            self._after_document_change(change)

    def can_undo(self) -> bool:
        return self._state.history.can_undo()

    def can_redo(self) -> bool:
        return self._state.history.can_redo()

    def recompute(self) -> None:
        """Compute the current scenario again (e.g. after the path count changed)."""
        self._state.forget_results()
        self._check_stale()
        self._schedule()

    def set_paths(self, paths: int, coarse_paths: int | None = None) -> None:
        """Change the Monte Carlo path counts (settings) and recompute."""
        self._state.set_paths(paths, coarse_paths)
        self._check_stale()
        self._schedule()

    def show_results(self, results: Results) -> None:
        """Put `results` on screen as they are (what the worker hands over; tests use it to
        show figures the model can produce but the test data does not)."""
        self._state.show(results)
        self._check_stale()
        self.resultsReady.emit()

    def shutdown(self, timeout_ms: int = 30_000) -> None:
        """Stop scheduling and wait for the worker: call before the app quits."""
        self._state.set_lookahead(False)
        self._fine_timer.stop()
        self._stale_timer.stop()
        self._worker.wait(timeout_ms)

    # ------------------------------------------------------------ internals
    def _after_document_change(self, change: Change) -> None:
        # The job goes to the worker before the panels follow the document: the model
        # then runs (mostly outside the GIL) while the UI thread updates the controls,
        # instead of after them. A cached result is still shown after the panels have
        # seen the change, as before.
        step = self._plan()
        self._do(replace(step, show=None, fine_later=False))
        self.scenarioChanged.emit(change)
        self._do(replace(step, compute=None))
        self._check_stale()

    def _check_stale(self, *, now: bool = False) -> None:
        """Mark the shown results as not current: at once after a failure, else after the grace."""
        if not self._state.shows_other_document():
            self._stale_timer.stop()
            self._set_stale(False)
        elif now or self._state.failed:
            self._stale_timer.stop()
            self._set_stale(True)
        elif not self._stale and not self._stale_timer.isActive():
            self._stale_timer.start()

    def _set_stale(self, stale: bool) -> None:
        if stale != self._stale:
            self._stale = stale
            self.staleChanged.emit(stale)

    def _schedule(self) -> None:
        """Start (or queue) the computation for the current scenario."""
        self._do(self._plan())

    def _plan(self) -> Step:
        """What to do for the current scenario: a new generation, a cached result or a job."""
        self._fine_timer.stop()
        if not self._state.has_data():
            self._state.generation += 1
            self._set_busy(False)
            return Step()
        return self._state.next_step()

    def _do(self, step: Step) -> None:
        if step.show is not None:
            self.show_results(step.show)
        if step.compute is not None:
            task = partial(
                compute_results, self.session_factory(), step.compute, self._state.seed, sessions=self._sessions
            )
            self._worker.submit(task, tag=step.compute)
        if step.fine_later:
            self._fine_timer.start()
        self._look_ahead()

    def _look_ahead(self) -> None:
        """Start the next look-ahead preview if the worker is idle and the scenario has settled."""
        if not self._worker.is_idle():
            return
        job = self._state.next_lookahead()
        if job is None:
            return
        task = partial(compute_results, self.session_factory(), job, self._state.seed, sessions=self._sessions)
        self._worker.submit_background(task, tag=job)
        self._ahead_job = job

    def _on_done(self, done: Done) -> None:
        job: Job = done.tag
        if job is self._ahead_job:
            self._ahead_job = None
        if done.error is not None:
            if self._state.reject(job):
                self._check_stale(now=True)  # the previous numbers must not pass for this scenario
                self.errorRaised.emit(_one_line(done.error))
            return
        self._do(self._state.accept(job, done.value))

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, InputError):
        return exc.message
    text = " ".join(str(exc).split())
    return f"Could not compute this scenario ({type(exc).__name__}: {text})"


__all__ = ["Change", "Results", "UiResults", "Workspace", "baseline_of", "compute_results"]
