"""The Linux prerequisite check: the right libraries, found as the loader finds them, one apt line.

What can be tested here without uninstalling system libraries: the table
against the installed xcb plugin's ELF headers and dpkg, the lookup against
`ldd` (the dynamic loader's own answer), the pure detection over directories
we create, and one real run of `planner` when this machine lacks a library.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from planner.platform_check import (
    APT_LINE,
    XCB_LIBRARIES,
    apt_command,
    directory_resolver,
    library_dirs,
    missing_libraries,
    uses_xcb,
    xcb_problem,
)

ROOT = Path(__file__).resolve().parents[1]
linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="ELF/xcb is Linux only"
)
# the C/C++ runtime (libc6, libstdc++6, libgcc-s1) and zlib/zstd are on every Debian system
BASE_SYSTEM = re.compile(
    r"^(libc|libm|libdl|librt|libpthread|libstdc\+\+|libgcc_s|ld-linux.*|libz|libzstd)\.so"
)


def _qt_dir() -> Path:
    import PySide6

    return Path(PySide6.__file__).parent / "Qt"


def elf_needed(path: Path) -> list[str]:
    """DT_NEEDED entries of a 64-bit little-endian ELF file (what the loader must find)."""
    data = path.read_bytes()
    assert data[:4] == b"\x7fELF" and data[4] == 2 and data[5] == 1, f"{path} is not ELF64 LE"
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)
    ]
    dynamic = next(s for s in sections if s[1] == 6)  # SHT_DYNAMIC
    strtab = sections[dynamic[6]]  # sh_link -> .dynstr
    needed = []
    for offset in range(dynamic[4], dynamic[4] + dynamic[5], 16):
        tag, value = struct.unpack_from("<qQ", data, offset)
        if tag == 0:
            break
        if tag == 1:  # DT_NEEDED
            start = strtab[4] + value
            needed.append(data[start : data.index(b"\0", start)].decode())
    return needed


@linux_only
def test_table_is_what_the_xcb_plugin_needs_from_the_system() -> None:
    qt = _qt_dir()
    loaded = [
        qt / "plugins" / "platforms" / "libqxcb.so",
        *(qt / "lib" / f"libQt6{name}.so.6" for name in ("XcbQpa", "Gui", "Core", "DBus")),
    ]
    bundled = {p.name for p in (qt / "lib").iterdir()}
    needed = {name for lib in loaded for name in elf_needed(lib)}
    from_system = {n for n in needed if n not in bundled and not BASE_SYSTEM.match(n)}
    assert from_system == set(XCB_LIBRARIES)


@linux_only
@pytest.mark.skipif(shutil.which("dpkg") is None, reason="dpkg: a Debian/Ubuntu machine")
def test_packages_are_the_ones_dpkg_says_ship_each_library() -> None:
    out = subprocess.run(
        ["dpkg", "-S", *(f"*/{soname}" for soname in XCB_LIBRARIES)],
        capture_output=True, text=True,
    )  # fmt: skip
    owners = {}
    for line in out.stdout.splitlines():
        package, path = line.split(": ", 1)
        owners.setdefault(Path(path).name, set()).add(package.split(":")[0])
    assert owners, "no library of the table is installed here: nothing to compare"
    for soname, package in XCB_LIBRARIES.items():
        if soname in owners:
            assert package in owners[soname], (soname, owners[soname])


@linux_only
@pytest.mark.skipif(shutil.which("ldd") is None, reason="ldd: glibc's loader front end")
def test_lookup_agrees_with_the_dynamic_loader() -> None:
    """For every library of the table, found by ldd <=> found by planner's lookup."""
    out = subprocess.run(
        ["ldd", str(_qt_dir() / "plugins" / "platforms" / "libqxcb.so")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    verdicts = {}
    for line in out.stdout.splitlines():
        match = re.match(r"\s*(\S+) => (not found|\S+)", line)
        if match and match.group(1) in XCB_LIBRARIES:
            verdicts[match.group(1)] = match.group(2) != "not found"
    assert len(verdicts) > len(XCB_LIBRARIES) // 2
    resolve = directory_resolver(library_dirs(os.environ))
    assert {name: resolve(name) for name in verdicts} == verdicts


def test_detection_over_an_empty_and_a_partial_library_folder(tmp_path: Path) -> None:
    empty = directory_resolver([tmp_path / "none"])
    assert missing_libraries(XCB_LIBRARIES, empty) == list(XCB_LIBRARIES)
    partial = tmp_path / "lib"
    partial.mkdir()
    present = [n for n in XCB_LIBRARIES if n not in ("libxcb-icccm.so.4", "libxcb-keysyms.so.1")]
    for name in present:
        (partial / name).write_bytes(b"")
    resolve = directory_resolver([tmp_path / "none", partial])
    assert missing_libraries(XCB_LIBRARIES, resolve) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({}, "linux", True),  # X11 session or no session info: Qt's default is xcb
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "minimal"}, "linux", False),
        ({"QT_QPA_PLATFORM": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", True),  # no compositor: falls back to X11
        ({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"XDG_SESSION_TYPE": "wayland"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb:dpi=96"}, "linux", True),  # platform arguments after ':'
        ({}, "win32", False),
        ({}, "darwin", False),
        ({"QT_QPA_PLATFORM": "xcb"}, "darwin", False),
    ],
)
def test_the_check_runs_only_when_qt_will_use_xcb(
    environ: dict[str, str], platform: str, expected: bool
) -> None:
    assert uses_xcb(environ, platform) is expected


def test_message_names_the_missing_libraries_and_the_one_apt_line(tmp_path: Path) -> None:
    partial = tmp_path / "lib"
    partial.mkdir()
    for name in XCB_LIBRARIES:
        if name != "libxcb-cursor.so.0":
            (partial / name).write_bytes(b"")
    message = xcb_problem({"QT_QPA_PLATFORM": "xcb"}, directory_resolver([partial]), "linux")
    assert message is not None
    first, second = message.splitlines()
    assert first.startswith("planner: ") and "libxcb-cursor.so.0" in first
    assert "libxcb-icccm" not in first
    assert second.strip() == APT_LINE
    assert xcb_problem({"QT_QPA_PLATFORM": "offscreen"}, directory_resolver([]), "linux") is None
    assert xcb_problem({}, directory_resolver([partial, tmp_path]), "win32") is None


def test_apt_line_installs_every_package_once() -> None:
    words = APT_LINE.split()
    assert words[:4] == ["sudo", "apt-get", "install", "-y"]
    assert sorted(words[4:]) == sorted(set(XCB_LIBRARIES.values()))
    assert (
        apt_command(["libxcb-icccm4", "libxcb-icccm4"]) == "sudo apt-get install -y libxcb-icccm4"
    )


def test_readme_puts_the_apt_line_above_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert APT_LINE in readme
    assert readme.index(APT_LINE) < readme.index("pip install -e . && planner --demo")


@linux_only
def test_planner_prints_the_apt_line_instead_of_aborting_when_a_library_is_missing(
    tmp_path: Path,
) -> None:
    """Real run of `planner` on xcb. Only meaningful where a library really is missing."""
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "PLANNER_SETTINGS_DIR": str(tmp_path)}
    env.pop("WAYLAND_DISPLAY", None)
    missing = missing_libraries(XCB_LIBRARIES, directory_resolver(library_dirs(env)))
    if not missing:
        pytest.skip("every X11 library is installed here; the pure tests above cover detection")
    out = subprocess.run(
        [sys.executable, "-m", "planner", "--demo"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert out.returncode == 2, out.stderr
    assert out.stdout == ""
    assert all(name in out.stderr for name in missing)
    assert out.stderr.splitlines()[-1].strip() == APT_LINE
    assert "qt.qpa" not in out.stderr  # Qt never started


def test_search_order_starts_with_ld_library_path_and_skips_other_architectures(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "ld.so.cache"
    cache.write_bytes(
        b"glibc-ld.so.cache1.1\0libxcb-icccm.so.4\0/usr/lib/i386-linux-gnu/libxcb-icccm.so.4\0"
        b"/opt/vendor/lib/libxcb-keysyms.so.1\0"
    )
    dirs = library_dirs({"LD_LIBRARY_PATH": f"{tmp_path}/a::{tmp_path}/b"}, ld_cache=cache)
    assert dirs[:2] == [tmp_path / "a", tmp_path / "b"]
    assert Path("/opt/vendor/lib") in dirs
    if sysconfig.get_config_var("MULTIARCH") not in (None, "", "i386-linux-gnu"):
        assert Path("/usr/lib/i386-linux-gnu") not in dirs
    assert len(dirs) == len(set(dirs))
