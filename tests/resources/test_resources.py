"""resources/: the icon in every size, valid desktop files, found from a checkout and a wheel.

The bundle route is covered by tests/packaging/test_bundle.py (it needs a build).
"""

from __future__ import annotations

import configparser
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from defusedxml import ElementTree

from planner.resources import (
    APP_ICON_SIZES,
    APP_ICON_SVG,
    DEMO_BUDGET,
    DEMO_CRM,
    app_icon_png,
    demo_paths,
    resource_path,
    resources_dir,
)

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
APP_ID = "org.planner.Planner"
DESKTOP = f"linux/{APP_ID}.desktop"
METAINFO = f"linux/{APP_ID}.metainfo.xml"
SHIPPED = (
    DEMO_BUDGET,
    DEMO_CRM,
    APP_ICON_SVG,
    "icons/planner.ico",
    "icons/planner.icns",
    DESKTOP,
    METAINFO,
)
LANGUAGES = ("da", "de", "nb")  # planner's translations besides English


def _make_icons_module():
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "scripts" / "make_icons.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_checkout_uses_the_top_level_resources_folder() -> None:
    assert resources_dir() == ROOT / "resources"
    for name in SHIPPED:
        assert resource_path(name).is_file(), name
    assert not (ROOT / "src" / "planner" / "resources" / "demo").exists()  # one copy only


