"""Undo/redo of Scenario values.

We keep the documents themselves, not commands with inverses: a `Scenario`
is an immutable value, so undo restores it *exactly* and there is no inverse
operation that could drift. Pure Python, no Qt, so the CLI and tests can use
it and the window only has to forward Ctrl+Z.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True)
class Entry(Generic[T]):
    """One state of the document and the label of the action that produced it."""

    value: T
    label: str


class History(Generic[T]):
    """A linear undo stack of document values.

    `push` records a new state and drops the redo branch; pushing a value
    equal to the current one is a no-op (returns False), so a widget that
    echoes a value back does not create an empty undo step. The stack is
    bounded so a long workshop of slider drags does not grow memory forever.
    """

    def __init__(self, initial: T, label: str = "Open", limit: int = 500) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self._entries: list[Entry[T]] = [Entry(initial, label)]
        self._index = 0
        self._limit = limit

    @property
    def current(self) -> T:
        """The document as it is now."""
        return self._entries[self._index].value

    @property
    def index(self) -> int:
        """Position of the current state (0 = the oldest kept state)."""
        return self._index

    def __len__(self) -> int:
        return len(self._entries)

    def push(self, value: T, label: str) -> bool:
        """Record `value` as the new current state; False when nothing changed."""
        if value == self.current:
            return False
        del self._entries[self._index + 1 :]
        self._entries.append(Entry(value, label))
        if len(self._entries) > self._limit:
            del self._entries[0 : len(self._entries) - self._limit]
        self._index = len(self._entries) - 1
        return True

    def replace_current(self, value: T) -> None:
        """Amend the current state without a new undo step.

        Used when one gesture produces several values (a slider drag): the
        first value pushes, the rest amend, so one drag is one undo step.
        """
        entry = self._entries[self._index]
        self._entries[self._index] = Entry(value, entry.label)
        del self._entries[self._index + 1 :]

    def can_undo(self) -> bool:
        return self._index > 0

    def can_redo(self) -> bool:
        return self._index < len(self._entries) - 1

    def undo(self) -> T:
        """Step back one state and return it (stays put at the oldest state)."""
        if self.can_undo():
            self._index -= 1
        return self.current

    def redo(self) -> T:
        """Step forward one state and return it (stays put at the newest state)."""
        if self.can_redo():
            self._index += 1
        return self.current

    def undo_label(self) -> str | None:
        """Label of the action Ctrl+Z would undo, for the Edit menu text."""
        return self._entries[self._index].label if self.can_undo() else None

    def redo_label(self) -> str | None:
        """Label of the action Ctrl+Shift+Z would redo."""
        return self._entries[self._index + 1].label if self.can_redo() else None

    def reset(self, initial: T, label: str = "Open") -> None:
        """Forget everything (new files were loaded: old steps no longer apply)."""
        self._entries = [Entry(initial, label)]
        self._index = 0
