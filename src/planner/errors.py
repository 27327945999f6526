"""Errors the user can act on.

Every problem with a user's file is raised as `InputError`; the CLI prints it
as one line (exit status 2) and the UI shows it in the window. Anything else
that escapes is a bug in planner, not in the user's file.
"""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """A file (or an option) the user gave cannot be used, with a one-line reason."""

    def __init__(self, path: str | Path | None, problem: str) -> None:
        self.path = None if path is None else Path(path)
        self.problem = " ".join(str(problem).split())  # always a single line
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{self.path.name}: {self.problem}" if self.path else self.problem
