"""Fuzz cases for the importers: random files from a `random.Random`, and the one way to run them.

Every generator takes a `random.Random`. The tests pass hypothesis's
`st.randoms()` (so a failure shrinks to a small file), `benchmarks/fuzz.py`
passes `random.Random(seed)` and runs tens of thousands; both judge each
file with `run_loaders`, so CI and the benchmark count the same outcomes:

- "loaded": a budget or deals came back, every number in it finite;
- "refused": every loader raised `InputError` (one line for the user);
- "escaped": anything else - another exception, a non-finite number in a
  result, a Rust panic. That is a bug.
"""

from __future__ import annotations

import io
import math
import random
import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from tests.filegen import budget_files, crm_files, hostile_files

# ---------------------------------------------------------------- seeds: valid workbooks

_SEEDS: dict[str, dict[str, bytes]] = {}


def seed_workbooks() -> dict[str, dict[str, bytes]]:
    """Small valid workbooks (CRM, budget with formulas, hand-zipped) as part name -> bytes."""
    if _SEEDS:
        return _SEEDS
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        writers: dict[str, Callable[[Path], object]] = {
            "crm": lambda p: crm_files.write_hubspot_xlsx(p, crm_files.make_deals(12, seed=3)),
            "budget": lambda p: budget_files.write_wide_xlsx(
                p, budget_files.make_lines("en", seed=2), formulas="totals"
            ),
            "hand_zipped": lambda p: hostile_files.write_relocated_sparse(p, far="E12"),
            "dates": lambda p: hostile_files.write_budget_with_raw_value(p, "45000"),
        }
        for name, write in writers.items():
            path = folder / f"{name}.xlsx"
            write(path)
            with zipfile.ZipFile(path) as zf:
                _SEEDS[name] = {info.filename: zf.read(info) for info in zf.infolist()}
    return _SEEDS


# ---------------------------------------------------------------- xlsx mutations

FAR_REFS = ["A1", "C20", "J99999", "K100000", "XFD1", "A1048576", "XFD1048576", "ZZZ9", "A0", "1"]
CELL_TYPES = ["s", "n", "b", "e", "str", "inlineStr", "d", "bogus", ""]
VALUES = [
    "0", "1", "-1", "1e308", "-1e14", "1e14", "INF", "-inf", "NaN", "45000", "2958466",
    "-99999999999", "1.5", "abc", "", "99999999999999999999", "#DIV/0!", "true", "0x10",
]
TOKENS = [
    '<c r="XFD1048576"><v>1</v></c>', "<dimension ref=\"A1:XFD1048576\"/>", '<c r="B2" s="1">',
    "<f>1/0</f>", "<f>" + "(" * 300 + "1" + ")" * 300 + "</f>", "<f>SUM(A1:CV1000)</f>",
    '<row r="1048576">', "</row>", "<row>", "<c/>", "<v>-1e14</v>", "&#0;", "&amp;", "\x00",
    "<!DOCTYPE x>", '<numFmt numFmtId="200" formatCode="yyyy-mm-dd"/>', '<xf numFmtId="14"/>',
    '"', "'", "<", ">", "é", "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
]
TARGETS = ["worksheets/sheet1.xml", "/xl/worksheets/sheet1.xml", "../x", "/", "", "sheet1",
           "WORKSHEETS/SHEET1.XML", "styles.xml", "sharedStrings.xml", "http://example.com/a"]
STYLE_IDS = ["0", "1", "2", "14", "22", "99", "-1", "4294967296"]

_ATTR_EDITS: list[tuple[re.Pattern[bytes], list[str]]] = [
    (re.compile(rb' r="[^"]*"'), [f' r="{r}"' for r in FAR_REFS]),
    (re.compile(rb' t="[^"]*"'), [f' t="{t}"' for t in CELL_TYPES]),
    (re.compile(rb' s="[^"]*"'), [f' s="{s}"' for s in STYLE_IDS]),
    (re.compile(rb"<v>[^<]*</v>"), [f"<v>{v}</v>" for v in VALUES]),
    (re.compile(rb'ref="[^"]*"'), [f'ref="A1:{r}"' for r in FAR_REFS]),
    (re.compile(rb'Target="[^"]*"'), [f'Target="{t}"' for t in TARGETS]),
    (re.compile(rb'numFmtId="[^"]*"'), [f'numFmtId="{s}"' for s in STYLE_IDS]),
    (re.compile(rb'formatCode="[^"]*"'), ['formatCode="yyyy-mm-dd"', 'formatCode="#,##0 \\"kr\\""',
                                          'formatCode="[$€-407]#,##0"', 'formatCode=""']),
]


