"""Write realistic CRM exports with known contents, for tests and benchmarks.

Each writer produces a real file the way the exporting program (or Excel
re-saving it) would, and returns an `Expected` computed from the generator's
own deal list - never from planner's code - so a test compares what planner
read against what was put in.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from statistics import median

# (value as written in the file, class the classifier must give it)
SOURCES_EN = (
    ("Web", "intent"),
    ("Partner Referral", "intent"),
    ("Word of mouth", "intent"),
    ("Organic Search", "intent"),
    ("Paid Search", "demand"),
    ("LinkedIn Lead Gen", "demand"),
    ("Webinar", "demand"),
    ("Trade Show", "demand"),
    ("Purchased List", "demand"),
)
SOURCES_HUBSPOT = (
    ("Organic Search", "intent"),
    ("Direct Traffic", "intent"),
    ("Referrals", "intent"),
    ("Social Media", "intent"),
    ("Paid Search", "demand"),
    ("Paid Social", "demand"),
    ("Email Marketing", "demand"),
    ("Offline Sources", "demand"),
)
SOURCES_DE = (
    ("Empfehlung", "intent"),
    ("Webseite", "intent"),
    ("Organische Suche", "intent"),
    ("Bezahlte Suche", "demand"),
    ("Messe", "demand"),
    ("Kaltakquise", "demand"),
)
SOURCES_DA = (
    ("Anbefaling", "intent"),
    ("Hjemmeside", "intent"),
    ("Betalt søgning", "demand"),
    ("Webinar", "demand"),
)
SOURCES_NB = (
    ("Anbefaling", "intent"),
    ("Nettside", "intent"),
    ("Organisk søk", "intent"),
    ("Kjøpt liste", "demand"),
    ("Messe", "demand"),
)

STAGES = {
    # language: (won, lost, open stages...)
    "en": ("Closed Won", "Closed Lost", ("Prospecting", "Qualification", "Proposal/Price Quote")),
    "hubspot": ("Closed won", "Closed lost", ("Appointment scheduled", "Contract sent")),
    "de": ("Gewonnen", "Verloren", ("Qualifizierung", "Angebot", "Verhandlung")),
    "da": ("Lukket - vundet", "Lukket - tabt", ("Kvalificering", "Tilbud")),
    "nb": ("Vunnet", "Tapt", ("Kvalifisering", "Forhandling")),
}
TYPES = {
    "en": (("New Business", "new"), ("Existing Business", "existing"), ("Renewal", "existing")),
    "hubspot": (("newbusiness", "new"), ("existingbusiness", "existing"), ("Upsell", "existing")),
    "de": (("Neukunde", "new"), ("Bestandskunde", "existing"), ("Verlängerung", "existing")),
    "da": (("Ny kunde", "new"), ("Fornyelse", "existing"), ("Mersalg", "existing")),
    "nb": (("Ny kunde", "new"), ("Eksisterende kunde", "existing"), ("Mersalg", "existing")),
}


@dataclass(frozen=True)
class Deal:
    name: str
    stage: str
    outcome: str  # won | lost | open
    amount: float | None  # None: written as text (see `bad_amount`) or blank
    created: date
    closed: date  # close date (expected close for open deals)
    source: str
    source_class: str
    deal_type: str  # as written
    type_class: str  # new | existing
    bad_amount: str | None = None  # e.g. "TBD": the row must be skipped


@dataclass(frozen=True)
class SourceExpect:
    source: str
    source_class: str
    deals: int
    closed: int
    won: int
    won_amount: float

    @property
    def win_rate(self) -> float | None:
        return self.won / self.closed if self.closed else None


@dataclass(frozen=True)
class Expected:
    rows: int
    skipped: int
    won: int
    lost: int
    open: int
    won_amount: float
    median_cycle_days: float | None
    win_rate_by_class: dict[str, float | None]
    sources: dict[str, SourceExpect]
    currency: str | None
    new: int
    existing: int
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def closed(self) -> int:
        return self.won + self.lost

    @property
    def win_rate(self) -> float | None:
        return self.won / self.closed if self.closed else None


def make_deals(
    n: int,
    *,
    language: str = "en",
    sources: Sequence[tuple[str, str]] = SOURCES_EN,
    seed: int = 1,
    start: date = date(2023, 1, 1),
    bad_amounts: int = 0,
    blank_open_amounts: int = 0,
) -> list[Deal]:
    """`n` deals with a plausible mix: intent wins more often than demand."""
    rng = random.Random(seed)
    won_stage, lost_stage, open_stages = STAGES[language]
    deals = []
    for i in range(n):
        source, cls = sources[i % len(sources)] if i < len(sources) else rng.choice(sources)
        p_won = 0.35 if cls == "intent" else 0.18
        r = rng.random()
        outcome = "won" if r < p_won else "lost" if r < 0.8 else "open"
        stage = (
            won_stage
            if outcome == "won"
            else lost_stage
            if outcome == "lost"
            else rng.choice(open_stages)
        )
        created = start + timedelta(days=rng.randrange(0, 540))
        cycle = rng.randrange(7, 200)
        type_text, type_class = rng.choice(TYPES[language])
        amount = round(rng.lognormvariate(10.5, 0.8), 2)
        deals.append(
            Deal(
                name=f"Deal {i + 1:05d} {rng.choice(['Acme', 'Nordic', 'Øresund', 'Müller'])}",
                stage=stage,
                outcome=outcome,
                amount=amount,
                created=created,
                closed=created + timedelta(days=cycle),
                source=source,
                source_class=cls,
                deal_type=type_text,
                type_class=type_class,
            )
        )
    # Some amounts that are not numbers ("TBD"): those rows must be skipped.
    for k in range(bad_amounts):
        i = 3 + k * 7
        d = deals[i]
        deals[i] = Deal(
            **{**d.__dict__, "amount": None, "bad_amount": ["TBD", "n/a", "tbd"][k % 3]}
        )
    # Open deals with no amount yet: read, amount NaN.
    opened = [i for i, d in enumerate(deals) if d.outcome == "open" and d.bad_amount is None]
    for i in opened[:blank_open_amounts]:
        deals[i] = Deal(**{**deals[i].__dict__, "amount": None})
    return deals


def expected(deals: Sequence[Deal], currency: str | None) -> Expected:
    """What planner must report for these deals."""
    kept = [d for d in deals if d.bad_amount is None]
    closed = [d for d in kept if d.outcome != "open"]
    by_source: dict[str, list[Deal]] = {}
    for d in kept:
        by_source.setdefault(d.source, []).append(d)
    sources = {
        s: SourceExpect(
            source=s,
            source_class=ds[0].source_class,
            deals=len(ds),
            closed=sum(d.outcome != "open" for d in ds),
            won=sum(d.outcome == "won" for d in ds),
            won_amount=sum(d.amount or 0.0 for d in ds if d.outcome == "won"),
        )
        for s, ds in by_source.items()
    }
    rates = {}
    for cls in ("intent", "demand"):
        c = [d for d in closed if d.source_class == cls]
        rates[cls] = sum(d.outcome == "won" for d in c) / len(c) if c else None
    return Expected(
        rows=len(kept),
        skipped=len(deals) - len(kept),
        won=sum(d.outcome == "won" for d in kept),
        lost=sum(d.outcome == "lost" for d in kept),
        open=sum(d.outcome == "open" for d in kept),
        won_amount=sum(d.amount or 0.0 for d in kept if d.outcome == "won"),
        median_cycle_days=median((d.closed - d.created).days for d in closed) if closed else None,
        win_rate_by_class=rates,
        sources=sources,
        currency=currency,
        new=sum(d.type_class == "new" for d in kept),
        existing=sum(d.type_class == "existing" for d in kept),
    )


def _comma(x: float) -> str:
    """1234.5 -> "1.234,50": Danish/German number text."""
    return f"{x:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _amount_text(d: Deal, fmt: Callable[[float], str]) -> str:
    if d.bad_amount is not None:
        return d.bad_amount
    return "" if d.amount is None else fmt(d.amount)


def write_salesforce_csv(path: Path, deals: Sequence[Deal]) -> Expected:
    """Salesforce opportunity report re-saved by Danish Excel: `;`, decimal comma, cp1252.

    Report title and filter lines above the header, a Total line and the
    confidentiality footer below, dd-mm-yyyy dates, amounts like "1.234,50".
    """
    lines = [
        "Opportunity Pipeline Report",
        "Filtered By:;Opportunity Status equals Any",
        "",
        "Opportunity Owner;Account Name;Opportunity Name;Stage;Amount;Close Date;"
        "Created Date;Lead Source;Type;Probability (%)",
    ]
    for d in deals:
        lines.append(
            ";".join(
                [
                    "Søren Ødegård",
                    "Ærø Ærlig A/S",
                    d.name,
                    d.stage,
                    _amount_text(d, _comma),
                    d.closed.strftime("%d-%m-%Y"),
                    d.created.strftime("%d-%m-%Y"),
                    d.source,
                    d.deal_type,
                    "100" if d.outcome == "won" else "0" if d.outcome == "lost" else "40",
                ]
            )
        )
    total = sum(d.amount or 0.0 for d in deals)
    lines += [
        f"Total;;;;{_comma(total)};;;;;",
        "",
        "Confidential Information - Do Not Distribute",
        "Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved.",
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return expected(deals, None)


HUBSPOT_HEADER = (
    "Record ID", "Deal Name", "Deal Stage", "Amount", "Create Date", "Close Date",
    "Original Traffic Source", "Deal Type", "Pipeline", "Deal owner",
)
"""The columns of a HubSpot deals export, in HubSpot's order."""


