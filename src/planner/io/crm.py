"""CRM opportunity/deal exports -> `Deals`.

Salesforce reports (title lines above the header, a "Total" line and a
copyright footer below), HubSpot deal exports (xlsx with datetime cells),
Excel "Unicode text" re-saved by a German user, plain CSV. The header row and
the columns are found by name in en/da/nb/de; cells are cleaned a whole
column at a time (numpy; pandas only for the text cells of CSV exports),
never with a Python loop per field, because 100,000-deal exports are normal.

Where the file leaves doubt, `preview_layout` says so (for the mapping
dialog) and `load_deals(columns=..., sheet=...)` reads what the user chose.

Rows that cannot be read (an amount like "TBD", a date that is not one) are
skipped and reported in `Deals.skipped`, never guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path

import numpy as np

from planner.errors import InputError
from planner.io.sniff import detect_currency, detect_date_order, detect_decimal, parse_number
from planner.io.sources import apply_source_map, explain_source
from planner.io.tabular import Sheet, is_workbook, paused_gc, read_sheets
from planner.io.types import Deals, SkippedRows, SourceClass

# ------------------------------------------------------------------ columns
# Exact names (normalised: lower case, words only) per field, most specific first.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "opportunity name",
        "deal name",
        "opportunity",
        "deal",
        "name",
        "dealname",
        "verkaufschance",
        "verkaufschancenname",
        "name der verkaufschance",
        "titel",
        "salgsmulighed",
        "salgsmulighedsnavn",
        "salgsmulighet",
        "navn",
        "aftale",
        "avtale",
        "topic",
        "emne",
        "thema",
        "title",
        "subject",
    ),
    "stage": (
        "stage",
        "deal stage",
        "opportunity stage",
        "sales stage",
        "pipeline stage",
        "dealstage",
        "phase",
        "verkaufsphase",
        "vertriebsphase",
        "stufe",
        "status",
        "stadie",
        "fase",
        "salgsfase",
        "salgsstadie",
        "trin",
        "deal status",
    ),
    "amount": (
        "amount",
        "deal amount",
        "opportunity amount",
        "amount converted",
        "total amount",
        "betrag",
        "betrag umgerechnet",
        "wert",
        "auftragswert",
        "umsatz",
        "volumen",
        "beløb",
        "beløp",
        "værdi",
        "verdi",
        "omsætning",
        "omsetning",
        "sum",
        "value",
        "deal value",
        "revenue",
        "total contract value",
        "tcv",
        "acv",
        "arr",
    ),
    "created": (
        "created date",
        "create date",
        "created",
        "date created",
        "created on",
        "created at",
        "created time",
        "opportunity created date",
        "deal created date",
        "erstellt am",
        "erstelldatum",
        "erstellungsdatum",
        "angelegt am",
        "erstellt",
        "oprettet",
        "oprettet dato",
        "oprettelsesdato",
        "dato oprettet",
        "opprettet",
        "opprettet dato",
        "opprettelsesdato",
        "dato opprettet",
    ),
    "closed": (
        "close date",
        "closed date",
        "closing date",
        "date closed",
        "close",
        "closed on",
        "won date",
        "expected close date",
        "abschlussdatum",
        "schlusstermin",
        "abschluss am",
        "geschlossen am",
        "lukkedato",
        "lukket dato",
        "afslutningsdato",
        "dato lukket",
        "forventet lukkedato",
        "avslutningsdato",
        "lukket",
        "forventet avslutningsdato",
    ),
    "source": (
        "lead source",
        "original traffic source",
        "original source",
        "original source type",
        "opportunity source",
        "deal source",
        "source",
        "lead source type",
        "channel",
        "leadquelle",
        "lead quelle",
        "quelle",
        "herkunft",
        "kanal",
        "ursprung",
        "leadkilde",
        "lead kilde",
        "kilde",
        "oprindelse",
        "opprinnelse",
    ),
    "deal_type": (
        "type",
        "deal type",
        "opportunity type",
        "business type",
        "new existing",
        "typ",
        "art",
        "verkaufschancentyp",
        "geschäftsart",
        "geschäftstyp",
        "salgstype",
        "aftaletype",
        "avtaletype",
        "type salg",
    ),
    "currency": (
        "currency",
        "amount currency",
        "opportunity currency",
        "deal currency",
        "currency code",
        "währung",
        "valuta",
        "valutakode",
    ),
}
REQUIRED = ("stage", "amount")
_LANG_HINTS = {
    "da": ("beløb", "oprettet", "lukkedato", "salgsmulighed", "værdi", "afslutningsdato"),
    "nb": ("beløp", "opprettet", "salgsmulighet", "avslutningsdato", "verdi"),
}


def _norm(value: object) -> str:
    return " ".join(re.sub(r"[^\w]+|_", " ", str(value).casefold()).split())


_ALL_NAMES = {n: fld for fld, names in COLUMNS.items() for n in names}

# ------------------------------------------------------------------ stages
_WON = {
    "won",
    "closedwon",
    "gewonnen",
    "vundet",
    "vunnet",
    "signed",
    "unterschrieben",
    "underskrevet",
    "signert",
    "beauftragt",
    "auftrag",
}
_LOST = {
    "lost",
    "closedlost",
    "verloren",
    "tabt",
    "tapt",
    "abgesagt",
    "storniert",
    "disqualified",
    "disqualifiziert",
    "diskvalificeret",
    "diskvalifisert",
    "unqualified",
    "cancelled",
    "canceled",
}

# ------------------------------------------------------------------ deal type
_NEW_WORDS = (
    "new",
    "neu",
    "neukunde",
    "neukunden",
    "neugeschäft",
    "neugeschaeft",
    "ny",
    "nyt",
    "nysalg",
    "nykunde",
    "new logo",
    "new business",
    "newbusiness",
    "new customer",
    "neuer kunde",
)
_EXISTING_WORDS = (
    "existing",
    "existingbusiness",
    "renewal",
    "renew",
    "upsell",
    "up sell",
    "cross sell",
    "crosssell",
    "expansion",
    "upgrade",
    "add on",
    "addon",
    "bestand",
    "bestandskunde",
    "bestandskunden",
    "bestandsgeschäft",
    "verlängerung",
    "erneuerung",
    "erweiterung",
    "fornyelse",
    "mersalg",
    "eksisterende",
    "eksisterende kunde",
    "genkøb",
    "gjenkjøp",
    "vertragsverlängerung",
)
_NEW_RE = re.compile(r"\b(?:" + "|".join(re.escape(w.casefold()) for w in _NEW_WORDS) + r")\b")
_EXISTING_RE = re.compile(
    r"\b(?:" + "|".join(re.escape(w.casefold()) for w in _EXISTING_WORDS) + r")\b"
)

_TOTAL_RE = re.compile(
    r"(?i)^\s*(grand\s+)?totals?\b|^\s*(gesamt|gesamtsumme|summe|sum|i alt|totalt|total)\b"
    r"|^\s*(confidential|copyright|vertraulich|fortrolig|konfidensiell)"
)
_MAX_REASONS = 5


def stage_outcome(stage: object) -> str:
    """ "won", "lost" or "open" for a stage as written ("Closed Won", "Lukket - tabt"...)."""
    words = set(_norm(stage).split())
    if "closed" in words and "won" in words:
        return "won"
    if "closed" in words and "lost" in words:
        return "lost"
    if words & _LOST or any(w.startswith(("verloren", "closedlost")) for w in words):
        return "lost"
    if words & _WON or any(w.startswith(("gewonnen", "closedwon")) for w in words):
        return "won"
    return "open"


def deal_type_of(value: object) -> str:
    """ "new", "existing" or "" (unknown) for a Type cell ("Existing Business - Upgrade"...)."""
    text = _norm(value)
    if not text:
        return ""
    if _EXISTING_RE.search(text):
        return "existing"
    if _NEW_RE.search(text):
        return "new"
    return ""


# ------------------------------------------------------------------ layout

FIELDS: tuple[str, ...] = tuple(COLUMNS)
"""The fields a column can feed, in the order the mapping dialog lists them."""

HEAD_ROWS = 40
"""Rows searched for the header: report titles and filters rarely take more than a dozen."""

# What may follow a synonym in a header without making the match a guess:
# "Amount (EUR)", "Betrag in €" (the symbol is dropped by `_norm`), "Beløb i kr".
_UNIT_WORDS = frozenset(
    {"in", "i", "im", "eur", "usd", "gbp", "dkk", "nok", "sek", "chf", "kr", "euro", "euros"}
)


@dataclass(frozen=True)
class _Layout:
    sheet: Sheet
    header: int
    columns: dict[str, int]  # field -> column index
    names: dict[str, str]  # field -> header text as written
    language: str | None
    guessed: tuple[str, ...] = ()  # fields matched only by the start of their header
    rivals: dict[str, tuple[int, ...]] = field(default_factory=dict)  # field -> other columns


@dataclass(frozen=True)
class _RowMatch:
    """How one candidate header row maps to fields (see `_map_row`)."""

    columns: dict[str, int]
    guessed: tuple[str, ...]
    rivals: dict[str, tuple[int, ...]]


def _header_texts(row: Sequence[object]) -> list[str]:
    return [c if isinstance(c, str) else "" for c in row]


def _map_row(
    row: Sequence[object],
    fixed: Mapping[str, int] | None = None,
    skip: frozenset[str] = frozenset(),
) -> _RowMatch:
    """Field -> column for one candidate header row: exact names first, then prefixes.

    `fixed` are columns the user chose (kept, and taken away from the other
    fields); `skip` are fields the user said the file does not have. Besides
    the mapping, it tells which fields were matched only by the start of the
    header ("Auftragswert netto" for "auftragswert") and which other columns
    would match a field as well as the one used (two exact "Amount" and
    "Betrag" columns): both are reasons for `preview_layout` to be unsure.
    """
    normed = [_norm(c) if c else "" for c in _header_texts(row)]
    fixed = dict(fixed or {})
    claimed = set(fixed.values())
    exact: dict[str, list[int]] = {}
    prefixes: dict[str, list[int]] = {}
    for j, h in enumerate(normed):
        if not h or j in claimed:
            continue
        exact.setdefault(h, []).append(j)
        if h not in _ALL_NAMES:
            words = h.split()
            for k in range(1, len(words)):
                prefixes.setdefault(" ".join(words[:k]), []).append(j)
    columns = dict(fixed)
    taken = set(claimed)
    todo = [f for f in COLUMNS if f not in fixed and f not in skip]
    # First pass: a header that is exactly a known name.
    for fld in todo:
        for syn in COLUMNS[fld]:
            free = [j for j in exact.get(syn, ()) if j not in taken]
            if free:
                columns[fld] = free[0]
                taken.add(free[0])
                break
    # Second pass: "Amount (EUR)", "Betrag in €", "Close Date (2)": header starts with a name.
    guessed: list[str] = []
    for fld in todo:
        if fld in columns:
            continue
        for syn in COLUMNS[fld]:
            if len(syn) < 4:
                continue
            free = [j for j in prefixes.get(syn, ()) if j not in taken]
            if free:
                columns[fld] = free[0]
                taken.add(free[0])
                rest = normed[free[0]][len(syn) :].split()
                if not set(rest) <= _UNIT_WORDS:
                    guessed.append(fld)
                break
    # Rivals: other free columns that match the field at least as well.
    rivals: dict[str, tuple[int, ...]] = {}
    for fld in todo:
        if fld not in columns:
            continue
        used = columns[fld]
        by_exact = {j for syn in COLUMNS[fld] for j in exact.get(syn, ())}
        if used in by_exact:
            others = by_exact
        else:
            others = {j for syn in COLUMNS[fld] if len(syn) >= 4 for j in prefixes.get(syn, ())}
        others = {j for j in others if j not in taken}
        if others:
            rivals[fld] = tuple(sorted(others))
    return _RowMatch(columns, tuple(guessed), rivals)


def _language(names: Mapping[str, str]) -> str | None:
    language = None
    normed = {_norm(n) for n in names.values()}
    for lang, words in _LANG_HINTS.items():
        if normed & set(words):
            language = lang
    return language


def _is_header_candidate(row: Sequence[object]) -> bool:
    return sum(1 for c in row if isinstance(c, str) and c.strip()) >= 2


def _layout_of(sheet: Sheet, i: int, match: _RowMatch) -> _Layout:
    row = sheet.rows[i]
    names = {f: str(row[j]).strip() for f, j in match.columns.items()}
    return _Layout(
        sheet, i, dict(match.columns), names, _language(names), match.guessed, match.rivals
    )


def find_layout(sheets: Sequence[Sheet], path: Path) -> _Layout | None:
    """The sheet and header row that name the most deal columns (None if none has stage+amount)."""
    best: _Layout | None = None
    best_score = 0
    for sheet in sheets:
        found = _best_in_sheet(sheet)
        if found is not None and len(found.columns) > best_score:
            best, best_score = found, len(found.columns)
    return best


def _best_in_sheet(
    sheet: Sheet, fixed_names: Mapping[str, str] | None = None, skip: frozenset[str] = frozenset()
) -> _Layout | None:
    """The header row of one sheet naming the most deal columns, with stage and amount.

    With `fixed_names` (field -> header text the user chose), only rows that
    hold every one of those headers qualify, and those columns are used as given.
    """
    best: _Layout | None = None
    best_score = 0
    for i, row in enumerate(sheet.rows[:HEAD_ROWS]):
        if not _is_header_candidate(row):
            continue
        fixed: dict[str, int] | None = None
        if fixed_names:
            fixed = _find_named(row, fixed_names)
            if fixed is None:
                continue
        match = _map_row(row, fixed, skip)
        score = len(match.columns)
        if score > best_score and all(f in match.columns for f in REQUIRED):
            best, best_score = _layout_of(sheet, i, match), score
    return best


def _find_named(row: Sequence[object], names: Mapping[str, str]) -> dict[str, int] | None:
    """Column of each header the user named (exact text, then case/spacing-insensitive)."""
    texts = [c.strip() if isinstance(c, str) else "" for c in row]
    normed = [_norm(t) for t in texts]
    out: dict[str, int] = {}
    for fld, header in names.items():
        want = header.strip()
        j = next((k for k, t in enumerate(texts) if t and t == want), None)
        if j is None:
            key = _norm(want)
            j = next((k for k, t in enumerate(normed) if t and t == key), None)
        if j is None:
            return None
        out[fld] = j
    return out


def parse_column_mapping(text: str) -> dict[str, str]:
    """`--columns` text ("amount=Auftragswert (EUR),stage=Phase") as field -> header.

    Headers may hold commas ("Amount (EUR, net)"): a comma only separates
    entries when a known field name and "=" follow it. An empty header
    ("deal_type=") means the file has no column for that field.
    """
    keys = "|".join(re.escape(f) for f in sorted(FIELDS, key=len, reverse=True))
    parts = re.split(rf",(?=\s*(?:{keys})\s*=)", text.strip()) if text.strip() else []
    mapping: dict[str, str] = {}
    for part in parts:
        key, sep, header = part.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InputError(None, f"--columns: expected field=Header, got {part.strip()!r}")
        if key in mapping:
            raise InputError(None, f"--columns: field {key!r} is given twice")
        mapping[key] = header.strip()
    check_column_mapping(mapping)
    return mapping


def check_column_mapping(columns: Mapping[str, str], path: str | Path | None = None) -> None:
    """InputError for a mapping naming unknown fields, leaving out a required one, or
    giving one column to two fields."""
    unknown = [k for k in columns if k not in COLUMNS]
    if unknown:
        raise InputError(
            path,
            f"unknown field {unknown[0]!r} in the column mapping; fields are {', '.join(FIELDS)}",
        )
    for fld in REQUIRED:
        if fld in columns and not str(columns[fld]).strip():
            raise InputError(path, f"the {fld} column is required and cannot be left out")
    seen: dict[str, str] = {}
    for fld, header in columns.items():
        key = _norm(header)
        if key and key in seen:
            raise InputError(
                path, f"column {header.strip()!r} is given for both {seen[key]} and {fld}"
            )
        if key:
            seen[key] = fld


def pick_sheets(sheets: Sequence[Sheet], path: Path, sheet: str | None) -> list[Sheet]:
    """All sheets, or only the one the user named (exact name, then ignoring case)."""
    if sheet is None:
        return list(sheets)
    if not is_workbook(path):
        raise InputError(path, f"is a text file with one table; there is no sheet {sheet!r}")
    for match in (lambda s: s.name == sheet, lambda s: s.name.casefold() == sheet.casefold()):
        hits = [s for s in sheets if match(s)]
        if hits:
            return hits[:1]
    names = ", ".join(repr(s.name) for s in sheets)
    raise InputError(path, f"has no sheet {sheet!r}; its sheets are {names}")


def _resolve_layout(
    sheets: Sequence[Sheet],
    path: Path,
    columns: Mapping[str, str] | None,
    sheet: str | None,
) -> _Layout:
    """The layout to read: detected, or built around the columns the user named."""
    chosen = pick_sheets(sheets, path, sheet)
    if columns:
        check_column_mapping(columns, path)
    named = {f: h for f, h in (columns or {}).items() if str(h).strip()}
    skip = frozenset(f for f, h in (columns or {}).items() if not str(h).strip())
    best: _Layout | None = None
    for sh in chosen:
        found = _best_in_sheet(sh, named, skip)
        if found is not None and (best is None or len(found.columns) > len(best.columns)):
            best = found
    if best is not None:
        return best
    if not named:
        where = f"sheet {chosen[0].name!r}" if sheet is not None else "the file"
        raise InputError(
            path,
            f"no deal table found in {where}: expected a header row with at least a stage "
            "column (Stage, Deal Stage, Phase, Fase) and an amount column (Amount, Betrag, "
            "Beløb); name them with --columns stage=HEADER,amount=HEADER",
        )
    raise InputError(path, _named_problem(chosen, named, skip))


def _named_problem(sheets: Sequence[Sheet], named: Mapping[str, str], skip: frozenset[str]) -> str:
    """Why no header row fits the user's mapping: a named column missing, or a required one."""
    best: tuple[int, int, Sheet, int] | None = None
    for sh in sheets:
        for i, row in enumerate(sh.rows[:HEAD_ROWS]):
            if not _is_header_candidate(row):
                continue
            hits = sum(_find_named(row, {f: h}) is not None for f, h in named.items())
            score = (hits, len(_map_row(row).columns))
            if best is None or score > best[:2]:
                best = (*score, sh, i)
    if best is None:
        return "no header row found (no row with two or more text cells in the first rows)"
    _, _, sh, i = best
    row = sh.rows[i]
    for fld, header in named.items():
        if _find_named(row, {fld: header}) is None:
            shown = [t.strip() for t in _header_texts(row) if t.strip()]
            listed = ", ".join(repr(t) for t in shown[:12]) + (" ..." if len(shown) > 12 else "")
            return f"no column {header.strip()!r} (given for {fld}); the header row has {listed}"
    match = _map_row(row, _find_named(row, named), skip)
    missing = [f for f in REQUIRED if f not in match.columns]
    return (
        f"no {missing[0]} column found next to the named ones; "
        f"name it with --columns {missing[0]}=HEADER"
    )