def mutate_parts(rng: random.Random, parts: dict[str, bytes]) -> dict[str, bytes]:
    """One to four edits of a workbook's parts: XML, relationships, names, bytes."""
    parts = dict(parts)
    for _ in range(rng.randint(1, 4)):
        names = sorted(parts)
        if not names:
            break
        name = rng.choice(names)
        data = parts[name]
        op = rng.randrange(9)
        if op <= 2:  # replace one attribute or value the way a writer could
            pattern, choices = rng.choice(_ATTR_EDITS)
            hits = list(pattern.finditer(data))
            if hits:
                m = rng.choice(hits)
                data = data[: m.start()] + rng.choice(choices).encode() + data[m.end() :]
        elif op == 3:  # insert a hostile token
            at = rng.randint(0, len(data))
            data = data[:at] + rng.choice(TOKENS).encode("utf-8", "surrogatepass") + data[at:]
        elif op == 4:  # cut a piece out
            if data:
                a = rng.randrange(len(data))
                data = data[:a] + data[a + rng.randint(1, 200) :]
        elif op == 5:  # flip bytes
            buf = bytearray(data)
            for _ in range(rng.randint(1, 4)):
                if buf:
                    buf[rng.randrange(len(buf))] = rng.randrange(256)
            data = bytes(buf)
        elif op == 6:  # move the part: only a relationship (if any) still finds it
            del parts[name]
            name = rng.choice(["xl/data/" + name.rsplit("/", 1)[-1], name.upper(), "other/x", name])
        elif op == 7:  # drop the part
            del parts[name]
            continue
        else:  # duplicate rows many times (a wide or long sheet)
            m = re.search(rb"<row[ >].*?</row>", data, re.DOTALL)
            if m:
                data = data[: m.end()] + m.group(0) * rng.randint(2, 200) + data[m.end() :]
        parts[name] = data
    return parts


def zip_parts(parts: dict[str, bytes], rng: random.Random) -> bytes:
    """The parts as a zip with valid CRCs (stored or deflated)."""
    out = io.BytesIO()
    method = rng.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
    with zipfile.ZipFile(out, "w", method) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def xlsx_case(rng: random.Random) -> tuple[str, bytes]:
    """A mutated valid workbook: (file name, bytes)."""
    seeds = seed_workbooks()
    parts = mutate_parts(rng, seeds[rng.choice(sorted(seeds))])
    suffix = rng.choice([".xlsx", ".xlsx", ".xlsm", ".csv"])
    return "mutant" + suffix, zip_parts(parts, rng)


# ---------------------------------------------------------------- csv

HEADERS = {
    "name": ["Opportunity Name", "Deal Name", "Name", "Opportunity"],
    "stage": ["Stage", "Deal Stage", "Status", "Phase"],
    "amount": ["Amount", "Amount (NOK)", "Beløp", "Deal Value", "Value", "Betrag"],
    "closed": ["Close Date", "Closed", "Lukkedato", "Abschlussdatum"],
    "created": ["Created Date", "Create Date", "Opprettet"],
    "source": ["Lead Source", "Original Traffic Source", "Source", "Kilde"],
    "type": ["Type", "Deal Type"],
    "currency": ["Currency", "Opportunity Currency"],
}
MONTH_HEADERS = ["Jan 2027", "Feb 2027", "Mar 2027", "jan. 27", "2027-04", "Mai 2027", "Dec 9999"]
AMOUNTS = [
    "1200", "1 200", "(1 200)", "(1,200)", "-", "NaN", "\u22124 000", "1e308", "-1e308", "inf",
    "kr 1.200", "\u20ac 3.000,-", "1.234,50", "1,234.50", "TBD", "", " ", "0", "-50",
    "99999999999999999999", "1e15", "12,5", "$1,000", "1_000", "(", "--1",
]
DATES = [
    "2026-01-15", "15.01.2026", "01/15/2026", "15/01/2026", "9999-12-31", "0001-01-01", "",
    "2026-02-30", "32/13/2026", "1677-09-21", "2262-04-12", "45000", "yesterday", "2026",
    "2026-01-15T10:00:00Z", "-1e14",
]
STAGES = ["Closed Won", "Closed Lost", "Proposal", "Won", "Lost", "Vunnet", "Tapt", "", "?"]
SOURCES = ["Web", "Referral", "Partner", "Event", "Purchased List", "Søk", "S\u00c3\u00b8k", ""]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-32", "mixed"]
NASTY = ['"', '""', "\n", "\r", ";", ",", "\t", "\x00", "\x1b[31m", "=1/0", "=SUM(A1:A9)"]


