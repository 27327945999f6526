"""`planner report` on bad input: one line on stderr, exit 2, nothing written."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from tests.filegen.scenario_inputs import write_model_files


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report_cli")
    return folder, *write_model_files(folder)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", "report", *args], capture_output=True, text=True,
                          timeout=120)


def _one_line(out: subprocess.CompletedProcess) -> str:
    assert out.returncode == 2, out.stderr
    assert out.stdout == "" and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    return out.stderr


def test_wrong_output_type(files) -> None:
    folder, budget, crm = files
    assert "--out must end in .xlsx or .pdf" in _one_line(
        _cli("--budget", str(budget), "--crm", str(crm), "--out", str(folder / "r.docx")))


def test_missing_output_folder(files) -> None:
    folder, budget, crm = files
    assert "does not exist" in _one_line(
        _cli("--budget", str(budget), "--crm", str(crm), "--out", str(folder / "no" / "r.xlsx")))


def test_damaged_and_newer_scenario_files(files) -> None:
    folder, budget, crm = files
    damaged = folder / "damaged.planner.json"
    damaged.write_text('{"schema_version": 2, "scenarios": [', encoding="utf-8")
    newer = folder / "newer.planner.json"
    newer.write_text(json.dumps({"schema_version": 99}), encoding="utf-8")
    for path, words in ((damaged, "invalid JSON"), (newer, "newer planner")):
        err = _one_line(_cli("--budget", str(budget), "--crm", str(crm), "--scenario", str(path),
                             "--out", str(folder / "r.xlsx")))
        assert err.startswith(f"planner: {path.name}:") and words in err
    assert not (folder / "r.xlsx").exists()


def test_needs_inputs(files) -> None:
    folder, budget, _ = files
    assert "--crm" in _one_line(_cli("--budget", str(budget), "--out", str(folder / "r.xlsx")))
    assert "--budget and --crm" in _one_line(_cli("--out", str(folder / "r.xlsx")))


def test_plain_run_writes_the_baseline(files) -> None:
    folder, budget, crm = files
    out = _cli("--budget", str(budget), "--crm", str(crm), "--out", str(folder / "plain.xlsx"), "--paths", "200",
               "--months", "12", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["scenarios"] == ["Baseline"]
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no temporary file left
