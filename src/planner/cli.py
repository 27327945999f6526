"""Command line: `planner` opens the GUI, `planner <verb>` runs headless.

Each verb lives in its own module under `planner.commands` with
`add_arguments(parser)` and `run(args) -> int`, so this file only dispatches.
Contract (see README): exit 0 on success, 2 with one line on stderr for bad
input, JSON alone on stdout.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings
from collections.abc import Sequence
from types import ModuleType

from planner import __version__
from planner.errors import InputError, printable

VERBS: dict[str, str] = {
    "inspect": "show what the importer read from a budget or CRM file",
    "simulate": "simulate a brand/demand split and print the KPIs",
    "optimize": "sweep the brand share and print the best split and the frontier",
    "report": "export scenarios to an Excel workbook with charts, or a PDF",
    "screenshot": "render the main window offscreen to a PNG",
    "fit": "learn the response assumptions from spend history and lift tests (prior vs posterior)",
    "backtest": "forecast past years from the history before them and compare with what happened",
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line (exit 2), like bad input."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="planner",
        description="Plan a B2B marketing budget by what it does to revenue. "
        "Without a verb, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"planner {__version__}")
    parser.add_argument("--demo", action="store_true", help="open the app on the embedded demo data")
    parser.add_argument("files", nargs="*", help="budget and/or CRM files to open in the app")
    return parser


def build_verb_parser(verb: str) -> tuple[argparse.ArgumentParser, ModuleType]:
    module = importlib.import_module(f"planner.commands.{verb}")
    parser = _Parser(prog=f"planner {verb}", description=VERBS[verb])
    module.add_arguments(parser)
    return parser, module


def _usage_epilog() -> str:
    return "verbs:\n" + "\n".join(f"  {verb:<11} {text}" for verb, text in VERBS.items())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; `argv=None` means "as the `planner` program" (see `_quiet_warnings`)."""
    as_program = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    with warnings.catch_warnings():
        if as_program and not sys.warnoptions:
            _quiet_warnings()
        return _dispatch(argv)


def _quiet_warnings() -> None:
    """Keep numpy/pandas warnings ("overflow encountered", "Mean of empty slice") off the terminal.

    Only the `planner` program does this: in-process callers (the tests,
    where pyproject's filterwarnings turns our own warnings into errors)
    and anyone running Python with -W keep the warnings they asked for.
    """
    for category in (RuntimeWarning, UserWarning, FutureWarning, DeprecationWarning):
        warnings.simplefilter("ignore", category)


def _dispatch(argv: list[str]) -> int:
    try:
        if argv and argv[0] in VERBS:
            parser, module = build_verb_parser(argv[0])
            args = parser.parse_args(argv[1:])
            return int(module.run(args) or 0)
        parser = build_parser()
        parser.epilog = _usage_epilog()
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        args = parser.parse_args(argv)
        from planner.platform_check import xcb_problem  # before Qt: name missing X11 libraries

        if problem := xcb_problem():
            print(problem, file=sys.stderr)
            return 2
        from planner.ui.app import run_app  # Qt is imported only for the GUI

        return run_app(files=args.files, demo=args.demo)
    except InputError as exc:
        _say(f"planner: {exc.message}")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `planner optimize --json | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # noqa: B036 - a bug in planner (or a native panic): one line
        if os.environ.get("PLANNER_DEBUG"):
            raise
        _say(
            f"planner: internal error ({type(exc).__name__}: {printable(_first_line(exc))}); "
            "set PLANNER_DEBUG=1 for details"
        )
        return 1


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:300] if lines else ""


def _say(line: str) -> None:
    """One line on stderr, whatever the stream's encoding: what cannot be encoded is escaped."""
    stream = sys.stderr
    if stream is None:
        return
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        line.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        line = line.encode(encoding, "backslashreplace").decode(encoding, "replace")
    print(line, file=stream)