CLEAN = {
    "amount": ["1200", "1 200", "15000.50", "kr 1.200", "(1 200)", "-", "0", "99000", "1.234,50"],
    "closed": ["2026-01-15", "2025-11-03", "15.01.2026", "2024-06-30", ""],
    "created": ["2025-10-01", "2025-06-15", "01.09.2025", "2024-01-10"],
    "stage": ["Closed Won", "Closed Lost", "Proposal", "Closed Won", "Closed Lost"],
    "source": ["Web", "Referral", "Partner", "Event", "Purchased List", "Søk"],
    "type": ["New Business", "Existing"],
    "currency": ["NOK"],
}


def _cell(rng: random.Random, field: str, clean: bool) -> str:
    if clean and field in CLEAN and rng.random() < 0.97:
        return rng.choice(CLEAN[field])
    pools = {"amount": AMOUNTS, "closed": DATES, "created": DATES, "stage": STAGES,
             "source": SOURCES, "type": ["New Business", "Existing", ""],
             "currency": ["NOK", "EUR", "kr", ""]}
    if field in pools and rng.random() < 0.9:
        return rng.choice(pools[field])
    if field == "month":
        return rng.choice(CLEAN["amount"] if clean and rng.random() < 0.9 else AMOUNTS)
    text = f"Deal {rng.randrange(1000)}"
    if not clean and rng.random() < 0.2:
        text += rng.choice(NASTY)
    return text


def csv_case(rng: random.Random) -> tuple[str, bytes]:
    """A CRM- or budget-shaped text file: random columns, order, names, delimiter, encoding.

    Half the files are "clean" (every CRM column, mostly valid cells) so
    that the loaders get past detection and the cleaning code is fuzzed too.
    """
    clean = rng.random() < 0.5
    if rng.random() < 0.7:
        if clean:
            fields = rng.sample(sorted(HEADERS), len(HEADERS))
        else:
            fields = rng.sample(sorted(HEADERS), rng.randint(1, len(HEADERS)))
        header = [rng.choice(HEADERS[f]) for f in fields]
    else:
        fields = ["name"] + ["month"] * rng.randint(1, 7)
        header = ["Line"] + rng.sample(MONTH_HEADERS, len(fields) - 1)
    header = [h.upper() if rng.random() < 0.1 else h for h in header]
    if not clean and rng.random() < 0.1:
        header[rng.randrange(len(header))] = _cell(rng, "name", clean)
    n_rows = rng.randint(8, 40) if clean else rng.randint(0, 25)
    rows = [header] + [[_cell(rng, f, clean) for f in fields] for _ in range(n_rows)]
    delim = rng.choice([",", ";", "\t", "|"])
    quote_all = rng.random() < 0.3
    lines = []
    for row in rows:
        cells = [f'"{c}"' if quote_all or delim in c else c for c in row]
        if rng.random() < 0.05:
            cells[rng.randrange(len(cells))] = '"' + cells[0]  # a stray opening quote
        lines.append(delim.join(cells))
    if rng.random() < 0.2:
        lines.insert(0, "Report: Opportunities" + delim * rng.randint(0, 3))
    if rng.random() < 0.2:
        lines += [delim * (len(header) - 1)] * rng.randint(1, 500)
    newline = rng.choice(["\n", "\r\n", "\r"])
    text = newline.join(lines) + (newline if rng.random() < 0.8 else "")
    encoding = rng.choice(ENCODINGS)
    if encoding == "mixed":
        half = len(text) // 2
        data = text[:half].encode("utf-8", "replace") + text[half:].encode("cp1252", "replace")
    else:
        data = text.encode(encoding, "replace")
    return "export" + rng.choice([".csv", ".txt", ".csv", ".xlsx"]), data


