"""Bad input through the real command: exit 2, one stderr line naming the file, fast and small.

Each case runs `planner inspect` in its own process so the time, the peak
memory and the absence of a traceback are those a user would see.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.filegen import crm_files as g

MAX_SECONDS = 5.0
MAX_RSS_MB = 300


def _random(n: int) -> Callable[[Path], None]:
    return lambda p: p.write_bytes(os.urandom(n))


def _truncated(p: Path) -> None:
    whole = p.with_name("whole.xlsx")
    g.write_hubspot_xlsx(whole, g.make_deals(300))
    p.write_bytes(whole.read_bytes()[:-700])


def _header_only(p: Path) -> None:
    p.write_text("Opportunity Name,Stage,Amount,Close Date,Lead Source\n\n", encoding="utf-8")


CASES: dict[str, tuple[str, Callable[[Path], None], str]] = {
    "empty": ("empty.csv", lambda p: p.write_bytes(b""), "empty"),
    "header_without_rows": ("header-only.csv", _header_only, "no rows"),
    "random_bytes_xlsx": ("random.xlsx", _random(100_000), "not an Excel workbook"),
    "truncated_xlsx": ("truncated.xlsx", _truncated, "damaged or truncated"),
    "zip_bomb_1gb": ("bomb.xlsx", g.write_zip_bomb, "zip bomb"),
    "zip_bomb_lying": ("liar.xlsx", lambda p: g.write_zip_bomb(p, lie=True), "zip bomb"),
    "entity_bomb": ("laughs.xlsx", g.write_entity_bomb, "entities"),
    "sparse_sheet": ("sparse.xlsx", g.write_sparse_sheet, "cell limit"),
    "binary_junk_csv": ("junk.csv", _random(50_000), "binary data"),
    "weather_csv": ("weather.csv", g.write_weather_csv, "neither a CRM export"),
}


# Linux counts a child's peak memory from the moment it was forked, so a child of the
# (large, and growing as the suite runs) pytest process reports pytest's size as its own.
# A small launcher forks `planner inspect` from itself and reports that grandchild's peak.
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as fh:
    fh.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _run_inspect(path: Path, *extra: str) -> tuple[int, str, str, float, float]:
    """Run `planner inspect` as a user would; return code, out, err, seconds, peak MB."""
    out_path, err_path = path.with_name("stdout.txt"), path.with_name("stderr.txt")
    rss_path = path.with_name("maxrss.txt")
    command = ["-m", "planner", "inspect", str(path), *extra]
    start = time.perf_counter()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, str(rss_path), *command],
            stdout=out,
            stderr=err,
            env={**os.environ, "PLANNER_DEBUG": ""},
        )
        code = proc.wait()
    seconds = time.perf_counter() - start
    peak_mb = int(rss_path.read_text()) / 1024  # kilobytes on Linux
    return code, out_path.read_text(), err_path.read_text(), seconds, peak_mb


def _digest(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_one_line_exit_2(case: str, tmp_path: Path) -> None:
    filename, write, words = CASES[case]
    path = tmp_path / filename
    write(path)
    before = _digest(path)

    code, out, err, seconds, peak_mb = _run_inspect(path, "--json")

    assert code == 2, (out, err)
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"planner: {filename}: "), err
    assert words in lines[0], err
    assert "Traceback" not in err
    assert seconds < MAX_SECONDS, seconds
    assert peak_mb < MAX_RSS_MB, peak_mb
    assert _digest(path) == before


def test_tbd_amounts_load_with_rows_skipped(tmp_path: Path) -> None:
    path = tmp_path / "pipeline.csv"
    exp = g.write_salesforce_csv(path, g.make_deals(200, bad_amounts=4))
    before = _digest(path)
    code, out, err, seconds, peak_mb = _run_inspect(path, "--json")
    assert code == 0, err
    assert err == ""
    got = json.loads(out)
    assert got["rows"] == exp.rows == 196
    assert got["skipped_rows"]["count"] == 4
    assert all("is not a number" in r for r in got["skipped_rows"]["reasons"])
    assert seconds < MAX_SECONDS and peak_mb < MAX_RSS_MB
    assert _digest(path) == before


def test_bad_source_map_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    g.write_plain_csv(path, g.make_deals(20))
    mapping = tmp_path / "map.csv"
    mapping.write_text("source,class\nWebinar,maybe\n", encoding="utf-8")
    code, out, err, _, _ = _run_inspect(path, "--sources", str(mapping))
    assert code == 2 and out == ""
    assert err.strip() == "planner: map.csv: line 2: class 'maybe' is not one of intent, demand"
