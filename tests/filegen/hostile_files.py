"""Hostile and awkward files, one generator per class of issue #13.

Shared by the tests (tests/io/test_hostile_*.py, tests/cli/) and by
`benchmarks/fuzz.py`, so a file that once broke the importer is built the
same way everywhere. Workbooks are zipped with `zipfile` (valid CRCs): each
one is what a careless or malicious writer could really produce, and what
the readers really open.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import openpyxl

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
DATE_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN_NS}">'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
    "</styleSheet>"
)


def sheet_xml(rows_xml: str, *, dimension: str | None = None) -> str:
    """A worksheet part holding exactly `rows_xml` (hand-written `<row>` elements)."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">'
        f"{dim}<sheetData>{rows_xml}</sheetData></worksheet>"
    )


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def write_workbook(
    path: Path,
    sheets: Sequence[tuple[str, str, str]],
    *,
    extra_parts: Mapping[str, str | bytes] | None = None,
    styles: str | None = None,
) -> None:
    """An .xlsx from (sheet name, relationship target, part name -> XML) triples.

    The relationship target and the part name are given separately so a
    test can put a sheet where only the relationships say it is.
    """
    book_sheets = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
        for i, (name, _, _) in enumerate(sheets, 1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="{target}"/>'
        for i, (_, target, _) in enumerate(sheets, 1)
    )
    if styles is not None:
        rels += f'<Relationship Id="rIdS" Type="{REL_NS}/styles" Target="styles.xml"/>'
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" '
            f'xmlns:r="{REL_NS}"><sheets>{book_sheets}</sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}">'
            f"{rels}</Relationships>"
        ),
    }
    if styles is not None:
        parts["xl/styles.xml"] = styles
    parts.update(extra_parts or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


# ---------------------------------------------------------------- class 1: safety walk-arounds

RELOCATIONS: dict[str, tuple[str, str]] = {
    # label: (relationship target, zip part name)
    "other_folder": ("data/s1.xml", "xl/data/s1.xml"),
    "no_xml_suffix": ("data/sheet", "xl/data/sheet"),
    "absolute_target": ("/other/cells.bin", "other/cells.bin"),
    "upper_case_target": ("WORKSHEETS/BIG.XML", "xl/worksheets/big.xml"),
    "dot_segments": ("../elsewhere/s", "xl/../elsewhere/s"),
}


def write_relocated_sparse(
    path: Path, relocation: str = "other_folder", far: str = "XFD1048576"
) -> None:
    """A 1.7 KB .xlsx with cells A1 and `far` in a sheet the relationships put elsewhere."""
    target, part = RELOCATIONS[relocation]
    row = "".join(ch for ch in far if ch.isdigit())
    rows = (
        f'<row r="1">{text_cell("A1", "Stage")}</row><row r="{row}"><c r="{far}"><v>1</v></c></row>'
    )
    write_workbook(path, [("Deals", target, part)], extra_parts={part: sheet_xml(rows)})


def write_unusual_far_cell(path: Path, spelling: str) -> None:
    """Cells A1 and XFD1048576 spelled as XML allows but no spreadsheet writer does."""
    far = {
        "single_quotes": "<c r='XFD1048576'><v>1</v></c>",
        "spaces_around_equals": '<c r = "XFD1048576"><v>1</v></c>',
        "r_not_first": '<c t="n" r="XFD1048576"><v>1</v></c>',
        "character_reference": '<c r="XFD&#49;048576"><v>1</v></c>',
        "newline_before_r": '<c\nr="XFD1048576"><v>1</v></c>',
    }[spelling]
    rows = f'<row r="1">{text_cell("A1", "Stage")}</row><row>{far}</row>'
    write_workbook(
        path,
        [("Deals", "worksheets/sheet1.xml", "xl/worksheets/sheet1.xml")],
        extra_parts={"xl/worksheets/sheet1.xml": sheet_xml(rows)},
    )


def write_positional_cells(path: Path, width: int = 16_384, rows: int = 2_000) -> None:
    """Cells without r="" are placed by position: one row `width` bare cells wide, `rows` rows."""
    wide = "<row>" + "<c><v>1</v></c>" * width + "</row>"
    body = wide + "<row><c><v>1</v></c></row>" * rows
    write_workbook(
        path,
        [("Deals", "worksheets/sheet1.xml", "xl/worksheets/sheet1.xml")],
        extra_parts={"xl/worksheets/sheet1.xml": sheet_xml(body)},
    )


def write_huge_dimension(path: Path, ref: str = "A1:XFD1048576") -> None:
    """A one-cell sheet whose `<dimension>` claims the whole grid (openpyxl sizes by it)."""
    rows = f'<row r="1">{text_cell("A1", "Stage")}</row>'
    write_workbook(
        path,
        [("Deals", "worksheets/sheet1.xml", "xl/worksheets/sheet1.xml")],
        extra_parts={"xl/worksheets/sheet1.xml": sheet_xml(rows, dimension=ref)},
    )


# ---------------------------------------------------------------- class 6: a Rust panic


def write_date_overflow(path: Path, serial: str = "-1e14") -> None:
    """A date-formatted cell holding `serial`: python-calamine's date conversion panics."""
    rows = (
        f'<row r="1">{text_cell("A1", "Close Date")}{text_cell("B1", "Amount")}</row>'
        f'<row r="2"><c r="A2" s="1"><v>{serial}</v></c><c r="B2"><v>100</v></c></row>'
    )
    write_workbook(
        path,
        [("Deals", "worksheets/sheet1.xml", "xl/worksheets/sheet1.xml")],
        extra_parts={"xl/worksheets/sheet1.xml": sheet_xml(rows)},
        styles=DATE_STYLES,
    )


# ---------------------------------------------------------------- class 7 and 8: budgets

MONTHS = [
    f"{m} 2027"
    for m in ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
]
CHANNELS = ["Google Ads", "LinkedIn Ads", "Events", "Brand campaign", "Content", "PR"]


def write_formula_budget(
    path: Path,
    formula: str | Sequence[str],
    *,
    lines: int = 6,
    data_block: tuple[int, int] | None = None,
) -> None:
    """A wide 2027 budget whose cells hold formulas with no saved value (as openpyxl writes).

    `formula` goes into every month cell of every line (a sequence: one per
    line, cycled). `data_block` (rows, cols) adds a "Data" sheet of ones
    for SUM(Data!...) to read.
    """
    formulas = [formula] if isinstance(formula, str) else list(formula)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Budget")
    ws.append(["Line", *MONTHS])
    for i in range(lines):
        name = f"{CHANNELS[i % len(CHANNELS)]} {i // len(CHANNELS) + 1}"
        ws.append([name, *([formulas[i % len(formulas)]] * 12)])
    if data_block is not None:
        data = wb.create_sheet("Data")
        rows, cols = data_block
        for _ in range(rows):
            data.append([1] * cols)
    wb.save(path)


def write_budget_with_amount(path: Path, amount: object, *, as_csv: bool = False) -> None:
    """A small wide 2027 budget with `amount` (1e308, "INF", "=1/0" ...) in one cell."""
    rows = [["Line", *MONTHS]]
    for i, name in enumerate(CHANNELS):
        rows.append([name, *[1000.0 * (i + 1)] * 12])
    rows[1][3] = amount
    if as_csv:
        text = "\n".join(",".join(str(c) for c in row) for row in rows)
        path.write_text(text + "\n", encoding="utf-8")
        return
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"
    for row in rows:
        ws.append(row)
    wb.save(path)


def write_budget_with_raw_value(path: Path, raw: str) -> None:
    """A budget workbook with `<v>{raw}</v>` ("INF", "NaN", "1e308") stored in one number cell."""
    cols = "ABCDEFGHIJKLM"
    rows = [
        f'<row r="1">{text_cell("A1", "Line")}'
        + "".join(text_cell(f"{cols[j + 1]}1", m) for j, m in enumerate(MONTHS))
        + "</row>"
    ]
    for i, name in enumerate(CHANNELS, start=2):
        cells = text_cell(f"A{i}", name)
        for j in range(12):
            value = raw if (i, j) == (2, 2) else str(1000 * i)
            cells += f'<c r="{cols[j + 1]}{i}"><v>{value}</v></c>'
        rows.append(f'<row r="{i}">{cells}</row>')
    write_workbook(
        path,
        [("Budget", "worksheets/sheet1.xml", "xl/worksheets/sheet1.xml")],
        extra_parts={"xl/worksheets/sheet1.xml": sheet_xml("".join(rows))},
    )


# ---------------------------------------------------------------- class 2: text without limits

DEAL_HEADER = "Opportunity Name,Stage,Amount,Close Date,Lead Source"


def _deal_rows(n: int) -> str:
    sources = ["Web", "Referral", "Partner", "Event", "Purchased List"]
    out = [DEAL_HEADER]
    for i in range(n):
        stage = "Closed Won" if i % 3 == 0 else "Closed Lost" if i % 3 == 1 else "Proposal"
        out.append(f"Deal {i},{stage},{1000 + 37 * i},2026-{1 + i % 12:02d}-15,{sources[i % 5]}")
    return "\n".join(out) + "\n"


def write_newlines(path: Path, megabytes: int = 40) -> None:
    """Nothing but line breaks."""
    path.write_bytes(b"\n" * (megabytes * 1_000_000))


def write_commas(path: Path, megabytes: int = 150) -> None:
    """One line of commas: a single row of 150 million empty fields."""
    path.write_bytes(b"," * (megabytes * 1_000_000))


def write_commas_then_text(path: Path, megabytes: int = 150) -> None:
    """150 MB of commas ending in a value, so no blank tail can be stripped."""
    path.write_bytes(b"," * (megabytes * 1_000_000) + b"x\n")


def write_long_quoted_field(path: Path, megabytes: int = 15) -> None:
    """A CRM header and one row whose note is a 15 MB quoted field."""
    body = b"x" * (megabytes * 1_000_000)
    path.write_bytes(
        DEAL_HEADER.encode() + b',Note\nBig,Closed Won,100,2026-01-01,Web,"' + body + b'"\n'
    )


def write_blank_tail(path: Path, deals: int = 100, blank_rows: int = 1_000_000) -> None:
    """`deals` deals followed by a million `,,,,` rows, as Excel saves a formatted range."""
    path.write_bytes(_deal_rows(deals).encode() + b",,,,\r\n" * blank_rows)


def write_blank_rows_inside(path: Path, deals: int = 100, blank_rows: int = 6_000_000) -> None:
    """Deals, millions of blank lines, then more deals: the blank lines are inside the table."""
    rows = _deal_rows(deals)
    path.write_bytes(rows.encode() + b"\n" * blank_rows + rows.splitlines()[1].encode() + b"\n")


TEXT_BOMBS = {
    "newlines_40mb": write_newlines,
    "commas_150mb": write_commas,
    "commas_then_text_150mb": write_commas_then_text,
    "quoted_field_15mb": write_long_quoted_field,
    "blank_tail_1m_rows": write_blank_tail,
    "blank_rows_inside": write_blank_rows_inside,
}


# ---------------------------------------------------------------- class 10: messages


def write_deals_csv(path: Path, deals: int = 40, encoding: str = "utf-8") -> None:
    """A small, valid Salesforce-style CSV in `encoding` (utf-32 writes a BOM)."""
    path.write_bytes(_deal_rows(deals).encode(encoding))


def write_html_export(path: Path) -> None:
    """What Salesforce's "export details" (and many BI tools) save under an .xls/.csv name."""
    cells = "".join(f"<th>{h}</th>" for h in DEAL_HEADER.split(","))
    path.write_text(
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'></head><body>"
        f"<table><tr>{cells}</tr><tr><td>Deal 1</td><td>Closed Won</td><td>100</td>"
        "<td>2026-01-01</td><td>Web</td></tr></table></body></html>\n",
        encoding="utf-8",
    )


HOSTILE_NAMES = {
    "newline": "deals\nplanner: all good.csv",
    "ansi": "deals\x1b[31mRED\x1b[0m.csv",
    "bell_and_tab": "deals\a\t.csv",
}


def write_in_child(name: str, path: Path) -> None:
    """Build `TEXT_BOMBS[name]` at `path` in a separate Python process.

    A process started from one that just held a 150 MB file reports that
    memory as its own peak RSS (the child begins as a copy of the parent),
    so tests and benchmarks that measure `planner` build big files this way.
    """
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys; from pathlib import Path; "
        "from tests.filegen.hostile_files import TEXT_BOMBS; "
        "TEXT_BOMBS[sys.argv[1]](Path(sys.argv[2]))"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(root / "src"), str(root)]))
    subprocess.run([sys.executable, "-c", code, name, str(path)], check=True, env=env)


