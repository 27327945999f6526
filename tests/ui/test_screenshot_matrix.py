"""The screenshot matrix: every view at every meeting-room size, and every language, checked by machine.

What a machine can see in a rendered window, and a person would notice:
- a label or button narrower than its minimum size hint (text cut off);
- an axis whose drawn tick labels repeat ("2.8M, 2.8M, 2.8M", seven "0");
- a chart with nothing in it although files are open;
- a chart legend that wraps onto a second line.

One window on the demo data is re-used (resized, tab switched, language
switched live) so the whole matrix stays affordable in CI: every view at
1280x800, 1366x768 and 1920x1080 in English/light, plus every language at
1366x768 in dark. The PNGs land in the test's temp folder for a look by eye;
`planner screenshot --size --theme --lang --panel` renders the same pictures.
"""

from __future__ import annotations

import time
from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from planner.resources import demo_paths
from planner.ui.app import apply_theme, load_files_now, wait_until_settled
from planner.ui.main_window import PANELS, MainWindow
from planner.ui.workspace import Workspace

SIZES = [(1280, 800), (1366, 768), (1920, 1080)]


@pytest.fixture(scope="module")
def demo_window(qapp):
    window = MainWindow(Workspace(paths=2_000, coarse_paths=500, fine_delay_ms=30))
    window.resize(1366, 768)
    window.show()
    load_files_now(window.workspace, list(demo_paths()))
    assert wait_until_settled(window, 120)
    yield window
    window.close()
    apply_theme(qapp, "light")


def clipped_widgets(root: QWidget) -> list[str]:
    """Visible single-line labels and buttons narrower than their minimum size hint."""
    out = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or not widget.isVisible():
            continue
        if isinstance(widget, QLabel) and (widget.wordWrap() or not widget.text()):
            continue
        if not isinstance(widget, QLabel | QAbstractButton):
            continue
        if widget.width() < widget.minimumSizeHint().width():
            text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
            out.append(f"{type(widget).__name__} {widget.objectName()!r} {text!r}: {widget.width()} < {widget.minimumSizeHint().width()}")
    return out


def drawn_tick_labels(axis: pg.AxisItem) -> list[list[str]]:
    """The tick labels pyqtgraph draws on `axis`, per tick level (what the eye reads)."""
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    if specs is None:
        return []
    texts = [text for _rect, _flags, text in specs[2] if text]
    return [texts]


def repeated_ticks(root: QWidget) -> list[str]:
    out = []
    for plot in root.findChildren(pg.PlotWidget):
        if not plot.isVisible():
            continue
        for name in ("left", "bottom"):
            axis = plot.getPlotItem().getAxis(name)
            for texts in drawn_tick_labels(axis):
                if len(texts) != len(set(texts)):
                    out.append(f"{plot.accessibleName()} {name}: {texts}")
    return out


def empty_charts(root: QWidget) -> list[str]:
    out = []
    for plot in root.findChildren(pg.PlotWidget):
        if not plot.isVisible():
            continue
        items = plot.getPlotItem().listDataItems() + [
            i for i in plot.getPlotItem().items if isinstance(i, pg.BarGraphItem)
        ]
        has_data = False
        for item in items:
            if isinstance(item, pg.BarGraphItem):
                widths = item.opts.get("width")
                has_data |= widths is not None and any(abs(w) > 0 for w in widths)
            else:
                x, _y = item.getData()
                has_data |= x is not None and len(x) > 0
        if not has_data:
            out.append(plot.accessibleName())
    return out


def wrapped_legends(root: QWidget) -> list[str]:
    """Chart legends that need a second line (the Norwegian pipeline legend used to wrap)."""
    from planner.ui.chart_card import ChartCard

    out = []
    for card in root.findChildren(ChartCard):
        legend = card.legend
        wraps = legend.heightForWidth(legend.width()) > 1.6 * legend.fontMetrics().lineSpacing()
        if card.isVisible() and legend.text() and wraps:
            out.append(f"{card.objectName()}: legend wraps at {legend.width()} px")
    return out


def render_and_check(window: MainWindow, panel: str, size: tuple[int, int], out: Path) -> None:
    window.resize(*size)
    window.show_panel(window.panel_index[panel])
    if panel == "bestSplit":
        best = window.best_split
        if best.sweep is None and not best.is_running():
            best.run()
        deadline = 240
        while (best.sweep is None or best.is_running()) and deadline > 0:
            QApplication.processEvents()
            time.sleep(0.05)
            deadline -= 0.05
        assert best.sweep is not None
    if panel == "modelHealth":  # the back-test runs when the view is first shown
        health = window.model_health
        deadline = time.monotonic() + 120
        while health.evidence is None and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.05)
        assert health.evidence is not None
    for _ in range(5):
        QApplication.processEvents()
    assert window.grab().save(str(out))
    view = window.panels.currentWidget()
    problems = (
        clipped_widgets(window.controls) + clipped_widgets(view) + repeated_ticks(view) + empty_charts(view)
        + wrapped_legends(view)
    )  # fmt: skip
    assert not problems, (out.name, problems)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_view_at_every_size(demo_window, size, tmp_path: Path) -> None:
    for panel in PANELS:
        render_and_check(demo_window, panel, size, tmp_path / f"{panel}-{size[0]}x{size[1]}-en-light.png")


@pytest.mark.parametrize("code", ["da", "nb", "de", "en"])
def test_every_language_at_one_size(qapp, demo_window, code, tmp_path: Path) -> None:
    apply_theme(qapp, "dark")
    actions = {a.data(): a for a in demo_window.language_menu.actions()}
    actions[code].trigger()
    for panel in ("charts", "sources", "bestSplit"):
        render_and_check(demo_window, panel, (1366, 768), tmp_path / f"{panel}-1366x768-{code}-dark.png")


def _holder(card: QWidget) -> QWidget:
    holder = QWidget()
    card.setParent(holder)
    holder.resize(260, 300)
    holder.show()
    return holder


def test_the_checks_can_fail(qtbot) -> None:
    """Each check finds what it looks for (a check that cannot fail proves nothing)."""
    root = QWidget()
    qtbot.addWidget(root)
    label = QLabel("A label far too long for its box", root)
    label.setFixedWidth(30)
    plot = pg.PlotWidget(root, axisItems={"left": pg.AxisItem("left")})
    plot.setAccessibleName("empty")
    plot.resize(300, 200)
    plot.getAxis("left").setTicks([[(0.0, "0"), (0.5, "0"), (1.0, "0")]])
    plot.setYRange(0, 1)
    root.resize(400, 300)
    root.show()
    qtbot.waitExposed(root)
    assert clipped_widgets(root)
    assert repeated_ticks(root)
    assert empty_charts(root) == ["empty"]
    from PySide6.QtGui import QColor

    from planner.ui.chart_card import ChartCard

    card = ChartCard("narrow", "Title", "Subtitle", pg.AxisItem("left"), pg.AxisItem("bottom"))
    qtbot.addWidget(card)
    card.set_legend([(f"Series number {i}", QColor("#1f63b5"), "solid") for i in range(6)])
    card.resize(260, 300)
    card.show()
    qtbot.waitExposed(card)
    assert wrapped_legends(card.parentWidget() or _holder(card))
