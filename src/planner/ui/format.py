"""Number, money and percentage formatting shared by every widget.

Why one module: a CFO compares figures across the KPI strip, the charts, the
budget table and the lead-source view. If each widget formatted numbers its
own way, "1.2M", "1,200,000" and "1 200 000,00" would sit side by side and
the meeting would argue about the display instead of the plan. Everything
here is *formatting only*: no KPI is derived in this module.

Locale: the separators come from `QLocale()` (the application default, which
`planner.ui.app` sets from the user's language setting), so Danish and German
users see `1.234,5` and English users `1,234.5`. The currency is the one the
file was in (`Budget.currency` / `Deals.currency`), never the locale's.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLocale

from planner.i18n import tr

DASH = "\u2013"  # en dash: shown for a value that is not known
MINUS = "\u2212"  # a real minus sign lines up with plus in proportional fonts

# Symbols that every reader recognises; Nordic "kr" is ambiguous (DKK/NOK/SEK),
# so those stay as ISO codes, which is also how finance teams write them.
_SYMBOLS: dict[str, str] = {"EUR": "\u20ac", "USD": "$", "GBP": "\u00a3"}
_PREFIX_SYMBOLS = {"$", "\u00a3"}

# Compact magnitudes, largest first: (threshold, divisor, suffix).
_COMPACT: tuple[tuple[float, float, str], ...] = (
    (1e9, 1e9, "bn"),
    (1e6, 1e6, "M"),
    (1e4, 1e3, "k"),
)


def _locale(locale: QLocale | None) -> QLocale:
    return locale if locale is not None else QLocale()


def is_missing(value: float | None) -> bool:
    """True for None, NaN and infinities: values a widget shows as a dash."""
    return value is None or not math.isfinite(float(value))


def currency_label(currency: str | None) -> str:
    """The short currency label used in axis titles and headers ("EUR" -> "€")."""
    if not currency:
        return ""
    return _SYMBOLS.get(currency.upper(), currency.upper())


def format_number(
    value: float | None, decimals: int = 0, *, locale: QLocale | None = None, sign: bool = False
) -> str:
    """A grouped number in the user's locale (`1,234,567` / `1.234.567`)."""
    if is_missing(value):
        return DASH
    v = float(value)  # type: ignore[arg-type]
    text = _locale(locale).toString(abs(v), "f", decimals)
    if _is_zero(v, decimals):
        return text
    if v < 0:
        return MINUS + text
    return ("+" + text) if sign else text


def _is_zero(value: float, decimals: int) -> bool:
    return round(abs(value), decimals) == 0


def format_compact(
    value: float | None, *, locale: QLocale | None = None, sign: bool = False, decimals: int = 1
) -> str:
    """A short number for tight spaces: 1,234,567 -> `1.2M`, 45,600 -> `45.6k`.

    Values under 10,000 are shown in full so small budgets do not turn into
    "3.2k" (which reads as an estimate when it is an exact line amount).
    """
    if is_missing(value):
        return DASH
    v = float(value)  # type: ignore[arg-type]
    magnitude = abs(v)
    for threshold, divisor, suffix in _COMPACT:
        if magnitude >= threshold:
            scaled = magnitude / divisor
            places = 0 if scaled >= 100 else decimals  # "450k", not "450.0k"
            body = _locale(locale).toString(scaled, "f", places) + suffix
            break
    else:
        body = _locale(locale).toString(magnitude, "f", 0)
    if _is_zero(v, 0):
        return body
    if v < 0:
        return MINUS + body
    return ("+" + body) if sign else body


def compact_ticks(values: list[float], spacing: float, *, locale: QLocale | None = None) -> list[str]:
    """Tick labels of one axis in ONE unit and ONE number of decimals.

    Formatting each tick on its own gives "50.0k" next to "100k", or seven
    "0" labels on an axis stepping by 0.2. The unit comes from the largest
    tick, the decimals from the step between ticks, so neighbours differ.
    """
    finite = [abs(v) for v in values if math.isfinite(v)]
    if not finite:
        return ["" for _ in values]
    top = max(finite)
    divisor, suffix = 1.0, ""
    for threshold, div, suf in _COMPACT:
        if top >= threshold:
            divisor, suffix = div, suf
            break
    step = abs(spacing) / divisor if spacing else 0.0
    decimals = 0 if step <= 0 or step >= 1 else min(3, int(math.ceil(-math.log10(step) - 1e-9)))
    loc = _locale(locale)
    out = []
    for v in values:
        text = loc.toString(abs(v) / divisor, "f", decimals)
        zero = round(abs(v) / divisor, decimals) == 0
        out.append("0" if zero else (MINUS if v < 0 else "") + text + suffix)
    return out


