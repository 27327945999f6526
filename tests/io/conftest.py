"""Print the fuzz outcome counts of this run (tests/io/test_fuzz_importers.py) before pytest's summary."""

from __future__ import annotations

import sys

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    # pytest imports the test module under its own name (no package here): find it by that.
    module = next(
        (m for name, m in list(sys.modules.items()) if name.endswith("test_fuzz_importers")), None
    )
    counts = getattr(module, "COUNTS", None)
    if counts:
        total = sum(sum(c.values()) for c in counts.values())
        terminalreporter.write_line(f"fuzz cases: {total}")
        for kind, by_outcome in sorted(counts.items()):
            terminalreporter.write_line(f"  {kind}: {dict(sorted(by_outcome.items()))}")
