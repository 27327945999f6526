"""The mapping dialog: when the readers are unsure, the user tells which column (or sheet) is which.

Real exports name columns in ways no list of synonyms covers ("Angebotssumme
(EUR)" for the amount, "Hvor kom kunden fra?" for the lead source), and
workbooks hold several sheets that all look like budgets. Guessing silently
would put wrong numbers in front of a CFO, so the importer asks, with the
readers' own reasons for doubt and a preview of the first rows so the user
can see what a column holds.

Detection, reasons and the layout key all come from the io layer
(`planner.io.open`, which builds the `MappingRequest` off the UI thread);
this module only shows them. `MappingDialog` returns the user's choice as a
mapping that goes straight back to the readers:
CRM: field -> column header as written, "" for "not in this file", plus
`"sheet"` when the workbook has several deal tables
(`{"stage": "Phase", "amount": "Angebotssumme (EUR)", "deal_type": ""}`);
budget: `{"sheet": "Budget 2027"}` (`{}` for a text file, which has one table).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.i18n import tr
from planner.io.crm import FIELDS, REQUIRED
from planner.io.open import (  # plain data built off the UI thread; re-exported for old imports
    PREVIEW_ROWS,
    SHEET,
    MappingRequest,
    SheetPreview,
    budget_sheet_label,
)

__all__ = [
    "PREVIEW_ROWS",
    "SHEET",
    "MappingDialog",
    "MappingRequest",
    "SheetPreview",
    "budget_sheet_label",
]

CRM_FIELDS: tuple[str, ...] = (*REQUIRED, *(f for f in FIELDS if f not in REQUIRED))
"""The reader's fields in the order the dialog asks for them: the required ones first.

