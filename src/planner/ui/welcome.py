"""The welcome page: what an empty window shows instead of charts labelled "0 0 0 0 0".

A newcomer (or a user whose file was refused) sees what to do next: open
files, open the demo, one of the recent files, and one line on which formats
are read. A file read while its other half is missing is named here too, so
the user knows it was kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from planner.i18n import tr


class WelcomePage(QWidget):
    """Open files, open the demo, recent files, and a hint about formats."""

    def __init__(
        self,
        open_files: Callable[[], None],
        open_demo: Callable[[], None],
        open_recent: Callable[[list[str]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self._open_recent = open_recent
        title = QLabel(tr("Plan your marketing budget by what it does to revenue"))
        title.setObjectName("welcomeTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        title.setWordWrap(True)
        intro = QLabel(
            tr("Open your budget and a CRM export of closed deals. planner learns win rates from the deals "
               "and shows what moving money between brand and lead generation does to revenue, margin and risk.")
        )  # fmt: skip
        intro.setWordWrap(True)
        self.open_button = QPushButton(tr("Open files\u2026"))
        self.open_button.setObjectName("welcomeOpen")
        self.open_button.setToolTip(tr("Open a budget and a CRM export"))
        self.open_button.setAccessibleName(tr("Open files"))
        self.open_button.clicked.connect(open_files)
        self.demo_button = QPushButton(tr("Open the demo"))
        self.demo_button.setObjectName("welcomeDemo")
        self.demo_button.setToolTip(tr("Open the embedded demo budget and CRM export"))
        self.demo_button.setAccessibleName(tr("Open the demo"))
        self.demo_button.clicked.connect(open_demo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        self.waiting = QLabel()
        self.waiting.setObjectName("welcomeWaiting")
        self.waiting.setWordWrap(True)
        self.waiting.hide()
        self.recent_title = QLabel(tr("Recent files"))
        bold = self.recent_title.font()
        bold.setBold(True)
        self.recent_title.setFont(bold)
        self.recent_box = QVBoxLayout()
        self.recent_box.setSpacing(2)
        hint = QLabel(
            tr("Reads .xlsx, .xlsm, .csv, .tsv and .txt: budgets with one column per month or one row per month, "
               "CRM exports from Salesforce, HubSpot, Pipedrive and similar. You can also drop files on the window.")
        )  # fmt: skip
        hint.setObjectName("welcomeHint")
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        card = QFrame()
        card.setObjectName("welcomeCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setFixedWidth(640)  # a fixed width lets the wrapped labels claim their full height
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.setSpacing(10)
        inner.addWidget(title)
        inner.addWidget(intro)
        inner.addLayout(buttons)
        inner.addWidget(self.waiting)
        inner.addSpacing(6)
        inner.addWidget(self.recent_title)
        inner.addLayout(self.recent_box)
        inner.addSpacing(6)
        inner.addWidget(hint)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        for label in (title, intro, hint):
            label.setMinimumHeight(label.heightForWidth(640 - 48))
        outer.addStretch(2)
        self.recent_buttons: list[QPushButton] = []

    def set_recent(self, entries: Sequence[Sequence[str]]) -> None:
        """One flat button per recent pair of files (at most five)."""
        for button in self.recent_buttons:
            self.recent_box.removeWidget(button)
            button.deleteLater()
        self.recent_buttons = []
        for paths in list(entries)[:5]:
            paths = [str(p) for p in paths]
            button = QPushButton(" + ".join(Path(p).name for p in paths))
            button.setFlat(True)
            button.setStyleSheet("text-align: left;")
            button.setToolTip("\n".join(paths))
            button.setAccessibleName(tr("Open recent: {files}").format(files=button.text()))
            button.clicked.connect(lambda _=False, p=paths: self._open_recent(p))
            self.recent_box.addWidget(button)
            self.recent_buttons.append(button)
        self.recent_title.setVisible(bool(self.recent_buttons))

    def set_waiting(self, names: Sequence[str]) -> None:
        """Name the file(s) read and kept while their other half is missing."""
        if names:
            self.waiting.setText(
                tr("Read and kept: {files}. Open the other file to start.").format(
                    files=", ".join(names)
                )
            )
        self.waiting.setVisible(bool(names))
