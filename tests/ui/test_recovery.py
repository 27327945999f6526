"""Autosave and crash recovery with a real process: change, kill -9, start again, restore."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        PLANNER_DATA_DIR=str(tmp_path / "data"),
        PLANNER_SETTINGS_DIR=str(tmp_path / "settings"),
        PLANNER_AUTOSAVE_SECONDS="1",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")]),
    )
    return env


def _autosaved_share(folder: Path) -> float | None:
    for path in folder.glob("*.autosave.planner.json"):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        current = next(s for s in doc["scenarios"] if s["id"] == doc["current"])
        return current["scenario"].get("brand_share")
    return None


@pytest.mark.skipif(os.name != "posix", reason="kill -9 is POSIX")
def test_killed_app_offers_to_restore_its_change_at_the_next_start(tmp_path: Path) -> None:
    env = _env(tmp_path)
    script = str(ROOT / "tests" / "ui" / "crashing_app.py")
    app = subprocess.Popen([sys.executable, script, "change", "0.61"], env=env, cwd=tmp_path,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    autosaves = tmp_path / "data" / "autosave"
    try:
        deadline = time.monotonic() + 120
        while _autosaved_share(autosaves) != 0.61:
            assert app.poll() is None, app.stdout.read()
            assert time.monotonic() < deadline, "no autosave with the change"
            time.sleep(0.2)
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait(30)
    assert app.returncode == -signal.SIGKILL

    again = subprocess.run([sys.executable, script, "restore"], env=env, cwd=tmp_path, capture_output=True,
                           text=True, timeout=180)
    lines = again.stdout.splitlines()
    offer = next(line for line in lines if line.startswith("OFFER"))
    assert "did not close properly" in offer and "Scenario" in offer
    assert "RESTORED 0.61 True" in lines, again.stdout + again.stderr
    assert again.returncode == 0
    assert not list(autosaves.glob("*.autosave.planner.json"))  # restored, then closed cleanly


def test_a_change_is_autosaved_without_waiting_for_the_minute(qtbot, tmp_path: Path, monkeypatch) -> None:
    from dataclasses import replace

    from tests.filegen.scenario_inputs import write_model_files

    from planner.scenario.autosave import recoverable
    from planner.ui.app import load_files_now
    from planner.ui.main_window import MainWindow
    from planner.ui.workspace import Workspace

    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PLANNER_AUTOSAVE_SECONDS", "600")
    win = MainWindow(Workspace(paths=200, coarse_paths=None, fine_delay_ms=10))
    qtbot.addWidget(win)
    load_files_now(win.workspace, write_model_files(tmp_path))
    actions = win.scenario_actions
    actions.start_autosave()
    ws = win.workspace
    ws.change(replace(ws.scenario, brand_share=0.52), "Brand share")
    folder = tmp_path / "data" / "autosave"
    qtbot.waitUntil(lambda: _autosaved_share(folder) == 0.52, timeout=10_000)
    assert actions.autosave_interval_ms == 600_000  # the periodic save waits its minute(s); the change did not
    win.close()  # a clean exit: the slot's file goes, nothing is offered at the next start
    assert not list(folder.glob("*.autosave.planner.json")) and recoverable(folder) == []
    ws.shutdown()


def test_the_offer_can_be_declined_or_kept_for_later(qtbot, tmp_path: Path, monkeypatch) -> None:
    from tests.ui.dialogs import answer, press

    from planner.scenario.autosave import AutosaveSlot, recoverable
    from planner.scenario.collection import ScenarioSet
    from planner.scenario.document import Scenario
    from planner.scenario.files import PlannerFile
    from planner.ui.main_window import MainWindow
    from planner.ui.recovery import offer_recovery
    from planner.ui.workspace import Workspace

    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    crashed = AutosaveSlot(pid=2**22 + 12345)  # a process id no live process has
    crashed.save(PlannerFile(ScenarioSet().add(Scenario(name="Lost work", brand_share=0.4))))
    win = MainWindow(Workspace(paths=200))
    qtbot.addWidget(win)
    seen: list[str] = []
    answer(press("Not now"), seen=seen)
    assert not offer_recovery(win) and "Lost work" in seen[0]
    assert len(recoverable()) == 1  # kept for the next start
    answer(press("Discard"))
    assert not offer_recovery(win)
    assert recoverable() == [] and not win.workspace.has_data()
    win.workspace.shutdown()
