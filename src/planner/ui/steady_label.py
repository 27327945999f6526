"""A word-wrapped label whose text can change on every frame without re-laying out the window.

Why: `QLabel.setText` calls `updateGeometry()`, and that layout request climbs
to the window. From a chart subtitle it reaches the panel tabs, and a
QTabWidget answers every layout request by repainting itself whole and
asking the window for the height of every page: every word-wrapped label in
every panel laid out as text again. During a slider drag the volatility
subtitle's figures changed on about one move in five, and each of those
moves cost more than the rest of the frame; the KPI caption and odds line,
which change on every move, re-laid out the whole control column.

`SteadyLabel` is the widget the layout sees. It holds the `QLabel` at
exactly its own size (a fixed-size widget's changes do not climb), answers
the layout's size questions for it, and asks the layout again only when a
new text needs another number of lines or a wider minimum. What is drawn is
the same label at the same place.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class SteadyLabel(QWidget):
    """A word-wrapped QLabel (`label`) in a holder that keeps its size while the text fits it."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred, QSizePolicy.ControlType.Label)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._known: tuple[int, tuple[int, int]] | None = None  # (width, what the layout knows at it)

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:  # noqa: N802 (QLabel's name: callers read the same)
        if text == self.label.text():
            return
        width = self.width()
        before = self._known[1] if self._known and self._known[0] == width else self._needs(width)
        self.label.setText(text)
        after = self._needs(width)
        self._known = (width, after)
        if after != before or not self.isVisible():
            self.updateGeometry()  # another number of lines, or a wider word: the layout must know

    def _needs(self, width: int) -> tuple[int, int]:
        """What the layout asks of the label at `width`: the height there, and the narrowest width."""
        return (self.label.heightForWidth(width), self.label.minimumSizeHint().width())

    # ------------------------------------------------ the layout's questions
    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self.label.sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self.label.minimumSizeHint()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        return self.label.heightForWidth(width)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        # a new font or style reaches the label too, but a fixed-size label does not tell the layout
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._known = None
            self.updateGeometry()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        self.label.setFixedSize(self.size())
        height, narrowest = self._needs(self.width())
        self._known = (self.width(), (height, narrowest))
        if height != self.height() or self.width() < narrowest:
            # sized from answers given before a text change that did not ask again: ask now
            self.updateGeometry()
        super().resizeEvent(event)
