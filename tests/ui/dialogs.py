"""Answer the real modal dialogs a test opens: wait for the box, then press what a user would press."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox, QWidget

Step = Callable[[QWidget], bool]  # True when it handled the modal widget


def press(text: str) -> Step:
    """Press the message-box button whose text (without '&') starts with `text`."""

    def step(widget: QWidget) -> bool:
        if not isinstance(widget, QMessageBox):
            return False
        for button in widget.buttons():
            if button.text().replace("&", "").startswith(text):
                button.click()
                return True
        raise AssertionError(f"no button {text!r} in {[b.text() for b in widget.buttons()]}")

    return step


def choose_file(path: str | Path) -> Step:
    """Pick `path` in the Qt file dialog (offscreen Qt has no native one)."""

    def step(widget: QWidget) -> bool:
        if not isinstance(widget, QFileDialog):
            return False
        widget.setDirectory(str(Path(path).parent))
        name = widget.findChild(QLineEdit, "fileNameEdit")  # what a user types into
        name.setText(Path(path).name)
        widget.accept()
        return True

    return step


def answer(*steps: Step, seen: list[str] | None = None) -> None:
    """Handle the next modal widgets in order (polling, since `exec()` blocks the caller)."""
    queue = list(steps)

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is not None and widget.isVisible() and queue:
            if seen is not None and isinstance(widget, QMessageBox):
                seen.append(widget.text())
            if queue[0](widget):
                queue.pop(0)
        if queue:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)
