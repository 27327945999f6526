"""Before Qt starts on Linux/X11: name the missing system libraries and the apt-get line.

Why: PySide6 wheels bundle Qt but not the X11/xcb client libraries its xcb
platform plugin links against. On a fresh Debian or Ubuntu machine some are
absent (libxcb-icccm4, libxcb-keysyms1, ...) and Qt aborts with "Could not
load the Qt platform plugin xcb", naming none of them. `planner` looks the
libraries up the way the dynamic loader does, before importing Qt, and prints
the one command that installs them instead (exit status 2).

The table is the set of libraries that PySide6 6.11's `libqxcb.so` and the Qt
libraries it loads (XcbQpa, Gui, Core, DBus) name as NEEDED and do not bundle,
without the C/C++ runtime every Debian system has; tests/test_platform_check.py
checks it against the installed plugin. No Qt import here: this runs first.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib.util import find_spec
from pathlib import Path

# soname -> the Debian/Ubuntu package that ships it
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}

Resolver = Callable[[str], bool]


def apt_command(packages: Iterable[str] | None = None) -> str:
    """The one install line (all packages by default, in the table's order, each once)."""
    chosen = dict.fromkeys(XCB_LIBRARIES.values() if packages is None else packages)
    return "sudo apt-get install -y " + " ".join(chosen)


APT_LINE = apt_command()  # the line the README shows above the two commands


def missing_libraries(sonames: Iterable[str], resolve: Resolver) -> list[str]:
    """The sonames `resolve` cannot find, in the given order (pure: no file system of its own)."""
    return [name for name in sonames if not resolve(name)]


def uses_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt will start its xcb (X11) platform plugin in this environment.

    Qt tries the platforms in QT_QPA_PLATFORM in order ("wayland;xcb"); when
    unset it tries Wayland first in a Wayland session, else xcb. Wayland wins
    when a compositor is reachable; offscreen, minimal, eglfs... never need X11.
    """
    if not platform.startswith("linux"):
        return False
    requested = environ.get("QT_QPA_PLATFORM", "").strip()
    if requested:
        candidates = [part.split(":")[0].strip() for part in requested.split(";")]
    elif environ.get("XDG_SESSION_TYPE") == "wayland":
        candidates = ["wayland", "xcb"]
    else:
        candidates = ["xcb"]
    for name in candidates:
        if name == "xcb":
            return True
        if name.startswith("wayland") and environ.get("WAYLAND_DISPLAY"):
            return False
        if name and not name.startswith("wayland"):
            return False
    return False


def _ld_cache_paths(cache: Path) -> list[str]:
    """Absolute library paths listed in glibc's ld.so.cache (its string table is plain text)."""
    try:
        data = cache.read_bytes()
    except OSError:
        return []
    return [
        part.decode("utf-8", "replace")
        for part in data.split(b"\0")
        if part.startswith(b"/") and b".so" in part
    ]


def library_dirs(
    environ: Mapping[str, str], ld_cache: Path = Path("/etc/ld.so.cache")
) -> list[Path]:
    """Directories the dynamic loader searches, in its order, plus the ones Qt/the bundle add."""
    dirs = [Path(p) for p in environ.get("LD_LIBRARY_PATH", "").split(":") if p]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # PyInstaller puts collected system libraries next to the bundled Qt
        dirs += [Path(bundle), Path(bundle) / "PySide6" / "Qt" / "lib"]
    spec = find_spec("PySide6")  # locates the package without importing Qt
    if spec and spec.origin:
        dirs.append(Path(spec.origin).parent / "Qt" / "lib")  # the plugin's RUNPATH
    triplet = sysconfig.get_config_var("MULTIARCH") or ""
    for path in _ld_cache_paths(ld_cache):
        folder = Path(path).parent
        foreign = any(
            ("-linux-" in part and part != triplet) or part in ("lib32", "libx32")
            for part in folder.parts
        )  # another architecture's copy (i386 multiarch) cannot satisfy this process
        if not (foreign and triplet):
            dirs.append(folder)
    for root in ("/lib", "/usr/lib"):
        if triplet:
            dirs.append(Path(root) / triplet)
        dirs += [Path(root), Path(root + "64")]
    return list(dict.fromkeys(dirs))


def directory_resolver(dirs: Sequence[Path]) -> Resolver:
    """A resolver that finds a soname when a file of that name is in one of `dirs`."""
    return lambda soname: any((d / soname).exists() for d in dirs)


def xcb_problem(
    environ: Mapping[str, str] | None = None,
    resolve: Resolver | None = None,
    platform: str = sys.platform,
) -> str | None:
    """The message to print instead of starting Qt, or None when Qt can start (or won't use xcb)."""
    env = os.environ if environ is None else environ
    if not uses_xcb(env, platform):
        return None
    resolver = resolve or directory_resolver(library_dirs(env))
    missing = missing_libraries(XCB_LIBRARIES, resolver)
    if not missing:
        return None
    return (
        f"planner: Qt's X11 (xcb) platform needs system libraries that are missing: "
        f"{', '.join(missing)}. Install them with:\n    {APT_LINE}"
    )
