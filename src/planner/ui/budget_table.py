"""The budget as an editable table: line, class, scale, months, total, with class subtotals.

The table shows the *effective* budget (`Workspace.effective_budget`: the
imported plan with the scenario's edits, scales and brand-share shift
applied), because that is the plan the charts simulate. It never changes a
`Budget` itself: every edit becomes one new `Scenario` value through
`Workspace.change`, so each edit is one undo step and the charts follow.

Why a QAbstractTableModel: the document changes up to 60 times a second
while the slider is dragged; the model then only emits `dataChanged` for the
cells (the rows stay), instead of rebuilding thousands of widget items.

What an edit means (Qt's DisplayRole / EditRole split):
* a month cell *shows* the effective amount; its editor holds the line's
  planned amount for the month *before* the line scale, the total-budget
  change and the brand-share shift. With none of those active the two are
  the same number; when they are, the note above the table says so.
* the class combo writes `Scenario.line_classes` (an entry only while it
  differs from the imported class, so choosing the original class again
  leaves no trace in the document);
* the scale column writes `Scenario.line_scales` (100 % removes the entry).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHeaderView,
    QLabel,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.i18n import tr
from planner.io.types import Budget, BudgetLine
from planner.scenario.document import Scenario
from planner.scenario.edits import (
    with_cell_edit,
    with_line_class,
    with_line_scale,
    without_line_edits,
)
from planner.scenario.workspace import Change
from planner.ui.format import (
    currency_label,
    format_money,
    format_month_label,
    format_number,
    format_share,
)
from planner.ui.workspace import Workspace

COL_LINE, COL_CLASS, COL_SCALE = 0, 1, 2
FIRST_MONTH = 3
MAX_SCALE_PERCENT = 500.0
Index = QModelIndex | QPersistentModelIndex


def class_names() -> dict[str, str]:
    """Spend class -> the words the table shows (built on call so `tr` sees the language)."""
    return {"brand": tr("Brand"), "demand": tr("Lead gen")}


@dataclass(frozen=True)
class Row:
    """One table row: a budget line (by its index in the effective budget) or a class subtotal."""

    kind: str  # "line" | "subtotal"
    spend_class: str
    line: int = -1


class BudgetModel(QAbstractTableModel):
    """Rows: brand lines, brand subtotal, lead-gen lines, lead-gen subtotal."""

    def __init__(self, workspace: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._budget: Budget | None = None
        self._rows: list[Row] = []
        self._base: dict[tuple[str, str], float] = {}
        self._imported_class: dict[str, str] = {}
        self._edited: set[tuple[str, str]] = set()
        self._scales: dict[str, float] = {}
        self._shape: tuple = ()
        self.refresh()

    # ------------------------------------------------------------ binding
    def refresh(self) -> None:
        """Take the workspace's current document; keep the rows when only amounts moved."""
        budget = self._ws.effective_budget
        rows = self._layout(budget)
        shape = (
            None if budget is None else budget.months,
            tuple((r.kind, r.spend_class, r.line) for r in rows),
            None if budget is None else tuple(ln.name for ln in budget.lines),
        )
        self._index_document(self._ws.budget, self._ws.scenario)
        if shape != self._shape:
            self.beginResetModel()
            self._budget, self._rows, self._shape = budget, rows, shape
            self.endResetModel()
        else:
            self._budget = budget
            if self._rows:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1)
                )

    def _layout(self, budget: Budget | None) -> list[Row]:
        if budget is None:
            return []
        rows: list[Row] = []
        for cls in ("brand", "demand"):
            rows.extend(Row("line", cls, i) for i, ln in enumerate(budget.lines) if ln.spend_class == cls)
            rows.append(Row("subtotal", cls))
        return rows

    def _index_document(self, imported: Budget | None, scenario: Scenario) -> None:
        """Look-ups for the edit role: imported amounts with the scenario's cell edits on top."""
        self._base.clear()
        self._imported_class.clear()
        if imported is not None:
            for ln in imported.lines:
                self._imported_class.setdefault(ln.name, ln.spend_class)
                for m, month in enumerate(imported.months):
                    self._base.setdefault((ln.name, month), float(ln.amounts[m]))
        self._edited = set()
        for name, month, amount in scenario.cell_edits:
            self._base[(name, month)] = float(amount)
            self._edited.add((name, month))
        self._scales = {name: float(s) for name, s in scenario.line_scales}

    # ------------------------------------------------------------ queries
    @property
    def budget(self) -> Budget | None:
        return self._budget

    def row_info(self, row: int) -> Row:
        return self._rows[row]

    def line_at(self, row: int) -> BudgetLine | None:
        info = self._rows[row]
        if info.kind != "line" or self._budget is None:
            return None
        return self._budget.lines[info.line]

    def is_imported_line(self, row: int) -> bool:
        """False for the line the brand-share shift adds when a class had none (not editable)."""
        line = self.line_at(row)
        return line is not None and line.name in self._imported_class

    def month_column(self, month: str) -> int:
        assert self._budget is not None
        return FIRST_MONTH + self._budget.months.index(month)

    def row_of_line(self, name: str) -> int:
        for r, info in enumerate(self._rows):
            line = self.line_at(r)
            if info.kind == "line" and line is not None and line.name == name:
                return r
        raise KeyError(name)

    # ------------------------------------------------------- Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        if parent.isValid() or self._budget is None:
            return 0
        return FIRST_MONTH + len(self._budget.months) + 1

    def _total_column(self) -> int:
        return self.columnCount() - 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or self._budget is None:
            return None
        months = self._budget.months
        if role == Qt.ItemDataRole.DisplayRole:
            if section == COL_LINE:
                return tr("Line")
            if section == COL_CLASS:
                return tr("Class")
            if section == COL_SCALE:
                return tr("Scale")
            if section == self._total_column():
                return tr("Total")
            return format_month_label(months[section - FIRST_MONTH])
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == COL_CLASS:
                return tr("Brand builds memory slowly; lead gen buys leads now. Change it with the combo box.")
            if section == COL_SCALE:
                return tr("Scale a line up or down: 100 % is the amount in the file")
            if section == self._total_column():
                return tr("The line's total over the budget's months")
            if FIRST_MONTH <= section < self._total_column():
                return months[section - FIRST_MONTH]
        if role == Qt.ItemDataRole.TextAlignmentRole and section >= COL_SCALE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()].kind != "line" or not self.is_imported_line(index.row()):
            return base
        if index.column() in (COL_CLASS, COL_SCALE) or FIRST_MONTH <= index.column() < self._total_column():
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._budget is None:
            return None
        info = self._rows[index.row()]
        col = index.column()
        if info.kind == "subtotal":
            return self._subtotal_data(info, col, role)
        line = self._budget.lines[info.line]
        months = self._budget.months
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_LINE:
                return line.name
            if col == COL_CLASS:
                return class_names()[line.spend_class]
            if col == COL_SCALE:
                return format_number(self._scales.get(line.name, 1.0) * 100.0, 0) + "\u00a0%"
            if col == self._total_column():
                return format_number(line.total)
            return format_number(float(line.amounts[col - FIRST_MONTH]))
        if role == Qt.ItemDataRole.EditRole:
            if col == COL_CLASS:
                return line.spend_class
            if col == COL_SCALE:
                return self._scales.get(line.name, 1.0) * 100.0
            if FIRST_MONTH <= col < self._total_column():
                return self._base.get((line.name, months[col - FIRST_MONTH]), 0.0)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= COL_SCALE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            edited = (
                (FIRST_MONTH <= col < self._total_column() and (line.name, months[col - FIRST_MONTH]) in self._edited)
                or (col == COL_SCALE and line.name in self._scales)
                or (col == COL_CLASS and line.class_origin == "user")
            )
            if edited:
                font = QFont()
                font.setItalic(True)
                font.setBold(True)
                return font
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(line, col)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            header = self.headerData(col, Qt.Orientation.Horizontal)
            return f"{line.name}, {header}: {self.data(index)}"
        return None

    def _tooltip(self, line: BudgetLine, col: int) -> str:
        if col == COL_LINE:
            section = tr("Section: {section}").format(section=line.section) if line.section else ""
            return "\n".join(t for t in (line.name, section) if t)
        if col == COL_CLASS:
            how = {
                "column": tr("Class read from the file's category column"),
                "section": tr("Class taken from the section the line sits under"),
                "name": tr("Class guessed from the line's name"),
                "default": tr("Class not told by the file; lead gen assumed"),
                "user": tr("Class chosen by you"),
            }.get(line.class_origin, "")
            return how + "\n" + tr("F2 or double-click to change")
        if col == COL_SCALE:
            return tr("Multiplier on this line (100 % = as in the file). F2 to edit.")
        if FIRST_MONTH <= col < self._total_column():
            assert self._budget is not None
            month = self._budget.months[col - FIRST_MONTH]
            if (line.name, month) in self._edited:
                return tr("Edited by you. F2 to change; Reset line in the context menu.")
            return tr("Planned amount for {month}. F2 or type to edit.").format(month=format_month_label(month))
        return ""

    def _subtotal_data(self, info: Row, col: int, role: int) -> Any:
        assert self._budget is not None
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_LINE:
                return tr("Brand subtotal") if info.spend_class == "brand" else tr("Lead gen subtotal")
            if col == COL_CLASS:
                return class_names()[info.spend_class]
            if col == COL_SCALE:
                return ""
            monthly = self._budget.monthly(info.spend_class)  # type: ignore[arg-type]
            if col == self._total_column():
                return format_number(self._budget.brand_total if info.spend_class == "brand" else self._budget.demand_total)
            return format_number(float(monthly[col - FIRST_MONTH]))
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return QPalette().brush(QPalette.ColorRole.AlternateBase)
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= COL_SCALE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tr("Sum of the lines above (not editable)")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        """Turn an edit into one new Scenario and hand it to the workspace (one undo step)."""
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        line = self.line_at(index.row())
        assert line is not None and self._budget is not None
        col = index.column()
        scenario = self._ws.scenario
        if col == COL_CLASS:
            new = with_line_class(scenario, line.name, str(value), self._imported_class[line.name])
            label = tr("Class of {line}").format(line=line.name)
        elif col == COL_SCALE:
            new = with_line_scale(scenario, line.name, float(value) / 100.0)
            label = tr("Scale {line}").format(line=line.name)
        else:
            month = self._budget.months[col - FIRST_MONTH]
            imported = self._ws.budget
            original = None
            if imported is not None:
                for ln in imported.lines:
                    if ln.name == line.name:
                        original = float(ln.amounts[imported.months.index(month)])
                        break
            new = with_cell_edit(scenario, line.name, month, float(value), original)
            label = tr("Edit {line} {month}").format(line=line.name, month=format_month_label(month))
        return self._ws.change(new, label)


