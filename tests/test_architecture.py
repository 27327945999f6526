"""The pure core never imports Qt, so it runs headless in the CLI, in workers and in CI."""

import subprocess
import sys

PURE = [
    "planner.io",
    "planner.model",
    "planner.scenario",
    "planner.commands",
    "planner.i18n",
    "planner.resources",
    "planner.errors",
    "planner.cli",
]


def test_pure_core_does_not_import_qt() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        f"for name in {PURE!r}:\n"
        "    mod = importlib.import_module(name)\n"
        "    for info in pkgutil.walk_packages(getattr(mod, '__path__', []), name + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'shiboken')))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_help_works_for_every_verb() -> None:
    from planner.cli import VERBS

    for args in [["--help"], *[[verb, "--help"] for verb in VERBS]]:
        out = subprocess.run(
            [sys.executable, "-m", "planner", *args], capture_output=True, text=True
        )
        assert out.returncode == 0, (args, out.stderr)
        assert "usage:" in out.stdout


def test_closed_pipe_is_not_an_error(tmp_path) -> None:
    """`planner inspect x.csv --json | head -0`: the reader left before we wrote; exit quietly."""
    import os

    crm = tmp_path / "deals.csv"
    crm.write_text(
        "Opportunity Name,Stage,Amount,Created Date,Close Date,Lead Source\n"
        "A,Closed Won,1000,2025-01-05,2025-03-01,Referral\n"
        "B,Closed Lost,2000,2025-02-05,2025-04-01,Webinar\n",
        encoding="utf-8",
    )
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write now fails with EPIPE
    try:
        out = subprocess.run(
            [sys.executable, "-u", "-m", "planner", "inspect", str(crm), "--json"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert out.stderr == ""
    assert out.returncode == 0
