"""Every test keeps its hands off the user's folders: settings and autosaves go to a temp path."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`PLANNER_SETTINGS_DIR` and `PLANNER_DATA_DIR` in this test's temp folder (subprocesses inherit them)."""
    monkeypatch.setenv("PLANNER_SETTINGS_DIR", str(tmp_path / "user-settings"))
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "user-data"))
    return tmp_path
