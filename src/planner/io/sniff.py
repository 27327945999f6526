"""Guess how a user's text file and its cells are written.

Exports reach us re-saved by Excel in whatever locale the user has: cp1252 or
UTF-16, `;` with decimal comma, `1.234,50`, `kr 1.200`, `€ 3.000,-`,
`dd-mm-yyyy`. Each helper here decides one such thing from the data itself.
Plain Python only: these run on single cells and on header rows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime

# ---------------------------------------------------------------- encodings


def decode_bytes(data: bytes) -> str:
    """Decode a text file: BOM first, then UTF-16 by its zero bytes, UTF-8, else cp1252.

    cp1252 is the last resort because it accepts (almost) any byte, which is
    what Excel on Windows writes for "CSV" in western locales.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le", errors="replace")
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", errors="replace")
    sample = data[:4096]
    if len(sample) >= 4:
        half = len(sample) // 2
        even_zero = sample[0::2].count(0) / half
        odd_zero = sample[1::2].count(0) / half
        if odd_zero > 0.4 and even_zero < 0.05:
            return data.decode("utf-16-le", errors="replace")
        if even_zero > 0.4 and odd_zero < 0.05:
            return data.decode("utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# ---------------------------------------------------------------- delimiters

DELIMITERS = ("\t", ";", ",", "|")
_QUOTED = re.compile(r'"(?:[^"]|"")*"')


def sniff_delimiter(text: str) -> str:
    """The field separator that splits most lines into the same number of fields.

    Title lines above the header and a total line below have fewer fields, so
    the score is "lines sharing the most common count" times that count; a
    decimal comma inside `;`-separated rows loses because it appears once per
    amount while `;` appears once per column.
    """
    lines = [ln for ln in text.splitlines()[:200] if ln.strip()]
    if not lines:
        return ","
    stripped = [_QUOTED.sub("", ln) for ln in lines]
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
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def parse_number(value: object, decimal: str | None = None) -> float | None:
    """A cell as a number; None for blank; ValueError for text that is not one.

    `decimal` ("," or ".") is the file's decimal mark when the caller knows it
    (see `detect_decimal`). Without it, `1,234` is thousands; `1.234` is
    thousands only next to a currency ("kr 1.200", "€ 3.000,-"), else 1.234.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int | float):
        f = float(value)
        return None if f != f else f
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
        try:  # "1e5", "1.5E+03": let Python have a go before giving up
            return float(s) * (-1 if negative else 1) if s else _not_number(value)
        except ValueError:
            return _not_number(value)
    s = s.replace(" ", "").replace("'", "")
    number = _parse_marks(s, decimal, money)
    if number is None:
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
