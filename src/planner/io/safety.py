"""Limits applied to a user's file before any parser sees it.

Parsers (calamine, openpyxl, csv) are fast but not built for hostile input: a
zip bomb or an XML entity bomb would take minutes and gigabytes before they
failed. `check_file` looks only at the container (zip directory, XML prologs,
a text sample), which costs milliseconds, and turns every such file into one
`InputError` line.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from planner.errors import InputError
from planner.io.sniff import text_encoding

if TYPE_CHECKING:
    from planner.io.xml_scan import PieceScanner

ContainerKind = Literal["zip", "text"]

MAX_FILE_BYTES = 200 * 1024 * 1024
"""Largest file we open: a 100,000-deal export is ~10 MB, so this is generous."""

MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
"""Largest total size the parts of a workbook may inflate to."""

MAX_MEMBER_RATIO = 200.0
"""Compression ratio above which a large part is treated as a zip bomb (real sheets: 5-30x)."""

RATIO_CHECK_FROM = 20 * 1024 * 1024
"""Parts smaller than this are never a bomb by ratio alone."""

MAX_MEMBERS = 10_000
"""A workbook has tens of parts; hundreds of thousands is a directory bomb."""

DEFLATE_MAX_RATIO = 1032
"""Deflate cannot inflate more than ~1032:1, which bounds what a part can really hold."""

LIE_CHECK_FROM = 32 * 1024 * 1024
"""Parts that could really inflate past this are inflated once to check their declared size."""

MAX_SHEET_CELLS = 5_000_000
"""Rows x columns a sheet may span: 5x the 100,000-deal, 10-column benchmark export."""

XML_PROLOG_LIMIT = 1024 * 1024
"""How far into an XML part we look for the root element (DOCTYPE can only come before it)."""

TEXT_SAMPLE_BYTES = 64 * 1024

INFLATE_PIECE = 256 * 1024
"""Bytes inflated at a time: small enough that scanning a piece finds it still in the CPU cache."""

_XML_SUFFIXES = (".xml", ".rels", ".vml")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm", ".xls"}
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT = re.compile(rb"<[A-Za-z_]")


def check_file(path: str | Path) -> ContainerKind:
    """Vet a file before parsing; return its container kind ("zip" or "text").

    The kind comes from the bytes, not the name, so a CSV named .xlsx (or the
    reverse) is still read the right way.
    """
    path = Path(path)
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except OSError as exc:
        raise InputError(path, f"cannot be opened ({exc.strerror or exc})") from None
    if path.is_dir():
        raise InputError(path, "is a folder, not a file")
    if size == 0:
        raise InputError(path, "the file is empty")
    if size > MAX_FILE_BYTES:
        raise InputError(
            path, f"the file is {size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB"
        )
    try:
        with open(path, "rb") as fh:
            head = fh.read(TEXT_SAMPLE_BYTES)
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None

    if head.startswith(_ZIP_MAGIC):
        _check_zip(path, size)
        return "zip"
    if head.startswith(_OLE_MAGIC):
        raise InputError(
            path,
            "is an old-style .xls or a password-protected workbook; "
            "save it as .xlsx or .csv and try again",
        )
    _check_markup(path, head)
    if path.suffix.lower() in _EXCEL_SUFFIXES:
        if head.startswith(b"PK"):
            raise InputError(path, "is a damaged or truncated Excel file (broken zip header)")
        raise InputError(
            path, "is not an Excel workbook (.xlsx): the content is not a zip container"
        )
    _check_text(path, head)
    return "text"


def _check_zip(path: Path, size: int) -> None:
    """Reject truncated zips, zip bombs and XML parts that declare entities."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise InputError(path, f"holds {len(infos)} parts; not a workbook (zip bomb?)")
            declared = sum(info.file_size for info in infos)
            if declared > MAX_UNCOMPRESSED_BYTES:
                raise InputError(
                    path,
                    f"inflates to {declared / 1e6:.0f} MB, over the "
                    f"{MAX_UNCOMPRESSED_BYTES / 1e6:.0f} MB limit (zip bomb?)",
                )
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names:
                raise InputError(path, "is a zip file but not an Excel workbook (.xlsx)")
            sheets = sheet_parts(path, zf, infos)
            for info in infos:
                _check_member(path, zf, info, info.filename.lower() in sheets)
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error) as exc:
        raise InputError(path, f"is a damaged or truncated Excel file ({exc})") from None
    except (NotImplementedError, RuntimeError) as exc:  # unsupported method, encryption
        raise InputError(path, f"uses a zip feature Excel files do not ({exc})") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None


