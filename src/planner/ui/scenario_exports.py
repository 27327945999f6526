"""File > Export to Excel, Export PDF, Export charts: `planner.report` on the worker, never on the UI thread.

The export runs every scenario of the workspace through its own
`ModelSession` (the window's session keeps serving the slider meanwhile),
with the window's seed and path count, so the workbook's figures are the
ones `planner report` writes for the same scenario file. A file is written
beside its target and renamed, so a failed export never leaves half a report.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow

from planner.i18n import tr
from planner.io.types import Budget, Deals
from planner.scenario.collection import ScenarioSet
from planner.ui.concurrent import Done, Worker

if TYPE_CHECKING:
    from planner.report.data import ReportData

MainWindow = QMainWindow  # planner.ui.main_window.MainWindow: not imported, it installs this module

Kind = Literal["xlsx", "pdf", "png"]
CHART_SIZE = (1600, 900)


def chart_specs(data: ReportData) -> dict[str, object]:
    """The charts "Export charts" writes: file stem -> ChartSpec (all scenarios overlaid in their colours)."""
    from planner.report.charts import monthly_lines, revenue_fan

    figs, cur = data.scenarios, data.currency
    return {
        "revenue": revenue_fan(figs, cur),
        "pipeline": monthly_lines(figs, "pipeline_created", "Pipeline created per month", cur),
        "arr": monthly_lines(figs, "arr", "ARR", cur),
        "contribution": monthly_lines(figs, "contribution", "Contribution after marketing per month", cur),
        "gross-margin": monthly_lines(figs, "gross_margin_pct", "Gross margin %", cur, "percent"),
    }


def export(kind: Kind, out: Path, budget: Budget, deals: Deals, scenarios: ScenarioSet, *, seed: int,
           paths: int, title: str, cancel: Callable[[], bool] | None = None) -> list[Path]:
    """Compute the report and write it; the files written. Runs on the worker (no widgets)."""
    from planner.report.data import build_report

    data = build_report(budget, deals, scenarios, seed=seed, paths=paths, title=title)
    if cancel is not None and cancel():
        raise RuntimeError("cancelled")
    if kind == "png":
        from planner.report.painter import save_chart_png

        out.mkdir(parents=True, exist_ok=True)
        written = []
        for stem, spec in chart_specs(data).items():
            target = out / f"{_slug(title)}-{stem}.png"
            _atomic(target, lambda tmp, s=spec: save_chart_png(s, tmp, *CHART_SIZE))  # type: ignore[misc]
            written.append(target)
        return written
    if kind == "pdf":
        from planner.report.pdf import write_pdf

        _atomic(out, lambda tmp: write_pdf(data, tmp))
    else:
        from planner.report.xlsx import write_xlsx

        _atomic(out, lambda tmp: write_xlsx(data, tmp))
    return [out]


def _atomic(out: Path, write: Callable[[str], object]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, out)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _slug(text: str) -> str:
    return re.sub(r"[^\w\-]+", "-", text, flags=re.UNICODE).strip("-").lower() or "planner"


class Exports(QObject):
    """The three export actions of one window and the worker they run on."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.worker = Worker(self)
        self.worker.finished.connect(self._done)
        self.last: list[Path] = []
        self.xlsx_action = self._action(tr("Export to &Excel\u2026"), "Ctrl+E", lambda: self.dialog("xlsx"),
                                        tr("A workbook with every scenario, its monthly figures and native charts"))
        self.pdf_action = self._action(tr("Export &PDF\u2026"), "Ctrl+Shift+E", lambda: self.dialog("pdf"),
                                       tr("One page per scenario with the main charts and KPIs"))
        self.png_action = self._action(tr("Export c&harts\u2026"), None, lambda: self.dialog("png"),
                                       tr("The charts of every scenario as PNG pictures"))

    def _action(self, text: str, shortcut: str | None, slot: Callable[[], None], tip: str) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _=False: slot())
        self.window.addAction(action)
        return action

    @property
    def actions(self) -> list[QAction]:
        return [self.xlsx_action, self.pdf_action, self.png_action]

    def title(self) -> str:
        return self.window.scenario_actions.display_name()

    def dialog(self, kind: Kind) -> None:
        start = self.window.scenario_actions._start_path(self.title())
        if kind == "png":
            folder = QFileDialog.getExistingDirectory(self.window, tr("Export charts to"), str(Path(start).parent))
            if folder:
                self.start(kind, folder)
            return
        pattern = "Excel (*.xlsx)" if kind == "xlsx" else "PDF (*.pdf)"
        path, _ = QFileDialog.getSaveFileName(self.window, tr("Export"), f"{start}.{kind}", pattern)
        if path:
            self.start(kind, path if path.lower().endswith(f".{kind}") else f"{path}.{kind}")

    def start(self, kind: Kind, out: str | Path) -> bool:
        """Export off the UI thread; False (and one line) when there is nothing to export."""
        ws = self.window.workspace
        if ws.budget is None or ws.deals is None:
            self.window.show_error(tr("Open a budget and a CRM export first"))
            return False
        budget, deals, scenarios = ws.budget, ws.deals, ws.scenarios
        seed, paths, title, target = ws.seed, ws.paths, self.title(), Path(out)
        self.worker.submit(
            lambda _progress, cancel: export(kind, target, budget, deals, scenarios, seed=seed, paths=paths,
                                             title=title, cancel=cancel),
            tag=target,
        )
        self.window.show_notice(tr("Exporting {name}\u2026").format(name=target.name))
        return True

    def _done(self, done: Done) -> None:
        if done.error is not None:
            error = done.error
            message = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
            self.window.show_error(tr("Export failed: {error}").format(error=message))
            return
        self.last = list(done.value)
        shown = done.tag if len(self.last) == 1 else done.tag / "*.png"
        self.window.show_notice(tr("Exported {path}").format(path=shown))


def install_exports(window: MainWindow, file_menu: object, anchor: QAction | None) -> Exports:
    exports = Exports(window)
    for action in exports.actions:
        if anchor is not None:
            file_menu.insertAction(anchor, action)
        else:
            file_menu.addAction(action)
    return exports


__all__ = ["Exports", "chart_specs", "export", "install_exports"]
