"""Budget rows -> `BudgetLine`s: classes, unique names, section sums and the file's own total.

Both parsers collect `Line` and `Total` records; what happens to them after
is the same for a wide and a long table: a section row that carries its
section's sum is a header, not a line; the file's grand total is checked
against the lines; every line gets a class and a unique name.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from planner.io.budget_sheet import NotABudget, listed
from planner.io.notices import Notice
from planner.io.spend_classes import classify_category, classify_line
from planner.io.types import BudgetLine


@dataclass
class Line:
    row: int
    label: str
    amounts: npt.NDArray[np.float64]
    section: str | None
    category: object = None
    problems: list[str] = field(default_factory=list)
    is_section: bool = False


@dataclass
class Total:
    row: int
    label: str
    amounts: npt.NDArray[np.float64] | None  # None when it held formulas we did not evaluate


def finish_lines(lines: list[Line], notices: list[Notice]) -> tuple[BudgetLine, ...]:
    """Classify, name uniquely and report the lines of a sheet."""
    out: list[BudgetLine] = []
    seen: Counter[str] = Counter(ln.label for ln in lines)
    used: set[str] = set()
    unclassified: list[str] = []
    unread: list[str] = []
    renamed: list[str] = []
    for ln in lines:
        cls, origin = classify_line(ln.label, ln.category, ln.section)
        name = ln.label
        if seen[name] > 1:
            candidate = f"{name} ({ln.section})" if ln.section else name
            n = 2
            while candidate in used:
                candidate = f"{name} ({n})"
                n += 1
            if candidate != name:
                renamed.append(candidate)
            name = candidate
        used.add(name)
        if origin == "default":
            unclassified.append(repr(name))
        if ln.problems:
            unread.append(
                f"row {ln.row + 1} {name!r} ({ln.problems[0]}"
                + (f"; {len(ln.problems) - 1} more cells" if len(ln.problems) > 1 else "")
                + ")"
            )
        out.append(BudgetLine(name, cls, ln.amounts, ln.section, origin))
    if unread:
        notices.append(Notice("cells_unread", f"cells read as 0: {listed(unread)}", len(unread)))
    if unclassified:
        notices.append(
            Notice(
                "lines_unclassified",
                f"could not tell brand from lead generation for {listed(unclassified)}; "
                "counted as demand (lead generation), please check",
                len(unclassified),
            )
        )
    if renamed:
        notices.append(
            Notice(
                "lines_renamed",
                f"line names used twice were told apart as {listed(renamed)}",
                len(renamed),
            )
        )
    return tuple(out)


def fold_section_sums(events: list[Line | Total | str]) -> None:
    """A section row that carries its section's sum is a header, not a line.

    "Brand | 30 | 30" over "TV | 10 | 10" and "Radio | 20 | 20": the first
    row names a class and equals the lines below it, so it is a section.
    """
    for i, ev in enumerate(events):
        if not isinstance(ev, Line) or classify_category(ev.label) is None:
            continue
        below: list[Line] = []
        for nxt in events[i + 1 :]:
            if not isinstance(nxt, Line) or classify_category(nxt.label) is not None:
                break
            below.append(nxt)
        if len(below) < 2:
            continue  # one line equal to the row above is a coincidence, not a sum
        total = np.sum([b.amounts for b in below], axis=0)
        if np.allclose(total, ev.amounts, rtol=1e-6, atol=0.01):
            ev.is_section = True
            for b in below:
                if b.section is None or b.section == ev.section:
                    b.section = ev.label


def check_total(total: Total | None, lines: list[Line], notices: list[Notice]) -> None:
    """Compare the file's own grand total with the sum of its lines."""
    if total is None or total.amounts is None or not lines:
        return
    if lines[-1].row > total.row or classify_category(total.label) is not None:
        return
    ours = float(sum(ln.amounts.sum() for ln in lines))
    theirs = float(total.amounts.sum())
    if abs(ours - theirs) > max(1.0, 0.001 * abs(theirs)):
        notices.append(
            Notice(
                "total_mismatch",
                f"the file's total (row {total.row + 1}, {total.label!r}) is {theirs:,.2f} but "
                f"its lines add up to {ours:,.2f}; the lines were used",
            )
        )


def check_plausible(lines: list[Line]) -> None:
    """Reject tables of something else that happen to have months (temperatures, balances)."""
    values = np.concatenate([ln.amounts for ln in lines])
    nonzero = values[values != 0]
    if nonzero.size == 0:
        raise NotABudget("the month columns hold no amounts", promise=2)
    if (nonzero < 0).mean() > 0.1:
        raise NotABudget(
            "many month amounts are negative; this does not look like a spending budget",
            promise=2,
        )
