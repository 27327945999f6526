"""A budget's currency and language: from headers, notes, number formats and amount text.

"kr" alone is DKK, NOK or SEK, so the language is guessed first from marker
words (`planner.io.vocab.BUDGET_LANGUAGE_MARKERS`) and passed to
`sniff.detect_currency`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from planner.io.sniff import detect_currency
from planner.io.text import normalise
from planner.io.vocab import BUDGET_LANGUAGE_MARKERS

_FORMAT_LOCALE = re.compile(r"\[\$([^\]-]*)-([0-9A-Fa-f]+)\]")


_FORMAT_SYMBOL = re.compile(r"\[\$([^\]-]+)\]")


_FORMAT_QUOTED = re.compile(r'"([^"]*)"')


_LOCALE_LANGUAGE = {0x406: "da", 0x414: "nb", 0x814: "nb", 0x41D: "sv", 0x407: "de"}


def currency_from_format(fmt: str, language: str | None = None) -> str | None:
    """ISO code from an Excel number format: `#,##0 "kr"`, `[$€-407] #,##0`, `[$kr-414]`."""
    parts: list[str] = []
    for symbol, locale in _FORMAT_LOCALE.findall(fmt):
        parts.append(symbol)
        language = _LOCALE_LANGUAGE.get(int(locale, 16), language)
    parts += _FORMAT_SYMBOL.findall(fmt)
    parts += _FORMAT_QUOTED.findall(fmt)
    bare = _FORMAT_QUOTED.sub(" ", _FORMAT_LOCALE.sub(" ", fmt)).replace("\\", "")
    parts.append(re.sub(r"[#0,.;_*?()%\[\]]", " ", bare))
    for part in parts:
        code = detect_currency(part.strip(), language)
        if code:
            return code
    return None


def guess_language(texts: Sequence[str]) -> str | None:
    """da / nb / de from marker words, for the currency "kr" (DKK or NOK)."""
    words: Counter[str] = Counter()
    for text in texts:
        low = f" {normalise(text)} "
        for lang, markers in BUDGET_LANGUAGE_MARKERS.items():
            words[lang] += sum(1 for m in markers if f" {m.rstrip('.')} " in low)
        if "kr." in text.casefold():
            words["da"] += 1
    if not words or words.most_common(1)[0][1] == 0:
        return None
    return words.most_common(1)[0][0]


def budget_currency(
    header: list[str],
    notes: list[str],
    formats: list[str],
    amount_texts: list[str],
    sheet: str,
    language: str | None,
) -> str | None:
    """ISO code from, in order: header cells, title/notes, number formats, amount text, sheet name."""
    for text in header + notes:
        code = detect_currency(text, language)
        if code:
            return code
    for fmt in dict.fromkeys(formats):
        code = currency_from_format(fmt, language)
        if code:
            return code
    for text in amount_texts + [sheet]:
        code = detect_currency(text, language)
        if code:
            return code
    return None
