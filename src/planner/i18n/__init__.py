"""One translation helper for every user-visible string: `tr(text)`.

Why plain Python dicts keyed by the English text (gettext style) and not Qt's
`.ts`/`.qm` files: the catalogs ship inside the wheel and the PyInstaller
bundle as ordinary modules (no resource lookup that can fail), the CLI can
use them without Qt, and a missing translation simply falls back to the
English text instead of showing an empty label.

English is the identity. Danish (da), Norwegian Bokmål (nb) and German (de)
share one table, `resources/translations/messages.json` (English -> the three). Strings with placeholders
are translated *before* `.format(...)`, so the catalog keeps `{n}` etc.::

    tr("Horizon {n} months").format(n=12)

The language is process-wide: set it once at start-up (from the settings, or
the system locale when the user never chose one) before widgets are built.
"""

from __future__ import annotations

import os
from types import MappingProxyType
from typing import Final

LANGUAGES: Final[dict[str, str]] = {
    "en": "English",
    "da": "Dansk",
    "nb": "Norsk bokmål",
    "de": "Deutsch",
}
"""Codes the app can show, with each language's own name (for a language menu)."""

DEFAULT_LANGUAGE: Final = "en"

_ALIASES: Final[dict[str, str]] = {"no": "nb", "nn": "nb", "dk": "da"}

_language: str = DEFAULT_LANGUAGE
_catalog: MappingProxyType[str, str] = MappingProxyType({})


def normalise_language(code: str | None) -> str | None:
    """A supported code for `code` ("nb_NO.UTF-8" -> "nb", "no" -> "nb"), or None."""
    if not code:
        return None
    base = code.replace("-", "_").split(".")[0].split("@")[0].split("_")[0].casefold()
    base = _ALIASES.get(base, base)
    return base if base in LANGUAGES else None


def system_language() -> str:
    """The user's language from the environment (POSIX variables), English when unknown.

    Qt is deliberately not consulted, so the CLI and tests get the same answer
    without a QApplication.
    """
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        value = os.environ.get(var, "")
        for part in value.split(":"):  # LANGUAGE may list several: "nb:no:en"
            code = normalise_language(part)
            if code is not None:
                return code
    return DEFAULT_LANGUAGE


def catalog(code: str) -> dict[str, str]:
    """The translations of one language (English text -> translated text); empty for English."""
    code = normalise_language(code) or DEFAULT_LANGUAGE
    if code == DEFAULT_LANGUAGE:
        return {}
    from planner.i18n.messages import LANGUAGE_INDEX, MESSAGES

    column = LANGUAGE_INDEX[code]
    return {en: row[column] for en, row in MESSAGES.items() if row[column]}


def set_language(code: str | None) -> str:
    """Switch the process to `code` (None = the system language); returns the code in use.

    An unsupported code falls back to English rather than failing: a settings
    file written by a newer version with more languages must still start.
    """
    global _language, _catalog
    chosen = normalise_language(code) if code else system_language()
    chosen = chosen or DEFAULT_LANGUAGE
    _catalog = MappingProxyType(catalog(chosen))
    _language = chosen
    return chosen


def language() -> str:
    """The language code `tr` translates into."""
    return _language


def tr(text: str) -> str:
    """`text` in the current language (the English text itself when there is no translation)."""
    return _catalog.get(text, text)
