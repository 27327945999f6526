"""The one worker helper: progress, errors as values, generations, cancel, newest-only queue."""

from __future__ import annotations

import threading

import pytest

from planner.ui.concurrent import Done, Worker


@pytest.fixture
def worker(qtbot):
    w = Worker()
    yield w
    w.cancel()
    w.wait()


def test_value_and_progress_come_back_on_the_ui_thread(qtbot, worker) -> None:
    seen: list[tuple[float, str]] = []
    worker.progressed.connect(lambda _g, f, t: seen.append((f, t)))

    def task(progress, cancel):
        progress(0.5, "half")
        return threading.get_ident()

    with qtbot.waitSignal(worker.finished, timeout=10_000) as blocker:
        generation = worker.submit(task, tag="job")
    done: Done = blocker.args[0]
    assert done.ok and done.generation == generation and done.tag == "job" and done.current
    assert done.value != threading.get_ident()  # it ran off the UI thread
    qtbot.waitUntil(lambda: seen == [(0.5, "half")], timeout=5_000)


def test_an_error_is_a_value(qtbot, worker) -> None:
    def task(progress, cancel):
        raise FloatingPointError("model bug")

    with qtbot.waitSignal(worker.finished, timeout=10_000) as blocker:
        worker.submit(task)
    done: Done = blocker.args[0]
    assert not done.ok and isinstance(done.error, FloatingPointError) and not done.cancelled


def test_only_the_newest_waiting_task_runs_and_stale_results_are_dropped(qtbot, worker) -> None:
    release = threading.Event()
    ran: list[str] = []
    finished: list[Done] = []
    worker.finished.connect(finished.append)

    def task(name):
        def run(progress, cancel):
            if name == "first":
                release.wait(10)
            ran.append(name)
            return name
        return run

    worker.submit(task("first"))
    worker.submit(task("second"))  # replaced before it starts
    last = worker.submit(task("third"))
    assert worker.is_busy()
    release.set()
    qtbot.waitUntil(lambda: not worker.is_busy(), timeout=10_000)
    assert ran == ["first", "third"]
    assert [(d.value, d.generation) for d in finished] == [("third", last)]  # "first" was stale


def test_keep_stale_delivers_old_results_marked_not_current(qtbot) -> None:
    worker = Worker(keep_stale=True)
    release = threading.Event()
    finished: list[Done] = []
    worker.finished.connect(finished.append)
    worker.submit(lambda p, c: release.wait(10) and "old")
    worker.submit(lambda p, c: "new")
    release.set()
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=10_000)
    assert [(d.value, d.current) for d in finished] == [("old", False), ("new", True)]
    worker.wait()


def test_cancel_stops_the_task_and_drops_its_outcome(qtbot, worker) -> None:
    started = threading.Event()
    finished: list[Done] = []
    worker.finished.connect(finished.append)

    def task(progress, cancel):
        started.set()
        while not cancel():
            threading.Event().wait(0.005)
        raise RuntimeError("stopped")

    worker.submit(task)
    assert started.wait(10)
    worker.cancel()
    qtbot.waitUntil(lambda: not worker.is_busy(), timeout=10_000)
    assert finished == []


def test_background_work_runs_only_when_idle_and_never_counts_as_busy(qtbot, worker) -> None:
    release = threading.Event()
    ran: list[str] = []
    finished: list[Done] = []
    busy: list[bool] = []
    worker.finished.connect(finished.append)
    worker.busyChanged.connect(busy.append)

    def task(name, gate=None):
        def run(progress, cancel):
            if gate is not None:
                gate.wait(10)
            ran.append(name)
            return name
        return run

    assert worker.submit_background(task("ahead", release), tag="ahead") is not None
    assert not worker.is_busy() and not worker.is_idle() and busy == []
    assert worker.submit_background(task("refused")) is None  # never waits behind anything
    worker.submit(task("user"), tag="user")  # waits for the one background task, nothing else
    assert worker.is_busy() and busy == [True]
    assert worker.submit_background(task("refused too")) is None  # never replaces a waiting task
    release.set()
    qtbot.waitUntil(lambda: worker.is_idle(), timeout=10_000)
    assert ran == ["ahead", "user"] and busy == [True, False]
    assert [d.tag for d in finished] == ["user"]  # a plain worker drops the older (background) outcome


def test_cancel_while_only_background_work_runs_reports_idle(qtbot, worker) -> None:
    release = threading.Event()
    busy: list[bool] = []
    worker.busyChanged.connect(busy.append)
    worker.submit_background(lambda p, c: release.wait(10))
    worker.submit(lambda p, c: "user")
    worker.cancel()  # the user's waiting task goes: nothing the caller asked for is left
    assert busy == [True, False] and not worker.is_busy()
    release.set()
    qtbot.waitUntil(worker.is_idle, timeout=10_000)
    assert busy == [True, False]
