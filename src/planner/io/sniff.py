"""Guess how a user's text file and its cells are written.

Exports reach us re-saved by Excel in whatever locale the user has: cp1252 or
UTF-16, `;` with decimal comma, `1.234,50`, `kr 1.200`, `€ 3.000,-`,
`dd-mm-yyyy`. Each helper here decides one such thing from the data itself.
Plain Python only: these run on single cells and on header rows.
"""

from __future__ import annotations

import codecs
import re
import threading
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime

from planner.io.notices import Notice

# ---------------------------------------------------------------- encodings


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def text_encoding(data: bytes) -> tuple[str | None, int]:
    """(codec, BOM length) told by a BOM or the zero bytes of ASCII text; (None, 0) if neither.

    ASCII text in UTF-32 has three zero bytes in every four, in UTF-16 one
    in every two; which byte of the unit is non-zero gives the byte order.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    sample = data[:4096]
    sample = sample[: len(sample) - len(sample) % 4]
    if len(sample) >= 8:
        quarter = len(sample) // 4
        zeros = [sample[i::4].count(0) / quarter for i in range(4)]
        if min(zeros[1:]) > 0.9 and zeros[0] < 0.05:
            return "utf-32-le", 0
        if min(zeros[:3]) > 0.9 and zeros[3] < 0.05:
            return "utf-32-be", 0
    if len(sample) >= 4:
        half = len(sample) // 2
        even_zero = sample[0::2].count(0) / half
        odd_zero = sample[1::2].count(0) / half
        if odd_zero > 0.4 and even_zero < 0.05:
            return "utf-16-le", 0
        if even_zero > 0.4 and odd_zero < 0.05:
            return "utf-16-be", 0
    return None, 0


def text_unit(data: bytes) -> int:
    """Bytes per code unit of the file's encoding: 4 (UTF-32), 2 (UTF-16) or 1."""
    codec, _ = text_encoding(data)
    return 4 if codec and "32" in codec else 2 if codec and "16" in codec else 1


MIXED_ERRORS = "planner-cp1252"
"""The codec error handler that reads a byte that is not UTF-8 as Windows-1252.

A file that was appended to by two systems (one writing UTF-8, one Excel
on Windows) holds both: decoding it all as cp1252 turns the UTF-8 "Søk"
into "SÃ¸k" and splits one lead source in two. With this handler the
UTF-8 stays UTF-8 and only the bytes that cannot be UTF-8 are cp1252.
"""

_decoded_as_cp1252 = threading.local()


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    _decoded_as_cp1252.count = getattr(_decoded_as_cp1252, "count", 0) + len(bad)
    return bytes(bad).decode("cp1252", errors="replace"), exc.end


codecs.register_error(MIXED_ERRORS, _cp1252_fallback)


def decode_text(data: bytes | memoryview) -> tuple[str, tuple[Notice, ...]]:
    """Decode a text file: BOM first, then UTF-32/16 by their zero bytes, then UTF-8 where it is
    UTF-8 and Windows-1252 byte by byte where it is not; with a notice when the two are mixed.

    cp1252 is the fallback because it accepts (almost) any byte, which is
    what Excel on Windows writes for "CSV" in western locales.
    """
    codec, bom = text_encoding(bytes(data[:4096]))
    if codec is not None:
        return codecs.decode(data[bom:], codec, errors="replace"), ()
    _decoded_as_cp1252.count = 0
    text = codecs.decode(data, "utf-8", errors=MIXED_ERRORS)
    guessed = _decoded_as_cp1252.count
    if not guessed:
        return text.removeprefix("\ufeff"), ()
    wide = sum(1 for _ in _NON_ASCII.finditer(text, 0, min(len(text), 1 << 24)))
    if wide <= guessed:  # no valid UTF-8 beyond ASCII: a cp1252 file, as Excel writes them
        return text, ()
    notice = Notice(
        "encoding_mixed",
        f"the file mixes UTF-8 with Windows-1252: {guessed:,} bytes that are not UTF-8 were "
        "read as Windows-1252",
        guessed,
    )
    return text, (notice,)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def decode_bytes(data: bytes | memoryview) -> str:
    """`decode_text` without the notice (delimiter sniffing, previews)."""
    return decode_text(data)[0]


