"""A label whose text can change on every frame without re-laying out the window.

Why: `QLabel.setText` calls `updateGeometry()`, and that layout request climbs
to the window. From a chart subtitle it reaches the panel tabs, and a
QTabWidget answers every layout request by repainting itself whole and
asking the window for the height of every page: every word-wrapped label in
every panel laid out as text again. During a slider drag the volatility
subtitle's figures changed on about one move in five, and each of those
moves cost more than the rest of the frame; the KPI figures, caption and
odds line, which change on every move, re-laid out the whole control column.

`SteadyLabel` is the widget the layout sees. It holds the `QLabel` at
exactly its own size (a fixed-size widget's changes do not climb) and
answers the layout's size questions from a hidden twin with the same text
(a QLabel's size hints grow to its minimum size, so the fixed label cannot
answer them). A new text asks the layout again
only when the layout's answer would change: another number of lines at the
current width (word-wrapped), another size (one line: "+0.3 pp" and
"+0.4 pp" are the same size). On a resize, a word-wrapped label whose
layout sized it from answers older than its text asks again. What is drawn
is the same label at the same place.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class SteadyLabel(QWidget):
    """A QLabel (`label`) in a holder that keeps its size while the text fits it."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *, wrap: bool = True) -> None:
        super().__init__(parent)
        self.label = QLabel(text, self)
        self.label.setWordWrap(wrap)
        self._twin = QLabel(text, self)  # never shown: measures the text for the layout
        self._twin.setWordWrap(wrap)
        self._twin.hide()
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred, QSizePolicy.ControlType.Label)
        policy.setHeightForWidth(wrap)
        self.setSizePolicy(policy)
        self._wrap = wrap
        self._known: tuple[int, object] | None = None  # (width, what the layout was told at it)

    # ------------------------------------------------------------ the text
    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:  # noqa: N802 (QLabel's names: callers read the same)
        if text == self.label.text():
            return
        width = self.width()
        before = self._known[1] if self._known is not None and self._known[0] == width else self._answer(width)
        self.label.setText(text)
        self._twin.setText(text)
        after = self._answer(width)
        self._known = (width, after)
        if after != before or not self.isVisible():
            self.updateGeometry()  # the layout would place it differently: let it

    # What shapes the text goes to the label and its twin themselves, as it went to the
    # QLabel before: a style sheet on the holder would cut the label off from the
    # holder's font, and a label with a style sheet keeps only a font set on itself.
    def setFont(self, font: QFont | str | Sequence[str]) -> None:  # noqa: N802
        super().setFont(font)
        self.label.setFont(font)
        self._twin.setFont(font)

    def setStyleSheet(self, style: str) -> None:  # noqa: N802
        self.label.setStyleSheet(style)
        self._twin.setStyleSheet(style)

    def styleSheet(self) -> str:  # noqa: N802
        return self.label.styleSheet()

    def setAlignment(self, alignment: Qt.AlignmentFlag) -> None:  # noqa: N802
        self.label.setAlignment(alignment)
        self._twin.setAlignment(alignment)

    def _answer(self, width: int) -> object:
        """What the layout needs to know: the height at `width` (wrapped), else the size."""
        if self._wrap:
            return self._height(width)
        return (self._twin.sizeHint(), self._twin.minimumSizeHint())

    def _height(self, width: int) -> int:
        # an empty QLabel has no height-for-width: the layout takes its size hint's height
        return self._twin.heightForWidth(width) if self._twin.hasHeightForWidth() else self._twin.sizeHint().height()

    # ------------------------------------------------ the layout's questions
    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self._twin.sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self._twin.minimumSizeHint()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return self._twin.hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        return self._twin.heightForWidth(width)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        # a new font or style reaches the label too, but a fixed-size label does not tell the layout
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._known = None
            self.updateGeometry()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        self.label.setFixedSize(self.size())
        self._known = (self.width(), self._answer(self.width()))
        if self._wrap and (
            self._known[1] != self.height() or self.width() < self._twin.minimumSizeHint().width()
        ):
            # a text change that kept its lines here may need others at this width: ask again
            self.updateGeometry()
        super().resizeEvent(event)
