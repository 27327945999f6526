"""File > Export to Excel, Export PDF and Export charts from the window, on real files, off the UI thread."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtGui import QImage
from tests.filegen.scenario_inputs import write_model_files

from planner.scenario.document import Scenario


@pytest.fixture
def window(qtbot, tmp_path: Path):
    from planner.ui.app import load_files_now
    from planner.ui.main_window import MainWindow
    from planner.ui.workspace import Workspace

    win = MainWindow(Workspace(paths=300, coarse_paths=None, fine_delay_ms=10))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    load_files_now(win.workspace, write_model_files(tmp_path))
    ws = win.workspace
    ws.change(replace(ws.scenario, brand_share=0.45), "Brand share")
    ws.change_scenarios(ws.scenarios.add(Scenario(name="Brand push", brand_share=0.6)), "Add")
    yield win
    win.scenario_actions.exports.worker.wait()
    ws.shutdown()
    win.best_split.shutdown()


def _export(qtbot, win, kind: str, out: Path) -> list[Path]:
    exports = win.scenario_actions.exports
    with qtbot.waitSignal(exports.worker.finished, timeout=120_000) as blocker:
        assert exports.start(kind, out)
        assert exports.worker.is_busy()  # the UI thread is free while it runs
    assert blocker.args[0].error is None, blocker.args[0].error
    return exports.last


def test_menu_holds_the_exports(window) -> None:
    texts = [a.text().replace("&", "") for a in window.scenario_actions.file_menu.actions()]
    for wanted in ("Export to Excel\u2026", "Export PDF\u2026", "Export charts\u2026", "Share for review\u2026"):
        assert wanted in texts


def test_excel_export_has_every_scenario_and_native_charts(qtbot, window, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    assert _export(qtbot, window, "xlsx", out) == [out]
    book = load_workbook(out)
    names = " ".join(book.sheetnames)
    for scenario in ("Baseline", "Scenario", "Brand push"):
        assert scenario in names
    assert sum(len(ws._charts) for ws in book.worksheets) >= 3
    assert "Exported" in _status_error(window) and "plan.xlsx" in _status_error(window)


def test_pdf_export_has_a_page_per_scenario(qtbot, window, tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    _export(qtbot, window, "pdf", out)
    assert len(re.findall(rb"/Type\s*/Page\b", out.read_bytes())) == 3  # Baseline, Scenario, Brand push


def test_chart_export_writes_pngs_in_the_scenario_colours(qtbot, window, tmp_path: Path) -> None:
    written = _export(qtbot, window, "png", tmp_path / "charts")
    for chart in ("revenue", "pipeline", "arr", "contribution", "gross-margin"):
        assert sum(p.name.endswith(f"-{chart}.png") for p in written) == 1
    image = QImage(str(written[0]))
    assert (image.width(), image.height()) == (1600, 900)
    colours = {image.pixelColor(x, y).name().upper() for x in range(0, 1600, 2) for y in range(0, 900, 2)}
    assert {"#E69F00", "#56B4E9"} <= colours  # "Scenario" and "Brand push" in their own colours


def _status_error(window) -> str:
    """The one-line message the status bar shows (found by its object name, as a user sees it)."""
    from PySide6.QtWidgets import QLabel

    return window.statusBar().findChild(QLabel, "statusError").text()
