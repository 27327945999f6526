"""The open files under the KPI strip: which files the figures come from, and their import report.

A CFO's first question about any figure is "from which file?". The box names
the budget and the CRM export (elided to the column's width, the full path in
the tooltip) and links to the import report with its note count. Three short
lines, so the column still fits a 1366x768 projector without scrolling.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from planner.i18n import tr
from planner.ui.workspace import Workspace


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" to the width it is given."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(20, self.width())
        super().setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, width))


class FilesBox(QFrame):
    """Budget file, CRM file, and "Import report… (n notes)"."""

    def __init__(self, workspace: Workspace, open_report: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filesBox")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(tr("Files"))
        self._ws = workspace
        self.budget_name = ElidedLabel()
        self.budget_name.setObjectName("filesBudget")
        self.crm_name = ElidedLabel()
        self.crm_name.setObjectName("filesCrm")
        for label in (self.budget_name, self.crm_name):
            label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.report_button = QPushButton()
        self.report_button.setObjectName("filesReport")
        self.report_button.setFlat(True)
        self.report_button.setStyleSheet("text-align: left; padding: 0px 2px;")
        self.report_button.setToolTip(tr("What the last import read, skipped and assumed"))
        self.report_button.setAccessibleName(tr("Import report"))
        self.report_button.clicked.connect(open_report)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        layout.setSpacing(0)
        layout.addWidget(self.budget_name)
        layout.addWidget(self.crm_name)
        layout.addWidget(self.report_button)
        workspace.dataLoaded.connect(self.refresh)
        self.refresh()

    def refresh(self, notes: int | None = None) -> None:
        """Show the open files; `notes` is the last import report's note count (None: count the files' own)."""
        budget, deals = self._ws.budget, self._ws.deals
        if budget is None or deals is None:
            self.budget_name.set_full_text(tr("No files open."))
            self.crm_name.set_full_text("")
            self.report_button.setText(tr("Import report\u2026"))
            self.report_button.setEnabled(notes is not None)
            return
        self.budget_name.set_full_text(tr("Budget: {file}").format(file=Path(budget.path or "").name))
        self.crm_name.set_full_text(tr("CRM export: {file}").format(file=Path(deals.path or "").name))
        if notes is None:
            notes = len(budget.notices) + len(deals.notices)
        self.report_button.setText(tr("Import report\u2026 ({n} notes)").format(n=notes))
        self.report_button.setEnabled(True)