# ---------------------------------------------------------------- delimiters

DELIMITERS = ("\t", ";", ",", "|")
SNIFF_LINES = 200
SNIFF_CHARS = 1024 * 1024
"""Delimiter sniffing reads at most this much text: enough for 200 lines of any real export."""
SNIFF_LINE_CHARS = 64 * 1024
"""Each line is judged by its first 64 K characters; a longer one is a long quoted field."""


def _sample_lines(text: str) -> list[str]:
    """Up to `SNIFF_LINES` non-blank lines from the start of `text`, each capped.

    Bounded in time and memory whatever the text: 40 MB of newlines or one
    150 MB line costs a look at the first MB, never a list of 40 million
    strings (which `str.splitlines` on the whole text would build).
    """
    lines: list[str] = []
    pos, end = 0, min(len(text), SNIFF_CHARS)
    while pos < end and len(lines) < SNIFF_LINES:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        line = text[pos : min(stop, pos + SNIFF_LINE_CHARS)].rstrip("\r")
        if line.strip():
            lines.append(line)
        pos = stop + 1
    return lines


def strip_quoted(line: str) -> str:
    """`line` without its quoted sections (doubled quotes inside included), in one linear pass.

    A regex with an alternation per character (the old `"(?:[^"]|"")*"`) keeps a
    backtracking frame per character: 1.8 GB on one 15 MB quoted field.
    An unclosed quote drops the rest of the line, as a CSV reader would read it.
    """
    out: list[str] = []
    pos = 0
    while True:
        start = line.find('"', pos)
        if start < 0:
            out.append(line[pos:])
            return "".join(out)
        out.append(line[pos:start])
        close = start
        while True:
            close = line.find('"', close + 1)
            if close < 0:
                return "".join(out)
            if line.startswith('"', close + 1):  # "" inside a quoted field
                close += 1
                continue
            break
        pos = close + 1


def sniff_delimiter(text: str) -> str:
    """The field separator that splits most lines into the same number of fields.

    Title lines above the header and a total line below have fewer fields, so
    the score is "lines sharing the most common count" times that count; a
    decimal comma inside `;`-separated rows loses because it appears once per
    amount while `;` appears once per column. Only the start of `text` is
    read (`_sample_lines`).
    """
    lines = _sample_lines(text)
    if not lines:
        return ","
    stripped = [strip_quoted(ln) for ln in lines]
    best, best_score = ",", 0
    for delim in DELIMITERS:
        counts = [ln.count(delim) for ln in stripped]
        counts = [c for c in counts if c > 0]
        if not counts:
            continue
        mode, n_mode = Counter(counts).most_common(1)[0]
        if n_mode < 2 and len(lines) > 1:
            continue
        score = n_mode * mode
        if score > best_score:
            best, best_score = delim, score
    return best


# ---------------------------------------------------------------- numbers

_CURRENCY_WORDS = re.compile(
    r"(?i)\b(?:kr\.|dkk|nok|sek|eur|usd|gbp|chf|isk|kroner|kronor|euro|kr)(?=$|[\s\d.,-])|"
    r"[€$£¥]|\bus\$|\bfr\.",
)
_NUMBER_CHARS = re.compile(r"^[0-9.,' ]+$")
_EXPONENT = re.compile(r"(?:\d+\.?\d*|\.\d+)[eE][-+]?\d{1,3}", re.ASCII)

