"""Runtime resources (demo data, icons, desktop files) found the same way everywhere.

The files live once, in the repository's top-level `resources/` folder. They
reach the user by three routes, and this module is the only place that knows
them (code that builds paths from `__file__` by hand works in one and breaks
in the others):

* checkout (PYTHONPATH=src or an editable install): this module sits in
  `<repo>/src/planner/resources/`, the files in `<repo>/resources/`;
* wheel: `setup.py` copies `resources/` into the package at build time, so
  the files sit next to this module in `site-packages/planner/resources/`;
* PyInstaller bundle: `packaging/planner.spec` collects `resources/` as data
  under `planner/resources` inside the bundle (`sys._MEIPASS`).

Every caller asks `resource_path(name)`; nothing else joins resource paths.
"""

from __future__ import annotations

import sys
from pathlib import Path

DEMO_BUDGET = "demo/nordlys_budget_2027.xlsx"
DEMO_CRM = "demo/nordlys_crm_opportunities.csv"
APP_ICON_SVG = "icons/planner.svg"
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _checkout_resources(module_dir: Path) -> Path | None:
    """`<repo>/resources` when this module is `<repo>/src/planner/resources/__init__.py`."""
    src = module_dir.parent.parent
    repo = src.parent
    if src.name != "src" or not (repo / "pyproject.toml").is_file():
        return None
    candidate = repo / "resources"
    return candidate if candidate.is_dir() else None


def resources_dir() -> Path:
    """The folder holding planner's runtime resources: bundle, then checkout, then package."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidate = Path(bundle) / "planner" / "resources"
        if candidate.is_dir():
            return candidate
    here = Path(__file__).resolve().parent
    return _checkout_resources(here) or here


def resource_path(name: str) -> Path:
    """The path of resource `name` ("demo/x.csv"); FileNotFoundError when it was not shipped."""
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts:
        raise ValueError(f"resource names are relative paths inside planner/resources: {name!r}")
    path = resources_dir() / relative
    if not path.exists():
        raise FileNotFoundError(
            f"planner resource {name!r} is missing (looked in {resources_dir()})"
        )
    return path


def demo_paths() -> tuple[Path, Path]:
    """(budget, CRM export) of the embedded demo workspace, made by `scripts/make_demo.py`."""
    return resource_path(DEMO_BUDGET), resource_path(DEMO_CRM)


def app_icon_png(size: int) -> Path:
    """The app icon rendered at `size` px (one of APP_ICON_SIZES), made by `scripts/make_icons.py`."""
    if size not in APP_ICON_SIZES:
        raise ValueError(f"the app icon is rendered at {APP_ICON_SIZES} px, not {size}")
    return resource_path(f"icons/planner-{size}.png")
