"""Time and peak memory of `planner inspect --json` on each hostile text file of issue #13.

Builds every file of `tests.filegen.hostile_files.TEXT_BOMBS` (40 MB of
newlines, 150 MB of commas, a 15 MB quoted field, 100 deals then a million
`,,,,` rows, blank lines inside a table) and runs the real command on each
in a fresh process, next to `python -c "import planner.io.crm"` as the
reference a process costs before it reads anything. Prints one JSON object:
per file its size, exit status, first stderr line, seconds and peak RSS
(MB), against the goals (exit 0 or 2, <= 5 s, <= 300 MB).

Usage: python -m benchmarks.hostile_text [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from tests.filegen import hostile_files  # noqa: E402
from tests.filegen.hostile_files import TEXT_BOMBS, write_in_child  # noqa: E402

MAX_SECONDS = 5.0
MAX_RSS_MB = 300


def run_measured(argv: list[str]) -> dict[str, object]:
    """Run argv in a child process; its wall time, peak RSS, exit status and stderr."""
    env = {"PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    run = hostile_files.run_measured(argv, env)
    return {
        "exit": run.code,
        "seconds": round(run.seconds, 2),
        "peak_rss_mb": round(run.peak_mb, 1),
        "stderr_lines": len(run.stderr.splitlines()),
        "stderr": run.stderr.strip().splitlines()[0][:200] if run.stderr.strip() else "",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="planner-hostile-"))
    folder.mkdir(parents=True, exist_ok=True)
    result: dict[str, object] = {
        "goal": {"seconds": MAX_SECONDS, "peak_rss_mb": MAX_RSS_MB},
        "reference_import_only": run_measured([sys.executable, "-c", "import planner.io.crm"]),
        "files": {},
    }
    ok = True
    for name in TEXT_BOMBS:
        path = folder / f"{name}.csv"
        write_in_child(name, path)
        row = {"mb": round(path.stat().st_size / 1e6, 1)}
        row.update(run_measured([sys.executable, "-m", "planner", "inspect", str(path), "--json"]))
        row["within_goal"] = (
            row["exit"] in (0, 2)
            and row["seconds"] <= MAX_SECONDS
            and row["peak_rss_mb"] <= MAX_RSS_MB
            and row["stderr_lines"] <= 1
        )
        ok = ok and bool(row["within_goal"])
        result["files"][name] = row  # type: ignore[index]
        if not args.keep:
            path.unlink()
    result["all_within_goal"] = ok
    print(json.dumps(result, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
