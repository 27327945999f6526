"""The mapping dialog: when detection is unsure, the user tells which column (or sheet) is which.

Real exports name columns in ways no list of synonyms covers ("Hvor kom
kunden fra?" for the lead source), and workbooks hold several sheets that
all look like budgets. Guessing silently would put wrong numbers in front of
a CFO, so the importer asks, with a preview of the first rows so the user
can see what a column holds, and remembers the answer per file layout (a
hash of the header row, or of the sheet names) so next month's export of
the same report opens without a question.

`MappingRequest` is plain data (built off the UI thread by the importer);
`MappingDialog` only shows it and returns the user's choice as a mapping:
CRM: field -> column header as written (`{"stage": "Fase", "amount": ...}`);
budget: `{"sheet": "Budget 2027"}`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.i18n import tr

CRM_FIELDS: tuple[str, ...] = ("stage", "amount", "created", "closed", "source")
"""The columns the model needs, in the order the dialog asks for them."""
REQUIRED_CRM_FIELDS: tuple[str, ...] = ("stage", "amount")
PREVIEW_ROWS = 8
NOT_IN_FILE = ""
"""Combo data for "this file has no such column"."""


def field_labels() -> dict[str, str]:
    """What each CRM field is called in the dialog (built on call so `tr` sees the language)."""
    return {
        "stage": tr("Stage (won / lost / open)"),
        "amount": tr("Amount"),
        "created": tr("Created date"),
        "closed": tr("Close date"),
        "source": tr("Lead source"),
    }


def field_tips() -> dict[str, str]:
    return {
        "stage": tr("The column that says whether a deal is won, lost or still open"),
        "amount": tr("The deal's value"),
        "created": tr("When the opportunity was created: needed for volumes and sales cycles"),
        "closed": tr("When the deal was won or lost: needed for sales cycles"),
        "source": tr("Where the deal came from: needed for win rates by lead source"),
    }


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()[:10]  # type: ignore[union-attr]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def layout_key(kind: str, cells: Sequence[object]) -> str:
    """A stable key for a file layout: the kind and its header cells (or sheet names), hashed.

    Case and surrounding spaces are ignored so a re-export that capitalises
    differently still finds the remembered mapping.
    """
    text = "\x1f".join(_cell_text(c).casefold() for c in cells)
    return f"{kind}:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class MappingRequest:
    """What the importer could not decide about one file, with what the user needs to decide it."""

    path: str
    kind: str  # "crm" | "budget"
    key: str  # layout_key of the header row (crm) or of the sheet names (budget)
    reason: str  # one line: why the dialog is shown
    header: tuple[str, ...] = ()  # crm: the header row's cells as text
    preview: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    """Sheet name -> first rows as text (crm: the header row first)."""
    detected: dict[str, str] = field(default_factory=dict)
    """crm: field -> header the importer found; budget: {"sheet": name} it would use."""
    sheets: tuple[str, ...] = ()  # budget: the sheets that look like budgets

    def preview_sheet(self) -> str:
        return next(iter(self.preview), "")


class MappingDialog(QDialog):
    """Shows a request: preview table on top, the choices below, OK only when the choice is usable."""

    def __init__(self, request: MappingRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self.setObjectName("mappingDialog")
        self.setWindowTitle(
            tr("Which column is which?") if request.kind == "crm" else tr("Which sheet is the budget?")
        )
        self.setModal(True)
        self.setAccessibleName(self.windowTitle())

        name = request.path.replace("\\", "/").rsplit("/", 1)[-1]
        self.reason = QLabel(f"<b>{_escape(name)}</b>: {_escape(request.reason)}")
        self.reason.setObjectName("mappingReason")
        self.reason.setWordWrap(True)
        self.reason.setTextFormat(Qt.TextFormat.RichText)

        self.preview = QTableWidget()
        self.preview.setObjectName("mappingPreview")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectColumns)
        self.preview.setAlternatingRowColors(True)
        self.preview.setAccessibleName(tr("Preview of the first rows"))
        self.preview.setToolTip(tr("The first rows of the file, as read"))
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview.setMinimumHeight(180)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.combos: dict[str, QComboBox] = {}
        if request.kind == "crm":
            labels, tips = field_labels(), field_tips()
            for fld in CRM_FIELDS:
                combo = QComboBox()
                combo.setObjectName(f"mapping_{fld}")
                combo.setMinimumWidth(260)
                none_text = tr("(choose a column)") if fld in REQUIRED_CRM_FIELDS else tr("(not in this file)")
                combo.addItem(none_text, NOT_IN_FILE)
                for header in request.header:
                    if header:
                        combo.addItem(header, header)
                found = request.detected.get(fld)
                if found is not None:
                    combo.setCurrentIndex(max(0, combo.findData(found)))
                combo.setAccessibleName(labels[fld])
                combo.setToolTip(tips[fld])
                label = QLabel(labels[fld] + (" *" if fld in REQUIRED_CRM_FIELDS else ""))
                label.setBuddy(combo)
                form.addRow(label, combo)
                combo.currentIndexChanged.connect(self._changed)
                self.combos[fld] = combo
        else:
            combo = QComboBox()
            combo.setObjectName("mapping_sheet")
            combo.setMinimumWidth(260)
            for sheet in request.sheets:
                combo.addItem(sheet, sheet)
            found = request.detected.get("sheet")
            if found is not None:
                combo.setCurrentIndex(max(0, combo.findData(found)))
            combo.setAccessibleName(tr("Sheet"))
            combo.setToolTip(tr("The sheet that holds the budget lines"))
            label = QLabel(tr("Sheet"))
            label.setBuddy(combo)
            form.addRow(label, combo)
            combo.currentIndexChanged.connect(self._changed)
            self.combos["sheet"] = combo

        self.problem = QLabel()
        self.problem.setObjectName("mappingProblem")
        self.problem.setWordWrap(True)
        self.remember_note = QLabel(tr("Your choice is remembered for files with the same layout."))
        self.remember_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("Use these columns") if request.kind == "crm" else tr("Use this sheet"))
        ok.setAccessibleName(ok.text())
        ok.setToolTip(tr("Read the file with this choice and remember it"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr("Cancel"))
        cancel.setToolTip(tr("Do not open this file; the open workspace stays as it is"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.reason)
        layout.addWidget(self.preview, 1)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.remember_note)
        layout.addWidget(self.buttons)
        self.resize(760, 520)
        self._changed()
        first = next(iter(self.combos.values()))
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    # --------------------------------------------------------------- state
    def mapping(self) -> dict[str, str]:
        """The current choice: crm field -> header (fields not in the file left out), or the sheet."""
        return {fld: str(c.currentData()) for fld, c in self.combos.items() if c.currentData()}

    def problem_text(self) -> str:
        """Why the choice cannot be used yet ("" when it can)."""
        chosen = self.mapping()
        if self.request.kind != "crm":
            return "" if chosen.get("sheet") else tr("Choose a sheet.")
        labels = field_labels()
        missing = [labels[f] for f in REQUIRED_CRM_FIELDS if f not in chosen]
        if missing:
            return tr("Choose a column for: {fields}.").format(fields=", ".join(missing))
        values = list(chosen.values())
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice:
            return tr("Each column can be used once: {columns}.").format(columns=", ".join(twice))
        return ""

    def _changed(self) -> None:
        problem = self.problem_text()
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
        self._fill_preview()

    def _fill_preview(self) -> None:
        request = self.request
        if request.kind == "crm":
            sheet = request.preview_sheet()
        else:
            sheet = str(self.combos["sheet"].currentData() or request.preview_sheet())
        rows = request.preview.get(sheet, ())
        width = max((len(r) for r in rows), default=0)
        self.preview.clear()
        self.preview.setColumnCount(width)
        if request.kind == "crm" and rows:
            chosen = {header: fld for fld, header in self.mapping().items()}
            labels = field_labels()
            heads = []
            for c in range(width):
                text = rows[0][c] if c < len(rows[0]) else ""
                fld = chosen.get(text)
                heads.append(f"{text}\n\u2192 {labels[fld]}" if fld else text)
            self.preview.setHorizontalHeaderLabels(heads)
            body = rows[1:]
        else:
            self.preview.setHorizontalHeaderLabels([_column_letter(c) for c in range(width)])
            body = rows
        self.preview.setRowCount(len(body))
        for r, row in enumerate(body):
            for c, text in enumerate(row):
                self.preview.setItem(r, c, QTableWidgetItem(text))
        self.preview.resizeColumnsToContents()
        for c in range(width):
            if self.preview.columnWidth(c) > 220:
                self.preview.setColumnWidth(c, 220)


def _column_letter(index: int) -> str:
    """Spreadsheet column letters, so a user can match the preview to Excel (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def preview_rows(rows: Sequence[Sequence[object]], start: int = 0, count: int = PREVIEW_ROWS) -> tuple[tuple[str, ...], ...]:
    """Rows `start`.. as text, trailing blank cells trimmed (for the preview table)."""
    out: list[tuple[str, ...]] = []
    for row in rows[start : start + count]:
        cells = [_cell_text(c) for c in row]
        while cells and not cells[-1]:
            cells.pop()
        out.append(tuple(cells))
    return tuple(out)
