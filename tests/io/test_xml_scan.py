"""The safety check's first pass counts with numpy (`planner.io.xml_scan`) what `bytes.count` and
the `_SheetExtent` regular expressions count on the same bytes.

Pieces are built from the spellings that matter (cell and row tags with and
without r="", prefixes, far and narrow references, broken ones) mixed with
random bytes, cut anywhere, so a pattern at either edge of a piece is tried too.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.io.safety import _SheetExtent
from planner.io.xml_scan import PieceScanner

FRAGMENTS = [
    b'<c r="', b"<c", b' r="', b"A1", b"J99999", b"K1", b"AA7", b"XFD1048576", b"100000", b"999999",
    b'"', b"<row", b"</row>", b"row", b"rows", b"Arrow ", b"row_", b"<x:c", b":c", b"<col", b" ",
    b"=", b"r", b'<row r="', b'<c r="B', b"Z", b"9", b"12345", b"<v>1</v></c>", b"\n", b"'",
    # whole references around each threshold: column J/K, one or two letters, 5 or 6 digits
    b' r="J1"', b' r="K1"', b' r="L22"', b' r="IV3"', b' r="J99999"', b' r="J100000"',
    b' r="99999"', b' r="100000"', b' r="A1 r="100000"',
]

pieces = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.binary(max_size=6)), max_size=60
).map(b"".join)


def _far_starts(data: bytes) -> list[int]:
    """Where `_FAR` matches, tried at every ' r="' (finditer skips one inside another match)."""
    starts = [m.start() for m in re.finditer(rb'(?= r=")', data)]
    return [s + 4 for s in starts if _SheetExtent._FAR.match(data, s)]


@settings(max_examples=400, deadline=None, database=None)
@given(pieces, st.booleans())
def test_counts_and_far_references_match_the_byte_searches(data: bytes, prefixed: bool) -> None:
    counts = PieceScanner().scan(data, prefixed=prefixed)
    assert counts.tags == data.count(b"<c")
    assert counts.prefixed == (data.count(b":c") if prefixed else 0)
    assert counts.cells == data.count(b'<c r="')
    assert counts.refs == data.count(b' r="')
    assert counts.rows == len(re.findall(rb"row\b", data))
    far = sorted(counts.far.tolist())
    assert far == _far_starts(data)
    assert set(far) >= {m.start() + 4 for m in _SheetExtent._FAR.finditer(data)}


def test_one_scanner_reads_pieces_of_any_size_in_turn() -> None:
    """Buffers are reused: a short piece after a long one must not see the long one's bytes."""
    scanner = PieceScanner()
    long = b'<row r="1"><c r="XFD1"><v>1</v></c></row>' * 50
    assert scanner.scan(long, prefixed=False).far.size == 50
    short = b'<row r="2"><c r="A2"'
    counts = scanner.scan(short, prefixed=False)
    assert (counts.tags, counts.cells, counts.refs, counts.rows, counts.far.size) == (1, 1, 2, 1, 0)
