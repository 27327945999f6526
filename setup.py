"""Build hook: ship the top-level `resources/` folder inside the wheel as `planner/resources/`.

Why a hook and not `[tool.setuptools.package-data]`: package data must sit
inside a package directory, and the project keeps its resources once, at the
top level (icons, desktop files and demo data are not Python source). The
hook copies them into the built package, next to `planner.resources`, where
the resource helper looks for them in an installed wheel. Editable installs
skip the copy: the helper finds the checkout's `resources/` directly.
Everything else about the build lives in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
RESOURCES = ROOT / "resources"
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".DS_Store", "*~")


class BuildPyWithResources(build_py):
    """build_py that also copies `resources/` to `<build_lib>/planner/resources/`."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        if not RESOURCES.is_dir():
            raise SystemExit(f"planner build: {RESOURCES} is missing; build from a full checkout")
        target = Path(self.build_lib) / "planner" / "resources"
        shutil.copytree(RESOURCES, target, ignore=IGNORED, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildPyWithResources})
