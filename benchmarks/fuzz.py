"""Fuzz the importers with many more cases than CI runs, and count the outcomes.

Uses the generators and the judge of `tests/filegen/fuzz_files.py` (the same
as tests/io/test_fuzz_importers.py): random bytes, mutated workbooks and CSV
files, each through `file_kind`, `read_sheets`, `load_budget` and
`load_deals`. Prints one JSON object: cases per kind and in total, counts by
outcome (loaded / refused with InputError / escaped, escapes known for
the slowest case, and for every new kind of escape
its first message and the file that showed it (kept under --keep).

Usage: python -m benchmarks.fuzz [--cases N] [--seed S] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from tests.filegen import fuzz_files as fz  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000, help="cases in all (default 20,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="copy one file per new kind of escape here")
    args = parser.parse_args()
    kinds = sorted(fz.CASES)
    by_kind: dict[str, Counter[str]] = {k: Counter() for k in kinds}
    new_escapes: dict[str, str] = {}
    slowest = (0.0, "")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        fz.seed_workbooks()
        for i in range(args.cases):
            kind = kinds[i % len(kinds)]
            rng = random.Random(f"{args.seed}:{i}")
            t0 = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                outcome, path = fz.run_case(kind, rng, folder)
            seconds = time.perf_counter() - t0
            if seconds > slowest[0]:
                slowest = (seconds, f"{kind} case {i}")
            label = outcome.kind
            if outcome.kind == "escaped":
                key = re.sub(r"\d+", "N", outcome.detail)[:120]
                if key not in new_escapes:
                    new_escapes[key] = f"{kind} case {i}: {outcome.detail}"
                    if args.keep:
                        args.keep.mkdir(parents=True, exist_ok=True)
                        shutil.copy(path, args.keep / f"escape-{len(new_escapes)}-{path.name}")
            by_kind[kind][label] += 1
            path.unlink(missing_ok=True)
    total: Counter[str] = Counter()
    for counts in by_kind.values():
        total.update(counts)
    result = {
        "cases": args.cases,
        "seed": args.seed,
        "seconds": round(time.perf_counter() - start, 1),
        "outcomes": dict(sorted(total.items())),
        "by_kind": {k: dict(sorted(c.items())) for k, c in by_kind.items()},
        "slowest_case_s": round(slowest[0], 3),
        "slowest_case": slowest[1],
        "new_escapes": new_escapes,
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 1 if new_escapes else 0


if __name__ == "__main__":
    raise SystemExit(main())