_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SHEET_ROOT = re.compile(rb"<(?:[\w.-]+:)?(?:worksheet|dialogsheet|macrosheet|chartsheet)\b")
MAX_RELS_BYTES = 4 * 1024 * 1024
"""A relationships part lists tens of targets; one this big is read only this far."""


def sheet_parts(path: Path, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> set[str]:
    """Lower-case names of every part a reader could open as a sheet.

    Readers find sheets through the workbook's relationships, not by name:
    python-calamine takes a target "/x" as "x" and any other as "xl/" +
    target, openpyxl resolves it against the folder of the part that owns
    the relationships (`..` and all), and both match names ignoring case.
    So the sheets are every part under xl/worksheets/, every target (read
    each way) of a relationship of a sheet type in any `.rels` part, and any
    part whose root element is a worksheet whatever it is called.
    """
    by_name = {info.filename.lower() for info in infos}
    sheets = {name for name in by_name if name.startswith("xl/worksheets/")}
    for info in infos:
        name = info.filename.lower()
        if name.endswith(".rels"):
            for target in _sheet_targets(path, zf, info):
                sheets.update(c for c in _resolve(info.filename, target) if c in by_name)
        elif name not in sheets and _root_is_sheet(zf, info):
            sheets.add(name)
    return sheets


def _sheet_targets(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> list[str]:
    """Targets of the sheet-typed relationships in one `.rels` part."""
    with zf.open(info) as fh:
        data = fh.read(MAX_RELS_BYTES)
    targets = []
    for m in _RELATIONSHIP.finditer(data):
        attrs = {
            k.split(b":")[-1].lower(): (v1 if v1 or not v2 else v2)
            for k, v1, v2 in _ATTR.findall(m.group(1))
        }
        kind = attrs.get(b"type", b"").rstrip(b"/ ").lower()
        if kind.endswith(b"sheet") and b"target" in attrs:
            targets.append(html.unescape(attrs[b"target"].decode("utf-8", "replace")).strip())
    return targets


def _resolve(rels_part: str, target: str) -> set[str]:
    """Lower-case part names a relationship target can mean to the readers we use."""
    target = target.replace("\\", "/")
    folder = posixpath.dirname(posixpath.dirname(rels_part))  # "xl/_rels/x.rels" -> "xl"
    names = {target.lstrip("/"), "xl/" + target, posixpath.join(folder, target)}
    names |= {posixpath.normpath(n) for n in names}
    return {n.lower().lstrip("/") for n in names}


def _root_is_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a part's first element is a worksheet (read as far as its first 64 KB).

    A part that cannot even be read this far counts as a sheet, so the full
    measurement runs on it and reports what is wrong with it.
    """
    if info.file_size == 0:
        return False
    try:
        with zf.open(info) as fh:
            head = fh.read(64 * 1024)
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, RuntimeError):
        return True
    root = _ROOT.search(head)
    return root is not None and _SHEET_ROOT.match(head, root.start()) is not None


def _check_member(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, is_sheet: bool) -> None:
    if info.file_size >= RATIO_CHECK_FROM and info.compress_size > 0:
        ratio = info.file_size / info.compress_size
        if ratio > MAX_MEMBER_RATIO:
            raise InputError(
                path,
                f"part {info.filename} inflates {ratio:.0f}x to "
                f"{info.file_size / 1e6:.0f} MB (zip bomb?)",
            )
    name = info.filename.lower()
    if is_sheet:
        extent = _SheetExtent()
        _inflate_member(path, info, extent.feed)
        if extent.needs_exact_pass():  # wide, or written unusually: every cell counts
            first = extent
            extent = _SheetExtent(exact=True)
            _inflate_member(path, info, extent.feed)
            extent.max_col = max(extent.max_col, first.max_col)
            extent.max_row = max(extent.max_row, first.max_row)
        extent.check(path, info.filename)
    elif info.compress_size * DEFLATE_MAX_RATIO > LIE_CHECK_FROM:
        # The directory can lie about sizes and the Rust reader may not stop
        # at the declared size; deflate bounds what a small part can hold.
        _inflate_member(path, info, None)
    if name.endswith(_XML_SUFFIXES):
        _check_xml_prolog(path, zf, info)


class _SheetExtent:
    """Largest row number and column a worksheet's XML mentions.

    The reader allocates the full rectangle from A1 to the farthest cell, so
    two cells at A1 and XFD1048576 would ask for 17 billion cells: the
    extent, not the file size, is what bounds memory. A cell's own reference
    places it (a cell "J900000" inside row 1 makes a 900,000-row sheet), so
    cell references count as well as row numbers, and so does the
    `<dimension ref="A1:XFD1048576">` tag (openpyxl sizes a sheet by it).

    Scanning is most of the safety check's cost on a 100,000-row export
    (56 MB of XML), so the first pass looks at each inflated piece (a
    quarter MB, still in the CPU cache) as one numpy byte array
    (`xml_scan.PieceScanner`) for what can matter:

    * row tags (counted: rows without r="" are placed by position);
    * `_FAR`: only the references that can matter - columns from K on, and
      references with six or more digits (row 100,000 on), on any tag.
      Narrow cells below row 100,000 span at most 99,999 x 10 cells, inside
      the limit; a smaller row number matters only to a sheet wider than
      50 columns, which gets the exact pass.

    Both assume the way every spreadsheet writer spells a cell: `<c r="B7"`,
    double quotes, r first. Counts of the literal spellings notice anything
    else - single quotes, spaces around `=`, a character reference, cells
    without r="" (placed by position, so a row of 16,384 bare `<c/>` is
    16,384 columns wide) - and so does a sheet wider than 50 columns; then
    `needs_exact_pass` is true and a second, exact pass walks every row and
    cell tag the way the reader does. The few bytes where two pieces meet
    are scanned with the regular expressions below (`_ROWS`, `_FAR`).
    """

    _ROWS = re.compile(rb'row\b(?:[^>]*? r="(\d{1,12})")?')
    _FAR = re.compile(rb' r="(?:[A-Z](?:[A-Z]|(?<=[K-Z])|.{5}\d)|\d.{4}\d)', re.DOTALL)
    _REF = re.compile(rb"([A-Za-z]{0,4})(\d{1,12})")
    _DIMENSION = re.compile(rb"dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']{0,64})[\"']")
    _TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?=[\s>/])([^>]*)>")
    _ATTR_R = re.compile(rb"(?:^|\s)r\s*=\s*([\"'])(.{0,64}?)\1", re.DOTALL)
    NARROW_ROWS = 99_999
    """Rows below 100,000 in columns A-J are not collected by `_FAR`."""
    _OVERLAP = 48
    _CARRY_LIMIT = 1 << 20

    def __init__(self, *, exact: bool = False) -> None:
        self.max_row = 0
        self.row_tags = 0
        self.max_col = 10
        self.exact = exact  # walk every row and cell tag (second pass)
        self.odd = False  # the first pass saw XML it does not read exactly
        self._tail = b""
        self._row = 0  # exact pass: the row the reader is on, and the last column it placed
        self._col = 0
        self._tags = 0  # first pass: `<c` tags, `<c r="` cells, ` r="` attributes
        self._cells = 0
        self._refs = 0
        self._in_data = False  # past the start of <sheetData>
        self._scanner: PieceScanner | None = None  # first pass: numpy, with its buffers

    def feed(self, chunk: bytes) -> None:
        if self.exact:
            self._feed_exact(chunk)
            return
        # Scan the piece itself, plus a small window across the boundary with
        # the previous piece so a reference split in two is still seen
        # (joining the whole piece to the tail would copy every byte again).
        tail, self._tail = self._tail, chunk[-self._OVERLAP :]
        self.row_tags += self._scan_piece(chunk)
        self._notice_odd(chunk)
        if tail:
            head = chunk[: self._OVERLAP]
            window = tail + head
            self._scan(window)
            self.row_tags += (tail[-2:] + chunk[:2]).count(b"row")
            self._notice_odd(window)
            # cell tags split by the boundary: in the window but in neither half
            self._count_cells(window, 1)
            self._count_cells(tail, -1)
            self._count_cells(head, -1)

    def _count_cells(self, data: bytes, sign: int) -> None:
        """Add the cell tags of `data`, those written `<c r="`, and all ` r="`, to the totals.

        Every spreadsheet writer puts r="" first on each cell, in double
        quotes, so `<c` and `<c r="` counts match; an r spelled any other
        way, or a cell placed by position, makes them differ. A namespace
        prefix on cells (`<x:c r="`) shows as `:c` tags and as more ` r="`
        than cells and rows hold. `<col` tags stand before the sheet data and are
        subtracted there; rarer `<c...` elements (conditional formats) only
        cost an exact pass, never a wrong answer.
        """
        self._tags += sign * data.count(b"<c")
        if b":" in data:  # one fast byte search; prefixed cells `<x:c` count as cells too
            self._tags += sign * data.count(b":c")
        self._cells += sign * data.count(b'<c r="')
        self._refs += sign * data.count(b' r="')
        self._count_cols(data, sign)

    def _count_cols(self, data: bytes, sign: int) -> None:
        """Take the `<col` tags before the sheet data off the cell-tag count (see `_count_cells`)."""
        if not self._in_data:
            start = data.find(b"sheetData")
            head = data if start < 0 else data[:start]
            self._tags -= sign * head.count(b"<col")
            if start >= 0 and sign > 0:
                self._in_data = True

    def _notice_odd(self, data: bytes) -> None:
        if not self.odd and b"&" in data:  # a character reference can spell r="..."
            self.odd = True

    def _scan(self, data: bytes) -> int:
        """Update the extent from `data` (a window across two pieces); return its row tags."""
        rows = self._ROWS.findall(data)
        numbers = [r for r in rows if r]
        if numbers:
            self.max_row = max(self.max_row, max(map(int, numbers)))
        for m in self._FAR.finditer(data):
            self._place(data, m.start() + 4)
        self._scan_dimension(data)
        return len(rows)

    def _scan_piece(self, data: bytes) -> int:
        """`_scan` and `_count_cells` of one whole piece, counted with numpy (`xml_scan`).

        Row numbers count only where `_FAR` finds them (six digits and more):
        a smaller one matters only to a sheet wider than 50 columns, which
        gets the exact pass anyway. Returns the piece's row tags.
        """
        if self._scanner is None:
            from planner.io.xml_scan import PieceScanner  # numpy: imported once a sheet is read

            self._scanner = PieceScanner()
        counts = self._scanner.scan(data, prefixed=b":" in data)
        self._tags += counts.tags + counts.prefixed
        self._cells += counts.cells
        self._refs += counts.refs
        self._count_cols(data, 1)
        for start in counts.far.tolist():
            self._place(data, start)
        self._scan_dimension(data)
        return counts.rows

    def _scan_dimension(self, data: bytes) -> None:
        # No match starts before the word: `find` skips to it faster than the pattern would.
        start = data.find(b"dimension")
        if start < 0:
            return
        for m in self._DIMENSION.finditer(data, start):
            for corner in m.group(1).split(b":"):
                self._place(corner.strip(), 0)

    def _place(self, data: bytes, start: int) -> tuple[int, int] | None:
        """Extend the extent to the cell reference at data[start:]; return (row, col)."""
        ref = self._REF.match(data, start)
        if ref is None:
            return None
        letters, digits = ref.groups()
        col = 0
        for ch in letters.upper():
            col = col * 26 + ch - 64
        row = int(digits)
        self.max_col = max(self.max_col, col)
        self.max_row = max(self.max_row, row)
        return row, col

    def _feed_exact(self, chunk: bytes) -> None:
        """Walk row and cell tags as the reader does: r="" where given, else by position."""
        data = self._tail + chunk
        cut = data.rfind(b">") + 1
        if len(data) - cut > self._CARRY_LIMIT:  # no tag end for a MB: nothing to carry
            cut = len(data)
        data, self._tail = data[:cut], data[cut:]
        for m in self._DIMENSION.finditer(data):
            for corner in m.group(1).split(b":"):
                self._place(corner.strip(), 0)
        for m in self._TAG.finditer(data):
            attr = self._ATTR_R.search(m.group(2))
            value = None
            if attr is not None:
                value = attr.group(2)
                if b"&" in value:
                    value = html.unescape(value.decode("utf-8", "replace")).encode()
            if m.group(1) == b"row":
                self.row_tags += 1
                self._row = int(value) if value is not None and value.isdigit() else self._row + 1
                self._col = 0
                self.max_row = max(self.max_row, self._row)
                continue
            placed = self._place(value.strip(), 0) if value is not None else None
            if placed is not None and placed[1] > 0:
                self._col = placed[1]
            else:
                self._col += 1
                self.max_col = max(self.max_col, self._col)

    def needs_exact_pass(self) -> bool:
        """Whether unseen narrow cells or unusual XML could still break the limit."""
        if self.exact:
            return False
        rows = max(self.max_row, self.row_tags)
        if rows * self.max_col > MAX_SHEET_CELLS:
            return False  # refused already
        unusual = (  # see `_count_cells`
            self._tags > self._cells or self._refs - self._cells > self.row_tags
        )
        return (
            self.odd or unusual or max(rows, self.NARROW_ROWS) * self.max_col > MAX_SHEET_CELLS
        )

    def check(self, path: Path, part: str) -> None:
        rows = max(self.max_row, self.row_tags)
        if rows * self.max_col > MAX_SHEET_CELLS:
            raise InputError(
                path,
                f"sheet part {part} spans {rows:,} rows x {self.max_col:,} columns, "
                f"over the {MAX_SHEET_CELLS:,}-cell limit",
            )


def _inflate_member(
    path: Path, info: zipfile.ZipInfo, on_chunk: Callable[[bytes], None] | None
) -> None:
    """Inflate a part in chunks, at most to its declared size, and hand each chunk on.

    Reading the raw deflate stream ourselves (rather than `ZipFile.open`,
    which stops at the declared size) proves the declared size is the truth.
    """
    with open(path, "rb") as fh:
        fh.seek(info.header_offset)
        local = fh.read(30)
        if len(local) < 30 or not local.startswith(_ZIP_MAGIC):
            raise InputError(path, f"is a damaged or truncated Excel file (part {info.filename})")
        name_len = int.from_bytes(local[26:28], "little")
        extra_len = int.from_bytes(local[28:30], "little")
        fh.seek(info.header_offset + 30 + name_len + extra_len)
        if info.compress_type == zipfile.ZIP_STORED:
            inflater = None
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            inflater = zlib.decompressobj(-15)
        else:
            raise InputError(path, f"part {info.filename} uses an unsupported compression method")
        remaining = info.compress_size
        total = 0
        limit = info.file_size
        while remaining > 0:
            chunk = fh.read(min(remaining, 1 << 20))
            if not chunk:
                raise InputError(
                    path, f"is a damaged or truncated Excel file (part {info.filename})"
                )
            remaining -= len(chunk)
            while chunk:
                if inflater is None:
                    out, chunk = chunk, b""
                else:
                    out = inflater.decompress(chunk, INFLATE_PIECE)
                    chunk = inflater.unconsumed_tail
                total += len(out)
                if total > limit:
                    raise InputError(
                        path,
                        f"part {info.filename} inflates past the size its zip header "
                        "says (zip bomb or damaged file)",
                    )
                if on_chunk is not None and out:
                    on_chunk(out)
        if total != limit:
            raise InputError(path, f"is a damaged or truncated Excel file (part {info.filename})")


def _check_xml_prolog(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse DTDs: Excel never writes them, and entity-expansion bombs need them.

    A DOCTYPE may only stand before the root element, so reading up to the
    root is enough; one after it is malformed XML that the parser rejects.
    """
    seen = b""
    with zf.open(info) as fh:
        while len(seen) < XML_PROLOG_LIMIT:
            chunk = fh.read(16 * 1024)
            if not chunk:
                break
            seen += chunk
            root = _ROOT.search(seen)
            if root:
                seen = seen[: root.start()]
                break
        else:
            raise InputError(path, f"part {info.filename} has no XML content in its first MB")
    if _DTD.search(seen):
        raise InputError(
            path,
            f"part {info.filename} declares a DTD or XML entities, "
            "which Excel never writes (entity bomb?)",
        )


def _check_text(path: Path, head: bytes) -> None:
    """Tell text (any of the encodings we decode) from binary junk."""
    codec, _ = text_encoding(head)
    if codec is not None:
        return
    if b"\x00" in head:
        raise InputError(path, "contains binary data, not text or a spreadsheet")
    controls = sum(head.count(bytes([c])) for c in range(32) if c not in (9, 10, 12, 13))
    if controls > max(8, len(head) // 100):
        raise InputError(path, "contains binary data, not text or a spreadsheet")


def _check_markup(path: Path, head: bytes) -> None:
    """Refuse web pages and Excel 2003 XML, whatever the file is called.

    Salesforce's "export details" and many BI tools save an HTML table under
    an .xls or .csv name; read as CSV it would be one column of markup.
    """
    codec, bom = text_encoding(head)
    unit = 4 if codec and "32" in codec else 2 if codec else 1
    sample = head[bom : bom + 4096 - 4096 % unit]
    start = sample.decode(codec or "latin-1", errors="replace").lstrip("\ufeff \t\r\n")
    lowered = start[:1024].lower()
    if lowered.startswith(("<!doctype html", "<html", "<table", "<head", "<body")) or (
        lowered.startswith("<") and "<table" in lowered and "<td" in lowered
    ):
        raise InputError(
            path,
            "is an HTML page, not a CSV or Excel file (Salesforce \"export details\" and some "
            'reports save that): export as "Comma Delimited .csv", or open it in Excel and '
            "save as .xlsx or CSV UTF-8",
        )
    if lowered.startswith("<?xml") and ("<workbook" in lowered or "spreadsheet" in lowered):
        raise InputError(
            path,
            "is an Excel 2003 XML spreadsheet, not a CSV or .xlsx: open it in Excel and save "
            "as .xlsx or CSV UTF-8",
        )
