"""Lead sources: which sources bring buyers who buy, with how sure we are.

Win rate is the objective measure of intent: a source whose opportunities
close often brought buyers who were already looking; a source that fills the
funnel with names that rarely buy is pulled demand. The model classes each
source as intent or demand, and this view is where the planner checks and
corrects that (one combo edit = one `Scenario.source_classes` change = one
undo step; the calibration follows).

The interval matters as much as the rate: a source with 4 closed deals and 2
wins is not a 50 % source. The model gives a 90 % Beta-posterior interval
(`planner.model.calibrate.source_table`); this view shows it as text and as a
bar, so a wide bar reads "not sure" at a glance. All figures come from the
model; the view formats and draws them.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.i18n import tr
from planner.scenario.edits import with_source_class
from planner.scenario.workspace import Change
from planner.ui.format import DASH, format_count, format_money, format_number, format_percent
from planner.ui.workspace import Workspace

if TYPE_CHECKING:  # the model (and scipy) load in the background after the window shows
    from planner.model.calibrate import SourceStats

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("source", "class", "deals", "win_rate", "interval", "avg_won", "cycle", "won_share")
COL = {name: i for i, name in enumerate(COLUMNS)}
INTERVAL_ROLE = Qt.ItemDataRole.UserRole + 1
"""(low, rate, high, scale_max) for the interval bar delegate."""
WIDE_INTERVAL = 0.25
"""An interval wider than this (in win-rate points) is flagged as uncertain in words too."""


def class_names() -> dict[str, str]:
    """Source class -> the words the view shows (built on call so `tr` sees the language)."""
    return {"intent": tr("Intent"), "demand": tr("Demand")}


def win_rate_text(stats: SourceStats) -> str:
    """ "42 % (28–57 %)": the rate with its 90 % interval, the way it is read out in a meeting."""
    return tr("{rate} ({low}\u2013{high})").format(
        rate=format_percent(stats.win_rate, 0),
        low=format_number(stats.win_rate_low * 100.0, 0),
        high=format_percent(stats.win_rate_high, 0),
    )


class SourcesModel(QAbstractTableModel):
    """One row per lead source, in the model's order (best win rate first)."""

    def __init__(self, workspace: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._rows: list[SourceStats] = []
        self._imported: dict[str, str] = {}
        self._existing: dict[str, tuple[int, int]] = {}  # source -> (existing-business deals, all deals)
        self._scale = 1.0
        self.refresh()

    def refresh(self) -> None:
        """Take the workspace's current table; rows are rebuilt since the order may change."""
        deals = self._ws.deals
        self._imported = {}
        self._existing = {}
        if deals is not None:
            for source, cls in zip(deals.source.tolist(), deals.source_class.tolist(), strict=True):
                self._imported.setdefault(str(source), str(cls))
            # The model counts renewals (deal type "existing") as existing business,
            # whatever their source's class: the view says so instead of "Intent".
            types = deals.deal_type.tolist()
            if "existing" in types and any(t != "existing" for t in types):
                for source, kind in zip(deals.source.tolist(), types, strict=True):
                    existing, total = self._existing.get(str(source), (0, 0))
                    self._existing[str(source)] = (existing + (kind == "existing"), total + 1)
        self.beginResetModel()
        self._rows = list(self._ws.source_stats)
        highs = [r.win_rate_high for r in self._rows]
        # The bars share one scale so they compare; rounded up to the next 10 %.
        self._scale = min(1.0, (int(max(highs) * 10) + 1) / 10.0) if highs else 1.0
        self.endResetModel()

    @property
    def rows(self) -> list[SourceStats]:
        return list(self._rows)

    @property
    def scale_max(self) -> float:
        return self._scale

    def row_of(self, source: str) -> int:
        for i, r in enumerate(self._rows):
            if r.source == source:
                return i
        raise KeyError(source)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        name = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "source": tr("Lead source"),
                "class": tr("Class"),
                "deals": tr("Deals"),
                "win_rate": tr("Win rate (90 % interval)"),
                "interval": tr("Certainty"),
                "avg_won": tr("Avg won deal"),
                "cycle": tr("Median cycle"),
                "won_share": tr("Share of won revenue"),
            }[name]
        if role == Qt.ItemDataRole.ToolTipRole:
            return {
                "source": tr("The lead source as written in the CRM export"),
                "class": tr("Intent: buyers who came by themselves. Demand: pulled in by campaigns. "
                            "Change it with the combo box; the model follows."),  # fmt: skip
                "deals": tr("Opportunities from this source (closed ones in brackets)"),
                "win_rate": tr("Won share of closed deals, shrunk towards the overall rate when there are few; "
                               "the brackets hold the 90 % interval"),  # fmt: skip
                "interval": tr("The bar is the 90 % interval of the win rate, the tick the estimate. "
                               "A long bar means too few closed deals to be sure."),  # fmt: skip
                "avg_won": tr("Average amount of a won deal"),
                "cycle": tr("Median days from created to closed"),
                "won_share": tr("This source's share of all won revenue"),
            }[name]
        if role == Qt.ItemDataRole.TextAlignmentRole and section >= COL["deals"]:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL["class"]:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        stats = self._rows[index.row()]
        name = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(stats, name)
        if role == Qt.ItemDataRole.EditRole and name == "class":
            return stats.source_class
        if role == INTERVAL_ROLE and name == "interval":
            return (stats.win_rate_low, stats.win_rate, stats.win_rate_high, self._scale)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= COL["deals"]:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(stats, name)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if name == "interval":
                return self._tooltip(stats, name)
            return self._text(stats, name)
        if role == Qt.ItemDataRole.ForegroundRole and name == "source" and not stats.source:
            return QPalette().brush(QPalette.ColorRole.PlaceholderText)
        return None

    def _text(self, stats: SourceStats, name: str) -> str:
        currency = self._ws.currency
        if name == "source":
            return stats.source or tr("(no source)")
        if name == "class":
            cls = class_names().get(stats.source_class, stats.source_class)
            existing, total = self._existing.get(stats.source, (0, 0))
            if total and existing == total:
                return tr("Existing business")
            if existing:
                return tr("{cls} + {n} existing").format(cls=cls, n=format_count(existing))
            return cls
        if name == "deals":
            return tr("{deals} ({closed})").format(deals=format_count(stats.deals), closed=format_count(stats.closed))
        if name == "win_rate":
            return win_rate_text(stats)
        if name == "interval":
            return ""
        if name == "avg_won":
            return format_money(stats.avg_won_amount, currency) if stats.won else DASH
        if name == "cycle":
            return tr("{days} days").format(days=format_number(stats.median_cycle_days)) if stats.closed else DASH
        return format_percent(stats.won_share, 1)

    def _tooltip(self, stats: SourceStats, name: str) -> str:
        if name in ("win_rate", "interval"):
            text = tr("{won} won of {closed} closed. 90 % interval {low} to {high}.").format(
                won=format_count(stats.won),
                closed=format_count(stats.closed),
                low=format_percent(stats.win_rate_low, 0),
                high=format_percent(stats.win_rate_high, 0),
            )
            if stats.win_rate_high - stats.win_rate_low > WIDE_INTERVAL:
                text += " " + tr("Too few closed deals to be sure.")
            return text
        if name == "class":
            existing, total = self._existing.get(stats.source, (0, 0))
            if existing:
                return tr(
                    "{existing} of {total} deals are renewals of existing customers: the model counts them as "
                    "existing business, not as {cls} (their win rate is in this row). F2 changes the class of the others."
                ).format(existing=format_count(existing), total=format_count(total),
                         cls=class_names().get(stats.source_class, stats.source_class))  # fmt: skip
            imported = self._imported.get(stats.source)
            if imported is not None and imported != stats.source_class:
                return tr("Changed by you (the importer said {cls}). F2 to change.").format(
                    cls=class_names().get(imported, imported)
                )
            return tr("Classified from the source's name. F2 or double-click to change.")
        return self._text(stats, name)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        """A class edit becomes one Scenario change (one undo step)."""
        if role != Qt.ItemDataRole.EditRole or index.column() != COL["class"]:
            return False
        stats = self._rows[index.row()]
        new = with_source_class(self._ws.scenario, stats.source, str(value), self._imported.get(stats.source))
        label = tr("Class of source {source}").format(source=stats.source or tr("(no source)"))
        return self._ws.change(new, label)


