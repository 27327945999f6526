"""Look-ahead previews in the real workspace and brand-share slider (issue #11: slider latency).

After a settle the worker computes, while idle, the previews a drag can reach;
a drag then shows them from the cache. These tests drive the real slider and
worker; none of them times anything.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtWidgets import QStatusBar

import planner.ui.workspace as workspace_module
from planner.scenario.collection import BASELINE_ID, ScenarioSet
from planner.scenario.edits import SLIDER_POSITIONS
from planner.scenario.workspace import Job
from planner.ui.controls import ControlPanel
from planner.ui.status_line import StatusLine
from planner.ui.workspace import Workspace

FILES = ("budget.xlsx", "crm.csv")


class Spy:
    """Records every job the worker runs (in the order they start); can hold one look-ahead job."""

    def __init__(self, hold_at: int | None = None) -> None:
        self.jobs: list[Job] = []
        self.hold_at = hold_at  # hold the n-th look-ahead job (1-based) until `release`
        self.release = threading.Event()
        self.held = threading.Event()
        self._real = workspace_module.compute_results

    def __call__(self, session, job: Job, seed: int, progress=None, cancel=None, **kwargs):
        self.jobs.append(job)
        if job.lookahead and sum(j.lookahead for j in self.jobs) == self.hold_at:
            self.held.set()
            self.release.wait(30)
        return self._real(session, job, seed, progress, cancel, **kwargs)

    @property
    def lookahead_jobs(self) -> list[Job]:
        return [j for j in self.jobs if j.lookahead]


def _workspace(qtbot, data) -> Workspace:
    ws = Workspace(paths=2_000, coarse_paths=500, fine_delay_ms=30)
    with qtbot.waitSignal(ws.resultsReady, timeout=60_000):
        ws.load(*data, files=FILES)
    return ws


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Spy]:
    found = Spy()
    monkeypatch.setattr(workspace_module, "compute_results", found)
    yield found
    found.release.set()


def _settled(ws: Workspace) -> bool:
    return ws.is_settled and not ws.is_busy


def _assert_same_figures(a, b) -> None:
    np.testing.assert_equal(vars(a.scenario_kpis), vars(b.scenario_kpis))
    np.testing.assert_equal(vars(a.baseline_kpis), vars(b.baseline_kpis))
    assert a.standard_errors == b.standard_errors and a.standard_errors  # as for any preview
    assert (a.labels, a.paths) == (b.labels, b.paths)


def test_after_the_look_ahead_every_slider_move_shows_its_preview_at_once(qtbot, workspace, small_data) -> None:
    ws = workspace
    panel = ControlPanel(ws)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: not ws.lookahead_pending, timeout=60_000)
    assert not ws.is_busy
    shown = {}
    panel.slider.setSliderDown(True)
    for position in SLIDER_POSITIONS:  # from the budget's own 30 %: down to 0, then every step up to 100
        panel.slider.setValue(position)
        assert ws.scenario.brand_share == position / 100.0
        results = ws.results
        # on screen before any event ran, and no job submitted for it: it came from the cache
        assert results.scenario == ws.scenario and results.paths == 500 and not ws.is_busy
        shown[position] = results
    panel.slider.setSliderDown(False)
    qtbot.waitUntil(lambda: _settled(ws), timeout=60_000)

    # The same figures as a preview job computes cold (same data, seed and paths).
    cold = Workspace(paths=2_000, coarse_paths=500, fine_delay_ms=600_000, lookahead=False)
    try:
        with qtbot.waitSignal(cold.resultsReady, timeout=60_000):
            cold.load(*small_data, files=FILES)
        for position in (0, 55):
            cold.change(replace(cold.scenario, brand_share=position / 100.0), "Brand share")
            qtbot.waitUntil(lambda: cold.results.scenario == cold.scenario, timeout=60_000)
            _assert_same_figures(shown[position], cold.results)
    finally:
        cold.shutdown()


def test_a_user_change_during_the_look_ahead_runs_next_and_only_current_results_show(
    qtbot, spy, small_data
) -> None:
    # The 40th look-ahead preview is "running" when the user moves. The look-ahead starts as
    # soon as the first preview shows, so an early one could hold up the fine result the test
    # waits for; by the 40th the fine job (due 30 ms after the preview) has long been run.
    spy.hold_at = 40
    ws = _workspace(qtbot, small_data)
    shown: list[bool] = []
    ws.resultsReady.connect(lambda: shown.append(ws.results.scenario == ws.scenario))
    try:
        qtbot.waitUntil(lambda: _settled(ws) and spy.held.is_set(), timeout=60_000)
        assert ws.lookahead_pending
        held = len(spy.jobs)
        ws.change(replace(ws.scenario, brand_share=0.9), "Brand share", merge=True)
        assert ws.is_busy  # the user's job waits for the running preview, and says so
        user = ws.scenario
        spy.release.set()
        qtbot.waitUntil(lambda: ws.results.scenario == user, timeout=60_000)
        after = spy.jobs[held:]
        assert not after[0].lookahead and after[0].scenario == user  # next, not replaced or queued behind
        qtbot.waitUntil(lambda: _settled(ws) and not ws.lookahead_pending, timeout=60_000)
        assert all(shown) and ws.results.scenario == user  # a preview never reached the screen
        after = spy.jobs[held:]
        # the look-ahead went on from the user's preview (the sweep is the same), and the fine
        # result for the user's scenario was computed once, when the user paused
        assert after[1].lookahead
        fine = [i for i, j in enumerate(after) if not j.lookahead and j.paths == ws.paths]
        assert len(fine) == 1 and after[fine[0]].scenario == user
    finally:
        ws.shutdown()


def test_look_ahead_is_not_reported_as_busy(qtbot, spy, small_data) -> None:
    ws = Workspace(paths=2_000, coarse_paths=500, fine_delay_ms=30)
    bar = QStatusBar()
    qtbot.addWidget(bar)
    status = StatusLine(bar, ws)
    busy: list[tuple[bool, bool]] = []  # (busy, settled) at each busyChanged
    ws.busyChanged.connect(lambda b: busy.append((b, ws.is_settled)))
    try:
        ws.load(*small_data, files=FILES)
        qtbot.waitUntil(lambda: _settled(ws) and not ws.lookahead_pending, timeout=60_000)
        assert len(spy.lookahead_jobs) == len(SLIDER_POSITIONS)  # it did run: 101 previews
        assert (True, False) in busy  # the user's (the load's) jobs are reported
        assert (True, True) not in busy  # nothing once settled: the look-ahead is not
        assert not ws.is_busy and status.busy.text() == ""
    finally:
        ws.shutdown()


def test_the_scenario_a_drag_forks_from_the_baseline_finds_the_baselines_previews(qtbot, spy, small_data) -> None:
    ws = Workspace(paths=2_000, coarse_paths=500, fine_delay_ms=30)
    panel = ControlPanel(ws)
    qtbot.addWidget(panel)
    try:
        with qtbot.waitSignal(ws.resultsReady, timeout=60_000):
            ws.load(*small_data, files=FILES, scenarios=ScenarioSet())  # only the Baseline: it is current
        assert ws.scenarios.current == BASELINE_ID
        qtbot.waitUntil(lambda: _settled(ws) and not ws.lookahead_pending, timeout=60_000)
        computed = len(spy.jobs)
        panel.slider.setSliderDown(True)
        panel.slider.setValue(47)
        assert ws.scenarios.current != BASELINE_ID and ws.scenario.brand_share == 0.47  # forked
        assert ws.results.scenario == ws.scenario and ws.results.paths == 500 and not ws.is_busy
        panel.slider.setValue(12)
        assert ws.results.scenario == ws.scenario and len(spy.jobs) == computed  # no job for either move
        panel.slider.setSliderDown(False)
    finally:
        ws.shutdown()
