"""Smoke test of the PyInstaller bundle: built once per session, started like a user would.

The build takes about a minute here (measured: 50-65 s on 2 shared cores), so the
fixture runs `packaging/build.sh` itself when PyInstaller is installed (the
[package] extra). Set PLANNER_BUNDLE=<dist/planner> to test a bundle built
elsewhere. Without PyInstaller and without PLANNER_BUNDLE the tests skip and say so.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
SHIPPED = (
    "demo/nordlys_budget_2027.xlsx", "demo/nordlys_crm_opportunities.csv", "icons/planner.svg",
    "icons/planner-256.png", "linux/org.planner.Planner.desktop",
)  # fmt: skip
LEFT_OUT_DIRS = (
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "tkinter",
    "matplotlib",
    "IPython",
    "PyInstaller",
)
LEFT_OUT_LIBS = (
    "libQt6WebEngine",
    "libQt6Quick",
    "libQt6Qml",
    "libQt63D",
    "libQt6Multimedia",
    "libQt6Pdf",
    "_tkinter",
)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one-folder app (the folder holding the `planner` binary)."""
    given = os.environ.get("PLANNER_BUNDLE")
    if given:
        assert (Path(given) / "planner").is_file(), (
            f"PLANNER_BUNDLE={given} holds no planner binary"
        )
        return Path(given)
    if not sys.platform.startswith("linux"):
        pytest.skip(
            "packaging/build.sh builds on Linux; see packaging/README.md for Windows and macOS"
        )
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip(
            "no bundle: install the build tools (pip install -e '.[package]') or set PLANNER_BUNDLE"
        )
    out = tmp_path_factory.mktemp("bundle")
    env = {**os.environ, "DIST": str(out / "dist"), "WORK": str(out / "work"),
           "PYTHON": sys.executable, "SKIP_INSTALL": "1"}  # fmt: skip
    subprocess.run(
        ["bash", str(ROOT / "packaging" / "build.sh")], env=env, check=True, timeout=1200
    )
    return out / "dist" / "planner"


def _run(bundle: Path, *args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "QT_QPA_PLATFORM")}
    env["PLANNER_SETTINGS_DIR"] = str(tmp_path / "settings")
    return subprocess.run(
        [str(bundle / "planner"), *args],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300,
    )  # fmt: skip


def test_bundle_renders_the_demo_offscreen(bundle: Path, tmp_path: Path, qapp) -> None:
    from PySide6.QtGui import QImage

    out = _run(bundle, "screenshot", "--demo", "--out", "x.png", tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "x.png" and (tmp_path / "x.png").is_file()  # relative to its cwd
    image = QImage(str(tmp_path / "x.png"))
    assert (image.width(), image.height()) == (1280, 800)
    pixels = [image.pixel(x, y) for x in range(0, 1280, 8) for y in range(0, 800, 8)]
    background = max(set(pixels), key=pixels.count)
    assert len(set(pixels)) > 50  # charts, text and the table, not a blank or one-colour frame
    assert sum(p != background for p in pixels) > 0.2 * len(pixels)


def test_bundle_reports_the_project_version(bundle: Path, tmp_path: Path) -> None:
    out = _run(bundle, "--version", tmp_path=tmp_path)
    assert out.returncode == 0 and out.stdout.strip() == f"planner {VERSION}"


def test_bundle_carries_the_resources_and_leaves_out_dev_tools(bundle: Path) -> None:
    internal = bundle / "_internal"
    for name in SHIPPED:
        assert (internal / "planner" / "resources" / name).is_file(), name
    names = {p.name for p in internal.rglob("*")}
    assert not [d for d in LEFT_OUT_DIRS if d in names]
    assert not [n for n in names if n.startswith(LEFT_OUT_LIBS)]
