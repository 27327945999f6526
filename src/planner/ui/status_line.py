"""The status bar's three parts: a message or error, "Computing…", and the quality on screen.

Kept apart from the window because the status bar spans the whole window
width: a label in it whose text or style sheet is set, even to the same empty
value, re-lays out and repaints the bar. During a slider drag (a result every
few tens of milliseconds) it changes only when what it says changes.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

from planner.i18n import tr
from planner.ui.format import format_number
from planner.ui.workspace import Workspace

ERROR_STYLE = "color: palette(bright-text); background: #b3261e; padding: 1px 6px; border-radius: 3px;"


class StatusLine(QObject):
    """Message or error on the left; "Computing…" and the simulated path count on the right."""

    BUSY_DELAY_MS = 300
    """How long a computation runs before "Computing…" shows (as `Workspace.STALE_GRACE_MS`):
    a coarse result during a drag arrives well within it, so the text does not flicker."""

    def __init__(self, bar: QStatusBar, workspace: Workspace) -> None:
        super().__init__(bar)
        self._ws = workspace
        self.message = QLabel()
        self.message.setObjectName("statusError")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy = QLabel()
        self.busy.setObjectName("statusBusy")
        self.quality = QLabel()
        self.quality.setObjectName("statusQuality")
        bar.addWidget(self.message, 1)
        bar.addPermanentWidget(self.busy)
        bar.addPermanentWidget(self.quality)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(self.BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(lambda: self.busy.setText(tr("Computing\u2026")))
        workspace.busyChanged.connect(self._on_busy)

    def show_error(self, message: str) -> None:
        """One line, marked as an error."""
        self.message.setText("\u26a0 " + message)
        self.message.setToolTip(message)
        self.message.setStyleSheet(ERROR_STYLE)

    def show_notice(self, message: str) -> None:
        """Plain text (information, not a failure) that replaces any earlier error."""
        self.message.setText(message)
        self.message.setToolTip(message)
        self.message.setStyleSheet("")

    def clear_message(self) -> None:
        # QLabel.clear() and setStyleSheet("") re-lay out the bar even when there is nothing to clear
        if self.message.text():
            self.message.clear()
        if self.message.styleSheet():
            self.message.setStyleSheet("")

    def show_results(self) -> None:
        """The results on screen: any earlier error goes; the path count says how settled they are."""
        results = self._ws.results
        if results is None:
            return
        self.clear_message()
        text = tr("{n} simulated paths").format(n=format_number(results.paths))
        settled = results.paths >= self._ws.paths
        self.quality.setText(text if settled else tr("{text} (refining\u2026)").format(text=text))

    def _on_busy(self, busy: bool) -> None:
        if not busy:
            self._busy_timer.stop()
            self.busy.setText("")
        elif not self._busy_timer.isActive() and not self.busy.text():
            self._busy_timer.start()