Derived from `planner.io.crm.FIELDS` so a field the reader learns is offered here too."""
REQUIRED_CRM_FIELDS: tuple[str, ...] = tuple(REQUIRED)
NOT_IN_FILE = ""
"""Combo data for "this file has no such column"; the reader takes "" to mean exactly that."""
MAX_COLUMN_WIDTH = 220


def field_labels() -> dict[str, str]:
    """What each CRM field is called in the dialog (built on call so `tr` sees the language)."""
    return {
        "stage": tr("Stage (won / lost / open)"),
        "amount": tr("Amount"),
        "name": tr("Deal name"),
        "created": tr("Created date"),
        "closed": tr("Close date"),
        "source": tr("Lead source"),
        "deal_type": tr("Deal type (new / existing)"),
        "currency": tr("Currency"),
        "account": tr("Account (customer)"),
    }


def field_tips() -> dict[str, str]:
    """Why each field matters, so a user can judge whether leaving one out costs anything."""
    return {
        "stage": tr("The column that says whether a deal is won, lost or still open"),
        "amount": tr("The deal's value"),
        "name": tr("The deal's name: used to point at rows that could not be read"),
        "created": tr("When the opportunity was created: needed for volumes and sales cycles"),
        "closed": tr("When the deal was won or lost: needed for sales cycles"),
        "source": tr("Where the deal came from: needed for win rates by lead source"),
        "deal_type": tr("New business or an existing customer: without it the deal type is unknown"),
        "currency": tr("The currency of the amounts, when the export has a column for it"),
        "account": tr("The customer each deal belongs to: renewals and upsells are traced by account"),
    }


class MappingDialog(QDialog):
    """Shows a request: reasons, preview table, the choices below; OK only when the choice is usable."""

    def __init__(self, request: MappingRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        crm = request.kind == "crm"
        self.setObjectName("mappingDialog")
        if crm:
            title = tr("Which column is which?")
        elif request.sheets:
            title = tr("Which sheet is the budget?")
        else:
            title = tr("Check how the budget is read")
        self.setWindowTitle(title)
        self.setModal(True)
        self.setAccessibleName(title)

        name = request.path.replace("\\", "/").rsplit("/", 1)[-1]
        items = "".join(f"<li>{_escape(d)}</li>" for d in request.details)
        self.reason = QLabel(
            f"<p><b>{_escape(name)}</b>: {_escape(request.reason)}</p>"
            + (f"<ul>{items}</ul>" if items else "")
        )
        self.reason.setObjectName("mappingReason")
        self.reason.setWordWrap(True)
        self.reason.setTextFormat(Qt.TextFormat.RichText)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason.setAccessibleName(tr("Why planner asks"))

        self.preview = QTableWidget()
        self.preview.setObjectName("mappingPreview")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectColumns)
        self.preview.setAlternatingRowColors(True)
        self.preview.setAccessibleName(tr("Preview of the first rows"))
        self.preview.setToolTip(tr("The first rows of the file, as read"))
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview.setMinimumHeight(200)

        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.combos: dict[str, QComboBox] = {}
        row = 0
        if request.sheets and (request.choose_sheet or not crm):
            combo = QComboBox()
            combo.setObjectName("mapping_sheet")
            combo.setMinimumWidth(220)
            for p in request.previews:
                combo.addItem(p.label, p.name)
            combo.setAccessibleName(tr("Sheet"))
            combo.setToolTip(
                tr("The sheet that holds the deals") if crm else tr("The sheet that holds the budget lines")
            )
            label = QLabel(tr("Sheet"))
            label.setBuddy(combo)
            grid.addWidget(label, row, 0)
            grid.addWidget(combo, row, 1, 1, 3)
            combo.currentIndexChanged.connect(self._sheet_changed)
            self.combos[SHEET] = combo
            row += 1
        if crm:
            labels, tips = field_labels(), field_tips()
            for i, fld in enumerate(CRM_FIELDS):
                combo = QComboBox()
                combo.setObjectName(f"mapping_{fld}")
                combo.setMinimumWidth(200)
                combo.setAccessibleName(labels[fld])
                combo.setToolTip(tips[fld])
                label = QLabel(labels[fld] + (" *" if fld in REQUIRED_CRM_FIELDS else ""))
                label.setBuddy(combo)
                r, c = row + i // 2, (i % 2) * 2
                grid.addWidget(label, r, c)
                grid.addWidget(combo, r, c + 1)
                self.combos[fld] = combo
            self._fill_columns(self._current_sheet())
            for fld in CRM_FIELDS:
                self.combos[fld].currentIndexChanged.connect(self._changed)

        self.problem = QLabel()
        self.problem.setObjectName("mappingProblem")
        self.problem.setWordWrap(True)
        self.remember_note = QLabel(tr("Your choice is remembered for files with the same layout."))
        self.remember_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.remember_note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if crm:
            ok.setText(tr("Use these columns"))
        elif request.sheets:
            ok.setText(tr("Use this sheet"))
        else:
            ok.setText(tr("Open the budget"))
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
        layout.addLayout(grid)
        layout.addWidget(self.problem)
        layout.addWidget(self.remember_note)
        layout.addWidget(self.buttons)
        self.resize(860, 600 if crm else 520)
        self._changed()
        first = next(iter(self.combos.values()), None)
        (first or ok).setFocus(Qt.FocusReason.OtherFocusReason)

    # --------------------------------------------------------------- state
    def mapping(self) -> dict[str, str]:
        """The current choice, in the form the readers take (see the module docstring)."""
        chosen: dict[str, str] = {}
        for key, combo in self.combos.items():
            value = str(combo.currentData() or "")
            if key == SHEET:
                if value:
                    chosen[SHEET] = value
            else:
                chosen[key] = value  # "" = the file has no such column
        return chosen

    def problem_text(self) -> str:
        """Why the choice cannot be used yet ("" when it can)."""
        chosen = self.mapping()
        if SHEET in self.combos and not chosen.get(SHEET):
            return tr("Choose a sheet.")
        if self.request.kind != "crm":
            return ""
        labels = field_labels()
        missing = [labels[f] for f in REQUIRED_CRM_FIELDS if not chosen.get(f)]
        if missing:
            return tr("Choose a column for: {fields}.").format(fields=", ".join(missing))
        values = [v for k, v in chosen.items() if k != SHEET and v]
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice:
            return tr("Each column can be used once: {columns}.").format(columns=", ".join(twice))
        return ""

    def _current_sheet(self) -> SheetPreview | None:
        combo = self.combos.get(SHEET)
        if combo is None:
            return self.request.previews[0] if self.request.previews else None
        return self.request.preview(str(combo.currentData() or ""))

    def _fill_columns(self, sheet: SheetPreview | None) -> None:
        """Offer `sheet`'s headers in every field's combo, detected column and its rivals first."""
        headers = [h for h in (sheet.headers if sheet else ()) if h]
        detected = sheet.detected if sheet else {}
        alternatives = sheet.alternatives if sheet else {}
        for fld in CRM_FIELDS:
            combo = self.combos[fld]
            combo.blockSignals(True)
            combo.clear()
            none_text = tr("(choose a column)") if fld in REQUIRED_CRM_FIELDS else tr("(not in this file)")
            combo.addItem(none_text, NOT_IN_FILE)
            likely = [h for h in (detected.get(fld), *alternatives.get(fld, ())) if h and h in headers]
            for header in likely:
                combo.addItem(header, header)
            if likely:
                combo.insertSeparator(combo.count())
            for header in headers:
                if header not in likely:
                    combo.addItem(header, header)
            found = detected.get(fld)
            combo.setCurrentIndex(max(0, combo.findData(found)) if found else 0)
            combo.blockSignals(False)

    def _sheet_changed(self) -> None:
        if self.request.kind == "crm":
            self._fill_columns(self._current_sheet())
        self._changed()

    def _changed(self) -> None:
        problem = self.problem_text()
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
        self._fill_preview()

    def _fill_preview(self) -> None:
        sheet = self._current_sheet()
        headers = sheet.headers if sheet else ()
        rows = sheet.rows if sheet else ()
        width = max([len(headers), *(len(r) for r in rows)])
        self.preview.clear()
        self.preview.setColumnCount(width)
        if headers:
            chosen = {h: f for f, h in self.mapping().items() if f != SHEET and h}
            labels = field_labels()
            heads = []
            for c in range(width):
                text = headers[c] if c < len(headers) else ""
                fld = chosen.get(text)
                heads.append(f"{text}\n\u2192 {labels[fld]}" if fld else text)
            self.preview.setHorizontalHeaderLabels(heads)
        else:
            self.preview.setHorizontalHeaderLabels([_column_letter(c) for c in range(width)])
        self.preview.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.preview.setItem(r, c, QTableWidgetItem(text))
        self.preview.resizeColumnsToContents()
        for c in range(width):
            if self.preview.columnWidth(c) > MAX_COLUMN_WIDTH:
                self.preview.setColumnWidth(c, MAX_COLUMN_WIDTH)


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
