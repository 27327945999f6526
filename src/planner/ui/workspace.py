"""The one open workspace: data, the Scenario document, undo history, results.

Every widget binds to this object and nothing else. A user action calls
`change()` once; that records one undo step, emits `scenarioChanged` once and
schedules one recompute in a worker thread. Results carry the scenario they
were computed for, and a generation counter drops any result that arrives
for a scenario that is no longer current, so a stale figure is never shown
as the current one.

Coarse then fine: while the user drags the slider, the scenario is simulated
with `coarse_paths` (fast, a little noisy); once the user pauses for
`fine_delay_ms`, the same scenario is simulated again with `paths` and the
charts settle on it. Both runs use the same seed as the baseline at the same
path count (common random numbers), so the scenario-minus-baseline
differences stay smooth even at the coarse level.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from planner.errors import InputError
from planner.io.types import Budget, Deals
from planner.scenario.document import Scenario, apply_to_budget, replace_scenario
from planner.scenario.history import History

if TYPE_CHECKING:
    # The model pulls in scipy (about a second to import); it is imported by
    # the worker on first use, so the window can show before it is loaded.
    from planner.model.calibrate import Calibration, SourceStats
    from planner.model.kpi import Kpis
    from planner.model.simulate import Noise, Result


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


@dataclass(frozen=True)
class _Job:
    generation: int
    data_version: int
    scenario: Scenario
    paths: int
    baseline: Kpis | None  # when already known for this baseline and path count


@dataclass(frozen=True)
class _Outcome:
    calibration: Calibration
    scenario_kpis: Kpis
    baseline_kpis: Kpis
    labels: tuple[str, ...]
    seconds: float


def _model_key(scenario: Scenario) -> tuple:
    """What calibration depends on: the user's corrections of the data and the assumptions."""
    return (scenario.line_classes, scenario.source_classes, scenario.assumptions)


class _Engine:
    """The model calls of one worker run, with the caches that make a slider drag cheap.

    It does what `planner.model.pipeline.run` does (prepare, simulate, KPIs),
    split so the calibration of the current files and assumptions and the
    random draws are computed once and re-used while only spend changes.
    With the same seed the numbers are identical to `pipeline.run`'s, which
    is what `planner simulate` prints (tests/ui/test_window_workspace.py).
    Only ever used from the single worker thread.
    """

    def __init__(self) -> None:
        self._prepared: dict[tuple, tuple[Budget, Calibration]] = {}
        self._noise: dict[tuple[int, int, int, int], Noise] = {}

    def clear(self) -> None:
        self._prepared.clear()
        self._noise.clear()

    def prepared(self, data_version: int, budget: Budget, deals: Deals, scenario: Scenario) -> tuple[Budget, Calibration]:
        key = (data_version, _model_key(scenario))
        found = self._prepared.get(key)
        if found is None:
            from planner.model.pipeline import prepare

            if len(self._prepared) > 8:
                self._prepared.clear()
            found = self._prepared[key] = prepare(budget, deals, scenario)
        return found

    def simulate(self, base: Budget, calibration: Calibration, scenario: Scenario, paths: int, seed: int) -> Result:
        from planner.model.simulate import draw_noise, simulate

        key = (seed, len(calibration.streams), int(scenario.months), paths)
        noise = self._noise.get(key)
        if noise is None:
            if len(self._noise) > 6:
                self._noise.clear()
            noise = self._noise[key] = draw_noise(seed, key[1], key[2], paths)
        sim_scenario = replace_scenario(scenario, line_classes=())  # as pipeline.run: base has them
        return simulate(calibration, base, sim_scenario, paths=paths, seed=seed, noise=noise)


class _Signals(QObject):
    """Carries a worker's outcome back to the UI thread (queued connection)."""

    done = Signal(object, object)  # _Job, _Outcome | BaseException