def test_app_icon_pngs_have_their_size_and_are_drawn(qapp) -> None:
    from PySide6.QtGui import QImage

    for size in APP_ICON_SIZES:
        image = QImage(str(app_icon_png(size)))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
        assert image.pixelColor(0, 0).alpha() == 0  # rounded corner: transparent
        assert image.pixelColor(size // 2, size // 2).alpha() == 255
        colours = {image.pixel(x, y) for x in range(size) for y in range(size)}
        assert len(colours) >= 4  # background, two bars, the curve
    with pytest.raises(ValueError):
        app_icon_png(20)


def test_shipped_icons_are_the_svg_rendered_now(qapp, tmp_path: Path) -> None:
    """scripts/make_icons.py was rerun after the SVG changed (pixels within antialiasing noise)."""
    from PySide6.QtGui import QImage

    assert _make_icons_module().main(["--out", str(tmp_path)]) == 0
    for size in APP_ICON_SIZES:
        fresh = QImage(str(tmp_path / f"planner-{size}.png"))
        shipped = QImage(str(app_icon_png(size)))
        worst = max(
            abs(fresh.pixelColor(x, y).red() - shipped.pixelColor(x, y).red())
            + abs(fresh.pixelColor(x, y).alpha() - shipped.pixelColor(x, y).alpha())
            for x in range(0, size, max(1, size // 32))
            for y in range(0, size, max(1, size // 32))
        )
        assert worst <= 16, (size, worst)
    for name in ("planner.ico", "planner.icns"):
        assert (tmp_path / name).stat().st_size == pytest.approx(
            resource_path(f"icons/{name}").stat().st_size, rel=0.05
        )


@pytest.mark.parametrize(
    ("name", "sizes"),
    [
        ("icons/planner.ico", {16, 24, 32, 48, 64, 128, 256}),
        ("icons/planner.icns", {16, 32, 64, 128, 256, 512, 1024}),
    ],
)
def test_windows_and_macos_icons_read_back_with_every_size(
    qapp, name: str, sizes: set[int]
) -> None:
    """Qt's own ICO/ICNS readers (not our writer) see every entry, each a square of its size."""
    from PySide6.QtGui import QImageReader

    reader = QImageReader(str(resource_path(name)))
    assert reader.canRead(), reader.errorString()
    found = set()
    for index in range(reader.imageCount()):
        assert reader.jumpToImage(index)
        image = reader.read()
        assert not image.isNull() and image.width() == image.height()
        found.add(image.width())
    assert found == sizes


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",), strict=True)
    parser.optionxform = str  # keys are case-sensitive in the Desktop Entry spec
    parser.read_string(resource_path(DESKTOP).read_text(encoding="utf-8"))
    assert parser.sections() == ["Desktop Entry"]
    return parser["Desktop Entry"]


def test_desktop_file_follows_the_desktop_entry_spec() -> None:
    entry = _desktop_entry()
    assert entry["Type"] == "Application" and entry["Version"] == "1.5"
    for key in ("Name", "Comment", "Exec", "Icon", "Categories"):
        assert entry.get(key), key
    program = entry["Exec"].split()[0]
    assert program == entry["TryExec"] and program in PROJECT["scripts"]
    assert entry["Exec"].split()[1:] == ["%F"]  # several files: a budget and a CRM export
    assert entry["Icon"] == APP_ID  # installed as hicolor/<size>/apps/org.planner.Planner.png
    assert entry["Terminal"] == "false" and entry["StartupNotify"] in ("true", "false")
    for key in ("Categories", "Keywords", "MimeType"):
        assert entry[key].endswith(";"), key
    main_categories = {"AudioVideo", "Development", "Education", "Game", "Graphics", "Network",
                       "Office", "Science", "Settings", "System", "Utility"}  # fmt: skip
    assert main_categories & set(entry["Categories"].split(";"))
    for mime in filter(None, entry["MimeType"].split(";")):
        assert mime.count("/") == 1 and " " not in mime, mime
    for language in LANGUAGES:
        assert entry[f"Comment[{language}]"] != entry["Comment"]
    assert not entry["Comment"].endswith(".")


def test_metainfo_matches_the_desktop_file_and_the_project() -> None:
    root = ElementTree.parse(resource_path(METAINFO)).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == Path(DESKTOP).name
    assert root.findtext("name") == _desktop_entry()["Name"]
    summary = root.findtext("summary") or ""
    assert summary == _desktop_entry()["Comment"] and len(summary) < 80
    assert root.findtext("metadata_license") in {"CC0-1.0", "FSFAP", "MIT", "CC-BY-4.0"}
    assert root.findtext("provides/binary") in PROJECT["scripts"]
    assert [r.get("version") for r in root.iter("release")][0] == PROJECT["version"]
    description = root.find("description")
    assert description is not None and description.find("p") is not None


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli not installed")
def test_metainfo_passes_appstreamcli_validate() -> None:
    out = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(resource_path(METAINFO))],
        capture_output=True, text=True,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.fixture(scope="module")
def wheel_and_venv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A wheel built with `pip wheel --no-deps` from a copy of the tree, installed into a venv."""
    base = tmp_path_factory.mktemp("wheel")
    tree = base / "tree"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in ("src", "resources"):
        shutil.copytree(ROOT / name, tree / name, ignore=ignore)
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(ROOT / name, tree / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(base / "dist"), str(tree)],
        check=True, cwd=base,
    )  # fmt: skip
    wheel = next((base / "dist").glob("planner-*.whl"))
    venv = base / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
        check=True,
    )
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
         "--no-index", str(wheel)],
        check=True, cwd=base,
    )  # fmt: skip
    return wheel, venv


@pytest.mark.skipif(sys.platform == "win32", reason="venv layout bin/python")
def test_wheel_ships_the_resources_inside_the_package(wheel_and_venv: tuple[Path, Path]) -> None:
    wheel, _ = wheel_and_venv
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in SHIPPED:
        assert f"planner/resources/{name}" in names, name
    assert not any(n.startswith("resources/") or "__pycache__" in n for n in names)


@pytest.mark.skipif(sys.platform == "win32", reason="venv layout bin/python")
def test_installed_wheel_finds_the_demo_and_the_icon(wheel_and_venv: tuple[Path, Path]) -> None:
    _, venv = wheel_and_venv
    code = (
        "import json\n"
        "from planner.resources import app_icon_png, demo_paths, resource_path, resources_dir\n"
        f"names = {list(SHIPPED)!r}\n"
        "print(json.dumps({'dir': str(resources_dir()), 'demo': [str(p) for p in demo_paths()],\n"
        "    'icon': str(app_icon_png(256)), 'all': [str(resource_path(n)) for n in names]}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code],
        capture_output=True, text=True, env=env, cwd=venv, check=True,
    )  # fmt: skip
    found = json.loads(out.stdout)
    site = Path(found["dir"])
    assert site.is_relative_to(venv) and site.parts[-2:] == ("planner", "resources")
    for path, shipped in zip(found["demo"], demo_paths(), strict=True):
        assert Path(path).is_relative_to(site)
        assert Path(path).read_bytes() == shipped.read_bytes()
    assert Path(found["icon"]).read_bytes() == app_icon_png(256).read_bytes()
    assert all(Path(p).is_relative_to(site) for p in found["all"])
