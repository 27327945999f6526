"""What an import wants the user to know: one small record per thing, carried by `Budget` and `Deals`.

A file can be read and still deserve a word: rows skipped, a year assumed,
lines whose class is a guess. Each is a `Notice` with a `kind` (so the CLI,
the window and tests can pick out the ones they care about without parsing
sentences), a one-line `message` in the reader's words, a `count` of the
rows/lines/cells it is about, and optional `details` (the first few rows).

Adding a kind: add it to `KINDS` with one line saying what it means, and
create `Notice(kind, message, count)` where the reader finds it; readers of
`notices` need no change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

KINDS: dict[str, str] = {
    "rows_skipped": "CRM rows that could not be read (amount, date or stage); `details` names the first few",
    "year_assumed": "budget month labels name no year; it came from a title, the file name or today",
    "cells_unread": "budget cells that are not numbers were read as 0",
    "lines_unclassified": "budget lines with no brand/demand clue; counted as demand",
    "lines_renamed": "budget line names used twice were told apart",
    "months_missing": "months between the first and last with no column or rows; counted as 0",
    "months_out_of_range": "budget month columns dated outside 1900-2200 (placeholders such as 9999) left out",
    "months_repeated": "month columns repeated; the first of each was read",
    "rows_left_out": "budget rows without a line name or a month were left out",
    "total_mismatch": "the file's own total differs from the sum of its lines",
    "dates_missing": "CRM deals without a created or close date (or no such column); kept, left out of the fits that need the date",
    "dates_out_of_range": "CRM dates outside 1677-2262 (placeholders such as 9999-12-31) read as missing",
    "negative_amounts": "CRM deals with a negative amount, read as written",
    "encoding_mixed": "a text file mixes UTF-8 and Windows-1252; each part read in its own encoding",
    "stray_quote": "text rows that open a quote and never close it; the quote read as text, the rows after it read again",
    "formulas_unread": "a workbook's formulas or number formats could not be read; saved values used",
}
"""Every notice kind, with what it means."""


@dataclass(frozen=True)
class Notice:
    """One thing the reader wants the user to know about an import."""

    kind: str  # a key of `KINDS`
    message: str  # one line, as the reader words it
    count: int = 1  # how many rows, lines or cells it is about
    details: tuple[
        str, ...
    ] = ()  # the first few cases, e.g. "row 17: amount 'TBD' is not a number"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(
                f"unknown notice kind {self.kind!r}; add it to planner.io.notices.KINDS"
            )


def messages(notices: Iterable[Notice]) -> tuple[str, ...]:
    """The notices' one-line messages, in order."""
    return tuple(n.message for n in notices)