class Workspace(QObject):
    """Holds the budget, the deals, the Scenario document and its results."""

    dataLoaded = Signal()
    scenarioChanged = Signal()
    resultsReady = Signal()
    busyChanged = Signal(bool)
    errorRaised = Signal(str)  # a file or action failed: one line, shown as an error
    noticeRaised = Signal(str)  # information for the status bar, not an error
    staleChanged = Signal(bool)  # True: the results on screen are not for the current document

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
    ) -> None:
        super().__init__(parent)
        self._paths = int(paths)
        self._coarse = int(coarse_paths) if coarse_paths and coarse_paths < paths else None
        self._seed = int(seed)
        self._budget: Budget | None = None
        self._deals: Deals | None = None
        self._files: tuple[str, ...] = ()
        self._history: History[Scenario] = History(Scenario())
        self._merge_label: str | None = None
        self._source_stats: list[SourceStats] = []
        self._source_stats_key: tuple | None = None
        self._effective: tuple[Scenario, Budget] | None = None
        self._results: Results | None = None
        self._generation = 0
        self._data_version = 0
        self._busy = False
        # Caches live on the UI thread only; workers get what they need in the job.
        self._baselines: dict[tuple[int, Scenario, int], Kpis] = {}
        self._cache: OrderedDict[tuple[int, Scenario, int], Results] = OrderedDict()
        self._cache_size = 64

        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._running: _Job | None = None
        self._pending: _Job | None = None
        self._signals = _Signals()
        self._signals.done.connect(self._on_done)
        self._engine = _Engine()

        self._fine_timer = QTimer(self)
        self._fine_timer.setSingleShot(True)
        self._fine_timer.setInterval(max(0, int(fine_delay_ms)))
        self._fine_timer.timeout.connect(self._run_fine)

        self._stale = False
        self._failed = False  # the last computation for the current document failed
        self._stale_timer = QTimer(self)
        self._stale_timer.setSingleShot(True)
        self._stale_timer.setInterval(self.STALE_GRACE_MS)
        self._stale_timer.timeout.connect(lambda: self._check_stale(now=True))

    # ---------------------------------------------------------------- state
    @property
    def budget(self) -> Budget | None:
        """The budget as imported (the baseline plan)."""
        return self._budget

    @property
    def deals(self) -> Deals | None:
        return self._deals

    @property
    def files(self) -> tuple[str, ...]:
        return self._files

    @property
    def scenario(self) -> Scenario:
        """The current document value."""
        return self._history.current

    @property
    def history(self) -> History[Scenario]:
        return self._history

    @property
    def effective_budget(self) -> Budget | None:
        """The budget with the scenario's edits applied (what the table shows)."""
        if self._budget is None:
            return None
        scenario = self.scenario
        if self._effective is None or self._effective[0] != scenario:
            self._effective = (scenario, apply_to_budget(self._budget, scenario))
        return self._effective[1]

    @property
    def source_stats(self) -> list[SourceStats]:
        """Per-lead-source win rates, with the user's class overrides applied."""
        if self._deals is None:
            return []
        key = (self._data_version, self.scenario.source_classes)
        if self._source_stats_key != key:
            from planner.model.calibrate import source_table

            deals = self._deals.with_source_classes(dict(self.scenario.source_classes))
            self._source_stats = source_table(deals)
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
        return self._results

    @property
    def currency(self) -> str | None:
        """The currency the figures are in: the budget's, else the CRM export's."""
        if self._budget is not None and self._budget.currency:
            return self._budget.currency
        if self._deals is not None and self._deals.currency:
            return self._deals.currency
        return None

    @property
    def paths(self) -> int:
        """Monte Carlo paths of the settled (fine) result."""
        return self._paths

    @property
    def fine_delay_ms(self) -> int:
        """How long the scenario must stay unchanged before the fine run starts."""
        return self._fine_timer.interval()

    @property
    def seed(self) -> int:
        return self._seed

    @property
    def is_busy(self) -> bool:
        return self._busy

    @property
    def is_settled(self) -> bool:
        """True when the shown results are the fine ones for the current scenario."""
        r = self._results
        return r is not None and r.scenario == self.scenario and r.paths == self._paths

    @property
    def is_stale(self) -> bool:
        """True when `results` belong to another scenario and must be shown as not current:
        its computation failed, or it is still running after `STALE_GRACE_MS`."""
        return self._stale

    @property
    def failed(self) -> bool:
        """True when the last computation for the current document failed."""
        return self._failed

    def has_data(self) -> bool:
        return self._budget is not None and self._deals is not None

    # -------------------------------------------------------------- actions
    def load(self, budget: Budget, deals: Deals, files: tuple[str, ...] = ()) -> None:
        """Replace the data; the history starts again from the budget's own split."""
        self._budget = budget
        self._deals = deals
        self._files = tuple(str(f) for f in files)
        self._data_version += 1  # the engine's caches are keyed by it
        self._history.reset(Scenario(), "Open")
        self._merge_label = None
        self._effective = None
        self._source_stats_key = None
        self._baselines.clear()
        self._cache.clear()
        self._results = None
        self._failed = False
        self._check_stale()
        self.dataLoaded.emit()
        self.scenarioChanged.emit()
        self._schedule()

    def change(self, new_scenario: Scenario, label: str, *, merge: bool = False) -> bool:
        """One undoable document change; False (and no signal) when nothing changed.

        `merge=True` folds consecutive changes with the same label into one
        undo step (a slider drag is one step, not a hundred); call
        `end_gesture()` when the gesture ends.
        """
        if new_scenario == self.scenario:
            return False
        if merge and self._merge_label == label and self._history.can_undo():
            self._history.replace_current(new_scenario)
        else:
            self._history.push(new_scenario, label)
        self._merge_label = label if merge else None
        self._after_document_change()
        return True

    def end_gesture(self) -> None:
        """Close a merged gesture so the next change is its own undo step."""
        self._merge_label = None

    def undo(self) -> None:
        if self._history.can_undo():
            self._merge_label = None
            self._history.undo()
            self._after_document_change()

    def redo(self) -> None:
        if self._history.can_redo():
            self._merge_label = None
            self._history.redo()
            self._after_document_change()

    def can_undo(self) -> bool:
        return self._history.can_undo()

    def can_redo(self) -> bool:
        return self._history.can_redo()

    def recompute(self) -> None:
        """Compute the current scenario again (e.g. after the path count changed)."""
        self._cache.clear()
        self._baselines.clear()
        self._results = None
        self._failed = False
        self._check_stale()
        self._schedule()

    def set_paths(self, paths: int, coarse_paths: int | None = None) -> None:
        """Change the Monte Carlo path counts (settings) and recompute."""
        self._paths = int(paths)
        self._coarse = int(coarse_paths) if coarse_paths and coarse_paths < paths else None
        self.recompute()

    def shutdown(self, timeout_ms: int = 30_000) -> None:
        """Stop scheduling and wait for the worker: call before the app quits."""
        self._fine_timer.stop()
        self._stale_timer.stop()
        self._pending = None
        self._pool.waitForDone(timeout_ms)

    # ------------------------------------------------------------ internals
    def _after_document_change(self) -> None:
        self._failed = False
        self.scenarioChanged.emit()
        self._schedule()
        self._check_stale()

    def _check_stale(self, *, now: bool = False) -> None:
        """Mark the shown results as not current: at once after a failure, else after the grace."""
        r = self._results
        if r is None or r.scenario == self.scenario:
            self._stale_timer.stop()
            self._set_stale(False)
        elif now or self._failed:
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
        self._generation += 1
        self._fine_timer.stop()
        if not self.has_data():
            self._set_busy(False)
            return
        scenario = self.scenario
        fine = self._cache.get(self._key(scenario, self._paths))
        if fine is not None:  # undo/redo to a state we already computed: instant and exact
            self._show(fine)
            return
        if self._coarse is not None:
            coarse = self._cache.get(self._key(scenario, self._coarse))
            if coarse is not None:
                self._show(coarse)
                self._fine_timer.start()
                return
            self._submit(self._make_job(scenario, self._coarse))
        else:
            self._submit(self._make_job(scenario, self._paths))

    def _run_fine(self) -> None:
        scenario = self.scenario
        if not self.has_data() or self.is_settled:
            return
        fine = self._cache.get(self._key(scenario, self._paths))
        if fine is not None:
            self._show(fine)
            return
        self._submit(self._make_job(scenario, self._paths))

    def _key(self, scenario: Scenario, paths: int) -> tuple[int, Scenario, int]:
        return (self._data_version, scenario, paths)

    def _make_job(self, scenario: Scenario, paths: int) -> _Job:
        baseline = self._baselines.get(self._key(baseline_of(scenario), paths))
        return _Job(self._generation, self._data_version, scenario, paths, baseline)

    def _submit(self, job: _Job) -> None:
        if self._running is not None:
            self._pending = job  # only the newest request waits; older ones are dropped
        else:
            self._start(job)
        self._set_busy(True)

    def _start(self, job: _Job) -> None:
        self._running = job
        budget, deals, seed, signals = self._budget, self._deals, self._seed, self._signals
        assert budget is not None and deals is not None
        self._pool.start(_make_task(job, budget, deals, seed, signals, self._engine))

    def _on_done(self, job: _Job, outcome: object) -> None:
        self._running = None
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self._start(pending)
        else:
            self._set_busy(False)
        if job.data_version != self._data_version:
            return  # computed for files that are no longer open
        if isinstance(outcome, BaseException):
            if job.generation == self._generation:
                self._failed = True
                self._check_stale(now=True)  # the previous numbers must not pass for this scenario
                self.errorRaised.emit(_one_line(outcome))
            return
        assert isinstance(outcome, _Outcome)
        self._baselines[self._key(baseline_of(job.scenario), job.paths)] = outcome.baseline_kpis
        results = Results(
            calibration=outcome.calibration,
            scenario_kpis=outcome.scenario_kpis,
            baseline_kpis=outcome.baseline_kpis,
            scenario=job.scenario,
            paths=job.paths,
            labels=outcome.labels,
            seconds=outcome.seconds,
        )
        self._remember(results)
        if job.generation != self._generation or job.scenario != self.scenario:
            return  # stale: the user has moved on; cached in case they come back
        shown = self._results
        if shown is not None and shown.scenario == job.scenario and shown.paths > job.paths:
            return  # never replace a fine result with a coarse one
        self._show(results)
        if job.paths != self._paths:
            self._fine_timer.start()

    def _remember(self, results: Results) -> None:
        key = self._key(results.scenario, results.paths)
        self._cache[key] = results
        self._cache.move_to_end(key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def _show(self, results: Results) -> None:
        self._results = results
        self._failed = False
        self._check_stale()
        self.resultsReady.emit()

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)