def write_hubspot_xlsx(path: Path, deals: Sequence[Deal], *, write_only: bool = False) -> Expected:
    """HubSpot deals export: one sheet, datetime cells, "Deal Stage", "Original Traffic Source"."""
    import openpyxl

    wb = openpyxl.Workbook(write_only=write_only)
    ws = wb.create_sheet("Deals") if write_only else wb.active
    if not write_only:
        ws.title = "Deals"
    ws.append(list(HUBSPOT_HEADER))
    for i, d in enumerate(deals):
        amount: object = d.bad_amount if d.bad_amount is not None else d.amount
        ws.append(
            [
                1000 + i,
                d.name,
                d.stage,
                amount,
                datetime.combine(d.created, datetime.min.time()).replace(hour=9, minute=30),
                datetime.combine(d.closed, datetime.min.time()).replace(hour=16),
                d.source,
                d.deal_type,
                "Sales Pipeline",
                "Anna Berg",
            ]
        )
    wb.save(path)
    return expected(deals, None)


def write_german_unicode_txt(path: Path, deals: Sequence[Deal]) -> Expected:
    """Excel "Unicode text" saved by a German user: UTF-16 with BOM, tabs, dd.mm.yyyy."""
    rows = [
        "Verkaufschance\tPhase\tBetrag (EUR)\tErstellt am\tAbschlussdatum\tLeadquelle\tTyp\tBesitzer"
    ]
    for d in deals:
        rows.append(
            "\t".join(
                [
                    d.name,
                    d.stage,
                    _amount_text(d, _comma),
                    d.created.strftime("%d.%m.%Y"),
                    d.closed.strftime("%d.%m.%Y"),
                    d.source,
                    d.deal_type,
                    "Jürgen Weiß",
                ]
            )
        )
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-16"))
    return expected(deals, "EUR")


