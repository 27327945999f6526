"""Tag counts and far cell references in a piece of worksheet XML, found with numpy.

The safety check (`safety._SheetExtent`) reads every sheet before the
reader does: 56 MB of XML for a 100,000-deal export. One `bytes.count` or
regular expression per thing it looks for walked those bytes six times
in Python's byte-at-a-time search. Here a piece is one byte array, compared
whole with one byte of a spelling at a time (vector instructions, into
buffers kept from piece to piece): that finds every ` r="` and `row`, and
the bytes around those tell cell tags, far references and row tags apart;
`<c` and `:c` are counted as 16-bit words.

The counts are the ones `bytes.count` gives for the same spellings (none
of them can overlap itself); far references follow `_SheetExtent._FAR`,
but every ` r="` is looked at, even one inside another match.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

_PAD = 8
"""Zero bytes around the piece: a look before its start or past its end finds no match."""

_WORD = np.zeros(256, dtype=bool)
_WORD[[*b"0123456789_", *range(65, 91), *range(97, 123)]] = True
"""Bytes a regular expression's `\\b` counts as word characters (bytes patterns: ASCII only)."""


@dataclass(frozen=True)
class PieceCounts:
    """What `_SheetExtent` needs from one piece of a sheet's XML."""

    tags: int  # `<c`: cell tags, and the tags that start alike (<col, <cfRule)
    prefixed: int  # `:c`: cell tags with a namespace prefix (counted only when asked)
    cells: int  # `<c r="`: cell tags written the usual way
    refs: int  # ` r="`: r attributes of any tag
    rows: int  # `row` followed by a byte that is no word character (the regex `row\b`)
    far: npt.NDArray[np.intp]  # offsets of the references that can matter (the `_FAR` rule)


class PieceScanner:
    """Scans the pieces of one part, in buffers kept from piece to piece.

    A fresh array per piece and comparison would be fresh memory each time,
    and the page faults would cost more than the comparisons.
    """

    def __init__(self) -> None:
        self._bytes = np.zeros(0, dtype=np.uint8)
        self._mask = np.zeros(0, dtype=bool)
        self._test = np.zeros(0, dtype=bool)

    def scan(self, data: bytes, *, prefixed: bool) -> PieceCounts:
        """Count the tags and find the far references of a piece (`prefixed`: count `:c` too)."""
        size = len(data)
        n = size + 2 * _PAD
        if self._bytes.shape[0] < n:
            self._bytes = np.zeros(n, dtype=np.uint8)
            self._mask = np.zeros(n, dtype=bool)
            self._test = np.zeros(n, dtype=bool)
        a = self._bytes[:n]  # the piece, with zero bytes before and after it
        a[_PAD : _PAD + size] = np.frombuffer(data, dtype=np.uint8)
        a[_PAD + size :] = 0

        refs = self._find(a, b' r="')  # offsets in `a` of every ' r="'
        q = refs + 4  # the first byte of each reference
        cells = int(np.count_nonzero((a[refs - 2] == 0x3C) & (a[refs - 1] == 0x63)))  # '<c r="'
        c0, c1, c5, c6 = a[q], a[q + 1], a[q + 5], a[q + 6]
        # [A-Z](?:[A-Z]|(?<=[K-Z])|.{5}\d) | \d.{4}\d: a column from K on, two letters,
        # or a row number of six digits or more.
        far = ((c0 >= 0x41) & (c0 <= 0x5A)) & (
            ((c1 >= 0x41) & (c1 <= 0x5A)) | (c0 >= 0x4B) | ((c6 >= 0x30) & (c6 <= 0x39))
        ) | ((c0 >= 0x30) & (c0 <= 0x39) & (c5 >= 0x30) & (c5 <= 0x39))

        row = self._find(a, b"row")
        rows = int(np.count_nonzero(~_WORD[a[row + 3]]))
        return PieceCounts(
            tags=_count_pairs(a, b"<c"),
            prefixed=_count_pairs(a, b":c") if prefixed else 0,
            cells=cells,
            refs=int(refs.shape[0]),
            rows=rows,
            far=q[far] - _PAD,
        )

    def _find(self, a: npt.NDArray[np.uint8], word: bytes) -> npt.NDArray[np.intp]:
        """Offsets in `a` where `word` starts: one comparison per byte of it, in place."""
        span = a.shape[0] - len(word) + 1
        hit, test = self._mask[:span], self._test[:span]
        np.equal(a[:span], word[0], out=hit)
        for k in range(1, len(word)):
            np.equal(a[k : k + span], word[k], out=test)
            np.logical_and(hit, test, out=hit)
        return np.flatnonzero(hit)


def _count_pairs(a: npt.NDArray[np.uint8], pair: bytes) -> int:
    """How often a two-byte `pair` occurs in `a`: compared as 16-bit words, at both alignments."""
    word = int.from_bytes(pair, "little")
    total = 0
    for start in (0, 1):
        end = start + (a.shape[0] - start) // 2 * 2
        total += int(np.count_nonzero(a[start:end].view("<u2") == word))
    return total
