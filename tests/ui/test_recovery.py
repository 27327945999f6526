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
