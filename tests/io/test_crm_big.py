"""A CRM text export too big for the row reader is read a column at a time (`planner.io.crm_big`).

The files are generated here; the column reader must give the same `Deals`
as the row reader on the same rows, refuse a file over `MAX_CRM_ROWS` with
one line, and `planner inspect` must read it through `open.SourceFile`.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from tests.filegen import crm_files as g

from planner import cli
from planner.errors import InputError
from planner.io import crm_big
from planner.io.crm import deals_from_sheets, load_deals
from planner.io.tabular import read_sheets

HEADER = "Opportunity ID,Opportunity Name,Account Name,Type,Lead Source,Stage,Amount,Currency,Created Date,Close Date\n"


def _write_big(path: Path, min_bytes: int) -> int:
    """Salesforce-style rows until the file passes `min_bytes`; some odd cells on the way."""
    rng = random.Random(3)
    stages = ("Closed Won", "Closed Lost", "Prospecting", "Negotiation")
    sources = ("Web", "Referral", "Partner", "Google Ads")
    lines = [HEADER]
    size, n = len(HEADER), 0
    start = date(2021, 1, 1)
    while size < min_bytes:
        c = start + timedelta(days=rng.randrange(0, 1500))
        closed = (c + timedelta(days=rng.randrange(5, 200))).strftime("%m/%d/%Y")
        amount = str(rng.randrange(1000, 500_000))
        if n % 9973 == 5:
            amount = '"(1,200)"'
        if n % 10007 == 7:
            closed = "12/31/9999"
        if n % 12011 == 11:
            amount = "TBD"
        line = (
            f"006{n:09d},Deal {n},Kunde {rng.randrange(5000)},{rng.choice(('New Business', 'Existing Business'))},"
            f"{rng.choice(sources)},{rng.choice(stages)},{amount},EUR,{c:%m/%d/%Y},{closed}\n"
        )
        lines.append(line)
        size += len(line)
        n += 1
    path.write_text("".join(lines), encoding="utf-8")
    return n


def test_big_file_reads_as_the_row_reader_would(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    n = _write_big(path, crm_big.BIG_TEXT_BYTES + 1)
    assert crm_big.is_big_text(path)
    big = load_deals(path)
    rows = deals_from_sheets(read_sheets(path, blanks_as_none=False), path)
    assert len(big) == len(rows) == n - big.skipped.count
    for field in ("name", "stage", "outcome", "source", "source_class", "deal_type", "account"):
        assert (getattr(big, field) == getattr(rows, field)).all(), field
    np.testing.assert_array_equal(big.amount, rows.amount)
    np.testing.assert_array_equal(big.created, rows.created)
    np.testing.assert_array_equal(big.closed, rows.closed)
    assert big.currency == rows.currency == "EUR"
    assert big.notices == rows.notices
    assert big.skipped.count > 0 and "is not a number" in big.skipped.reasons[0]
    assert (big.amount == -1200).any()


def test_big_file_through_inspect(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "big.csv"
    _write_big(path, crm_big.BIG_TEXT_BYTES + 1)
    assert cli.main(["inspect", str(path), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    deals = load_deals(path)
    assert got["rows"] == len(deals) and got["skipped_rows"]["count"] == deals.skipped.count
    assert got["columns"]["account"] == "Account Name"
    assert any("outside 1677-2262" in w for w in got["warnings"])


def test_more_rows_than_the_limit_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    row = "Closed Won,1\n"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("Stage,Amount\n")
        fh.write(row * (crm_big.MAX_CRM_ROWS + 1))
    with pytest.raises(InputError, match=f"more than {crm_big.MAX_CRM_ROWS:,} rows"):
        load_deals(path)


def test_big_file_with_a_ragged_row_reads_its_fields_as_the_row_reader(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    n = _write_big(path, crm_big.BIG_TEXT_BYTES + 1)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("x,Last,Kunde 1,New Business,Web,Closed Won,1,EUR,01/01/2024,01/02/2024,extra,extra\n")
        fh.write("y,Short,Kunde 2,New Business,Web,Closed Lost\n")
    big = load_deals(path)
    rows = deals_from_sheets(read_sheets(path, blanks_as_none=False), path)
    assert len(big) == len(rows) and big.name[-2:].tolist() == ["Last", "Short"] == rows.name[-2:].tolist()
    assert big.amount[-2] == 1 and np.isnan(big.amount[-1]) and n > 0


def _both_readers(path: Path, monkeypatch: pytest.MonkeyPatch, chunk_rows: int) -> tuple:
    """The column reader (in chunks of `chunk_rows`, whatever the file's size) and the row reader."""
    monkeypatch.setattr(crm_big, "BIG_TEXT_BYTES", 0)
    monkeypatch.setattr(crm_big, "CHUNK_ROWS", chunk_rows)
    assert crm_big.is_big_text(path)
    big = load_deals(path)
    rows = deals_from_sheets(read_sheets(path, blanks_as_none=False), path)
    return big, rows


def _assert_same_deals(big, rows) -> None:  # type: ignore[no-untyped-def]
    assert len(big) == len(rows)
    for field in ("name", "stage", "outcome", "source", "source_class", "deal_type", "account"):
        assert getattr(big, field).tolist() == getattr(rows, field).tolist(), field
    np.testing.assert_array_equal(big.amount, rows.amount)
    np.testing.assert_array_equal(big.created, rows.created)
    np.testing.assert_array_equal(big.closed, rows.closed)
    assert big.currency == rows.currency
    assert big.notices == rows.notices


def test_text_fields_are_read_as_written_like_the_row_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cells that look like numbers stay text: account "007", a deal called "0042", type "1".

    pandas would read a chunk of them as integers ("007" -> 7); the row reader
    never does, and the column reader must give the same deals.
    """
    path = tmp_path / "numeric-looking.csv"
    lines = ["Opportunity Name,Account Name,Type,Stage,Amount,Created Date,Close Date\n"]
    for i in range(300):
        lines.append(
            f"{i:04d},{i % 40:03d},{1 + i % 2},{('Closed Won', 'Closed Lost', 'Proposal')[i % 3]},"
            f"{1000 + i}.50,2025-01-{1 + i % 28:02d},2025-03-{1 + i % 28:02d}\n"
        )
    path.write_text("".join(lines), encoding="utf-8")
    big, rows = _both_readers(path, monkeypatch, chunk_rows=64)
    _assert_same_deals(big, rows)
    assert big.account[:2].tolist() == ["000", "001"] and big.name[7] == "0007"


def test_messy_cells_across_chunks_read_as_the_row_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Padding spaces, blanks, short rows, a "Total" line, blank lines, and one source spelled
    in UTF-8 and in Windows-1252 bytes: every chunk sees its own text objects of the same
    values, and the codes must still merge them as the row reader's cells do."""
    path = tmp_path / "messy.csv"
    header = "Opportunity ID,Opportunity Name,Account Name,Lead Source,Stage,Amount,Currency,Close Date\n"
    out = [header.encode("utf-8")]
    for i in range(400):
        source = ("Søk".encode() if i % 2 else "Søk".encode("cp1252")) if i % 5 == 0 else b" Web "
        account = b"" if i % 11 == 0 else f"Kunde {i % 23}".encode()
        stage = b"" if i % 97 == 13 else (b"Closed Won", b" Closed Lost", b"Proposal ")[i % 3]
        row = [f"006{i:05d}".encode(), f"Deal {i}".encode(), account, source, stage,
               b"" if i % 13 == 0 else str(500 + i).encode(), b"EUR", b"01/15/2025"]
        if i % 37 == 5:
            row = row[:5]  # a short row: amount, currency and date missing
        out.append(b",".join(row) + b"\n")
        if i % 101 == 50:
            out.append(b",,,,,,,\n")
    out.append(b"Total,,,,,200000,,\n")
    path.write_bytes(b"".join(out))
    for chunk_rows in (7, 1000):
        big, rows = _both_readers(path, monkeypatch, chunk_rows)
        _assert_same_deals(big, rows)
    assert "Søk" in big.source.tolist() and big.skipped.count > 0
    assert any(n.kind == "encoding_mixed" for n in big.notices)


@pytest.mark.parametrize(
    "write",
    [
        lambda p: g.write_salesforce_csv(p, g.make_deals(300, bad_amounts=3)),
        lambda p: g.write_german_unicode_txt(p, g.make_deals(300, language="de", sources=g.SOURCES_DE)),
        lambda p: g.write_plain_csv(p, g.make_deals(300, seed=7)),
        lambda p: g.write_nordic_csv(p, g.make_deals(300, language="nb", sources=g.SOURCES_NB), "nb"),
    ],
    ids=["salesforce_cp1252", "german_utf16", "plain_utf8", "norwegian"],
)
def test_real_export_shapes_read_alike_by_both_readers(
    write: Callable[[Path], object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "export.csv"
    write(path)
    big, rows = _both_readers(path, monkeypatch, chunk_rows=50)
    _assert_same_deals(big, rows)
