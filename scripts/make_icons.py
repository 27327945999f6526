"""Render the app icon from its SVG source into every size and format the platforms want.

`resources/icons/planner.svg` is the only drawn file. This script writes next
to it: `planner-<N>.png` for N in APP_ICON_SIZES (Linux hicolor theme, the
window icon), `planner.ico` (Windows: PNG-compressed entries 16..256 px, as
Windows Vista and later read them) and `planner.icns` (macOS: PNG entries
16..1024 px incl. the @2x variants). ICO and ICNS are simple containers of
PNG images, written here with struct instead of adding an imaging library to
the build. Qt (QtSvg) renders, so the icon looks the same as in the app.

Run from the repository root after editing the SVG, and commit the results:

    python scripts/make_icons.py
"""

from __future__ import annotations

import argparse
import os
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from planner.resources import APP_ICON_SIZES  # noqa: E402

ICONS = ROOT / "resources" / "icons"
SVG_NAME = "planner.svg"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest an ICO entry can declare
# ICNS chunk type -> pixel size; PNG payloads, https://en.wikipedia.org/wiki/Apple_Icon_Image_format
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512),
    (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512),
)  # fmt: skip


def render_png(svg: Path, size: int) -> bytes:
    """The SVG rendered into a transparent size x size square, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO container holding one PNG entry per size (a width of 256 is stored as 0)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, payload = b"", b""
    for size, png in sorted(pngs.items()):
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset + len(payload))
        payload += png
    return header + entries + payload


def icns_bytes(chunks: list[tuple[bytes, bytes]]) -> bytes:
    """An ICNS container: 'icns' + total length, then (type, length, PNG) chunks, big-endian."""
    body = b"".join(kind + struct.pack(">I", 8 + len(png)) + png for kind, png in chunks)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ICONS, help="folder to write the icons into")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication([])
    svg = ICONS / SVG_NAME
    wanted = set(APP_ICON_SIZES) | set(ICO_SIZES) | {size for _, size in ICNS_TYPES}
    pngs = {size: render_png(svg, size) for size in sorted(wanted)}
    args.out.mkdir(parents=True, exist_ok=True)
    for size in APP_ICON_SIZES:
        (args.out / f"planner-{size}.png").write_bytes(pngs[size])
    (args.out / "planner.ico").write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    (args.out / "planner.icns").write_bytes(icns_bytes([(k, pngs[s]) for k, s in ICNS_TYPES]))
    print(f"wrote {len(APP_ICON_SIZES)} PNGs, planner.ico and planner.icns to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
