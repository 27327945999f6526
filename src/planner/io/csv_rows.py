"""Rows of a delimited text file, with a stray opening quote caught instead of swallowing the file.

A cell that starts with a quote and never closes it (`2026-01-15,"x`)
makes a CSV parser read every following line into that one cell: a
120-deal export reads as 1 deal, and nothing says so. A quoted cell may
hold line breaks (notes, addresses), so the rule is about shape: a record
that spans several lines and has fewer cells than the rows before it is
a stray quote. Its first line is read on its own (the quote kept as
text), the lines it swallowed are read again as rows, and the row numbers
are kept in `recovered` for a notice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from planner.io.notices import Notice

_MAX_DETAILS = 5


class CsvRows:
    """Iterate over the rows of `text`; afterwards `recovered` lists the rows with a stray quote."""

    def __init__(self, text: str, delimiter: str) -> None:
        self.text = text
        self.delimiter = delimiter
        self.recovered: list[int] = []  # 1-based row numbers

    def __iter__(self) -> Iterator[list[str]]:
        source = io.StringIO(self.text, newline="")
        pushback: list[str] = []  # lines to read again, last first
        used: list[str] = []  # the physical lines of the record being read

        def lines() -> Iterator[str]:
            while True:
                line = pushback.pop() if pushback else source.readline()
                if not line:
                    return
                used.append(line)
                yield line

        width = 0
        number = 0
        restart = True
        while restart:  # a new reader after each recovery: the old one may have met the end
            restart = False
            for row in csv.reader(lines(), delimiter=self.delimiter):
                number += 1
                if len(used) > 1 and 0 < len(row) < width:
                    # The first line alone (the quote as text), then the swallowed lines again.
                    line = used[0].rstrip("\r\n")
                    row = next(csv.reader([line], delimiter=self.delimiter), [])
                    if len(row) < width:  # the quote opens a cell mid-line: split it as text
                        bare = next(csv.reader([line], delimiter=self.delimiter, quoting=csv.QUOTE_NONE), [])
                        row = bare if len(bare) > len(row) else row
                    pushback.extend(reversed(used[1:]))
                    self.recovered.append(number)
                    restart = True
                used.clear()
                if len(row) > width and any(c.strip() for c in row):
                    width = len(row)
                yield row
                if restart:
                    break

    def notices(self) -> tuple[Notice, ...]:
        """A "stray_quote" notice for the rows recovered (none when there were none)."""
        if not self.recovered:
            return ()
        count = len(self.recovered)
        rows = ", ".join(str(n) for n in self.recovered[:_MAX_DETAILS])
        return (
            Notice(
                "stray_quote",
                f"{count} {'row opens' if count == 1 else 'rows open'} a quote that never closes "
                f"(row {rows}); the quote was read as text and the rows after it as rows",
                count,
                tuple(f"row {n}: a quote that never closes" for n in self.recovered[:_MAX_DETAILS]),
            ),
        )
