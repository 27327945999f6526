"""How fast planner.io reads a large CRM export, next to pandas and the bare fast reader.

Generates a 100,000-deal HubSpot-style .xlsx (10 columns, datetime cells) and
a 2,000-line wide budget .xlsx, then prints one JSON object:

- median wall time of `planner.io.crm.load_deals` (detection, cleaning and
  classification included), of `pandas.read_excel(path)` (default openpyxl
  engine) and of bare `python_calamine` reading the sheet's rows, with the
  ratios against both (goals: <= 0.2x pandas, <= 1.5x calamine);
- peak resident memory of a fresh process that loads the CRM (goal < 600 MB);
- wall time of a whole `planner inspect --json` process on that file (< 4 s);
- the same load time for the budget, when `planner.io.budget` is available.

Usage: python benchmarks/import_speed.py [--deals N] [--repeat R] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

STAGES = ("Closed won", "Closed lost", "Appointment scheduled", "Contract sent", "Qualified")
SOURCES = (
    "Organic Search",
    "Direct Traffic",
    "Referrals",
    "Paid Search",
    "Paid Social",
    "Email Marketing",
    "Offline Sources",
    "Social Media",
)
TYPES = ("newbusiness", "existingbusiness", "Upsell", "Renewal")


def write_crm(path: Path, n: int, seed: int = 1) -> None:
    """A HubSpot deals export, written streaming (openpyxl write_only) to stay quick."""
    import random

    import openpyxl

    rng = random.Random(seed)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Deals")
    ws.append(
        [
            "Record ID",
            "Deal Name",
            "Deal Stage",
            "Amount",
            "Create Date",
            "Close Date",
            "Original Traffic Source",
            "Deal Type",
            "Pipeline",
            "Deal owner",
        ]
    )
    start = datetime(2022, 1, 1, 9, 0)
    for i in range(n):
        created = start + timedelta(days=rng.randrange(0, 900), minutes=rng.randrange(0, 600))
        ws.append(
            [
                100_000 + i,
                f"Deal {i:06d}",
                rng.choice(STAGES),
                round(rng.lognormvariate(10.5, 0.8), 2),
                created,
                created + timedelta(days=rng.randrange(5, 250)),
                rng.choice(SOURCES),
                rng.choice(TYPES),
                "Sales Pipeline",
                rng.choice(("Anna Berg", "Jonas Lund", "Mette Holm")),
            ]
        )
    wb.save(path)


def write_budget(path: Path, lines: int = 2000, seed: int = 2) -> None:
    """A plain wide budget: header "Line, Category, Jan 2026 ... Dec 2026"."""
    import random

    import openpyxl

    rng = random.Random(seed)
    months = [date(2026, m, 1).strftime("%b %Y") for m in range(1, 13)]
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Budget")
    ws.append(["Line", "Category", *months])
    for i in range(lines):
        category = "Brand" if i % 3 == 0 else "Demand gen"
        ws.append([f"Line item {i:04d}", category, *(rng.randrange(0, 50) * 1000 for _ in months)])
    wb.save(path)


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


def subprocess_peak_mb(code: str) -> tuple[float, float]:
    """Run Python code in a fresh process; (wall seconds, peak RSS MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"subprocess failed: {code}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--pandas-repeat", type=int, default=1, help="pandas is slow: 1 run by default"
    )
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="planner-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    crm, budget = folder / "deals-100k.xlsx", folder / "budget-2000.xlsx"
    t0 = time.perf_counter()
    write_crm(crm, args.deals)
    write_budget(budget)
    generate_s = time.perf_counter() - t0

    import pandas as pd

    from planner.io.crm import load_deals

    deals = load_deals(crm)  # warm-up, and a sanity check
    assert len(deals) == args.deals, len(deals)

    planner_s = median_time(lambda: load_deals(crm), args.repeat)
    calamine_s = median_time(lambda: bare_calamine(crm), args.repeat)
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
    result["files"] = str(folder) if args.keep else None
    print(json.dumps(result, indent=2))
    if not args.keep:
        for f in (crm, budget):
            f.unlink(missing_ok=True)
        folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
