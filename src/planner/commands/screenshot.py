"""`planner screenshot`: render the main window offscreen to a PNG.

Used for the README and for checking the layout by eye at several sizes and
themes. Qt is imported only inside `run`, so `planner --help` and the pure
core stay Qt-free. The PNG is written after the final results arrived, so it
never shows a half-computed window.
"""

from __future__ import annotations

import argparse
import os
import re

from planner.errors import InputError

THEMES = ("light", "dark", "system")


def parse_size(text: str) -> tuple[int, int]:
    """`1280x800` -> (1280, 800); the window has a sensible minimum."""
    match = re.fullmatch(r"\s*(\d{3,5})\s*[xX\u00d7]\s*(\d{3,5})\s*", text)
    if not match:
        raise InputError(None, f"--size must look like 1280x800, got {text!r}")
    width, height = int(match.group(1)), int(match.group(2))
    if width < 1024 or height < 640 or width > 7680 or height > 4320:
        raise InputError(None, f"--size must be between 1024x640 and 7680x4320, got {text}")
    return width, height


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", help="a budget and a CRM export (default: the demo)")
    parser.add_argument("--demo", action="store_true", help="use the embedded demo data")
    parser.add_argument("--out", required=True, help="PNG file to write")
    parser.add_argument("--size", default="1280x800", help="window size WxH (default 1280x800)")
    parser.add_argument("--theme", choices=THEMES, default="light", help="palette (default light)")
    parser.add_argument(
        "--brand-share", type=float, default=None, metavar="X",
        help="brand share 0..1 to show (default: the budget's own split)",
    )  # fmt: skip
    parser.add_argument("--months", type=int, choices=(6, 12, 24, 36), default=None, help="horizon")
    parser.add_argument(
        "--panel",
        choices=("charts", "budget", "sources", "assumptions", "best-split", "model-health", "welcome",
                 "import-report", "compare"),
        default=None,
        help="bring this view to the front (default: charts); welcome = the empty window, "
        "import-report = the window with the import report open, compare = the compare view",
    )
    parser.add_argument("--workshop", action="store_true", help="render workshop mode instead of the window")
    parser.add_argument("--scenario", default=None, metavar="F",
                        help="a .planner.json to show (compare view and workshop mode)")
    parser.add_argument(
        "--lang", choices=("en", "da", "nb", "de"), default=None,
        help="UI language and number formats (default: the user's setting)",
    )  # fmt: skip
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds to wait for results (default 120)"
    )


def run(args: argparse.Namespace) -> int:
    size = parse_size(args.size)
    if args.brand_share is not None and not 0.0 <= args.brand_share <= 1.0:
        raise InputError(None, f"--brand-share must be between 0 and 1, got {args.brand_share}")
    if not args.files and not args.demo:
        args.demo = True  # like `planner` itself: no files means the demo
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.workshop or args.panel == "compare":
        from planner.ui.scenario_screens import render_scenario_view

        print(str(render_scenario_view(
            args.out, "workshop" if args.workshop else "compare", files=args.files if not args.demo else (),
            scenario_file=args.scenario, size=size, theme=args.theme, timeout=args.timeout,
            brand_share=args.brand_share, months=args.months, language=args.lang,
        )))
        return 0
    from planner.ui.app import render_screenshot

    out = render_screenshot(
        args.out,
        files=args.files,
        demo=args.demo,
        size=size,
        theme=args.theme,
        timeout=args.timeout,
        brand_share=args.brand_share,
        months=args.months,
        panel={"best-split": "bestSplit", "model-health": "modelHealth"}.get(args.panel, args.panel),
        language=args.lang,
    )
    print(str(out))
    return 0