# ------------------------------------------------------------------ loading


def load_deals(
    path: str | Path,
    sources: Mapping[str, SourceClass] | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    sheet: str | None = None,
) -> Deals:
    """Read a CRM export into `Deals`.

    `sources` overrides the lead-source classes. `columns` (field -> header
    text, fields being the keys of `COLUMNS`) overrides detection for those
    fields - what the mapping dialog or `--columns` confirmed; an empty
    header means "the file has no such column". `sheet` picks the sheet of
    a workbook with several deal tables.
    """
    path = Path(path)
    sheets = read_sheets(path, blanks_as_none=False)
    return deals_from_sheets(sheets, path, sources, columns=columns, sheet=sheet)


def deals_from_sheets(
    sheets: Sequence[Sheet],
    path: str | Path,
    sources: Mapping[str, SourceClass] | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    sheet: str | None = None,
) -> Deals:
    """`load_deals` on sheets already read (so `planner inspect` parses the file once)."""
    with paused_gc():
        layout = _resolve_layout(sheets, Path(path), columns, sheet)
        return _deals_from_layout(layout, Path(path), sources)


def _deals_from_layout(
    layout: _Layout, path: Path, sources: Mapping[str, SourceClass] | None
) -> Deals:
    body = layout.sheet.rows[layout.header + 1 :]
    first_row_number = layout.header + 2  # 1-based row number of body[0] in the sheet
    n = len(body)
    if n == 0:
        raise InputError(path, "the deal table has a header but no rows")
    width = max(layout.columns.values()) + 1
    if min(map(len, body)) < width:
        body = [_pad(r, width) for r in body]
    columns: dict[str, list[object]] = {
        fld: list(map(itemgetter(j), body)) for fld, j in layout.columns.items()
    }

    stage = _text_column(columns["stage"])
    name = _name_column(columns["name"]) if "name" in columns else np.full(n, "", dtype=object)
    reasons: list[str] = []
    skip = np.zeros(n, dtype=bool)

    amount, amount_bad, amount_blank, currency_hint = _amount_column(columns["amount"])
    raw_amount = columns["amount"]
    # Rows that are not deals at all: blank lines, a "Total" line, a report footer.
    stage_blank = stage == ""
    not_deal = stage_blank & amount_blank
    for i in np.flatnonzero(stage_blank & ~amount_blank):
        first = body[i][0] if body[i] else ""
        if isinstance(first, str) and _TOTAL_RE.match(first):
            not_deal[i] = True

    outcome = _map_unique(stage, stage_outcome)
    created, created_bad = (
        _date_column(columns["created"]) if "created" in columns else (_nat(n), np.zeros(n, bool))
    )
    closed, closed_bad = (
        _date_column(columns["closed"]) if "closed" in columns else (_nat(n), np.zeros(n, bool))
    )

    candidates = ~not_deal
    _flag(skip, candidates & stage_blank, "no stage", reasons, first_row_number)
    for mask, what, raw in (
        (amount_bad, "amount", raw_amount),
        (created_bad, "created date", columns.get("created")),
        (closed_bad, "close date", columns.get("closed")),
    ):
        bad = candidates & mask & ~skip
        if bad.any() and raw is not None:
            for i in np.flatnonzero(bad)[: _MAX_REASONS - len(reasons)]:
                reasons.append(
                    f"row {first_row_number + i}: {what} {str(raw[i]).strip()!r} is not "
                    f"{'a number' if what == 'amount' else 'a date'}"
                )
            skip |= bad
    won_no_amount = candidates & ~skip & (outcome == "won") & np.isnan(amount)
    _flag(skip, won_no_amount, "won deal without an amount", reasons, first_row_number)

    if not candidates.any():
        raise InputError(path, "the deal table has a header but no rows")
    keep = candidates & ~skip
    skipped = SkippedRows(int((candidates & skip).sum()), tuple(reasons[:_MAX_REASONS]))
    if not keep.any():
        detail = f" ({skipped.reasons[0]})" if skipped.reasons else ""
        raise InputError(path, f"no deal rows could be read{detail}")

    closed = np.where(outcome == "open", np.datetime64("NaT"), closed).astype("datetime64[D]")
    source = (
        _text_column(columns["source"]) if "source" in columns else np.full(n, "", dtype=object)
    )
    source_class = _classify_sources(source[keep], sources)
    deal_type = (
        _map_unique(_text_column(columns["deal_type"]), deal_type_of)
        if "deal_type" in columns
        else np.full(n, "", dtype=object)
    )
    currency = _currency(layout, columns, keep, currency_hint)
    return Deals(
        name=name[keep],
        stage=stage[keep],
        outcome=outcome[keep],
        amount=amount[keep],
        created=created[keep],
        closed=closed[keep],
        source=source[keep],
        source_class=source_class,
        deal_type=deal_type[keep],
        currency=currency,
        columns=dict(layout.names),
        skipped=skipped,
        path=str(path),
        sheet=layout.sheet.name if path.suffix.lower() not in (".csv", ".txt", ".tsv") else None,
    )