@dataclass(frozen=True)
class Measured:
    """What one run of a command cost and said."""

    code: int
    stdout: bytes
    stderr: str
    seconds: float
    peak_mb: float


_LAUNCHER = """
import json, os, subprocess, sys
report, argv = sys.argv[1], sys.argv[2:]
with open(report + ".out", "wb") as out, open(report + ".err", "wb") as err:
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
    _, status, usage = os.wait4(proc.pid, 0)
with open(report, "w") as fh:
    json.dump({"code": os.waitstatus_to_exitcode(status), "kb": usage.ru_maxrss}, fh)
"""


def run_measured(argv: Sequence[str], env: Mapping[str, str] | None = None) -> Measured:
    """Run `argv` the way a user would and measure its peak RSS honestly.

    A process started straight from a big one (pytest after the fuzz
    tests, say) reports its parent's peak as its own: Python starts
    children with vfork, and Linux carries the shared memory's high-water
    mark over into the child's. So a small launcher process starts the
    command and reads its `wait4` usage instead.
    """
    import json
    import os
    import subprocess
    import sys
    import tempfile
    import time

    with tempfile.TemporaryDirectory(prefix="planner-run-") as tmp:
        report = Path(tmp) / "report.json"
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", _LAUNCHER, str(report), *argv],
            check=True,
            env={**os.environ, **(env or {})},
        )
        seconds = time.perf_counter() - start
        result = json.loads(report.read_text())
        return Measured(
            code=result["code"],
            stdout=Path(str(report) + ".out").read_bytes(),
            stderr=Path(str(report) + ".err").read_text("utf-8", "replace"),
            seconds=seconds,
            peak_mb=result["kb"] / 1024,  # kilobytes on Linux
        )


# ---------------------------------------------------------------- classes 3, 4, 5, 9: CRM values

CRM_HEADER = ("Deal Name", "Stage", "Amount", "Created Date", "Close Date", "Lead Source")


def crm_rows(n: int = 60, start: date = date(2024, 1, 1)) -> list[list[str]]:
    """`n` plain deals (won, lost, open in turn), ISO dates, 30-90-day cycles, two sources."""
    rows = []
    for i in range(n):
        created = start + timedelta(days=3 * i)
        stage = ("Closed Won", "Closed Lost", "Prospecting")[i % 3]
        closed = created + timedelta(days=30 + (i * 7) % 60)
        rows.append(
            [f"Deal {i}", stage, f"{1000 + 10 * i}", created.isoformat(),
             closed.isoformat(), ("Referral", "Google Ads")[i % 2]]
        )
    return rows


def write_crm_csv(
    path: Path,
    rows: Sequence[Sequence[str]],
    header: Sequence[str] = CRM_HEADER,
    *,
    encoding: str = "utf-8",
) -> None:
    """A CRM CSV of exactly these rows (csv-quoted as a spreadsheet would write them)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