def write_plain_csv(
    path: Path, deals: Sequence[Deal], *, header: Sequence[str] | None = None, currency: str = "USD"
) -> Expected:
    """Plain UTF-8 CSV with ISO dates and dot decimals, a currency column."""
    import csv

    header = header or (
        "Deal Name",
        "Stage",
        "Amount",
        "Created",
        "Close Date",
        "Lead Source",
        "Deal Type",
        "Currency",
    )
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for d in deals:
            w.writerow(
                [
                    d.name,
                    d.stage,
                    _amount_text(d, lambda x: f"{x:.2f}"),
                    d.created.isoformat(),
                    d.closed.isoformat(),
                    d.source,
                    d.deal_type,
                    currency,
                ]
            )
    return expected(deals, currency)


def write_nordic_csv(path: Path, deals: Sequence[Deal], language: str) -> Expected:
    """Danish or Norwegian export, `;`, UTF-8 with BOM, amounts as "kr 1.234,50"."""
    if language == "da":
        header = "Salgsmulighed;Fase;Beløb;Oprettet;Lukkedato;Leadkilde;Type"
    else:
        header = "Salgsmulighet;Fase;Beløp;Opprettet dato;Lukkedato;Kilde;Type"
    rows = [header]
    for d in deals:
        rows.append(
            ";".join(
                [
                    d.name,
                    d.stage,
                    _amount_text(d, lambda x: "kr " + _comma(x)),
                    d.created.strftime("%d.%m.%Y"),
                    d.closed.strftime("%d.%m.%Y"),
                    d.source,
                    d.deal_type,
                ]
            )
        )
    path.write_bytes(("\n".join(rows) + "\n").encode("utf-8-sig"))
    return expected(deals, "DKK" if language == "da" else "NOK")