MAX_AMOUNT = 1e15
"""Largest magnitude read as an amount; anything from 1e15 on is "not a number".

A quadrillion in any currency is beyond every marketing budget and CRM
deal, so such a cell is an ID, a typo or a hostile value (`1e308` sums to
infinity); refusing it here (as "TBD" is refused) keeps every total finite.
"""
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def parse_number(value: object, decimal: str | None = None) -> float | None:
    """A cell as a number; None for blank; ValueError for text that is not one.

    `decimal` ("," or ".") is the file's decimal mark when the caller knows it
    (see `detect_decimal`). Without it, `1,234` is thousands; `1.234` is
    thousands only next to a currency ("kr 1.200", "€ 3.000,-"), else 1.234.
    Never returns inf or NaN: infinities, "nan" text and magnitudes from
    `MAX_AMOUNT` on raise ValueError like any other text that is not a number.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int | float):
        try:
            f = float(value)
        except OverflowError:  # an int past 1e308
            return _not_number(value)
        if f != f:
            return None  # pandas' and numpy's marker for a missing value
        return f if -MAX_AMOUNT < f < MAX_AMOUNT else _not_number(value)
    if isinstance(value, datetime | date):
        raise ValueError(f"{value!r} is a date, not a number")
    s = str(value).strip()
    if not s:
        return None
    if s in {"-", "–", "—"}:
        return 0.0  # accounting notation for zero
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    money = bool(_CURRENCY_WORDS.search(s) or re.search(r"[,.]-$", s))
    s = re.sub(r"[,.][-–]$", "", s)  # "3.000,-": no cents
    s = _CURRENCY_WORDS.sub("", s)
    s = _SPACES.sub(" ", s).strip()
    if s.startswith("-") or s.startswith("−"):
        negative, s = not negative, s[1:].strip()
    elif s.endswith("-"):
        negative, s = not negative, s[:-1].strip()
    if s.startswith("+"):
        s = s[1:].strip()
    if not s or not _NUMBER_CHARS.match(s):
        if not _EXPONENT.fullmatch(s):  # "1e5", "1.5E+03"; never "nan", "inf", "1_000"
            return _not_number(value)
        number = float(s)
    else:
        s = s.replace(" ", "").replace("'", "")
        parsed = _parse_marks(s, decimal, money)
        if parsed is None:
            return _not_number(value)
        number = parsed
    if not -MAX_AMOUNT < number < MAX_AMOUNT:
        return _not_number(value)
    return -number if negative else number


def _not_number(value: object) -> float:
    raise ValueError(f"{str(value).strip()!r} is not a number")


def _parse_marks(s: str, decimal: str | None, money: bool) -> float | None:
    """Read digits with `.`/`,` marks; None when the marks make no sense.

    For money a single mark followed by exactly three digits is a thousands
    mark (nobody prices in tenths of a cent); for bare numbers only the comma is.
    """
    has_dot, has_comma = "." in s, "," in s
    if has_dot and has_comma:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
    elif has_comma:
        if decimal is not None:
            dec = decimal
        elif s.count(",") > 1:
            dec = "."
        else:
            dec = "." if re.fullmatch(r"[1-9]\d{0,2},\d{3}", s) else ","
    elif has_dot:
        if decimal is not None:
            dec = decimal
        elif s.count(".") > 1:
            dec = ","
        else:
            dec = "," if re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", s) and money else "."
    else:
        dec = "."
    thousands = "," if dec == "." else "."
    if s.count(dec) > 1:
        return None
    if thousands in s and not re.fullmatch(rf"\d{{1,3}}(\{thousands}\d{{3}})+(\{dec}\d*)?", s):
        return None
    s = s.replace(thousands, "").replace(dec, ".")
    try:
        return float(s)
    except ValueError:
        return None


def detect_decimal(values: Iterable[object]) -> str | None:
    """The decimal mark a column of text numbers uses ("," or "."), None if it can't be told.

    Unambiguous cells decide: both marks present (the last is decimal), a mark
    followed by other than three digits, or the same mark twice (thousands).
    """
    votes: Counter[str] = Counter()
    for value in values:
        if not isinstance(value, str):
            continue
        s = _SPACES.sub("", _CURRENCY_WORDS.sub("", value)).strip("()-+")
        s = re.sub(r"[,.][-–]$", "", s)
        if not s or not _NUMBER_CHARS.match(s):
            continue
        if "." in s and "," in s:
            votes["," if s.rfind(",") > s.rfind(".") else "."] += 1
        elif s.count(",") > 1:
            votes["."] += 1
        elif s.count(".") > 1 or ("," in s and not re.search(r",\d{3}$", s)):
            votes[","] += 1
        elif "." in s and not re.search(r"\.\d{3}$", s):
            votes["."] += 1
        if sum(votes.values()) >= 50:
            break
    if not votes:
        return None
    return votes.most_common(1)[0][0]


# ---------------------------------------------------------------- currencies

_CURRENCY_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\b(DKK|NOK|SEK|EUR|USD|GBP|CHF|ISK|PLN|CAD|AUD|JPY)\b"), ""),
    (re.compile(r"€|(?i:\beuro?s?\b)"), "EUR"),
    (re.compile(r"£"), "GBP"),
    (re.compile(r"(?i)\bus\$|\$"), "USD"),
    (re.compile(r"(?i)\bkroner\b|\bkr\.(?=\s|\d|$)"), "DKK"),
    (re.compile(r"(?i)\bkronor\b"), "SEK"),
    (re.compile(r"(?i)\bkr\b"), "kr"),
)
_KR_BY_LANGUAGE = {"da": "DKK", "nb": "NOK", "no": "NOK", "nn": "NOK", "sv": "SEK"}


def detect_currency(text: str, language: str | None = None) -> str | None:
    """The ISO 4217 code a header, note or number format names, else None.

    "kr" alone is shared by DKK, NOK and SEK: a `language` hint ("da", "nb",
    "sv") decides; without one we say DKK, the most common in our users'
    files, and callers that know better pass the hint. "kr." with a dot is
    the Danish spelling.
    """
    if not text:
        return None
    for pattern, code in _CURRENCY_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        if not code:
            return m.group(1).upper()
        if code == "kr":
            return _KR_BY_LANGUAGE.get((language or "").lower(), "DKK")
        return code
    return None


# ---------------------------------------------------------------- dates

DateOrder = str  # "dmy" | "mdy" | "ymd"
_DATE_PARTS = re.compile(r"^\s*(\d{1,4})[-./](\d{1,2})[-./](\d{1,4})(?:[ T].*)?$")


def detect_date_order(values: Iterable[object]) -> DateOrder:
    """Day-first, month-first or ISO for a column of text dates.

    A first part over 12 proves day-first, a second part over 12 proves
    month-first; `.` and `-` separators with no proof are day-first (European
    exports), `/` with no proof is month-first (US Salesforce).
    """
    slash = dotdash = 0
    for value in values:
        if not isinstance(value, str):
            continue
        m = _DATE_PARTS.match(value)
        if not m:
            continue
        a, b, _ = (int(x) for x in m.groups())
        if len(m.group(1)) == 4:
            return "ymd"
        if a > 12:
            return "dmy"
        if b > 12:
            return "mdy"
        if "/" in value:
            slash += 1
        else:
            dotdash += 1
    return "mdy" if slash > dotdash else "dmy"


def header_row_index(
    rows: list[list[object]], keywords: Iterable[str], limit: int = 30
) -> int | None:
    """Index of the first row (within `limit`) whose text cells hit the most keywords.

    Title lines, report filters and blank rows sit above the header in real
    exports; the header is the row that names the columns we look for.
    """
    keys = [k.casefold() for k in keywords]
    best, best_hits = None, 0
    for i, row in enumerate(rows[:limit]):
        cells = [str(c).strip().casefold() for c in row if isinstance(c, str) and c.strip()]
        if len(cells) < 2:
            continue
        hits = sum(1 for c in cells if any(k == c or k in c for k in keys))
        if hits > best_hits:
            best, best_hits = i, hits
    return best if best_hits >= 2 else None
