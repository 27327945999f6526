"""The real app in a subprocess, for the crash-recovery test (tests/ui/test_recovery.py).

`change SHARE`: run `planner --demo` (run_app), and once the demo is open
move the brand share to SHARE as a user would; the test then kills the process.
`restore`: run it again, press Restore in the offer the app shows, print the
offer's text and the restored brand share, and quit.
"""

from __future__ import annotations

import sys
from dataclasses import replace

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from planner.ui.app import create_application, run_app
from planner.ui.main_window import MainWindow


def _window() -> MainWindow | None:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)), None)


def change(share: float) -> None:
    def poll() -> None:
        window = _window()
        if window is None or not window.workspace.has_data():
            QTimer.singleShot(50, poll)
            return
        ws = window.workspace
        ws.change(replace(ws.scenario, brand_share=share), "Brand share")
        print("CHANGED", flush=True)

    QTimer.singleShot(50, poll)


def restore() -> None:
    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.objectName() == "restoreAutosave":
            print("OFFER", box.text().replace("\n", " | "), flush=True)
            next(b for b in box.buttons() if b.text() == "Restore").click()
            QTimer.singleShot(50, wait_loaded)
            return
        QTimer.singleShot(50, poll)

    def wait_loaded() -> None:
        window = _window()
        if window is None or not window.workspace.has_data():
            QTimer.singleShot(50, wait_loaded)
            return
        ws = window.workspace
        print("RESTORED", ws.scenario.brand_share, window.isWindowModified(), flush=True)
        window.close()
        QApplication.instance().quit()

    QTimer.singleShot(50, poll)


if __name__ == "__main__":
    create_application()
    if sys.argv[1] == "change":
        change(float(sys.argv[2]))
    else:
        restore()
    sys.exit(run_app(demo=True))
