"""One way to run work off the UI thread (the Orange3 pattern).

The work is a plain function `fn(progress, cancel)`: it calls
`progress(fraction, text="")` now and then and stops (by raising anything)
when `cancel()` returns True. It knows nothing about Qt, so the CLI calls the
same function directly. `Worker` runs it in its own `QThreadPool` and hands
the outcome back on the UI thread as a `Done` value:

* errors come back as values (`Done.error`), never as a crash in a thread;
* each submission gets a generation number; a result whose generation is no
  longer the newest is dropped (or, with `keep_stale=True`, delivered with
  `Done.current` False, for callers that cache results they may need again);
* one task runs at a time; a submission while one runs waits, and only the
  newest waiting one is kept (a slider drag queues one job, not sixty);
* `cancel()` asks the running task to stop and drops whatever it returns;
* `submit_background()` runs speculative work (previews the user may ask
  for next) only when the worker is idle: it never waits, never replaces a
  waiting task and does not count as busy, so a task the user asks for
  meanwhile waits for that one task at most.

The model is imported by the tasks, never here: scipy must not delay the window.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from PySide6.QtCore import QObject, QThreadPool, Signal


class Progress(Protocol):
    def __call__(self, fraction: float, text: str = "") -> None: ...


Task = Callable[[Progress, Callable[[], bool]], Any]
"""A pure function of (progress, cancel) -> value; it may raise."""


@dataclass(frozen=True)
class Done:
    """What came back from one task, on the UI thread."""

    generation: int
    value: Any = None
    error: BaseException | None = None
    cancelled: bool = False
    tag: Any = None  # whatever the caller submitted with the task (e.g. the job it describes)
    current: bool = True  # False: a newer task was submitted since (only seen with keep_stale)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.cancelled


class _Relay(QObject):
    """Carries a task's reports from its thread to the UI thread (queued connections)."""

    progress = Signal(int, float, str)
    done = Signal(object, object)  # _Submission, Done


@dataclass
class _Submission:
    generation: int
    fn: Task
    tag: Any
    stop: threading.Event
    background: bool = False


class Worker(QObject):
    """Runs one task at a time off the UI thread; see the module docstring."""

    progressed = Signal(int, float, str)  # generation, fraction done, text
    finished = Signal(object)  # Done
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, keep_stale: bool = False) -> None:
        super().__init__(parent)
        self._keep_stale = keep_stale
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay()
        self._relay.progress.connect(self._on_progress)
        self._relay.done.connect(self._on_done)
        self._generation = 0
        self._running: _Submission | None = None
        self._pending: _Submission | None = None

    @property
    def generation(self) -> int:
        """The newest submission's generation (0 before the first)."""
        return self._generation

    def is_busy(self) -> bool:
        """A submitted task runs or waits (background work does not count)."""
        return any(s is not None and not s.background for s in (self._running, self._pending))

    def is_idle(self) -> bool:
        """Nothing runs or waits, background work included."""
        return self._running is None and self._pending is None

    def submit(self, fn: Task, *, tag: Any = None) -> int:
        """Run `fn` after the running task (replacing any task still waiting); returns its generation."""
        self._generation += 1
        submission = _Submission(self._generation, fn, tag, threading.Event())
        was_busy = self.is_busy()
        if self._running is None:
            self._start(submission)
        else:
            self._pending = submission
        if not was_busy:
            self.busyChanged.emit(True)
        return submission.generation

    def submit_background(self, fn: Task, *, tag: Any = None) -> int | None:
        """Run `fn` now if the worker is idle, without reporting busy; None (and not run) when it is not."""
        if not self.is_idle():
            return None
        self._generation += 1
        submission = _Submission(self._generation, fn, tag, threading.Event(), background=True)
        self._start(submission)
        return submission.generation

    def cancel(self) -> None:
        """Ask the running task to stop, forget the waiting one; neither reports back."""
        was_busy = self.is_busy()
        self._generation += 1
        self._pending = None
        if self._running is not None:
            self._running.stop.set()
        self._report_idle(was_busy)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until the running task has returned (call before the app quits)."""
        was_busy = self.is_busy()
        self._pending = None
        self._report_idle(was_busy)
        return self._pool.waitForDone(timeout_ms)

    # ------------------------------------------------------------ internals
    def _start(self, submission: _Submission) -> None:
        self._running = submission
        relay = self._relay

        def progress(fraction: float, text: str = "") -> None:
            relay.progress.emit(submission.generation, float(fraction), str(text))

        def task() -> None:
            try:
                value = submission.fn(progress, submission.stop.is_set)
                done = Done(submission.generation, value=value, tag=submission.tag)
            except BaseException as exc:  # noqa: BLE001 - an error is a value for the UI, never a crash
                # (BaseException: a panic in a native reader is not an Exception)
                stopped = submission.stop.is_set()
                done = Done(submission.generation, error=None if stopped else exc, cancelled=stopped,
                            tag=submission.tag)
            relay.done.emit(submission, done)

        self._pool.start(task)

    def _on_progress(self, generation: int, fraction: float, text: str) -> None:
        if generation == self._generation:
            self.progressed.emit(generation, fraction, text)

    def _report_idle(self, was_busy: bool) -> None:
        """busyChanged(False) when the last task the caller asked for has gone (background work left running)."""
        if was_busy and not self.is_busy():
            self.busyChanged.emit(False)

    def _on_done(self, submission: _Submission, done: Done) -> None:
        was_busy = self.is_busy()
        self._running = None
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self._start(pending)
        self._report_idle(was_busy)
        if submission.stop.is_set():
            return  # cancelled: whatever it returned is not wanted
        current = submission.generation == self._generation
        if current or self._keep_stale:
            self.finished.emit(done if current else replace(done, current=False))


__all__ = ["Done", "Progress", "Task", "Worker"]
