"""The open files under the KPI strip: which files the figures come from, and their import report.

A CFO's first question about any figure is "from which file?". The box names
the budget and the CRM export, their currency and how many import notes they
carry, with a button to the import report; it fills the left column under the
KPI strip instead of leaving it empty.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from planner.i18n import tr
from planner.ui.workspace import Workspace


class FilesBox(QGroupBox):
    """File names, currency, note count and an "Import report" button."""

    def __init__(self, workspace: Workspace, open_report: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(tr("Files"), parent)
        self.setObjectName("filesBox")
        self._ws = workspace
        self.names = QLabel()
        self.names.setObjectName("filesNames")
        self.names.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("filesStatus")
        self.status.setWordWrap(True)
        self.status.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.report_button = QPushButton(tr("Import report\u2026"))
        self.report_button.setObjectName("filesReport")
        self.report_button.setToolTip(tr("What the last import read, skipped and assumed"))
        self.report_button.setAccessibleName(tr("Import report"))
        self.report_button.clicked.connect(open_report)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 6)
        layout.addWidget(self.names)
        layout.addWidget(self.status)
        layout.addWidget(self.report_button)
        workspace.dataLoaded.connect(self.refresh)
        self.refresh()

    def refresh(self, notes: int | None = None) -> None:
        """Show the open files; `notes` is the last import report's note count (None: unknown)."""
        budget, deals = self._ws.budget, self._ws.deals
        if budget is None or deals is None:
            self.names.setText(tr("No files open."))
            self.status.setText("")
            self.report_button.setEnabled(notes is not None)
            return
        lines = [
            tr("Budget: {file}").format(file=Path(budget.path).name if budget.path else DASH_NAME),
            tr("CRM export: {file}").format(file=Path(deals.path).name if deals.path else DASH_NAME),
        ]
        self.names.setText("\n".join(lines))
        if notes is None:
            notes = len(budget.notices) + len(deals.notices)
        currency = budget.currency or deals.currency or tr("not stated")
        self.status.setText(tr("Currency {currency}; {n} import notes").format(currency=currency, n=notes))
        self.report_button.setEnabled(True)


DASH_NAME = "\u2013"
