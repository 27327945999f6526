"""Opening files through the window: demo, bad file, drag and drop, recent files, start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QLabel

from planner.resources import demo_paths
from planner.ui.format import DASH
from planner.ui.glossary import how_to_read_text
from planner.ui.main_window import MainWindow
from planner.ui.workspace import Workspace


@pytest.fixture
def empty_window(qtbot):
    ws = Workspace(paths=1_000, coarse_paths=300, fine_delay_ms=30)
    win = MainWindow(ws)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def _wait_loaded(qtbot, win) -> None:
    ws = win.workspace
    qtbot.waitUntil(lambda: ws.has_data() and ws.is_settled and not ws.is_busy, timeout=60_000)
    qtbot.waitUntil(lambda: win.charts.shown is ws.results, timeout=10_000)


def test_empty_window_says_what_to_do(empty_window) -> None:
    controls = empty_window.controls
    assert not controls.slider.isEnabled()
    assert "open" in controls.own_split.text().lower()


def test_open_demo_loads_both_files_and_draws(qtbot, empty_window) -> None:
    empty_window.demo_action.trigger()
    _wait_loaded(qtbot, empty_window)
    ws = empty_window.workspace
    assert {Path(f).name for f in ws.files} == {p.name for p in demo_paths()}
    assert ws.currency is not None
    assert empty_window.controls.slider.isEnabled()
    assert ws.currency in empty_window.controls.kpis.tiles[0].value.text()
    assert "planner" in empty_window.windowTitle()


def test_bad_file_shows_error_and_keeps_the_workspace(qtbot, empty_window, tmp_path: Path) -> None:
    win = empty_window
    win.open_demo()
    _wait_loaded(qtbot, win)
    budget, scenario = win.workspace.budget, win.workspace.scenario
    bad = tmp_path / "budget.xlsx"
    bad.write_bytes(b"\x00\x01garbage" * 100)
    win.open_files([str(bad)])
    error = win.findChild(QLabel, "statusError")
    qtbot.waitUntil(lambda: bool(error.text()), timeout=30_000)
    assert "budget.xlsx" in error.text()
    assert win.workspace.budget is budget and win.workspace.scenario == scenario


def test_dropping_files_opens_them(qtbot, empty_window) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in demo_paths()])
    event = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    empty_window.dropEvent(event)
    _wait_loaded(qtbot, empty_window)
    assert len(empty_window.workspace.files) == 2


def test_recent_menu_lists_opened_files(qtbot, empty_window) -> None:
    empty_window.open_demo()
    _wait_loaded(qtbot, empty_window)
    empty_window.recent_menu.aboutToShow.emit()  # what opening the menu does
    texts = [a.text() for a in empty_window.recent_menu.actions()]
    assert any(demo_paths()[0].name in t for t in texts), texts


def test_best_split_runs_and_marks_the_best_share(qtbot, window) -> None:
    panel = window.best_split
    window.show_panel(window.panel_index["bestSplit"])
    with qtbot.waitSignal(panel.sweepFinished, timeout=120_000):
        panel.run()
    sweep = panel.sweep
    assert 0.0 <= sweep.best_share_contribution <= 1.0
    assert panel.best_lines[0].value() == pytest.approx(sweep.best_share_contribution)
    assert panel.current_lines[0].value() == pytest.approx(window.workspace.effective_budget.brand_share)
    assert len(panel.curve.getData()[0]) == len(sweep.shares)
    assert "%" in panel.summary.text()
    panel.use_button.click()
    assert window.workspace.scenario.brand_share == pytest.approx(sweep.best_share_contribution)
    assert panel.is_current()  # changing only the share keeps the sweep valid


def test_use_best_split_is_disabled_once_the_plan_changes(qtbot, window, small_data) -> None:
    """A 12-month answer must not be applied to a 6-month plan (nor to other files)."""
    from dataclasses import replace

    ws, panel = window.workspace, window.best_split
    window.show_panel(window.panel_index["bestSplit"])
    with qtbot.waitSignal(panel.sweepFinished, timeout=120_000):
        panel.run()
    assert panel.use_button.isEnabled()
    ws.change(replace(ws.scenario, months=6), "Horizon")
    assert not panel.is_current() and not panel.use_button.isEnabled()
    share = ws.scenario.brand_share
    panel.use_best()  # even a programmatic click does not apply the old answer
    assert ws.scenario.brand_share == share and ws.scenario.months == 6
    with qtbot.waitSignal(panel.sweepFinished, timeout=120_000):
        panel.run()  # a run for the plan as it is now enables it again
    assert panel.is_current() and panel.use_button.isEnabled()
    ws.change(replace(ws.scenario, assumptions=(("brand_half_life", 12.0),)), "Assumption")
    assert not panel.use_button.isEnabled()
    ws.undo()
    assert panel.is_current() and panel.use_button.isEnabled()  # back to what the sweep answered
    ws.load(*small_data, files=("other.xlsx", "other.csv"))
    assert not panel.use_button.isEnabled()


def test_best_split_cancel(qtbot, window) -> None:
    panel = window.best_split
    panel.run()
    assert panel.is_running() and panel.cancel_button.isEnabled()
    panel.cancel()
    assert not panel.is_running() and panel.run_button.isEnabled()
    assert "Cancel" in panel.summary.text()


def test_how_to_read_explains_the_activity_metric() -> None:
    text = how_to_read_text()
    assert "activity metric" in text and "P10" in text


_RUN_APP = """
import sys, time
start = time.perf_counter()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from planner.ui.app import create_application, run_app
from planner.ui.main_window import MainWindow

