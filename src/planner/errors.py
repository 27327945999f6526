"""Errors the user can act on, and the one way their text reaches a terminal.

Every problem with a user's file is raised as `InputError`; the CLI prints it
as one line (exit status 2) and the UI shows it in the window. Anything else
that escapes is a bug in planner, not in the user's file.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Controls (newline, ESC for ANSI colours), format characters (bidi overrides),
surrogates (undecodable bytes of a file name), private-use and unassigned code
points, line and paragraph separators: none of them may reach a terminal raw."""


def printable(text: str) -> str:
    """`text` with every character that could move the cursor, recolour or hide text escaped.

    A file name is whatever bytes the user's file system allows: a newline
    would split our one-line message in two, an ANSI escape would colour the
    terminal, and a byte that is not UTF-8 (kept by Python as a lone
    surrogate) would make a strict UTF-8 stream raise. Each becomes a
    visible escape (`\\n`, `\\x1b`, `\\xff`); other text is left alone.
    """
    if text.isprintable():
        return text
    out: list[str] = []
    for ch in text:
        if ch == " " or unicodedata.category(ch) not in _UNSAFE_CATEGORIES:
            out.append(ch)
        elif 0xDC80 <= ord(ch) <= 0xDCFF:  # a byte os.fsdecode could not decode
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


class InputError(Exception):
    """A file (or an option) the user gave cannot be used, with a one-line reason."""

    def __init__(self, path: str | Path | None, problem: str) -> None:
        self.path = None if path is None else Path(path)
        self.problem = " ".join(str(problem).split())  # always a single line
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The line shown to the user, safe to print: control characters are escaped."""
        text = f"{self.path.name}: {self.problem}" if self.path else self.problem
        return printable(text)
