"""The undo stack restores exact values and never records empty steps."""

from __future__ import annotations

import pytest

from planner.scenario.history import History


def test_push_undo_redo_restores_exact_values() -> None:
    h: History[tuple[str, float]] = History(("s", 0.3))
    assert not h.can_undo() and not h.can_redo()
    assert h.push(("s", 0.4), "Brand share 40 %")
    assert h.push(("s", 0.5), "Brand share 50 %")
    assert h.undo_label() == "Brand share 50 %"
    assert h.undo() == ("s", 0.4)
    assert h.undo() == ("s", 0.3)
    assert not h.can_undo()
    assert h.undo() == ("s", 0.3)  # stays at the oldest state
    assert h.redo_label() == "Brand share 40 %"
    assert h.redo() == ("s", 0.4)
    assert h.redo() == ("s", 0.5)
    assert not h.can_redo()
    assert h.redo() == ("s", 0.5)


def test_equal_value_is_not_a_step() -> None:
    h = History(1)
    assert not h.push(1, "same")
    assert len(h) == 1 and not h.can_undo()


def test_push_after_undo_drops_redo_branch() -> None:
    h = History(0)
    h.push(1, "a")
    h.push(2, "b")
    h.undo()
    h.push(5, "c")
    assert not h.can_redo()
    assert h.undo() == 1
    assert h.undo() == 0


def test_replace_current_amends_without_new_step() -> None:
    h = History(0)
    h.push(1, "drag")
    h.replace_current(2)
    h.replace_current(3)
    assert h.current == 3 and len(h) == 2
    assert h.undo() == 0
    assert h.redo() == 3


def test_limit_keeps_newest_states() -> None:
    h = History(0, limit=3)
    for i in range(1, 10):
        h.push(i, str(i))
    assert len(h) == 3
    assert [h.current, h.undo(), h.undo(), h.undo()] == [9, 8, 7, 7]


def test_reset_forgets_everything() -> None:
    h = History(0)
    h.push(1, "a")
    h.reset(10, "Open files")
    assert h.current == 10 and not h.can_undo() and not h.can_redo()


def test_limit_must_be_positive() -> None:
    with pytest.raises(ValueError):
        History(0, limit=0)