create_application()
shown = {}

def poll():
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.isVisible():
            shown.setdefault("at", time.perf_counter() - start)
            ready = widget.panels.count() == 6 and widget.workspace.results is not None
            if ready or time.perf_counter() - start > 90:
                widget.close()
                QApplication.quit()
                return
    QTimer.singleShot(20, poll)

QTimer.singleShot(0, poll)
code = run_app(files=(), demo=False)
print(widget_panels[0] if (widget_panels := [w.panels.count() for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]) else 0)
print(f"{shown['at']:.3f}")
sys.exit(code)
"""


def test_run_app_shows_the_window_within_two_seconds(tmp_path: Path) -> None:
    """`planner` with no files: the window is up within 2 s (imports included), then the demo loads.

    In a subprocess, because `app.exec()` and `quit()` would end the test
    session's own event loop.
    """
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PLANNER_SETTINGS_DIR": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", _RUN_APP], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    panels, seconds = proc.stdout.strip().splitlines()[-2:]
    assert float(seconds) < 2.0
    assert int(panels) == 6  # charts, then the five panels built after the window showed (model health last)
    saved = json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))
    assert saved["window_geometry"]  # restored on the next start
    assert [Path(p).name for p in saved["recent_files"][0]] == [p.name for p in demo_paths()]


def _example_pairs() -> dict[str, tuple]:
    from tests.filegen import budget_files as bg
    from tests.filegen import crm_files as cg

    return {
        "salesforce+wide_en": (
            ("crm.csv", lambda p: cg.write_salesforce_csv(p, cg.make_deals(150, language="en", seed=5))),
            ("budget.xlsx", lambda p: bg.write_wide_xlsx(p, bg.make_lines("en"), language="en")),
        ),
        "german_unicode+wide_de_formulas": (
            ("crm.txt", lambda p: cg.write_german_unicode_txt(p, cg.make_deals(150, language="de", seed=6))),
            ("budget.xlsx", lambda p: bg.write_wide_xlsx(p, bg.make_lines("de"), language="de", formulas="totals")),
        ),
        "danish+wide_da": (
            ("crm.csv", lambda p: cg.write_nordic_csv(p, cg.make_deals(150, language="da", seed=7), "da")),
            ("budget.csv", lambda p: bg.write_wide_csv(p, bg.make_lines("da"), language="da")),
        ),
        "hubspot+long": (
            ("crm.xlsx", lambda p: cg.write_hubspot_xlsx(p, cg.make_deals(150, language="en", seed=8))),
            ("budget.xlsx", lambda p: bg.write_long(p, bg.make_lines("en"))),
        ),
    }


@pytest.mark.parametrize("pair", ["salesforce+wide_en", "german_unicode+wide_de_formulas", "danish+wide_da", "hubspot+long"])
def test_generated_example_files_open_and_draw(qtbot, empty_window, tmp_path: Path, pair: str) -> None:
    """Real files in the formats users export, opened through the window end to end."""
    paths = []
    for name, write in _example_pairs()[pair]:
        path = tmp_path / name
        write(path)
        paths.append(str(path))
    empty_window.open_files(paths)
    _wait_loaded(qtbot, empty_window)
    ws = empty_window.workspace
    assert sorted(ws.files) == sorted(paths)
    shown = empty_window.charts.shown
    assert shown is ws.results and shown.scenario == ws.scenario
    assert empty_window.charts.rev_mean.getData()[1].sum() > 0
    revenue_text = empty_window.controls.kpis.tiles[0].value.text()
    assert revenue_text != "\u2013"
    if ws.currency:
        from planner.ui.format import currency_label

        assert currency_label(ws.currency) in revenue_text


def test_language_choice_is_saved_for_the_next_start(empty_window, settings_dir: Path) -> None:
    actions = {a.data(): a for a in empty_window.language_menu.actions()}
    assert set(actions) >= {None, "en", "da", "nb", "de"}
    actions["da"].trigger()
    saved = json.loads((settings_dir / "settings.json").read_text(encoding="utf-8"))
    assert saved["language"] == "da"
    actions = {a.data(): a for a in empty_window.language_menu.actions()}  # the menus were rebuilt in Danish
    assert actions["da"].isChecked() and not actions["en"].isChecked()


def test_language_switch_applies_at_once(qtbot, window) -> None:
    """No restart: menus, tabs, KPI tiles and chart titles follow the new language, with the same figures."""
    revenue_before = window.controls.kpis.values()["revenue_mean"]
    actions = {a.data(): a for a in window.language_menu.actions()}
    actions["de"].trigger()
    assert window.panels.tabText(0) == "Diagramme"
    assert window.menuBar().actions()[0].text() == "&Datei"
    assert window.charts.revenue.title.text() != "Revenue per month"
    assert window.controls.kpis.tiles[3].spec.title == "CAC-Amortisation"
    qtbot.waitUntil(lambda: window.charts.shown is window.workspace.results, timeout=10_000)
    assert window.controls.kpis.values()["revenue_mean"].replace(".", ",") != ""
    assert window.controls.kpis.values()["revenue_mean"] != DASH and revenue_before != DASH
    assert window.panels.count() == 6
    {a.data(): a for a in window.language_menu.actions()}["en"].trigger()
    assert window.panels.tabText(0) == "Charts"
