"""The budget table, lead-sources view and assumptions panel, as real widgets offscreen.

Every edit a user can make must become exactly one document change (one undo
step) and the widget must follow the document back (undo restores what it
shows). The workspace here runs very few Monte Carlo paths: these tests are
about binding, not about the model.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QDoubleSpinBox, QPushButton, QTableView

from planner.model.assumptions import ASSUMPTIONS
from planner.ui.assumptions_panel import AssumptionsPanel
from planner.ui.budget_table import COL_CLASS, COL_SCALE, FIRST_MONTH, BudgetTable
from planner.ui.format import format_number
from planner.ui.sources_view import COL, SourcesView, win_rate_text
from planner.ui.workspace import Workspace


@pytest.fixture
def ws(qtbot, small_data) -> Iterator[Workspace]:
    """A loaded workspace that computes cheaply (the panels do not need settled results)."""
    workspace = Workspace(paths=100, coarse_paths=None, fine_delay_ms=0)
    workspace.load(*small_data, files=("budget.xlsx", "crm.csv"))
    yield workspace
    workspace.shutdown()


def _undo_depth(ws: Workspace) -> int:
    return ws.history.index


# ------------------------------------------------------------------ budget table
@pytest.fixture
def table(qtbot, ws) -> BudgetTable:
    widget = BudgetTable(ws)
    qtbot.addWidget(widget)
    widget.resize(1100, 320)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_budget_table_rows_and_subtotals(table, ws) -> None:
    model = table.model
    budget = ws.effective_budget
    kinds = [(model.row_info(r).kind, model.row_info(r).spend_class) for r in range(model.rowCount())]
    assert kinds == [("line", "brand")] * 2 + [("subtotal", "brand")] + [("line", "demand")] * 3 + [("subtotal", "demand")]
    assert model.columnCount() == FIRST_MONTH + 12 + 1
    brand_sub = model.index(2, FIRST_MONTH)
    assert brand_sub.data() == format_number(float(budget.monthly("brand")[0]))
    assert model.index(2, model.columnCount() - 1).data() == format_number(budget.brand_total)
    assert not (model.flags(brand_sub) & Qt.ItemFlag.ItemIsEditable)
    assert model.flags(model.index(0, FIRST_MONTH)) & Qt.ItemFlag.ItemIsEditable
    assert "NOK" not in table.note.text() and "EUR" in table.note.text()


def test_editing_a_month_with_the_keyboard_is_one_undoable_change(qtbot, table, ws) -> None:
    model, view = table.model, table.view
    row = model.row_of_line("Paid search")
    index = model.index(row, FIRST_MONTH + 2)
    before = ws.scenario
    depth = _undo_depth(ws)
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.findChild(QDoubleSpinBox)
    assert isinstance(editor, QDoubleSpinBox), "F2 opens the amount editor"
    editor.setValue(12_345.0)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Qt commits through a queued call
    qtbot.waitUntil(lambda: ws.scenario != before, timeout=2_000)
    assert ws.scenario.cell_edits == (("Paid search", "2025-03", 12_345.0),)
    assert _undo_depth(ws) == depth + 1
    assert model.index(row, FIRST_MONTH + 2).data() == format_number(12_345.0)
    ws.undo()
    assert ws.scenario == before
    assert model.index(row, FIRST_MONTH + 2).data() != format_number(12_345.0)


def test_typing_the_files_amount_removes_the_edit(table, ws) -> None:
    model = table.model
    index = model.index(0, FIRST_MONTH)
    original = float(ws.budget.lines[0].amounts[0])
    assert model.setData(index, 1.0)
    assert len(ws.scenario.cell_edits) == 1
    assert model.setData(model.index(0, FIRST_MONTH), original)
    assert ws.scenario.cell_edits == ()


def test_changing_a_class_moves_the_line_and_undo_moves_it_back(qtbot, table, ws) -> None:
    model, view = table.model, table.view
    row = model.row_of_line("Thought leadership content")
    index = model.index(row, COL_CLASS)
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    combo = view.findChild(QComboBox)
    assert isinstance(combo, QComboBox), "F2 opens the class combo"
    combo.setCurrentIndex(combo.findData("demand"))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ws.scenario.line_classes != (), timeout=2_000)
    assert ws.scenario.line_classes == (("Thought leadership content", "demand"),)
    new_row = model.row_of_line("Thought leadership content")
    assert model.row_info(new_row).spend_class == "demand"
    assert model.index(new_row, COL_CLASS).data() == "Lead gen"
    # the brand subtotal no longer includes it
    assert ws.effective_budget.brand_total == pytest.approx(18_000.0 * 12)
    ws.undo()
    assert ws.scenario.line_classes == ()
    assert model.row_info(model.row_of_line("Thought leadership content")).spend_class == "brand"
    # choosing the imported class again leaves no trace in the document
    assert not model.setData(model.index(model.row_of_line("Paid search"), COL_CLASS), "demand")


def test_line_scale_and_reset_line(table, ws) -> None:
    model = table.model
    row = model.row_of_line("LinkedIn lead gen ads")
    before_total = ws.effective_budget.total
    assert model.setData(model.index(row, COL_SCALE), 150.0)
    assert ws.scenario.line_scales == (("LinkedIn lead gen ads", 1.5),)
    assert ws.effective_budget.total == pytest.approx(before_total + 0.5 * 22_000.0 * 12)
    assert model.index(row, COL_SCALE).data() == "150\u00a0%"
    assert model.setData(model.index(row, FIRST_MONTH), 5.0)
    depth = _undo_depth(ws)
    table.view.setCurrentIndex(model.index(row, FIRST_MONTH))
    assert table.reset_current_line()
    assert ws.scenario.line_scales == () and ws.scenario.cell_edits == ()
    assert _undo_depth(ws) == depth + 1


def test_brand_share_drag_updates_cells_in_place(qtbot, table, ws) -> None:
    """A slider change keeps the rows (no model reset) and shows the shifted amounts."""
    from dataclasses import replace

    model = table.model
    resets: list[int] = []
    changed: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda *a: changed.append(1))
    ws.change(replace(ws.scenario, brand_share=0.6), "Brand share")
    assert resets == [] and changed
    budget = ws.effective_budget
    assert budget.brand_share == pytest.approx(0.6)
    assert model.index(2, model.columnCount() - 1).data() == format_number(budget.brand_total)
    assert "brand-share shift" in table.note.text()


# ------------------------------------------------------------------ lead sources
@pytest.fixture
def sources(qtbot, ws) -> SourcesView:
    widget = SourcesView(ws)
    qtbot.addWidget(widget)
    widget.resize(1100, 320)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_sources_view_shows_every_source_best_first(sources, ws) -> None:
    model = sources.model
    stats = ws.source_stats
    assert model.rowCount() == len(stats) == 5
    names = [model.index(r, COL["source"]).data() for r in range(model.rowCount())]
    assert names == [s.source for s in stats]
    rates = [s.win_rate for s in stats]
    assert rates == sorted(rates, reverse=True)
    first = model.index(0, COL["win_rate"]).data()
    assert first == win_rate_text(stats[0])
    assert "(" in first and "\u2013" in first and "%" in first
    assert model.index(0, COL["interval"]).data(Qt.ItemDataRole.UserRole + 1)[1] == pytest.approx(stats[0].win_rate)
    assert "objective measure of intent" in sources.explanation.text()
    assert "\u20ac" in model.index(0, COL["avg_won"]).data()


def test_small_source_reads_as_uncertain(qtbot, ws) -> None:
    """A source with four deals has a visibly wider interval and says so."""
    from dataclasses import replace

    deals = ws.deals
    source = deals.source.copy()
    source[:4] = "Podcast"
    ws.load(ws.budget, replace(deals, source=source), ws.files)
    view = SourcesView(ws)
    qtbot.addWidget(view)
    row = view.model.row_of("Podcast")
    stats = view.model.rows[row]
    others = [s for s in view.model.rows if s.source != "Podcast"]
    assert stats.deals == 4
    assert stats.win_rate_high - stats.win_rate_low > max(s.win_rate_high - s.win_rate_low for s in others)
    assert "Too few closed deals" in view.model.index(row, COL["interval"]).data(Qt.ItemDataRole.ToolTipRole)


def test_reclassifying_a_source_is_one_undoable_change(qtbot, sources, ws) -> None:
    model, view = sources.model, sources.view
    row = model.row_of("Webinar")
    index = model.index(row, COL["class"])
    assert index.data() == "Demand"
    depth = _undo_depth(ws)
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    combo = view.findChild(QComboBox)
    assert isinstance(combo, QComboBox), "F2 opens the class combo"
    combo.setCurrentIndex(combo.findData("intent"))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ws.scenario.source_classes != (), timeout=2_000)
    assert ws.scenario.source_classes == (("Webinar", "intent"),)
    assert _undo_depth(ws) == depth + 1
    assert model.index(model.row_of("Webinar"), COL["class"]).data() == "Intent"
    assert "Changed by you" in model.index(model.row_of("Webinar"), COL["class"]).data(Qt.ItemDataRole.ToolTipRole)
    ws.undo()
    assert ws.scenario.source_classes == ()
    assert model.index(model.row_of("Webinar"), COL["class"]).data() == "Demand"


# ------------------------------------------------------------------ assumptions
@pytest.fixture
def assumptions(qtbot, ws) -> AssumptionsPanel:
    widget = AssumptionsPanel(ws)
    qtbot.addWidget(widget)
    widget.resize(1100, 320)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_assumptions_panel_lists_every_assumption_with_range_and_source(assumptions) -> None:
    assert set(assumptions.rows) == {a.key for a in ASSUMPTIONS}
    for spec in ASSUMPTIONS:
        row = assumptions.rows[spec.key]
        assert row.spin.minimum() == pytest.approx(spec.low)
        assert row.spin.maximum() == pytest.approx(spec.high)
        assert row.spin.value() == pytest.approx(spec.value)
        assert row.source.text() == spec.source
        assert spec.source in row.spin.toolTip()
        assert row.label.text() == spec.label
        assert not row.reset.isEnabled()


def test_editing_an_assumption_is_clamped_undoable_and_resettable(qtbot, assumptions, ws) -> None:
    spec = ASSUMPTIONS[0]
    row = assumptions.rows[spec.key]
    depth = _undo_depth(ws)
    row.spin.setFocus()
    row.spin.selectAll()
    qtbot.keyClicks(row.spin, "12")
    qtbot.keyClick(row.spin, Qt.Key.Key_Return)
    assert ws.scenario.assumptions == ((spec.key, 12.0),)
    assert _undo_depth(ws) == depth + 1
    assert row.reset.isEnabled() and assumptions.reset_all.isEnabled()
    # beyond the range: the spin box clamps, the document never sees an out-of-range value
    row.spin.setValue(spec.high * 10)
    assert dict(ws.scenario.assumptions)[spec.key] == pytest.approx(spec.high)
    qtbot.mouseClick(row.reset, Qt.MouseButton.LeftButton)
    assert ws.scenario.assumptions == ()
    assert row.spin.value() == pytest.approx(spec.value)
    ws.undo()
    assert row.spin.value() == pytest.approx(spec.high)
    assert assumptions.reset_to_defaults()
    assert ws.scenario.assumptions == ()


# ------------------------------------------------------------------ accessibility
@pytest.mark.parametrize("panel_cls", [BudgetTable, SourcesView, AssumptionsPanel])
def test_every_control_is_named_and_keyboard_reachable(qtbot, ws, panel_cls) -> None:
    panel = panel_cls(ws)
    qtbot.addWidget(panel)
    panel.show()
    controls = panel.findChildren(QAbstractSpinBox) + panel.findChildren(QPushButton) + panel.findChildren(QComboBox)
    controls += panel.findChildren(QTableView)
    assert controls
    for control in controls:
        assert control.accessibleName(), control
        assert control.toolTip(), control
        assert control.focusPolicy() & Qt.FocusPolicy.TabFocus, control


def test_panels_render_without_data(qtbot) -> None:
    """Before any file is open the panels say what to do instead of showing nothing."""
    empty = Workspace(paths=100, coarse_paths=None)
    table, sources = BudgetTable(empty), SourcesView(empty)
    qtbot.addWidget(table)
    qtbot.addWidget(sources)
    assert table.model.rowCount() == 0 and "Open a budget" in table.note.text()
    assert sources.model.rowCount() == 0 and "Open a CRM export" in sources.summary.text()
    assert table.model.index(0, 0) == QModelIndex() or not table.model.index(0, 0).isValid()
    empty.shutdown()


def test_interval_bar_is_painted(qtbot, sources) -> None:
    """The certainty column draws something (not an empty cell)."""
    rect = sources.view.visualRect(sources.model.index(0, COL["interval"]))
    image = sources.view.viewport().grab(rect).toImage()
    colours = {image.pixelColor(x, rect.height() // 2).rgb() for x in range(image.width())}
    assert len(colours) > 3
    assert np.isfinite(sources.model.scale_max)