class BudgetDelegate(QStyledItemDelegate):
    """Editors: a combo for the class, spin boxes for scale and amounts (keyboard friendly)."""

    def __init__(self, currency: str | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.currency = currency

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        col = index.column()
        if col == COL_CLASS:
            combo = QComboBox(parent)
            for code, text in class_names().items():
                combo.addItem(text, code)
            combo.setAccessibleName(tr("Spend class"))
            combo.setToolTip(tr("Brand or lead generation"))
            return combo
        spin = QDoubleSpinBox(parent)
        spin.setKeyboardTracking(False)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        if col == COL_SCALE:
            spin.setRange(0.0, MAX_SCALE_PERCENT)
            spin.setDecimals(0)
            spin.setSingleStep(5.0)
            spin.setSuffix("\u00a0%")
            spin.setAccessibleName(tr("Line scale in percent"))
            spin.setToolTip(tr("100 % = the amount in the file"))
        else:
            spin.setRange(0.0, 1e12)
            spin.setDecimals(0)
            spin.setSingleStep(1000.0)
            spin.setGroupSeparatorShown(True)
            label = currency_label(self.currency)
            if label:
                spin.setSuffix("\u00a0" + label)
            spin.setAccessibleName(tr("Monthly amount"))
            spin.setToolTip(tr("Planned amount before line scale, total change and brand-share shift"))
        return spin

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QDoubleSpinBox):
            editor.setValue(float(value or 0.0))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QDoubleSpinBox):
            editor.interpretText()
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