def _pad(row: list[object], width: int) -> list[object]:
    return row + [""] * (width - len(row)) if len(row) < width else row


def _nat(n: int) -> np.ndarray:
    return np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")


def _flag(skip: np.ndarray, mask: np.ndarray, why: str, reasons: list[str], first_row: int) -> None:
    mask = mask & ~skip
    for i in np.flatnonzero(mask)[: max(0, _MAX_REASONS - len(reasons))]:
        reasons.append(f"row {first_row + i}: {why}")
    skip |= mask


def _object_array(values: list[object]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def factorize(values: Sequence[object]) -> tuple[np.ndarray, list[object]]:
    """Codes into the distinct values (first-seen order), like `pandas.factorize`.

    A dict does the hashing in C, so this costs about what pandas does and
    keeps pandas (a quarter second to import) off the path of a workbook
    whose cells are already typed. Equal values share a code (1 == 1.0,
    as in pandas).
    """
    uniques = list(dict.fromkeys(values))
    index = {u: i for i, u in enumerate(uniques)}
    codes = np.fromiter(map(index.__getitem__, values), dtype=np.intp, count=len(values))
    return codes, uniques


def _text_column(values: Sequence[object]) -> np.ndarray:
    """Cells as stripped strings ("" for blank), converted once per distinct value.

    A stage or source column has 100,000 cells but a dozen values, so the
    Python work is per value and indexing does the rest.
    """
    codes, uniques = factorize(values)
    texts = _object_array([_cell_text(u) for u in uniques])
    return texts[codes] if uniques else np.empty(0, dtype=object)


def _name_column(values: list[object]) -> np.ndarray:
    """Deal names as written; only non-text cells are converted (names are mostly unique)."""
    arr = _object_array(values)
    if set(map(type, values)) != {str}:
        arr[:] = [v if isinstance(v, str) else _cell_text(v) for v in values]
    return arr


def _cell_text(value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _map_unique(values: np.ndarray, fn: Callable[[str], str]) -> np.ndarray:
    """Apply a rule once per distinct value: exports have 100,000 rows but a dozen stages."""
    codes, uniques = factorize(values.tolist())
    mapped = _object_array([fn(u) for u in uniques])  # type: ignore[arg-type]
    return mapped[codes] if uniques else np.empty(0, dtype=object)


def _classify_sources(source: np.ndarray, mapping: Mapping[str, SourceClass] | None) -> np.ndarray:
    codes, uniques = factorize(source.tolist())
    classes = [explain_source(u)[0] for u in uniques]
    if mapping:
        classes = apply_source_map([str(u) for u in uniques], classes, dict(mapping))
    return _object_array(classes)[codes] if uniques else np.empty(0, dtype=object)


def _only_blank_text(values: Sequence[object]) -> bool:
    return all(not v.strip() for v in values if v.__class__ is str)  # type: ignore[attr-defined]


_CURRENCY_STRIP = re.compile(
    r"(?i)(?:\b(?:kr\.|dkk|nok|sek|eur|usd|gbp|chf|kr)\b|[€$£]|[,.][-–]$|[\s\u00a0\u202f'])"
)


def _amount_column(
    values: list[object],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, str | None]:
    """Floats (NaN for blank), masks of cells that are not numbers and of blank cells,
    and a currency seen in the text."""
    n = len(values)
    seen = set(map(type, values))
    if seen <= {float, int, str, type(None)} and (str not in seen or _only_blank_text(values)):
        # Workbook number cells and blanks, the common case: no text to parse.
        nan = float("nan")
        result = np.array(
            [nan if v is None or v.__class__ is str else v for v in values], dtype=np.float64
        )
        return result, np.zeros(n, dtype=bool), np.isnan(result), None
    import pandas as pd
    from pandas.api.types import infer_dtype

    arr = _object_array(values)
    arr[arr == ""] = None
    kind = infer_dtype(arr, skipna=True)
    if kind in ("floating", "integer", "mixed-integer-float", "empty"):
        result = pd.to_numeric(arr, errors="coerce").astype(np.float64)
        blank = np.isnan(result)
        return result, np.zeros(n, dtype=bool), blank, None
    series = pd.Series(arr, dtype=object)
    is_str = series.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    result = np.full(n, np.nan)
    bad = np.zeros(n, dtype=bool)
    blank = np.zeros(n, dtype=bool)
    nonstr = ~is_str
    if nonstr.any():
        numbers = pd.to_numeric(series[nonstr], errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan
        )
        result[nonstr] = numbers
        blank[nonstr] = series[nonstr].isna().to_numpy()
        bad[np.flatnonzero(nonstr)[np.isnan(numbers) & ~blank[nonstr]]] = True
    currency = None
    if is_str.any():
        idx = np.flatnonzero(is_str)
        text = series[is_str].astype(str).str.strip()
        text_blank = (text == "").to_numpy()
        blank[idx[text_blank]] = True
        sample = text[~text_blank].head(500)
        decimal = detect_decimal(sample.tolist()) or "."
        currency = next((c for c in map(detect_currency, sample.head(20)) if c), None)
        cleaned = text.str.replace(_CURRENCY_STRIP, "", regex=True)
        thousands = "." if decimal == "," else ","
        cleaned = cleaned.str.replace(thousands, "", regex=False)
        if decimal == ",":
            cleaned = cleaned.str.replace(",", ".", regex=False)
        numbers = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=np.float64)
        failed = np.isnan(numbers) & ~text_blank
        for k in np.flatnonzero(failed):  # only the odd cells: "(1 200)", "TBD"
            try:
                value = parse_number(text.iat[k], decimal=decimal)
            except ValueError:
                bad[idx[k]] = True
                continue
            numbers[k] = np.nan if value is None else value
        result[idx] = numbers
    return result, bad, blank, currency


_DATE_FORMATS = {
    "dmy": ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%y", "%d.%m.%y", "%d/%m/%y"),
    "mdy": ("%m/%d/%Y", "%m-%d-%Y", "%m.%d.%Y", "%m/%d/%y"),
    "ymd": ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"),
}
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_NAT_DAYS = np.iinfo(np.int64).min  # the int64 value numpy reads as NaT


def _date_column(values: list[object]) -> tuple[np.ndarray, np.ndarray]:
    """datetime64[D] (NaT for blank) and a mask of cells that are not dates."""
    n = len(values)
    seen = set(map(type, values))
    if seen <= {datetime, date, str, type(None)} and (str not in seen or _only_blank_text(values)):
        # Workbook date cells and blanks, the common case. `date.toordinal`
        # mapped in C is 30x faster than numpy's or pandas' conversion of
        # datetime objects; blanks become NaT afterwards.
        if seen <= {datetime, date}:
            days = np.fromiter(map(date.toordinal, values), dtype=np.int64, count=n)  # type: ignore[arg-type]
            days -= _EPOCH_ORDINAL
        else:
            days = np.array([v.toordinal() if v else _NAT_DAYS for v in values], dtype=np.int64)  # type: ignore[union-attr]
            days[days != _NAT_DAYS] -= _EPOCH_ORDINAL
        return days.view("datetime64[D]"), np.zeros(n, dtype=bool)
    import pandas as pd
    from pandas.api.types import infer_dtype

    arr = _object_array(values)
    arr[arr == ""] = None
    if infer_dtype(arr, skipna=True) in ("datetime", "date", "empty"):
        # Workbook date cells, the common case: one vectorised conversion.
        parsed = pd.to_datetime(arr, errors="coerce")
        return np.asarray(parsed.to_numpy().astype("datetime64[D]")), np.zeros(n, dtype=bool)
    out = _nat(n)
    bad = np.zeros(n, dtype=bool)
    kinds = np.fromiter(
        (
            1
            if isinstance(v, datetime | date)
            else 2
            if isinstance(v, str) and v.strip()
            else 3
            if isinstance(v, int | float) and not isinstance(v, bool)
            else 0
            for v in values
        ),
        dtype=np.int8,
        count=n,
    )
    is_date = kinds == 1
    if is_date.any():
        picked = [values[i] for i in np.flatnonzero(is_date)]
        out[is_date] = pd.to_datetime(picked).to_numpy().astype("datetime64[D]")
    is_serial = kinds == 3
    if is_serial.any():  # a date cell saved as a plain number: Excel serial days
        serial = np.array([values[i] for i in np.flatnonzero(is_serial)], dtype=np.float64)
        ok = (serial > 1) & (serial < 2958466)
        days = _EXCEL_EPOCH + np.floor(np.where(ok, serial, 0)).astype("timedelta64[D]")
        out[np.flatnonzero(is_serial)[ok]] = days[ok]
        bad[np.flatnonzero(is_serial)[~ok]] = True
    is_text = kinds == 2
    if is_text.any():
        idx = np.flatnonzero(is_text)
        text = pd.Series([values[i] for i in idx], dtype=object).str.strip()
        date_part = text.str.split(r"[ T]", n=1, regex=True).str[0]
        order = detect_date_order(date_part.head(2000).tolist())
        parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
        todo = np.ones(len(idx), dtype=bool)
        for fmt in _DATE_FORMATS[order] + _DATE_FORMATS["ymd"]:
            if not todo.any():
                break
            attempt = pd.to_datetime(date_part[todo], format=fmt, errors="coerce")
            hit = attempt.notna().to_numpy()
            if hit.any():
                rows = np.flatnonzero(todo)[hit]
                parsed.iloc[rows] = attempt[hit].to_numpy()
                todo[rows] = False
        out[idx] = parsed.to_numpy().astype("datetime64[D]")
        bad[idx[todo]] = True
    return out, bad


def _currency(
    layout: _Layout, columns: dict[str, list[object]], keep: np.ndarray, hint: str | None
) -> str | None:
    """The file's currency: a currency column, the amount header, amount text, or a title line."""
    if "currency" in columns:
        values = [str(v).strip() for v, k in zip(columns["currency"], keep, strict=True) if k and v]
        codes = Counter(detect_currency(v, layout.language) or v.upper() for v in values)
        if codes:
            return codes.most_common(1)[0][0]
    found = detect_currency(layout.names.get("amount", ""), layout.language)
    if found:
        return found
    if hint:
        return hint if hint != "DKK" else (detect_currency("kr", layout.language) or hint)
    for row in layout.sheet.rows[: layout.header]:
        for cell in row:
            if isinstance(cell, str) and (code := _title_currency(cell, layout.language)):
                return code
    return None


def _title_currency(text: str, language: str | None) -> str | None:
    """A currency named in a title/notes line ("Currency: EUR", "Beløb i DKK")."""
    if re.search(r"(?i)currency|währung|valuta|beløb|beløp|betrag|amount|\bin\b|\bi\b", text):
        return detect_currency(text, language)
    return None


# ------------------------------------------------------------------ preview

PREVIEW_UNKNOWN_SHARE = 0.5
"""Above this share of deals with a lead source no rule knows, the classes are a guess."""

PREVIEW_BAD_AMOUNTS = 0.5
"""Above this share of non-numeric amounts among the first rows, the amount column is wrong."""


@dataclass(frozen=True)
class CrmPreview:
    """What `load_deals` would read from a file, and where it is unsure.

    Built for the mapping dialog: it shows `headers` over `rows` with the
    detected `mapping`, and opens by itself when `unsure` is not empty. The
    dialog's answer goes back as `load_deals(path, columns=..., sheet=...)`
    and is remembered under `layout_key`.
    """

    path: str
    sheets: tuple[str, ...]  # worksheet names of a workbook; () for a text file
    sheet: str | None  # the sheet the header was found on (None for a text file)
    deal_sheets: tuple[str, ...]  # sheets that look like deal tables
    header_row: int | None  # 0-based row of the header in that sheet (None: nothing found)
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # first data rows below the header, as text
    data_rows: int  # rows below the header (blank, total and footer lines included)
    mapping: dict[str, str]  # field -> header text, as detection chose
    alternatives: dict[str, tuple[str, ...]]  # field -> other headers that would fit it
    missing_required: tuple[str, ...]
    unsure: tuple[str, ...]  # one readable reason per doubt
    layout_key: str

    @property
    def confident(self) -> bool:
        """Whether the file can be read without asking the user."""
        return not self.unsure


def preview_layout(path: str | Path, *, rows: int = 20, sheet: str | None = None) -> CrmPreview:
    """How a CRM file would be read, without cleaning its columns.

    Runs the same safety check and reader as `load_deals`, finds the header
    the same way, and looks at whole columns only where a doubt needs them
    (distinct stage and lead-source values); amounts are sampled from the
    first rows. `sheet` previews another sheet of a workbook (the dialog's
    sheet picker).
    """
    from planner.io.detect import layout_key

    path = Path(path)
    all_sheets = read_sheets(path, blanks_as_none=False)
    workbook = is_workbook(path)
    chosen = pick_sheets(all_sheets, path, sheet)
    deal_sheets = tuple(s.name for s in all_sheets if _best_in_sheet(s) is not None)
    layout = find_layout(chosen, path)
    unsure: list[str] = []
    if layout is not None:
        target, header, match = (
            layout.sheet,
            layout.header,
            _map_row(layout.sheet.rows[layout.header]),
        )
    else:
        target, header, match = _partial_header(chosen)
    if header is None:
        unsure.append("no header row found: no row with two or more text cells in the first rows")
        header_cells: list[str] = []
        body: list[list[object]] = []
    else:
        header_cells = [_preview_text(c) for c in target.rows[header]]
        while header_cells and not header_cells[-1]:
            header_cells.pop()
        body = target.rows[header + 1 :]
    width = len(header_cells)
    mapping = {f: header_cells[j] for f, j in match.columns.items() if j < width}
    missing = tuple(f for f in REQUIRED if f not in mapping)
    for fld in missing:
        unsure.append(f"no {fld} column found (required)")
    for fld in match.guessed:
        unsure.append(
            f"the {fld} column {mapping[fld]!r} was matched only by the start of its name"
        )
    alternatives: dict[str, tuple[str, ...]] = {}
    for fld, others in match.rivals.items():
        names = tuple(header_cells[j] for j in others if j < width)
        if names:
            alternatives[fld] = names
            listed = ", ".join(repr(n) for n in names)
            unsure.append(
                f"several columns could be the {fld}: {mapping[fld]!r} was used, not {listed}"
            )
    if len(deal_sheets) > 1 and sheet is None and layout is not None:
        others = ", ".join(repr(n) for n in deal_sheets if n != target.name)
        unsure.append(
            f"several sheets look like deal tables: {target.name!r} was used, not {others}"
        )
    if header is not None and not missing:
        unsure += _column_doubts(body, match.columns)
    shown = [r for r in body if any(not _blank(c) for c in r)][: max(0, rows)]
    preview_rows = tuple(
        tuple((_preview_text(r[j]) if j < len(r) else "") for j in range(width)) for r in shown
    )
    return CrmPreview(
        path=str(path),
        sheets=tuple(s.name for s in all_sheets) if workbook else (),
        sheet=target.name if workbook and header is not None else None,
        deal_sheets=deal_sheets if workbook else (),
        header_row=header,
        headers=tuple(header_cells),
        rows=preview_rows,
        data_rows=len(body),
        mapping=mapping,
        alternatives=alternatives,
        missing_required=missing,
        unsure=tuple(unsure),
        layout_key=layout_key(header_cells),
    )


def _partial_header(sheets: Sequence[Sheet]) -> tuple[Sheet, int | None, _RowMatch]:
    """The likeliest header when no row has both a stage and an amount column.

    The row naming the most fields wins; without any, the row with the most
    text cells - so the dialog can still offer the file's own column names.
    """
    best: tuple[tuple[int, int], Sheet, int, _RowMatch] | None = None
    for sh in sheets:
        for i, row in enumerate(sh.rows[:HEAD_ROWS]):
            if not _is_header_candidate(row):
                continue
            match = _map_row(row)
            texts = sum(1 for c in row if isinstance(c, str) and c.strip())
            score = (len(match.columns), texts)
            if best is None or score > best[0]:
                best = (score, sh, i, match)
    if best is None:
        return (sheets[0] if sheets else Sheet("", [])), None, _RowMatch({}, (), {})
    return best[1], best[2], best[3]


def _column_doubts(body: Sequence[Sequence[object]], columns: Mapping[str, int]) -> list[str]:
    """Doubts about what the mapped columns hold: no won/lost stage, unknown sources, text amounts."""

    def column(j: int) -> list[object]:
        return [r[j] if j < len(r) else "" for r in body]

    doubts: list[str] = []
    stage_texts = [_cell_text(v) for v in column(columns["stage"])]
    stages = Counter(t for t in stage_texts if t)
    if stages and not any(stage_outcome(s) != "open" for s in stages):
        listed = ", ".join(repr(s) for s, _ in stages.most_common(4))
        doubts.append(f"no stage value reads as won or lost ({listed}); is it the stage column?")
    sample = [v for v in column(columns["amount"])[:200] if not _blank(v)]
    if sample:
        bad = 0
        for v in sample:
            try:
                parse_number(v)
            except (ValueError, TypeError):
                bad += 1
        if bad > PREVIEW_BAD_AMOUNTS * len(sample):
            doubts.append(
                f"{bad} of the first {len(sample)} amounts are not numbers; "
                "is it the amount column?"
            )
    if "source" not in columns:
        doubts.append("no lead source column found: every deal would count as demand")
    else:
        pairs = zip(stage_texts, column(columns["source"]), strict=True)
        values = Counter(_cell_text(src) for st, src in pairs if st)
        deals = sum(values.values())
        unknown = {v: n for v, n in values.items() if not explain_source(v)[1]}
        share = sum(unknown.values()) / deals if deals else 0.0
        if share > PREVIEW_UNKNOWN_SHARE:
            listed = ", ".join(repr(v or "(blank)") for v, _ in Counter(unknown).most_common(4))
            doubts.append(
                f"{share:.0%} of deals have a lead source no rule knows ({listed}); "
                "they would count as demand"
            )
    return doubts


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _preview_text(value: object) -> str:
    """A cell as the dialog shows it: dates as ISO dates, whole floats without ".0"."""
    if isinstance(value, datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return _cell_text(value)