class IntervalDelegate(QStyledItemDelegate):
    """Draws the 90 % interval as a bar on a shared scale, with a tick at the estimate."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        value = index.data(INTERVAL_ROLE)
        super().paint(painter, option, index)  # background, selection and focus
        if not value:
            return
        low, rate, high, scale = value
        palette = option.palette
        rect = QRectF(option.rect).adjusted(6, 0, -6, 0)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_colour = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        accent = QColor(palette.color(QPalette.ColorRole.Highlight))
        if selected:
            accent = text_colour
        mid_y = rect.center().y()

        def x_of(v: float) -> float:
            return rect.left() + rect.width() * min(max(v / scale, 0.0), 1.0)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        track = QColor(text_colour)
        track.setAlphaF(0.25)
        painter.setPen(QPen(track, 1))
        # whole pixels, as Qt's int overload draws them (PySide6 truncates floats there)
        painter.drawLine(int(rect.left()), int(mid_y), int(rect.right()), int(mid_y))
        band = QColor(accent)
        band.setAlphaF(0.45)
        bar_h = max(6.0, rect.height() * 0.35)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(band)
        painter.drawRoundedRect(QRectF(x_of(low), mid_y - bar_h / 2, max(2.0, x_of(high) - x_of(low)), bar_h), 2, 2)
        painter.setPen(QPen(text_colour, 2))
        x = x_of(rate)
        painter.drawLine(int(x), int(mid_y - bar_h / 2 - 2), int(x), int(mid_y + bar_h / 2 + 2))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        return QSize(max(hint.width(), 140), hint.height())


class SourceClassDelegate(QStyledItemDelegate):
    """A combo box editor for the class column."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        combo = QComboBox(parent)
        for code, text in class_names().items():
            combo.addItem(text, code)
        combo.setAccessibleName(tr("Source class"))
        combo.setToolTip(tr("Intent or demand"))
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class SourcesView(QWidget):
    """The Lead sources panel: the why in one line, then the table."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sourcesView")
        self._ws = workspace
        self.explanation = QLabel(
            tr("Win rate is the objective measure of intent: sources whose buyers win often bring "
               "buyers who were already looking. Bars show the 90 % interval; a long bar means "
               "too few closed deals to be sure.")
        )  # fmt: skip
        self.explanation.setObjectName("sourcesExplanation")
        self.explanation.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("sourcesSummary")
        self.summary.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.model = SourcesModel(workspace, self)
        self.view = QTableView()
        self.view.setObjectName("sourcesTable")
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(COL["class"], SourceClassDelegate(self.view))
        self.view.setItemDelegateForColumn(COL["interval"], IntervalDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.view.setTabKeyNavigation(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)  # at 1920 wide a stretched share column ran 650 px
        self.view.setAccessibleName(tr("Lead sources by win rate"))
        self.view.setToolTip(tr("Arrow keys move; F2 on the class column changes a source's class."))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.explanation)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)

        workspace.dataLoaded.connect(self._on_data_loaded)
        workspace.scenarioChanged.connect(self._on_scenario_changed)
        self._on_data_loaded()

    def _on_data_loaded(self) -> None:
        self.refresh()
        self._size_columns()

    def _on_scenario_changed(self, change: Change) -> None:
        # Only a source-class change (edit, undo or redo) moves this table;
        # slider drags must not rebuild it 60 times a second. New files: `_on_data_loaded`.
        if change.sources and not change.data:
            self.refresh()

    def refresh(self) -> None:
        current = self.view.currentIndex()
        source = self.model.rows[current.row()].source if current.isValid() else None
        self.model.refresh()
        if source is not None:
            with contextlib.suppress(KeyError):
                self.view.setCurrentIndex(self.model.index(self.model.row_of(source), current.column()))
        deals = self._ws.deals
        if deals is None:
            self.summary.setText(tr("Open a CRM export to see win rates by lead source."))
        else:
            self.summary.setText(
                tr("{n} lead sources from {deals} opportunities, best win rate first.").format(
                    n=format_count(self.model.rowCount()), deals=format_count(len(deals))
                )
            )

    def _size_columns(self) -> None:
        self.view.resizeColumnsToContents()
        header = self.view.horizontalHeader()
        header.resizeSection(COL["interval"], max(header.sectionSize(COL["interval"]), 150))
        header.resizeSection(COL["source"], min(max(header.sectionSize(COL["source"]), 120), 240))