def _make_task(
    job: _Job, budget: Budget, deals: Deals, seed: int, signals: _Signals, engine: _Engine
) -> Callable[[], None]:
    """The worker body: pure model calls, no Qt objects touched but the signal."""

    def task() -> None:
        from planner.model.kpi import compute_kpis

        started = time.perf_counter()
        try:
            base, calibration = engine.prepared(job.data_version, budget, deals, job.scenario)
            result = engine.simulate(base, calibration, job.scenario, job.paths, seed)
            kpis = compute_kpis(result)
            baseline = baseline_of(job.scenario)
            if job.baseline is not None:
                baseline_kpis = job.baseline
            elif job.scenario == baseline:
                baseline_kpis = kpis
            else:
                baseline_kpis = compute_kpis(engine.simulate(base, calibration, baseline, job.paths, seed))
            outcome: object = _Outcome(
                calibration, kpis, baseline_kpis, tuple(result.labels), time.perf_counter() - started
            )
        except Exception as exc:  # reported in the status bar, never a crash
            outcome = exc
        signals.done.emit(job, outcome)

    return task


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, InputError):
        return exc.message
    text = " ".join(str(exc).split())
    return f"Could not compute this scenario ({type(exc).__name__}: {text})"


__all__ = ["Results", "Workspace", "baseline_of"]
