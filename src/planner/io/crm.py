"""CRM opportunity/deal exports -> `Deals`.

Salesforce reports (title lines above the header, a "Total" line and a
copyright footer below), HubSpot deal exports (xlsx with datetime cells),
Excel "Unicode text" re-saved by a German user, plain CSV. The header row and
the columns are found by name in en/da/nb/de; cells are cleaned a whole
column at a time (numpy/pandas), never with a Python loop per field, because
100,000-deal exports are normal.

Rows that cannot be read (an amount like "TBD", a date that is not one) are
skipped and reported in `Deals.skipped`, never guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path

import numpy as np

from planner.errors import InputError
from planner.io.sniff import detect_currency, detect_date_order, detect_decimal, parse_number
from planner.io.sources import apply_source_map, explain_source
from planner.io.tabular import Sheet, paused_gc, read_sheets
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


_ALL_NAMES = {n: field for field, names in COLUMNS.items() for n in names}

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


@dataclass(frozen=True)
class _Layout:
    sheet: Sheet
    header: int
    columns: dict[str, int]  # field -> column index
    names: dict[str, str]  # field -> header text as written
    language: str | None


def find_layout(sheets: Sequence[Sheet], path: Path) -> _Layout | None:
    """The sheet and header row that name the most deal columns (None if none has stage+amount)."""
    best: _Layout | None = None
    best_score = 0
    for sheet in sheets:
        for i, row in enumerate(sheet.rows[:40]):
            texts = [c for c in row if isinstance(c, str) and c.strip()]
            if len(texts) < 2:
                continue
            columns, names = _map_columns(row)
            score = len(columns)
            if score > best_score and all(f in columns for f in REQUIRED):
                language = None
                normed = {_norm(n) for n in names.values()}
                for lang, words in _LANG_HINTS.items():
                    if normed & set(words):
                        language = lang
                best = _Layout(sheet, i, columns, names, language)
                best_score = score
    return best


def _map_columns(row: Sequence[object]) -> tuple[dict[str, int], dict[str, str]]:
    """Field -> column index for one candidate header row (exact names first, then prefixes)."""
    columns: dict[str, int] = {}
    names: dict[str, str] = {}
    normed = [_norm(c) if isinstance(c, str) else "" for c in row]
    for field, synonyms in COLUMNS.items():
        for syn in synonyms:
            hits = [j for j, h in enumerate(normed) if h == syn and j not in columns.values()]
            if hits:
                columns[field], names[field] = hits[0], str(row[hits[0]]).strip()
                break
    # Second pass: "Amount (EUR)", "Betrag in €", "Close Date (2)": header starts with a name.
    for field, synonyms in COLUMNS.items():
        if field in columns:
            continue
        for syn in synonyms:
            if len(syn) < 4:
                continue
            hits = [
                j
                for j, h in enumerate(normed)
                if h.startswith(syn + " ") and j not in columns.values() and h not in _ALL_NAMES
            ]
            if hits:
                columns[field], names[field] = hits[0], str(row[hits[0]]).strip()
                break
    return columns, names


# ------------------------------------------------------------------ loading


def load_deals(path: str | Path, sources: Mapping[str, SourceClass] | None = None) -> Deals:
    """Read a CRM export into `Deals`; `sources` overrides the lead-source classes."""
    path = Path(path)
    sheets = read_sheets(path, blanks_as_none=False)
    return deals_from_sheets(sheets, path, sources)


def deals_from_sheets(
    sheets: Sequence[Sheet], path: str | Path, sources: Mapping[str, SourceClass] | None = None
) -> Deals:
    """`load_deals` on sheets already read (so `planner inspect` parses the file once)."""
    with paused_gc():
        return _deals_from_sheets(sheets, Path(path), sources)


def _deals_from_sheets(
    sheets: Sequence[Sheet], path: Path, sources: Mapping[str, SourceClass] | None
) -> Deals:
    layout = find_layout(sheets, path)
    if layout is None:
        raise InputError(
            path,
            "no deal table found: expected a header row with at least a stage column "
            "(Stage, Deal Stage, Phase, Fase) and an amount column (Amount, Betrag, Beløb)",
        )
    body = layout.sheet.rows[layout.header + 1 :]
    first_row_number = layout.header + 2  # 1-based row number of body[0] in the sheet
    n = len(body)
    if n == 0:
        raise InputError(path, "the deal table has a header but no rows")
    width = max(layout.columns.values()) + 1
    if min(map(len, body)) < width:
        body = [_pad(r, width) for r in body]
    columns: dict[str, list[object]] = {
        field: list(map(itemgetter(j), body)) for field, j in layout.columns.items()
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


def _text_column(values: list[object]) -> np.ndarray:
    """Cells as stripped strings ("" for blank), converted once per distinct value.

    A stage or source column has 100,000 cells but a dozen values, so the
    Python work is per value, and `pd.factorize` (a C hash table) does the rest.
    """
    import pandas as pd

    codes, uniques = pd.factorize(_object_array(values), use_na_sentinel=False)
    texts = _object_array([_cell_text(u) for u in uniques])
    return texts[codes] if len(uniques) else np.empty(0, dtype=object)


def _name_column(values: list[object]) -> np.ndarray:
    """Deal names as written; only non-text cells are converted (names are mostly unique)."""
    from pandas.api.types import infer_dtype

    arr = _object_array(values)
    if infer_dtype(arr, skipna=False) != "string":
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
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = _object_array([fn(u) for u in uniques])
    return mapped[codes] if len(uniques) else np.empty(0, dtype=object)


def _classify_sources(source: np.ndarray, mapping: Mapping[str, SourceClass] | None) -> np.ndarray:
    import pandas as pd

    codes, uniques = pd.factorize(source, use_na_sentinel=False)
    classes = [explain_source(u)[0] for u in uniques]
    if mapping:
        classes = apply_source_map([str(u) for u in uniques], classes, dict(mapping))
    return _object_array(classes)[codes] if len(uniques) else np.empty(0, dtype=object)


_CURRENCY_STRIP = re.compile(
    r"(?i)(?:\b(?:kr\.|dkk|nok|sek|eur|usd|gbp|chf|kr)\b|[€$£]|[,.][-–]$|[\s\u00a0\u202f'])"
)


def _amount_column(
    values: list[object],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, str | None]:
    """Floats (NaN for blank), masks of cells that are not numbers and of blank cells,
    and a currency seen in the text."""
    import pandas as pd
    from pandas.api.types import infer_dtype

    n = len(values)
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


def _date_column(values: list[object]) -> tuple[np.ndarray, np.ndarray]:
    """datetime64[D] (NaT for blank) and a mask of cells that are not dates."""
    import pandas as pd
    from pandas.api.types import infer_dtype

    n = len(values)
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
