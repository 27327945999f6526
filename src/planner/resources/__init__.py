"""Runtime resources (demo data, icons) found the same way from a checkout, a wheel and a bundle.

Why one helper: code that builds paths from `__file__` by hand works in a
checkout and breaks in a PyInstaller one-file bundle, where data files are
unpacked under `sys._MEIPASS`. Every caller asks `resource_path(name)` and
this module decides where "planner/resources" is.

PyInstaller: the spec must collect this folder as data under the same
relative path, e.g. `collect_data_files("planner", includes=["resources/**"])`.
"""

from __future__ import annotations

import sys
from pathlib import Path

DEMO_BUDGET = "demo/nordlys_budget_2027.xlsx"
DEMO_CRM = "demo/nordlys_crm_opportunities.csv"


def resources_dir() -> Path:
    """The folder holding planner's runtime resources."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidate = Path(bundle) / "planner" / "resources"
        if candidate.is_dir():
            return candidate
    return Path(__file__).resolve().parent


def resource_path(name: str) -> Path:
    """The path of resource `name` ("demo/x.csv"); FileNotFoundError when it was not shipped."""
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts:
        raise ValueError(f"resource names are relative paths inside planner/resources: {name!r}")
    path = resources_dir() / relative
    if not path.exists():
        raise FileNotFoundError(f"planner resource {name!r} is missing (looked in {resources_dir()})")
    return path


def demo_paths() -> tuple[Path, Path]:
    """(budget, CRM export) of the embedded demo workspace, made by `scripts/make_demo.py`."""
    return resource_path(DEMO_BUDGET), resource_path(DEMO_CRM)
