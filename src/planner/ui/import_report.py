"""The import report: what each opened file gave, what was skipped or assumed, and which file failed.

`planner inspect` prints the import notices; the window used to swallow them.
Every import now ends in an `ImportReport` (one `FileReport` per file, built
from the notices `planner.io` attached to `Budget` and `Deals`, or from the
file's error). The window shows a one-line notice bar with "Details" and keeps
the last report under File > Import report, so the user can read it again
later (e.g. when a figure looks odd in the meeting).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from planner.i18n import tr
from planner.io.notices import Notice
from planner.io.types import Budget, Deals
from planner.ui.format import format_count, format_month_label


@dataclass(frozen=True)
class FileReport:
    """One file of an import: read (with its notices) or failed (with the reason)."""

    path: str
    kind: str  # "budget", "crm" or "" when the file could not be placed
    summary: str  # what was read, one line ("14 lines, Jan 27 – Dec 29")
    notices: tuple[str, ...] = ()  # one line each
    details: tuple[str, ...] = ()  # the first few rows behind the notices
    error: str | None = None  # the one-line failure, when the file was not read
    status: str = "loaded"  # "loaded", "waiting" (read, waiting for its other half), "failed"

    @property
    def name(self) -> str:
        return Path(self.path).name


@dataclass(frozen=True)
class ImportReport:
    """All files of one import, in the order they were opened."""

    files: tuple[FileReport, ...]

    @property
    def failed(self) -> tuple[FileReport, ...]:
        return tuple(f for f in self.files if f.error)

    @property
    def notice_count(self) -> int:
        return sum(len(f.notices) for f in self.files)

    def headline(self) -> str:
        """The notice bar's one line: what was read, what failed, how many notes."""
        parts = []
        for f in self.files:
            if f.error:
                parts.append(tr("{file}: not read").format(file=f.name))
            elif f.status == "waiting":
                parts.append(tr("{file}: read, waiting for its other half").format(file=f.name))
            elif f.notices:
                parts.append(tr("{file}: {n} notes").format(file=f.name, n=len(f.notices)))
            else:
                parts.append(tr("{file}: read").format(file=f.name))
        return " \u00b7 ".join(parts)


def _notice_lines(notices: tuple[Notice, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    details: list[str] = []
    for n in notices:
        details.extend(n.details)
    return tuple(n.message for n in notices), tuple(details)


def budget_report(path: str, budget: Budget, status: str = "loaded") -> FileReport:
    """What a budget import gave: lines, months, currency and its notices."""
    months = budget.months
    span = (
        f"{format_month_label(months[0])} \u2013 {format_month_label(months[-1])}" if months else ""
    )
    summary = tr("Budget: {lines} lines, {months} months ({span}), currency {currency}").format(
        lines=format_count(len(budget.lines)), months=len(months), span=span,
        currency=budget.currency or tr("not stated"),
    )  # fmt: skip
    notes, details = _notice_lines(budget.notices)
    return FileReport(path, "budget", summary, notes, details, status=status)


def crm_report(
    path: str, deals: Deals, budget_currency: str | None, status: str = "loaded"
) -> FileReport:
    """What a CRM import gave: deals read, rows skipped and why, the currency and whether it was assumed."""
    summary = tr("CRM export: {n} deals ({won} won, {open} open)").format(
        n=format_count(len(deals)),
        won=format_count(int(deals.won.sum())),
        open=format_count(int(deals.is_open.sum())),
    )
    skipped = deals.skipped.count
    if skipped:
        summary += " \u00b7 " + tr("{skipped} of {rows} rows skipped").format(
            skipped=format_count(skipped), rows=format_count(len(deals) + skipped)
        )
    notes, details = _notice_lines(deals.notices)
    if deals.currency is None and budget_currency:
        assumed = tr("The file names no currency; amounts are taken to be in {currency} (the budget's).")
        notes = (*notes, assumed.format(currency=budget_currency))
    elif deals.currency is None:
        notes = (*notes, tr("Neither file names a currency: amounts are shown as plain numbers."))
    return FileReport(path, "crm", summary, notes, details, status=status)


def failed_report(path: str, message: str) -> FileReport:
    return FileReport(path, "", tr("Not read"), error=message, status="failed")


def report_html(report: ImportReport) -> str:
    """The report as readable rich text: one section per file."""
    out = []
    for f in report.files:
        out.append(f"<h3>{escape(f.name)}</h3><p>{escape(f.summary)}</p>")
        if f.error:
            out.append(
                f"<p style='color:#c62828'><b>{escape(tr('Not read:'))}</b> {escape(f.error)}</p>"
            )
        if f.status == "waiting":
            out.append(
                f"<p>{escape(tr('Read and kept: open the other file (budget or CRM export) to start.'))}</p>"
            )
        if f.notices:
            out.append("<ul>" + "".join(f"<li>{escape(n)}</li>" for n in f.notices) + "</ul>")
        elif not f.error:
            out.append(f"<p>{escape(tr('Nothing skipped or assumed.'))}</p>")
        if f.details:
            out.append(f"<p><i>{escape(tr('First rows concerned:'))}</i></p>")
            out.append("<ul>" + "".join(f"<li>{escape(d)}</li>" for d in f.details[:10]) + "</ul>")
    return "".join(out)


class ImportReportDialog(QDialog):
    """The last import's report, readable and selectable (File > Import report)."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importReport")
        self.setWindowTitle(tr("Import report"))
        self.browser = QTextBrowser()
        self.browser.setObjectName("importReportText")
        self.browser.setAccessibleName(tr("Import report"))
        self.browser.setHtml(report_html(report))
        self.browser.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(620, 420)