def format_money(
    value: float | None,
    currency: str | None,
    *,
    compact: bool = True,
    decimals: int | None = None,
    sign: bool = False,
    locale: QLocale | None = None,
) -> str:
    """Money in the file's currency: `€1.2M`, `$45.6k`, `NOK 1.2M` in English; `1,2M €`, `1,2M NOK` in German/Nordic."""
    if is_missing(value):
        return DASH
    if compact:
        number = format_compact(value, locale=locale, sign=False, decimals=1 if decimals is None else decimals)
    else:
        number = format_number(abs(float(value)), 0 if decimals is None else decimals, locale=locale)  # type: ignore[arg-type]
    v = float(value)  # type: ignore[arg-type]
    if number.startswith(MINUS):
        number = number[len(MINUS) :]
    lead = ""
    if v < 0 and not _is_zero(v, 0 if decimals is None else decimals):
        lead = MINUS
    elif sign and not _is_zero(v, 0 if decimals is None else decimals):
        lead = "+"
    label = currency_label(currency)
    if not label:
        return lead + number
    # One style per language for every currency (QLocale's own convention):
    # English puts the currency first ("€1.2M", "NOK 1.2M"), Danish, Norwegian
    # and German after the amount ("1,2M €", "1,2M NOK").
    lang = _locale(locale).language()
    if lang in (QLocale.Language.English, QLocale.Language.Irish, QLocale.Language.C):
        gap = "" if label in _PREFIX_SYMBOLS or label == "\u20ac" else "\u00a0"
        return f"{lead}{label}{gap}{number}"
    return f"{lead}{number}\u00a0{label}"


def format_percent(
    value: float | None,
    decimals: int = 1,
    *,
    sign: bool = False,
    locale: QLocale | None = None,
) -> str:
    """A fraction as a percentage: 0.234 -> `23.4 %` (locale separators)."""
    if is_missing(value):
        return DASH
    return format_number(float(value) * 100.0, decimals, locale=locale, sign=sign) + "\u00a0%"  # type: ignore[arg-type]


def format_points(value: float | None, decimals: int = 1, *, locale: QLocale | None = None) -> str:
    """A difference of two percentages in percentage points: 0.012 -> `+1.2 pp`."""
    if is_missing(value):
        return DASH
    return format_number(float(value) * 100.0, decimals, locale=locale, sign=True) + "\u00a0pp"  # type: ignore[arg-type]


def format_months(value: float | None, *, locale: QLocale | None = None, sign: bool = False) -> str:
    """A duration in months, one decimal under 10 months (`7.5 mo`, `14 mo`)."""
    if is_missing(value):
        return DASH
    v = float(value)  # type: ignore[arg-type]
    decimals = 1 if abs(v) < 10 else 0
    return format_number(v, decimals, locale=locale, sign=sign) + "\u00a0" + tr("mo")


def format_share(value: float | None, *, locale: QLocale | None = None) -> str:
    """A brand share as a whole percentage, how people say it in a meeting (`35 %`)."""
    return format_percent(value, 0, locale=locale)


def format_count(value: float | None, *, locale: QLocale | None = None) -> str:
    """A count of things (deals, MQLs): whole numbers, grouped."""
    return format_number(value, 0, locale=locale)


def format_month_label(month: str, *, locale: QLocale | None = None) -> str:
    """`2025-03` -> `Mar 25` in the user's language, for chart axes and table headers."""
    try:
        year, mon = (int(part) for part in month.split("-")[:2])
    except ValueError:
        return month
    name = _locale(locale).monthName(mon, QLocale.FormatType.ShortFormat)
    return f"{name} {year % 100:02d}"