class BudgetTable(QWidget):
    """The Budget panel: a note on what is shown, and the table."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("budgetTable")
        self._ws = workspace
        self.note = QLabel()
        self.note.setObjectName("budgetNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.model = BudgetModel(workspace, self)
        self.delegate = BudgetDelegate(workspace.currency, self)
        self.view = QTableView()
        self.view.setObjectName("budgetView")
        self.view.setModel(self.model)
        self.view.setItemDelegate(self.delegate)
        self.view.setAlternatingRowColors(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(False)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.setAccessibleName(tr("Budget lines"))
        self.view.setToolTip(
            tr("Arrow keys move, F2 or typing edits a cell, Enter confirms. Menu key: reset a line.")
        )
        self.reset_line_action = QAction(tr("Reset line to the file"), self)
        self.reset_line_action.setShortcut(QKeySequence("Ctrl+Backspace"))
        self.reset_line_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.reset_line_action.setToolTip(tr("Undo every edit of the selected line (amounts, class, scale)"))
        self.reset_line_action.triggered.connect(self.reset_current_line)
        self.view.addAction(self.reset_line_action)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.note)
        layout.addWidget(self.view, 1)

        self._behind = False  # the document changed while the table was hidden: sync when shown
        workspace.scenarioChanged.connect(self._on_scenario_changed)
        workspace.dataLoaded.connect(self._on_data_loaded)
        self._on_data_loaded()

    def _on_data_loaded(self) -> None:
        self.delegate.currency = self._ws.currency
        self.sync()
        self._size_columns()

    def _size_columns(self) -> None:
        header = self.view.horizontalHeader()
        if self.model.columnCount() == 0:
            return
        self.view.resizeColumnToContents(COL_LINE)
        header.resizeSection(COL_LINE, min(max(header.sectionSize(COL_LINE), 140), 260))
        self.view.resizeColumnToContents(COL_CLASS)
        self.view.resizeColumnToContents(COL_SCALE)
        width = self.view.fontMetrics().horizontalAdvance("888,888,888") + 14
        for col in range(FIRST_MONTH, self.model.columnCount()):
            header.resizeSection(col, width)

    def _on_scenario_changed(self, change: Change) -> None:
        # the horizon, assumptions and source classes do not move a budget amount
        if change.budget and not change.data:  # new files: `_on_data_loaded` syncs
            if self.isVisible():
                self.sync()
            else:  # behind another tab: a slider drag must not recompute a table nobody sees
                self._behind = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        if self._behind:
            self.sync()
        super().showEvent(event)

    def sync(self) -> None:
        """Document -> table: new amounts in place, or new rows when lines moved class."""
        self._behind = False
        self.model.refresh()
        self._update_note()

    def _update_note(self) -> None:
        budget = self.model.budget
        if budget is None:
            self.note.setText(tr("Open a budget to see its lines here."))
            return
        scenario = self._ws.scenario
        currency = self._ws.currency
        parts = [
            tr("Total {total}, brand {share}.").format(
                total=format_money(budget.total, currency), share=format_share(budget.brand_share)
            ),
        ]
        if currency:
            parts.append(tr("Amounts in {currency}.").format(currency=currency))
        if scenario.brand_share is not None or scenario.total_scale != 1.0 or scenario.line_scales:
            parts.append(
                tr("Shown after the scenario's scale and brand-share shift; an edited cell sets "
                   "the plan before them.")
            )  # fmt: skip
        else:
            parts.append(tr("Double-click or F2 to edit; subtotal rows add up the lines."))
        self.note.setText(" ".join(parts))

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid():
            self.view.setCurrentIndex(index)
        menu = QMenu(self)
        self.reset_line_action.setEnabled(self._current_line() is not None)
        menu.addAction(self.reset_line_action)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def _current_line(self) -> str | None:
        index = self.view.currentIndex()
        if not index.isValid() or not self.model.is_imported_line(index.row()):
            return None
        line = self.model.line_at(index.row())
        return None if line is None else line.name

    def reset_current_line(self) -> bool:
        """Remove every edit of the selected line, as one undo step."""
        name = self._current_line()
        if name is None:
            return False
        new = without_line_edits(self._ws.scenario, name)
        return self._ws.change(new, tr("Reset {line}").format(line=name))