# ---------------------------------------------------------------- random bytes

PREFIXES = [b"", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00",
            b"<html>", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"Stage,Amount\n", b"PK"]


def bytes_case(rng: random.Random) -> tuple[str, bytes]:
    """Random bytes behind a prefix that sends them down one reader or another."""
    body = bytes(rng.randrange(256) for _ in range(rng.randint(0, 600)))
    if rng.random() < 0.3:
        body = bytes(b % 96 + 32 for b in body)  # printable: goes on to the CSV reader
    return "random" + rng.choice([".csv", ".xlsx", ".txt", ".xls", ""]), rng.choice(PREFIXES) + body


CASES: dict[str, Callable[[random.Random], tuple[str, bytes]]] = {
    "bytes": bytes_case,
    "xlsx": xlsx_case,
    "csv": csv_case,
}


# ---------------------------------------------------------------- running the loaders


@dataclass(frozen=True)
class Outcome:
    kind: str  # "loaded" | "refused" | "escaped"
    detail: str = ""


def _finite_budget(budget: object) -> str:
    for line in budget.lines:  # type: ignore[attr-defined]
        if not np.isfinite(np.asarray(line.amounts, dtype=float)).all():
            return f"budget line {line.name!r} holds a non-finite amount"
    if not math.isfinite(budget.total):  # type: ignore[attr-defined]
        return "budget total is not finite"
    return ""


def _finite_deals(deals: object) -> str:
    amount = np.asarray(deals.amount, dtype=float)  # type: ignore[attr-defined]
    if np.isinf(amount).any():
        return "a deal amount is infinite"
    won = np.asarray(deals.outcome) == "won"  # type: ignore[attr-defined]
    if np.isnan(amount[won]).any():  # a lost or open deal may have none; a won one is skipped
        return "a won deal has a NaN amount"
    return ""


def run_loaders(path: Path, today: date = date(2027, 3, 1)) -> Outcome:
    """Every public loader on `path`; see the module docstring for the outcomes."""
    from planner.errors import InputError
    from planner.io.budget import load_budget
    from planner.io.crm import load_deals
    from planner.io.detect import file_kind
    from planner.io.tabular import read_sheets

    loaded = False
    steps: list[tuple[str, Callable[[], object], Callable[[object], str]]] = [
        ("file_kind", lambda: file_kind(path), lambda _: ""),
        ("read_sheets", lambda: read_sheets(path), lambda _: ""),
        ("load_budget", lambda: load_budget(path, today=today), _finite_budget),
        ("load_deals", lambda: load_deals(path), _finite_deals),
    ]
    for name, load, check in steps:
        try:
            result = load()
        except InputError as exc:
            if "\n" in exc.message or not exc.message.startswith(path.name + ": "):
                return Outcome("escaped", f"{name}: message not one line naming the file")
            continue
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - counting what escapes is the point
            return Outcome("escaped", f"{name}: {type(exc).__name__}: {str(exc)[:200]}")
        problem = check(result)
        if problem:
            return Outcome("escaped", f"{name}: {problem}")
        loaded = loaded or name in ("load_budget", "load_deals")
    return Outcome("loaded" if loaded else "refused")


# ---------------------------------------------------------------- escapes found and fixed

REPRODUCERS: dict[str, str] = {
    # label: the smallest file that once escaped (issue 13), kept as a regression test
    "read_only_amounts": "Stage,Amount\nClosed Won,(1 200)\nClosed Lost,100\n",
    "dates_out_of_bounds": "Stage,Amount,Close Date\nClosed Won,100,9999-12-31\nClosed Lost,100,2026-01-01\n",
    "stray_quote_swallows_rows": (
        "Close Date,Stage,Amount\n2026-01-15,Closed Won,1200\n2026-01-15,\"x\n"
        "2026-01-15,Closed Lost,1200\n"
    ),
    "infinite_amount": "Stage,Amount\nClosed Won,inf\nClosed Lost,100\n",
}
"""Files the fuzzer found escaping in round 1, each fixed at its cause in round 2."""


def run_case(kind: str, rng: random.Random, folder: Path) -> tuple[Outcome, Path]:
    """Generate one case of `kind` into `folder` and run the loaders on it."""
    name, data = CASES[kind](rng)
    path = folder / name
    path.write_bytes(data)
    return run_loaders(path), path
