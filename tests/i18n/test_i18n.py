"""Translations: the helper's behaviour and the catalogs' completeness.

The completeness test reads every `tr("...")` literal in the source, so a
new user-visible string without Danish, Norwegian and German fails here
instead of showing up in English in a Copenhagen budget meeting.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import planner.i18n as i18n
from planner.i18n import LANGUAGES, language, normalise_language, set_language, system_language, tr
from planner.i18n.messages import LANGUAGE_INDEX, MESSAGES
from planner.model.assumptions import ASSUMPTIONS

SRC = Path(__file__).resolve().parents[2] / "src" / "planner"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    yield
    set_language("en")


def source_strings() -> dict[str, str]:
    """Every literal passed to `tr(...)` in planner's source -> the file it is in."""
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, str(path.relative_to(SRC)))
    return found


def test_english_is_the_identity() -> None:
    assert set_language("en") == "en"
    assert tr("Lead sources") == "Lead sources"
    assert tr("a string nobody translated") == "a string nobody translated"


@pytest.mark.parametrize(("code", "expected"), [("da", "Leadkilder"), ("nb", "Leadkilder"), ("de", "Leadquellen")])
def test_switching_language(code: str, expected: str) -> None:
    assert set_language(code) == code
    assert language() == code
    assert tr("Lead sources") == expected
    assert tr("Horizon {n} months").format(n=12).endswith("12 " + {"da": "måneder", "nb": "måneder", "de": "Monate"}[code])
    assert tr("not in the catalog") == "not in the catalog"


def test_codes_are_normalised_and_unknown_ones_fall_back() -> None:
    assert normalise_language("nb_NO.UTF-8") == "nb"
    assert normalise_language("no") == "nb"
    assert normalise_language("de-AT") == "de"
    assert normalise_language("fr_FR") is None
    assert set_language("fr") == "en"
    assert tr("Lead sources") == "Lead sources"


def test_system_language_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert system_language() == "en"
    monkeypatch.setenv("LANG", "da_DK.UTF-8")
    assert system_language() == "da"
    monkeypatch.setenv("LANGUAGE", "sv:nb:en")
    assert system_language() == "nb"
    assert set_language(None) == "nb"


def test_every_source_string_is_translated() -> None:
    strings = source_strings()
    assert len(strings) > 150  # the extraction works
    missing = {s: where for s, where in strings.items() if s not in MESSAGES or not all(MESSAGES[s])}
    assert not missing, f"{len(missing)} strings without da/nb/de: {missing}"


def test_assumption_labels_and_units_are_translated() -> None:
    for spec in ASSUMPTIONS:
        assert spec.label in MESSAGES, spec.label
        if spec.unit:
            assert spec.unit in MESSAGES, spec.unit


@pytest.mark.parametrize("code", sorted(LANGUAGE_INDEX))
def test_translations_keep_placeholders_and_mnemonics(code: str) -> None:
    column = LANGUAGE_INDEX[code]
    for english, row in MESSAGES.items():
        translated = row[column]
        assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(english)), (english, translated)
        assert translated.count("&") == english.count("&"), (english, translated)
        assert translated.strip() == translated and translated


def test_every_language_has_a_catalog_and_a_name() -> None:
    assert set(LANGUAGES) == {"en", *LANGUAGE_INDEX}
    for code in LANGUAGE_INDEX:
        assert len(i18n.catalog(code)) == len(MESSAGES)
