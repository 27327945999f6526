"""The translations: English text -> (Danish, Norwegian Bokmål, German), from one table.

The table is `resources/translations/messages.json`: one object keyed by the
English text, each entry naming its three translations, so a string without
a translation is visible at a glance and `tests/i18n/test_i18n.py` checks that
every `tr("...")` in the code has all three. Placeholders (`{n}`) and menu
mnemonics (`&`) must survive translation; the test checks the placeholders.
Model-assumption labels and units are there too (their sources are citations
and stay in English). It is data, not code: a translator edits it without
touching Python, and it ships inside the wheel and the bundle like every
other resource (`planner.resources`).
"""

from __future__ import annotations

import json

from planner.resources import resource_path

LANGUAGE_INDEX: dict[str, int] = {"da": 0, "nb": 1, "de": 2}


def _load() -> dict[str, tuple[str, str, str]]:
    table = json.loads(resource_path("translations/messages.json").read_text(encoding="utf-8"))
    return {en: (row["da"], row["nb"], row["de"]) for en, row in table.items()}


MESSAGES: dict[str, tuple[str, str, str]] = _load()
