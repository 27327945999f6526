"""The UI language and the number formats that go with it, switched at start-up or at once from the menu."""

from __future__ import annotations

from PySide6.QtCore import QLocale

_LANGUAGE_LOCALES: dict[str, tuple[QLocale.Language, QLocale.Country]] = {
    "en": (QLocale.Language.English, QLocale.Country.UnitedStates),
    "da": (QLocale.Language.Danish, QLocale.Country.Denmark),
    "nb": (QLocale.Language.NorwegianBokmal, QLocale.Country.Norway),
    "de": (QLocale.Language.German, QLocale.Country.Germany),
}


def apply_language(code: str | None) -> str:
    """Set the UI language and, when the system has no locale, matching number formats.

    The system locale wins for numbers when there is one (a Danish CFO with
    an English UI still reads 1.234,5); without one ("C" in CI and
    containers, which prints 1234567 ungrouped) the UI language decides.
    """
    from planner.i18n import set_language

    chosen = set_language(code)
    if QLocale.system().name() in ("C", "POSIX", ""):
        language, country = _LANGUAGE_LOCALES.get(chosen, _LANGUAGE_LOCALES["en"])
        QLocale.setDefault(QLocale(language, country))
    return chosen



def use_locale_of(code: str) -> None:
    """Number and date formats of `code`'s country, whatever the system locale (screenshots, tests)."""
    language, country = _LANGUAGE_LOCALES.get(code, _LANGUAGE_LOCALES["en"])
    QLocale.setDefault(QLocale(language, country))


__all__ = ["apply_language", "use_locale_of"]
