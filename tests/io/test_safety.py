"""The safety check rejects hostile containers in milliseconds, before any parser runs."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from tests.filegen import crm_files as g
from tests.filegen import hostile_files as h

from planner.errors import InputError
from planner.io import safety
from planner.io.tabular import read_sheets


def _reject(path: Path, *words: str) -> str:
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        safety.check_file(path)
    assert time.perf_counter() - start < 2.0
    message = info.value.message
    assert message.startswith(path.name + ": ")
    assert "\n" not in message
    for word in words:
        assert word in message, message
    return message


def test_good_files_pass(tmp_path: Path) -> None:
    xlsx = tmp_path / "deals.xlsx"
    g.write_hubspot_xlsx(xlsx, g.make_deals(20))
    assert safety.check_file(xlsx) == "zip"
    csv_file = tmp_path / "deals.csv"
    g.write_salesforce_csv(csv_file, g.make_deals(20))
    assert safety.check_file(csv_file) == "text"
    txt = tmp_path / "deals.txt"
    g.write_german_unicode_txt(txt, g.make_deals(20, language="de"))
    assert safety.check_file(txt) == "text"


def test_kind_comes_from_content_not_name(tmp_path: Path) -> None:
    disguised = tmp_path / "deals.csv"
    g.write_hubspot_xlsx(disguised, g.make_deals(10))
    assert safety.check_file(disguised) == "zip"
    assert read_sheets(disguised)[0].rows[0][1] == "Deal Name"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    _reject(path, "empty")


def test_missing_file(tmp_path: Path) -> None:
    _reject(tmp_path / "nope.xlsx", "not found")


def test_random_bytes_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "random.xlsx"
    path.write_bytes(os.urandom(50_000))
    _reject(path, "not an Excel workbook")


def test_truncated_xlsx(tmp_path: Path) -> None:
    whole = tmp_path / "whole.xlsx"
    g.write_hubspot_xlsx(whole, g.make_deals(300))
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    _reject(path, "damaged or truncated")


def test_zip_bomb_by_declared_size(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    g.write_zip_bomb(path)
    _reject(path, "zip bomb")


def test_zip_bomb_with_lying_headers(tmp_path: Path) -> None:
    path = tmp_path / "liar.xlsx"
    g.write_zip_bomb(path, lie=True)
    _reject(path, "inflates past the size its zip header says")


def test_entity_bomb(tmp_path: Path) -> None:
    path = tmp_path / "laughs.xlsx"
    g.write_entity_bomb(path)
    _reject(path, "DTD or XML entities")


def test_sparse_sheet_that_would_allocate_billions_of_cells(tmp_path: Path) -> None:
    path = tmp_path / "sparse.xlsx"
    g.write_sparse_sheet(path)
    _reject(path, "cell limit")


@pytest.mark.parametrize("far", [("Z", 600_000), ("J", 2_000_000), ("AA", 200_000)])
def test_sparse_sheet_with_few_columns(tmp_path: Path, far: tuple[str, int]) -> None:
    path = tmp_path / "narrow.xlsx"
    g.write_sparse_sheet(path, far)
    _reject(path, "cell limit")


def test_sheet_within_cell_limit_passes(tmp_path: Path) -> None:
    path = tmp_path / "fine.xlsx"
    g.write_sparse_sheet(path, ("J", 400_000))
    assert safety.check_file(path) == "zip"


def _cell(ref: str) -> bytes:
    return f'<c r="{ref}"><v>1</v></c>'.encode()


@pytest.mark.parametrize(
    "rows_xml",
    [
        # A far cell inside row 1: the reader places a cell by its own reference.
        b'<row r="1">' + _cell("A1") + _cell("J1000000") + b"</row>",
        b'<row r="1">' + _cell("A1") + _cell("C600000") + b"</row>",
        # A digits-only cell reference, and r="" after another attribute of the row.
        b'<row r="1">' + _cell("A1") + b'<c r="700000"><v>1</v></c></row>',
        b'<row spans="1:2" r="900000">' + _cell("A1") + b"</row>",
        # 60 columns wide: now even a row below 100,000 breaks the limit.
        b'<row r="1">'
        + _cell("A1")
        + _cell("BH1")
        + b'</row><row r="2">'
        + _cell("B90000")
        + b"</row>",
    ],
)
def test_far_cell_references_anywhere_are_caught(tmp_path: Path, rows_xml: bytes) -> None:
    path = tmp_path / "far.xlsx"
    g.write_sheet_xml(path, rows_xml)
    _reject(path, "cell limit")


def test_wide_sheet_within_the_limit_passes(tmp_path: Path) -> None:
    """60 columns x 5,000 rows: the exact second pass finds the real extent and lets it through."""
    path = tmp_path / "wide.xlsx"
    cols = ["A", "Z", "BH"]
    body = b"".join(
        f'<row r="{r}">'.encode() + b"".join(_cell(f"{c}{r}") for c in cols) + b"</row>"
        for r in range(1, 5001)
    )
    g.write_sheet_xml(path, body)
    assert safety.check_file(path) == "zip"


def test_binary_junk_named_csv(tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(os.urandom(20_000))
    _reject(path, "binary data")


def test_legacy_xls(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    _reject(path, "old-style .xls")


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.txt", "hello")
    _reject(path, "not an Excel workbook")


def test_over_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.csv"
    path.write_text("a,b\n" * 1000)
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 1000)
    _reject(path, "limit")


# ---------------------------------------------------------------- issue 13, class 1:
# the check measures what the reader reads, wherever the relationships put it.


@pytest.mark.parametrize("relocation", sorted(h.RELOCATIONS))
def test_relocated_sparse_sheet_is_refused(tmp_path: Path, relocation: str) -> None:
    """A 1.7 KB workbook whose A1..XFD1048576 sheet sits where only the relationships say."""
    path = tmp_path / f"{relocation}.xlsx"
    h.write_relocated_sparse(path, relocation)
    assert path.stat().st_size < 2_000
    _reject(path, "cell limit")


@pytest.mark.parametrize("relocation", sorted(h.RELOCATIONS))
def test_relocated_small_sheet_is_read(tmp_path: Path, relocation: str) -> None:
    """The same relocations with a far cell at C20: the readers open them, and so do we."""
    path = tmp_path / f"{relocation}.xlsx"
    h.write_relocated_sparse(path, relocation, far="C20")
    assert safety.check_file(path) == "zip"
    try:
        rows = read_sheets(path)[0].rows
    except InputError as exc:  # python-calamine < 0.3 finds sheets by folder name only
        assert "Unrecognized sheet" in exc.message
        return
    assert (len(rows), rows[0][0], rows[19][2]) == (20, "Stage", 1)


def test_sheet_parts_follow_relationship_targets(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "moved.xlsx"
    h.write_relocated_sparse(path, "no_xml_suffix", far="C20")
    with zipfile.ZipFile(path) as zf:
        assert safety.sheet_parts(path, zf, zf.infolist()) == {"xl/data/sheet"}


@pytest.mark.parametrize(
    "spelling",
    [
        "single_quotes",
        "spaces_around_equals",
        "r_not_first",
        "character_reference",
        "newline_before_r",
    ],
)
def test_far_cell_spelled_unusually_is_caught(tmp_path: Path, spelling: str) -> None:
    path = tmp_path / f"{spelling}.xlsx"
    h.write_unusual_far_cell(path, spelling)
    _reject(path, "cell limit")


def test_cells_without_references_count_by_position(tmp_path: Path) -> None:
    """16,384 bare `<c>` in one row make the sheet 16,384 columns wide for the reader."""
    path = tmp_path / "positional.xlsx"
    h.write_positional_cells(path)
    _reject(path, "16,384 columns")


def test_narrow_positional_sheet_passes(tmp_path: Path) -> None:
    path = tmp_path / "narrow.xlsx"
    h.write_positional_cells(path, width=12, rows=3_000)
    assert safety.check_file(path) == "zip"
    assert len(read_sheets(path)[0].rows) == 3_001


def test_dimension_tag_counts(tmp_path: Path) -> None:
    path = tmp_path / "dimension.xlsx"
    h.write_huge_dimension(path)
    _reject(path, "cell limit")
    fine = tmp_path / "fine.xlsx"
    h.write_huge_dimension(fine, "A1:J1000")
    assert safety.check_file(fine) == "zip"


# ---------------------------------------------------------------- class 10: what text is


@pytest.mark.parametrize("name", ["report.csv", "export details.xls", "report.xlsx"])
def test_html_saved_as_csv_gets_its_own_message(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    h.write_html_export(path)
    _reject(path, "is an HTML page", "Comma Delimited .csv")


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-le", "utf-32-be", "utf-16"])
def test_utf32_and_utf16_text_pass(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "deals.csv"
    h.write_deals_csv(path, encoding=encoding)
    assert safety.check_file(path) == "text"
    rows = read_sheets(path)[0].rows
    assert rows[0] == h.DEAL_HEADER.split(",")
    assert len(rows) == 41


def test_prefixed_cells_placed_by_position_are_counted(tmp_path: Path) -> None:
    """`<x:c>` cells (a namespace prefix, no r="") under many numbered rows."""
    ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rows = "<x:row>" + "<x:c><x:v>1</x:v></x:c>" * 16_384 + "</x:row>"
    rows += "".join(f'<x:row r="{r}"/>' for r in range(2, 2_000))
    xml = f"<x:worksheet {ns}><x:sheetData>{rows}</x:sheetData></x:worksheet>"
    path = tmp_path / "prefixed.xlsx"
    part = "xl/worksheets/sheet1.xml"
    h.write_workbook(path, [("Deals", "worksheets/sheet1.xml", part)], extra_parts={part: xml})
    _reject(path, "16,384 columns")


def test_column_widths_do_not_cost_an_exact_pass(tmp_path: Path) -> None:
    cols = "<cols>" + "".join(f'<col min="{i}" max="{i}" width="12"/>' for i in range(1, 11))
    body = "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>' for r in range(1, 50))
    xml = h.sheet_xml(body).replace("<sheetData>", cols + "</cols><sheetData>")
    extent = safety._SheetExtent()
    extent.feed(xml.encode())
    assert not extent.needs_exact_pass()
