"""Autosave: a real process killed with SIGKILL loses at most one autosave interval of work."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from planner.scenario.autosave import AutosaveSlot, data_dir, discard, last_clean_exit, recoverable
from planner.scenario.collection import ScenarioSet
from planner.scenario.document import Scenario
from planner.scenario.files import PlannerFile

INTERVAL = 0.2
EDIT_EVERY = 0.02

# The child edits its workspace every 20 ms and autosaves when the 0.2 s interval is due, the way the
# window's timer will; it reports each edit and each save on stdout.
CHILD = f"""
import time
from planner.scenario.autosave import AutosaveSlot
from planner.scenario.collection import ScenarioSet
from planner.scenario.document import Scenario
from planner.scenario.files import PlannerFile

slot = AutosaveSlot()
edit = 0
while True:
    edit += 1
    doc = PlannerFile(scenarios=ScenarioSet().add(Scenario(name="Work", brand_share=(edit % 1000) / 1000)),
                      notes=f"edit {{edit}}")
    print("edit", edit, flush=True)
    if slot.due(interval={INTERVAL}):
        slot.save(doc, origin="/home/cfo/q3.planner.json")
        print("saved", edit, flush=True)
    time.sleep({EDIT_EVERY})
"""


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _doc(note: str) -> PlannerFile:
    return PlannerFile(scenarios=ScenarioSet().add(Scenario(name="Mine", total_scale=1.2)), notes=note)


def test_data_dir_follows_the_environment(data_folder) -> None:
    assert data_dir() == data_folder


def test_kill_9_loses_at_most_one_interval(data_folder) -> None:
    env = {**os.environ, "PLANNER_DATA_DIR": str(data_folder)}
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True, env=env)
    saves = 0
    try:
        deadline = time.monotonic() + 60
        while saves < 6 and time.monotonic() < deadline:
            line = child.stdout.readline()
            saves += line.startswith("saved")
        assert saves == 6, "the child did not autosave"
        assert recoverable() == []  # its process is alive: not a crash, nothing to offer
        time.sleep(INTERVAL * 0.37)  # kill somewhere between two saves
    finally:
        child.send_signal(signal.SIGKILL)
        rest = child.communicate(timeout=30)[0]
    assert child.returncode == -signal.SIGKILL
    last_edit = max(int(line.split()[1]) for line in rest.splitlines() if line.startswith("edit")) if rest else None

    found = recoverable()
    assert len(found) == 1
    recovered = found[0]
    assert recovered.origin == "/home/cfo/q3.planner.json"
    assert recovered.document.scenarios.names == ("Baseline", "Work")
    kept = int(recovered.document.notes.split()[1])
    if last_edit is not None:
        edits_per_interval = round(INTERVAL / EDIT_EVERY) + 1
        assert 0 <= last_edit - kept <= edits_per_interval, (last_edit, kept)
    discard(recovered)
    assert recoverable() == []


def test_clean_exit_leaves_nothing_to_recover(data_folder) -> None:
    slot = AutosaveSlot()
    slot.save(_doc("before exit"))
    slot.close()
    assert not slot.path.exists()
    assert last_clean_exit() > 0
    assert recoverable() == []


def test_only_autosaves_newer_than_the_last_clean_exit_are_offered(data_folder) -> None:
    old = AutosaveSlot(pid=999_999_1, started=1.0)  # a process that cannot exist
    old.save(_doc("old crash"))
    AutosaveSlot(pid=999_999_2, started=2.0).close()  # a later session ended cleanly
    assert recoverable() == []
    time.sleep(0.01)
    new = AutosaveSlot(pid=999_999_3, started=3.0)
    new.save(_doc("new crash"))
    assert [r.document.notes for r in recoverable()] == ["new crash"]


def test_unreadable_autosave_is_skipped_not_deleted(data_folder) -> None:
    slot = AutosaveSlot(pid=999_999_4, started=4.0)
    slot.save(_doc("fine"))
    broken = slot.folder / "1-1.autosave.planner.json"
    broken.write_text('{"schema_version": 99}', encoding="utf-8")
    assert [r.document.notes for r in recoverable()] == ["fine"]
    assert broken.exists()


def test_due_follows_the_interval(data_folder) -> None:
    slot = AutosaveSlot()
    assert slot.due(now=0.0)
    slot.save(_doc("x"))
    assert not slot.due(now=slot.last_saved + 59.0)
    assert slot.due(now=slot.last_saved + 60.0)
    assert json.loads(slot.path.read_text(encoding="utf-8"))["autosave"]["pid"] == os.getpid()
