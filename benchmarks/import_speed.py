"""How fast planner.io reads a large CRM export, next to pandas and the bare fast reader.

Generates a 100,000-deal HubSpot-style .xlsx (10 columns, datetime cells) and
a 2,000-line wide budget .xlsx, then prints one JSON object:

- median wall time of `planner.io.crm.load_deals` (detection, cleaning and
  classification included), of `pandas.read_excel(path)` (default openpyxl
  engine) and of bare `python_calamine` reading the sheet's rows (planner and
  each reference it is compared with run in turns), with the
  ratios against both (goals: <= 0.2x pandas, <= 1.5x calamine);
- peak resident memory of a fresh process that loads the CRM (goal < 600 MB);
- wall time of a whole `planner inspect --json` process on that file (< 4 s);
- the same load time for the budget, when `planner.io.budget` is available;
- with --rows N (e.g. 1000000), a Salesforce-style CSV of N deals: the time of
  `load_deals` next to `pandas.read_csv` on the same file in the same run
  (goal <= 1.5x), and the peak RSS of a fresh process loading it (goal <= 400 MB).

Usage (from the repository root): python -m benchmarks.import_speed [--deals N] [--rows N] [--repeat R] [--keep DIR]
       python -m benchmarks.import_speed --csv-only --rows 1000000
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from tests.filegen.big_files import write_budget, write_crm, write_crm_csv  # noqa: E402


def csv_figures(folder: Path, rows: int, repeat: int) -> dict[str, object]:
    """The million-row CSV case: planner against pandas.read_csv, same file, same run."""
    import pandas as pd

    from planner.io.crm import load_deals

    path = folder / f"deals-{rows}.csv"
    write_crm_csv(path, rows)
    file_mb = path.stat().st_size / 1e6
    deals = load_deals(path)
    assert len(deals) == rows, len(deals)
    planner_s, pandas_s = median_times([lambda: load_deals(path), lambda: pd.read_csv(path)], repeat)
    _, peak_mb = subprocess_peak_mb(
        f"from planner.io.crm import load_deals; load_deals({str(path)!r})"
    )
    _, pandas_peak_mb = subprocess_peak_mb(f"import pandas; pandas.read_csv({str(path)!r})")
    inspect_s, inspect_mb = subprocess_peak_mb(
        f"import sys; sys.argv = ['planner', 'inspect', {str(path)!r}, '--json']; "
        "import runpy; runpy.run_module('planner', run_name='__main__')"
    )
    path.unlink()
    return {
        "csv_rows": rows,
        "csv_file_mb": round(file_mb, 1),
        "planner_load_deals_csv_s": round(planner_s, 3),
        "pandas_read_csv_s": round(pandas_s, 3),
        "csv_ratio_vs_pandas": round(planner_s / pandas_s, 3),
        "peak_rss_mb_load_deals_csv_process": round(peak_mb, 1),
        "peak_rss_mb_pandas_read_csv_process": round(pandas_peak_mb, 1),
        "inspect_csv_process_s": round(inspect_s, 2),
        "peak_rss_mb_inspect_csv_process": round(inspect_mb, 1),
        "csv_goals": {"csv_ratio_vs_pandas": 1.5, "peak_rss_mb": 400},
    }


def median_times(fns: list[Callable[[], object]], repeat: int) -> list[float]:
    """The median wall time of each function, run in turns (a, b, a, b, ...).

    Taking turns keeps a change in the machine's load (other processes on a
    shared machine) from landing on one side of a ratio only.
    """
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, spent in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            spent.append(time.perf_counter() - start)
    return [statistics.median(spent) for spent in times]


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare_calamine(path: Path) -> list:
    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    return wb.get_sheet_by_index(0).to_python()


_LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen([sys.executable, "-c", sys.argv[1]], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
print(os.waitstatus_to_exitcode(status), time.perf_counter() - start, usage.ru_maxrss)
"""
"""Starts the measured process from a small one: a child of this (big) process would report
this process's peak as its own (Linux carries the high-water mark over a vfork)."""


def subprocess_peak_mb(code: str) -> tuple[float, float]:
    """Run Python code in a fresh process; (wall seconds, peak RSS MB)."""
    out = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, code], check=True, capture_output=True, text=True
    ).stdout.split()
    if int(out[0]) != 0:
        raise SystemExit(f"subprocess failed: {code}")
    return float(out[1]), int(out[2]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--pandas-repeat", type=int, default=1, help="pandas is slow: 1 run by default"
    )
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument("--rows", type=int, default=0, help="also time a CSV of this many deals")
    parser.add_argument("--csv-only", action="store_true", help="only the --rows CSV case")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="planner-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    if args.csv_only:
        result = csv_figures(folder, args.rows or 1_000_000, args.repeat)
        print(json.dumps(result, indent=2))
        if not args.keep:
            folder.rmdir()
        return 0
    crm, budget = folder / "deals-100k.xlsx", folder / "budget-2000.xlsx"
    t0 = time.perf_counter()
    write_crm(crm, args.deals)
    write_budget(budget)
    generate_s = time.perf_counter() - t0

    import pandas as pd

    from planner.io.crm import load_deals

    deals = load_deals(crm)  # warm-up, and a sanity check
    assert len(deals) == args.deals, len(deals)

    planner_s, calamine_s = median_times([lambda: load_deals(crm), lambda: bare_calamine(crm)], args.repeat)
    with warnings.catch_warnings():  # pandas 3 warns that its default engine will change
        warnings.simplefilter("ignore")
        pandas_s = median_time(lambda: pd.read_excel(crm), args.pandas_repeat)

    _, peak_mb = subprocess_peak_mb(
        f"from planner.io.crm import load_deals; load_deals({str(crm)!r})"
    )
    inspect_runs = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "planner", "inspect", str(crm), "--json"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        inspect_runs.append(time.perf_counter() - start)

    result: dict[str, object] = {
        "deals": args.deals,
        "crm_file_mb": round(crm.stat().st_size / 1e6, 2),
        "generate_s": round(generate_s, 2),
        "repeat": args.repeat,
        "planner_load_deals_s": round(planner_s, 3),
        "pandas_read_excel_s": round(pandas_s, 3),
        "calamine_rows_s": round(calamine_s, 3),
        "ratio_vs_pandas": round(planner_s / pandas_s, 3),
        "ratio_vs_calamine": round(planner_s / calamine_s, 3),
        "peak_rss_mb_load_deals_process": round(peak_mb, 1),
        "inspect_process_s": round(statistics.median(inspect_runs), 3),
        "goals": {
            "ratio_vs_pandas": 0.2,
            "ratio_vs_calamine": 1.5,
            "peak_rss_mb": 600,
            "inspect_process_s": 4.0,
        },
    }
    try:
        from planner.io.budget import load_budget
    except ImportError:
        result["budget_load_s"] = None
    else:
        load_budget(budget)
        result["budget_lines"] = 2000
        result["budget_load_s"] = round(median_time(lambda: load_budget(budget), args.repeat), 3)
        result["budget_calamine_rows_s"] = round(
            median_time(lambda: bare_calamine(budget), args.repeat), 3
        )
    if args.rows:
        result.update(csv_figures(folder, args.rows, args.repeat))
    result["files"] = str(folder) if args.keep else None
    print(json.dumps(result, indent=2))
    if not args.keep:
        for f in (crm, budget):
            f.unlink(missing_ok=True)
        folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
