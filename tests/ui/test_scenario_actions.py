"""File > Save, Save as, Open scenario, Share for review, the title mark and the close prompt, on real files."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from tests.filegen.scenario_inputs import SECRET_WORDS, write_model_files
from tests.ui.dialogs import answer, choose_file, press

from planner.scenario.document import Scenario
from planner.scenario.files import load


@pytest.fixture(scope="module")
def source_files(tmp_path_factory) -> tuple[Path, Path]:
    return write_model_files(tmp_path_factory.mktemp("inputs"))


@pytest.fixture
def files(tmp_path: Path, source_files) -> tuple[Path, Path]:
    folder = tmp_path / "inputs"
    folder.mkdir()
    return tuple(Path(shutil.copy(f, folder / f.name)) for f in source_files)  # type: ignore[return-value]


def _window(qtbot):
    from planner.ui.main_window import MainWindow
    from planner.ui.workspace import Workspace

    win = MainWindow(Workspace(paths=300, coarse_paths=None, fine_delay_ms=10))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    return win


@pytest.fixture
def window(qtbot, files):
    from planner.ui.app import load_files_now

    win = _window(qtbot)
    load_files_now(win.workspace, files)
    yield win
    win.scenario_actions._loader.wait()
    win.workspace.shutdown()
    win.best_split.shutdown()


def _open(qtbot, win, path: Path) -> None:
    actions = win.scenario_actions
    with qtbot.waitSignal(win.workspace.dataLoaded, timeout=30_000):
        assert actions.open_path(path)


def test_save_marks_the_title_and_opening_restores_every_scenario(qtbot, window, tmp_path: Path) -> None:
    ws, actions = window.workspace, window.scenario_actions
    assert not window.isWindowModified() and "[*]" in window.windowTitle()
    ws.change(replace(ws.scenario, brand_share=0.45), "Brand share")
    ws.change_scenarios(ws.scenarios.add(Scenario(name="Brand push", brand_share=0.6, months=24)), "Add")
    assert window.isWindowModified()

    target = tmp_path / "Q3 plan"
    assert actions.save_to(target)
    saved = tmp_path / "Q3 plan.planner.json"
    assert saved.is_file() and not window.isWindowModified()
    assert window.windowTitle() == "Q3 plan[*] \u2014 planner"
    ws.undo()
    assert window.isWindowModified()  # undo past the save: unsaved again
    ws.redo()
    assert not window.isWindowModified()  # back at the saved state

    other = _window(qtbot)
    _open(qtbot, other, saved)
    assert other.workspace.scenarios == ws.scenarios
    assert other.workspace.scenario.name == "Brand push" and other.workspace.scenario.months == 24
    assert not other.isWindowModified() and other.windowTitle().startswith("Q3 plan")
    other.workspace.shutdown()


def test_open_says_when_an_input_changed_and_relocates_a_moved_one(qtbot, window, files, tmp_path: Path) -> None:
    actions = window.scenario_actions
    saved = tmp_path / "plan.planner.json"
    window.workspace.change(replace(window.workspace.scenario, brand_share=0.4), "Brand share")
    assert actions.save_to(saved)
    budget, crm = files
    with open(crm, "a", encoding="utf-8") as fh:  # one more deal: the export changed since the save
        fh.write("Extra deal,Extra account,Someone,Closed Won,1000.00,2024-01-05,2024-03-01,Referral,New Business\n")
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    budget.rename(moved / budget.name)

    other = _window(qtbot)
    seen: list[str] = []
    answer(press("Re-locate"), choose_file(moved / budget.name), seen=seen)
    _open(qtbot, other, saved)
    assert "budget.xlsx" in seen[0] and "re-locate" in seen[0]
    notice = _status_error(other)
    assert "crm.csv" in notice and "changed" in notice
    assert other.workspace.scenario.brand_share == 0.4
    assert other.workspace.files[0] == str(moved / budget.name)
    other.workspace.shutdown()


def test_open_refuses_a_damaged_file_in_one_line(window, tmp_path: Path) -> None:
    bad = tmp_path / "bad.planner.json"
    bad.write_text("{ not json", encoding="utf-8")
    before = window.workspace.scenarios
    assert not window.scenario_actions.open_path(bad)
    assert "bad.planner.json" in _status_error(window) and window.workspace.scenarios is before


def test_share_for_review_opens_without_the_crm_export_and_saves_back(qtbot, window, files, tmp_path: Path) -> None:
    ws, actions = window.workspace, window.scenario_actions
    ws.change(replace(ws.scenario, brand_share=0.5), "Brand share")
    shared = tmp_path / "review.planner.json"
    seen: list[str] = []
    answer(press("Save"), choose_file(shared), seen=seen)
    assert actions.share_dialog()
    assert "no" in seen[0].lower() and "deal names, accounts or owners" in seen[0]
    text = shared.read_text(encoding="utf-8")
    assert not any(word in text for word in SECRET_WORDS)
    for f in files:
        f.unlink()  # the CFO never had them

    cfo = _window(qtbot)
    _open(qtbot, cfo, shared)
    cws = cfo.workspace
    assert cws.has_data() and cws.files == () and cws.scenario.brand_share == 0.5
    cws.change(replace(cws.scenario, brand_share=0.3), "Brand share")
    cws.change_scenarios(cws.scenarios.add(Scenario(name="CFO view", months=12)), "Add")
    assert cfo.scenario_actions.save()  # back into the review file
    again = load(shared)
    assert again.carries_data and "CFO view" in again.scenarios.names
    assert again.scenarios.by_name("Scenario").scenario.brand_share == 0.3
    assert json.loads(shared.read_text(encoding="utf-8"))["data"]
    cws.shutdown()


def test_closing_with_unsaved_changes_asks(qtbot, window, tmp_path: Path) -> None:
    ws, actions = window.workspace, window.scenario_actions
    ws.change(replace(ws.scenario, months=12), "Horizon")
    answer(press("Cancel"))
    assert not actions.request_close() and window.isVisible()
    target = tmp_path / "closing.planner.json"
    answer(press("Save"), choose_file(target))
    assert actions.request_close() and not window.isVisible()
    assert load(target).scenarios.active.scenario.months == 12


def test_discard_closes_without_writing(qtbot, window, tmp_path: Path) -> None:
    ws, actions = window.workspace, window.scenario_actions
    ws.change(replace(ws.scenario, months=24), "Horizon")
    answer(press("Discard"))
    assert actions.request_close() and not window.isVisible()
    assert not list(tmp_path.glob("*.planner.json"))


def test_quit_goes_through_the_prompt(qtbot, window) -> None:
    window.workspace.change(replace(window.workspace.scenario, months=6), "Horizon")
    answer(press("Cancel"))
    window.quit_action.trigger()
    assert window.isVisible()


def test_opening_another_scenario_asks_about_unsaved_work(qtbot, window, tmp_path: Path) -> None:
    ws, actions = window.workspace, window.scenario_actions
    ws.change(replace(ws.scenario, months=6), "Horizon")
    seen: list[str] = []
    answer(press("Cancel"), seen=seen)
    actions.open_dialog()  # cancelled at the question: no file dialog, nothing replaced
    assert "before opening another scenario" in seen[0] and ws.scenario.months == 6 and ws.is_modified


def _status_error(window) -> str:
    """The one-line message the status bar shows (found by its object name, as a user sees it)."""
    from PySide6.QtWidgets import QLabel

    return window.statusBar().findChild(QLabel, "statusError").text()


def _snapshot(folder: Path) -> dict[str, tuple[int, int, str]]:
    import hashlib

    return {
        p.name: (p.stat().st_size, p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(folder.iterdir())
    }


def test_a_whole_session_never_writes_next_to_or_over_the_input_files(qtbot, window, files, tmp_path: Path) -> None:
    """Open, edit, save elsewhere, share, export, autosave: the folder holding the inputs stays as it was."""
    from tests.ui.test_scenario_exports import _export

    inputs = files[0].parent
    before = _snapshot(inputs)
    ws, actions = window.workspace, window.scenario_actions
    ws.change(replace(ws.scenario, brand_share=0.45, total_scale=1.1), "Edit")
    qtbot.waitUntil(lambda: ws.is_settled and not ws.is_busy, timeout=60_000)
    out = tmp_path / "elsewhere"
    out.mkdir()
    assert actions.save_to(out / "plan.planner.json")
    assert actions.share_to(out / "review.planner.json")
    for kind, name in (("xlsx", "plan.xlsx"), ("pdf", "plan.pdf"), ("png", "charts")):
        _export(qtbot, window, kind, out / name)
    actions.start_autosave()
    assert actions.autosave_now()
    window.save_screenshot(out / "window.png")
    assert _snapshot(inputs) == before
    assert (out / "plan.planner.json").is_file() and (out / "plan.xlsx").is_file()
