"""planner never touches the network: not when importing, simulating, optimising, exporting, nor in a window.

A budget meeting happens on a laptop in a meeting room, and a CFO's CRM
figures must never leave it. Every run below goes through a real `planner`
process with a Python audit hook that records each socket opened, connected,
bound or resolved (the `socket.*` audit events CPython raises for every
socket made from Python, whichever library makes it), and the test fails on
any of them. Sockets opened by Qt's C++ code are not Python events; the window
runs on the offscreen platform, which opens none.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner.resources import demo_paths

# Runs planner's CLI in this process after installing the hook; a socket event ends the
# process with exit status 97 and the event on stderr, so nothing can swallow it.
_BOOT = """
import os, sys
def hook(event, args):
    if event.startswith("socket.") or event in ("urllib.Request", "http.client.connect"):
        os.write(2, f"NETWORK: {event} {args!r}\\n".encode())
        os._exit(97)
sys.addaudithook(hook)
from planner.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def _planner(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PLANNER_SETTINGS_DIR": str(tmp_path / "settings"), "PLANNER_DATA_DIR": str(tmp_path / "data")}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-c", _BOOT, *args],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300,
    )  # fmt: skip


def test_the_hook_catches_a_socket(tmp_path: Path) -> None:
    """The guard itself works: a socket made in the hooked process fails the run."""
    code = _BOOT.replace("from planner.cli import main", "import socket; socket.socket()")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 97 and "NETWORK: socket.__new__" in out.stderr


@pytest.mark.parametrize(
    "verb",
    [
        ("inspect", "{crm}", "--json"),
        ("inspect", "{budget}", "--json"),
        ("simulate", "--budget", "{budget}", "--crm", "{crm}", "--paths", "500", "--json"),
        ("optimize", "--budget", "{budget}", "--crm", "{crm}", "--paths", "200", "--json"),
        ("report", "--budget", "{budget}", "--crm", "{crm}", "--out", "plan.xlsx"),
        ("report", "--budget", "{budget}", "--crm", "{crm}", "--out", "plan.pdf"),
        ("screenshot", "--demo", "--out", "window.png", "--size", "1280x800"),
    ],
    ids=["inspect-crm", "inspect-budget", "simulate", "optimize", "report-xlsx", "report-pdf", "window"],
)
def test_no_socket_is_opened(verb: tuple[str, ...], tmp_path: Path) -> None:
    budget, crm = demo_paths()
    args = [a.format(budget=budget, crm=crm) for a in verb]
    out = _planner(*args, tmp_path=tmp_path)
    assert "NETWORK:" not in out.stderr, out.stderr
    assert out.returncode == 0, out.stderr
