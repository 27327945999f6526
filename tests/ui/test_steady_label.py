"""SteadyLabel: a text that changes on every slider move keeps its place without re-laying out the grid."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QGridLayout, QLabel, QWidget

from planner.ui.steady_label import SteadyLabel

SENTENCE = "Revenue is 4.1 % higher than the plan as imported, with 71 % odds of beating it."


class LayoutRequests(QObject):
    """Counts the layout requests that reach a widget (what a text change makes climb to the window)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


@pytest.fixture
def grid(qtbot):
    """A KPI-like grid: a one-line figure, a plain neighbour and a word-wrapped caption."""
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QGridLayout(holder)
    figure = SteadyLabel("+0.3 pp", wrap=False)
    plain = QLabel("Revenue CV")
    caption = SteadyLabel(SENTENCE)
    layout.addWidget(plain, 0, 0)
    layout.addWidget(figure, 0, 1)
    layout.addWidget(caption, 1, 0, 1, 2)
    holder.setFixedWidth(320)
    holder.show()
    qtbot.waitExposed(holder)
    QApplication.processEvents()
    return holder, figure, plain, caption, LayoutRequests(holder)


def _geometries(*widgets: QWidget) -> list:
    return [w.geometry() for w in widgets]


def test_a_text_of_the_same_size_is_drawn_without_a_new_layout(grid) -> None:
    holder, figure, plain, caption, requests = grid
    before = _geometries(figure, plain, caption)
    for text in ("+0.4 pp", "+0.5 pp", "+0.2 pp"):  # a drag: same size, another figure
        figure.setText(text)
        QApplication.processEvents()
    caption.setText(SENTENCE.replace("4.1", "4.3").replace("71", "72"))  # same number of lines
    QApplication.processEvents()
    assert figure.text() == "+0.2 pp" and figure.label.text() == "+0.2 pp"
    assert requests.count == 0 and _geometries(figure, plain, caption) == before


def test_a_text_that_needs_more_room_gets_it(grid) -> None:
    holder, figure, plain, caption, requests = grid
    height = caption.height()
    caption.setText(SENTENCE + " " + SENTENCE)  # more lines at this width: the layout must know
    QApplication.processEvents()
    assert requests.count >= 1 and caption.height() > height
    assert caption.label.size() == caption.size()  # the label fills its holder: nothing cut off


def test_a_plain_label_would_re_lay_out_the_grid(grid) -> None:
    """The control for the counter above: QLabel.setText asks for a layout even at the same size."""
    holder, figure, plain, caption, requests = grid
    plain.setText("Revenue CW")
    QApplication.processEvents()
    assert requests.count >= 1