# ---------------------------------------------------------------- hostile files


def _raw_zip(path: Path, members: Sequence[tuple[str, bytes, int, int, int]]) -> None:
    """Write a zip by hand: (name, deflated data, crc, declared size, method) per part.

    Hand-built so a test can write what no honest zip writer would: a part
    whose header declares a smaller size than it inflates to.
    """
    import struct

    out = bytearray()
    central = bytearray()
    for name, data, crc, size, method in members:
        offset = len(out)
        raw_name = name.encode()
        out += struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            20,
            0,
            method,
            0,
            0x21,
            crc,
            len(data),
            size,
            len(raw_name),
            0,
        )
        out += raw_name + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            method,
            0,
            0x21,
            crc,
            len(data),
            size,
            len(raw_name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += raw_name
    eocd = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0
    )
    path.write_bytes(bytes(out + central + eocd))


_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b"</Types>"
)
_ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships '
    b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook '
    b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Deals" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships '
    b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = b"</sheetData></worksheet>"


def _deflate_parts(parts: Sequence[bytes], repeat: int = 1) -> tuple[bytes, int, int]:
    """Raw deflate of parts[0] + parts[1] * repeat + parts[2]: (data, crc, size).

    The body is compressed once and its full-flushed blocks repeated (a full
    flush makes them independent), so a 1 GB bomb takes a second to write.
    """
    import zlib

    head, body, tail = parts
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = comp.compress(head) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(body) + comp.flush(zlib.Z_FULL_FLUSH)
    last = comp.compress(tail) + comp.flush()
    crc = zlib.crc32(head)
    for _ in range(repeat):
        crc = zlib.crc32(body, crc)
    crc = zlib.crc32(tail, crc)
    data = first + block * repeat + last
    return data, crc & 0xFFFFFFFF, len(head) + len(body) * repeat + len(tail)


