"""The status line: "Computing…" only for work that takes longer than the busy delay."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QStatusBar

from planner.ui.status_line import StatusLine
from planner.ui.workspace import Workspace


@pytest.fixture
def line(qtbot):
    bar = QStatusBar()
    qtbot.addWidget(bar)
    ws = Workspace(paths=100, coarse_paths=None)
    status = StatusLine(bar, ws)
    yield ws, status
    bar.close()


def test_a_short_busy_state_never_shows_computing(qtbot, line) -> None:
    ws, status = line
    for _ in range(3):  # a drag: busy and done again within a frame, many times
        ws.busyChanged.emit(True)
        QApplication.processEvents()
        ws.busyChanged.emit(False)
    qtbot.wait(2 * StatusLine.BUSY_DELAY_MS)  # well past the delay: nothing may appear late
    assert status.busy.text() == ""


def test_a_long_busy_state_shows_computing_until_done(qtbot, line) -> None:
    ws, status = line
    ws.busyChanged.emit(True)
    assert status.busy.text() == ""  # not at once
    qtbot.waitUntil(lambda: status.busy.text() == "Computing\u2026", timeout=10_000)
    ws.busyChanged.emit(False)
    assert status.busy.text() == ""
