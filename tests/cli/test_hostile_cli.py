"""Issue #13 through the real `planner` command: exit 0 or 2, at most one line, <= 5 s, <= 300 MB.

Each case runs in its own process, so the time, the peak memory, what
reaches stderr and whether stdout is valid JSON are what a user would get.
Big files are built in a separate process (`hostile_files.write_in_child`):
a child of a process that held them would report their memory as its own.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from tests.filegen import hostile_files as h

from planner import cli
from planner.commands._output import json_safe, write_json

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "demo"
MAX_SECONDS = 5.0
MAX_RSS_MB = 300


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, bytes, str, float, float]:
    """`python -m planner ARGS` in its own process: exit status, stdout, stderr, seconds, peak MB."""
    run = h.run_measured(
        [sys.executable, "-m", "planner", *args], env={"PLANNER_DEBUG": "", **(env or {})}
    )
    return run.code, run.stdout, run.stderr, run.seconds, run.peak_mb


def _strict_json(data: bytes) -> object:
    def refuse(constant: str) -> object:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(data.decode("utf-8"), parse_constant=refuse)


def _one_line_or_none(code: int, err: str) -> None:
    assert code in (0, 2), err
    assert "Traceback" not in err and "panicked" not in err, err
    assert len(err.splitlines()) == (1 if code == 2 else 0), err


# ---------------------------------------------------------------- class 2: text bombs


@pytest.mark.parametrize("name", sorted(h.TEXT_BOMBS))
def test_text_bomb_is_bounded(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.csv"
    h.write_in_child(name, path)
    code, out, err, seconds, peak_mb = _run("inspect", str(path), "--json")
    _one_line_or_none(code, err)
    if code == 0:
        _strict_json(out)
    else:
        assert err.startswith(f"planner: {name}.csv: ")
    assert seconds < MAX_SECONDS, seconds
    assert peak_mb < MAX_RSS_MB, peak_mb


def test_blank_tail_loads_the_deals(tmp_path: Path) -> None:
    path = tmp_path / "tail.csv"
    h.write_in_child("blank_tail_1m_rows", path)
    code, out, err, _, _ = _run("inspect", str(path), "--json")
    assert code == 0, err
    assert _strict_json(out)["rows"] == 100  # type: ignore[index]


# ---------------------------------------------------------------- classes 1, 6, 7: workbooks


@pytest.mark.parametrize(
    ("write", "words"),
    [
        (lambda p: h.write_relocated_sparse(p, "absolute_target"), "cell limit"),
        (lambda p: h.write_unusual_far_cell(p, "single_quotes"), "cell limit"),
        (h.write_date_overflow, "cannot be read"),
        (h.write_html_export, "is an HTML page, not a CSV or Excel file"),
    ],
    ids=["relocated_sheet", "single_quoted_ref", "calamine_panic", "html_as_csv"],
)
def test_hostile_workbook_is_one_line(tmp_path: Path, write, words: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "hostile.xlsx"
    write(path)
    code, out, err, seconds, peak_mb = _run("inspect", str(path), "--json")
    assert code == 2 and out == b"", err
    _one_line_or_none(code, err)
    assert err.startswith("planner: hostile.xlsx: ") and words in err, err
    assert seconds < MAX_SECONDS and peak_mb < MAX_RSS_MB


def test_many_range_formulas_are_bounded(tmp_path: Path) -> None:
    """480 cells summing 100,000-cell blocks (20 s before) and 480 at the range cap."""
    for block in ("CV1000", "E1000"):
        path = tmp_path / f"sum-{block}.xlsx"
        h.write_formula_budget(path, f"=SUM(Data!A1:{block})", lines=40, data_block=(1000, 100))
        code, out, err, seconds, peak_mb = _run("inspect", str(path), "--json")
        _one_line_or_none(code, err)
        assert seconds < MAX_SECONDS, (block, seconds)
        assert peak_mb < MAX_RSS_MB


# ---------------------------------------------------------------- class 8: JSON


def test_inspect_json_has_no_nan_for_a_budget_with_infinities(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    h.write_budget_with_raw_value(path, "INF")
    code, out, err, _, _ = _run("inspect", str(path), "--json")
    assert code == 0, err
    assert err == ""
    doc = _strict_json(out)
    assert doc["total"] == pytest.approx(322_000.0)  # type: ignore[index]


def test_simulate_json_is_strict_on_the_largest_plausible_budget(tmp_path: Path) -> None:
    budget = tmp_path / "budget.xlsx"
    h.write_budget_with_amount(budget, 9.9e14)
    crm = DEMO / "nordlys_crm_opportunities.csv"
    code, out, err, _, _ = _run(
        "simulate", "--budget", str(budget), "--crm", str(crm), "--json", "--paths", "200"
    )
    assert code == 0, err
    assert "Warning" not in err
    _strict_json(out)


def test_write_json_turns_non_finite_into_null(capsys: pytest.CaptureFixture[str]) -> None:
    doc = {
        "nan": float("nan"),
        "inf": [float("inf"), -np.inf],
        "np": np.float64("nan"),
        "arr": np.array([1.0, np.nan]),
        "ok": (1, 2.5, "Søk"),
        "name": b"\xffx.csv".decode("utf-8", "surrogateescape"),
    }
    write_json(doc)
    out = capsys.readouterr().out
    got = _strict_json(out.encode())
    assert got == {
        "nan": None,
        "inf": [None, None],
        "np": None,
        "arr": [1.0, None],
        "ok": [1, 2.5, "Søk"],
        "name": "\ufffdx.csv",
    }
    assert json_safe({"k": np.int64(3)}) == {"k": 3}


def test_program_keeps_numpy_warnings_off_the_terminal() -> None:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        cli._quiet_warnings()
        np.float64(1e308) * np.float64(10)  # "overflow encountered in scalar multiply"
        np.mean(np.array([]))  # "Mean of empty slice"
    assert seen == []


# ---------------------------------------------------------------- class 10: messages


@pytest.mark.parametrize("label", sorted(h.HOSTILE_NAMES))
def test_control_characters_in_a_file_name_stay_on_one_line(tmp_path: Path, label: str) -> None:
    path = tmp_path / h.HOSTILE_NAMES[label]
    path.write_bytes(b"")
    code, out, err, _, _ = _run("inspect", str(path))
    assert code == 2 and out == b""
    assert len(err.splitlines()) == 1, repr(err)
    assert "\x1b" not in err and "\a" not in err
    assert err.rstrip("\n").endswith(": the file is empty")


@pytest.mark.parametrize("as_json", [True, False])
def test_non_utf8_file_name_with_strict_utf8_stdout(tmp_path: Path, as_json: bool) -> None:
    name = os.fsdecode(b"deals-\xff\xfe.csv")
    path = tmp_path / name
    h.write_deals_csv(path)
    env = {"PYTHONIOENCODING": "utf-8:strict"}
    args = ["inspect", str(path)] + (["--json"] if as_json else [])
    code, out, err, _, _ = _run(*args, env=env)
    assert code == 0, err
    assert err == ""
    if as_json:
        assert _strict_json(out)["rows"] == 40  # type: ignore[index]
    else:
        assert b"\\xff" in out or "\ufffd".encode() in out or b"deals-" in out
    missing = tmp_path / os.fsdecode(b"gone-\xff.csv")
    code, out, err, _, _ = _run("inspect", str(missing), "--json", env=env)
    assert code == 2 and out == b""
    assert err.strip() == "planner: gone-\\xff.csv: file not found"


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-be"])
def test_utf32_csv_is_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "deals.csv"
    h.write_deals_csv(path, encoding=encoding)
    code, out, err, _, _ = _run("inspect", str(path), "--json")
    assert code == 0, err
    assert _strict_json(out)["rows"] == 40  # type: ignore[index]