def _workbook_with_sheet(
    path: Path, sheet: tuple[bytes, int, int], declared: int | None = None
) -> None:
    import zlib

    def plain(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
        return name, data, zlib.crc32(data), len(data), 0

    data, crc, size = sheet
    _raw_zip(
        path,
        [
            plain("[Content_Types].xml", _CONTENT_TYPES),
            plain("_rels/.rels", _ROOT_RELS),
            plain("xl/workbook.xml", _WORKBOOK),
            plain("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
            ("xl/worksheets/sheet1.xml", data, crc, size if declared is None else declared, 8),
        ],
    )


def write_zip_bomb(path: Path, inflated_bytes: int = 1 << 30, *, lie: bool = False) -> None:
    """An .xlsx whose one sheet inflates to `inflated_bytes` (1 GB) of blank cells.

    With `lie`, the zip headers claim the sheet is 2 KB: only reading the
    stream can tell.
    """
    body = b'<row><c t="inlineStr"><is><t></t></is></c></row>' * 20_000  # ~1 MB
    sheet = _deflate_parts(
        (_SHEET_HEAD, body, _SHEET_TAIL), repeat=max(1, inflated_bytes // len(body))
    )
    _workbook_with_sheet(path, sheet, declared=2048 if lie else None)


def write_entity_bomb(path: Path) -> None:
    """An .xlsx whose sheet XML declares "billion laughs" entities."""
    dtd = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    prev = "lol"
    for i in range(1, 10):
        dtd += f'<!ENTITY lol{i} "{("&" + prev + ";") * 10}">'.encode()
        prev = f"lol{i}"
    dtd += b"]>"
    sheet_xml = (
        dtd + b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>Stage</t></is></c></row></sheetData></worksheet>'
    )
    _workbook_with_sheet(path, _deflate_parts((sheet_xml, b"", b"")))


def write_sparse_sheet(path: Path, far: tuple[str, int] = ("XFD", 1048576)) -> None:
    """An .xlsx with two cells, A1 and `far` (XFD1048576: a reader would allocate 17 billion cells)."""
    col, row = far
    sheet_xml = (
        _SHEET_HEAD
        + b'<row r="1"><c r="A1" t="inlineStr"><is><t>Stage</t></is></c></row>'
        + f'<row r="{row}"><c r="{col}{row}"><v>1</v></c></row>'.encode()
        + _SHEET_TAIL
    )
    _workbook_with_sheet(path, _deflate_parts((sheet_xml, b"", b"")))


def write_sheet_xml(path: Path, rows_xml: bytes) -> None:
    """An .xlsx whose one sheet holds exactly `rows_xml` (hand-written `<row>` elements)."""
    _workbook_with_sheet(path, _deflate_parts((_SHEET_HEAD + rows_xml + _SHEET_TAIL, b"", b"")))


def write_weather_csv(path: Path, rows: int = 200) -> None:
    """A CSV of something else entirely: daily weather readings."""
    rng = random.Random(5)
    lines = ["Date,Station,Temperature (C),Rainfall (mm),Wind (m/s)"]
    day = date(2024, 1, 1)
    for i in range(rows):
        lines.append(
            f"{(day + timedelta(days=i)).isoformat()},Kastrup,{rng.uniform(-5, 25):.1f},"
            f"{rng.uniform(0, 20):.1f},{rng.uniform(0, 15):.1f}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- layouts that need the user


def write_german_export_xlsx(
    path: Path, deals: Sequence[Deal], *, amount_header: str = "Auftragswert (EUR)"
) -> Expected:
    """A German CRM export whose amount column a user renamed (`amount_header`).

    Title and filter lines above the header, datetime cells, and a
    "Wahrscheinlichkeit (%)" column that is a number but not the amount.
    """
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Verkaufschancen"
    ws.append(["Verkaufschancen Bericht"])
    ws.append(["Gefiltert nach: Alle Phasen"])
    ws.append([])
    ws.append(
        [
            "Verkaufschance",
            "Phase",
            "Wahrscheinlichkeit (%)",
            amount_header,
            "Erstellt am",
            "Abschlussdatum",
            "Leadquelle",
            "Typ",
            "Besitzer",
        ]
    )
    for d in deals:
        amount: object = d.bad_amount if d.bad_amount is not None else d.amount
        ws.append(
            [
                d.name,
                d.stage,
                100 if d.outcome == "won" else 0 if d.outcome == "lost" else 40,
                amount,
                datetime.combine(d.created, datetime.min.time()),
                datetime.combine(d.closed, datetime.min.time()),
                d.source,
                d.deal_type,
                "Jürgen Weiß",
            ]
        )
    wb.save(path)
    return expected(deals, "EUR" if "EUR" in amount_header else None)


def write_two_deal_sheets_xlsx(
    path: Path, first: Sequence[Deal], second: Sequence[Deal], names: tuple[str, str]
) -> tuple[Expected, Expected]:
    """A workbook with two deal tables (say this year's and last year's export)."""
    import openpyxl

    wb = openpyxl.Workbook()
    for k, (name, deals) in enumerate(zip(names, (first, second), strict=True)):
        ws = wb.active if k == 0 else wb.create_sheet()
        ws.title = name
        ws.append(["Deal Name", "Deal Stage", "Amount", "Create Date", "Close Date", "Lead Source"])
        for d in deals:
            ws.append(
                [
                    d.name,
                    d.stage,
                    d.amount,
                    datetime.combine(d.created, datetime.min.time()),
                    datetime.combine(d.closed, datetime.min.time()),
                    d.source,
                ]
            )
    wb.save(path)
    return expected(first, None), expected(second, None)
