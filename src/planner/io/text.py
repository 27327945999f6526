"""How io compares and shows text: one header normaliser, one cell-to-text rule, the layout key.

Every reader matches words the user's file wrote ("Deal_Stage", "Betrag in €",
"Sum brand") against the vocabulary in `planner.io.vocab`, so they must fold
text the same way or the same header means one thing to the CRM reader and
another to the detector. `normalise` is that single rule:

* case: `str.casefold` ("STAGE", "Stage" and "stage" are one word; "ß" becomes "ss");
* `_`, `-` and every other punctuation mark or symbol: a word break
  ("PAID_SEARCH", "paid-search" and "Paid search" compare equal; "Sum_brand"
  is the subtotal label "sum brand"). Symbols carry no words: "€" in
  "Betrag in €" is dropped, and the currency readers look at the raw text;
* whitespace of any kind (NBSP, narrow NBSP, tabs, line breaks inside a
  cell): one space, none at the ends;
* accents are kept: "å", "ø", "ä" are letters of their own in da/nb/de
  ("får" is not "far"), the vocabulary lists the ASCII spellings people type
  ("maerz", "belob") where they occur, and folding them would change the
  layout keys users' confirmed mappings are stored under.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import date, datetime, time

_NON_WORD = re.compile(r"[\W_]+")


def normalise(value: object) -> str:
    """Lower case, words only, single spaces: the form every vocabulary lookup uses ("" for None)."""
    if value is None:
        return ""
    return " ".join(_NON_WORD.sub(" ", str(value).casefold()).split())


def cell_text(value: object, *, squeeze: bool = False) -> str:
    """A cell as text, for previews and text columns.

    Blank (None, NaN) is ""; text is stripped (`squeeze` also turns inner
    runs of whitespace into one space, for labels shown on one line); dates
    are ISO dates, with the time only when there is one; whole floats lose
    their ".0" (a workbook stores 2026 as 2026.0).
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, str):
        return " ".join(value.split()) if squeeze else value.strip()
    if isinstance(value, datetime):
        # `time()` is never falsy, so compare: a midnight date cell is a date.
        return value.date().isoformat() if value.time() == time.min else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return " ".join(text.split()) if squeeze else text.strip()


def row_texts(row: Sequence[object]) -> tuple[str, ...]:
    """A row's cells as text (`cell_text`, squeezed), trailing blank cells dropped."""
    texts = [cell_text(c, squeeze=True) for c in row]
    while texts and not texts[-1]:
        texts.pop()
    return tuple(texts)


def layout_key(headers: Sequence[object]) -> str:
    """A stable key for a header row, under which a confirmed column mapping is remembered.

    Next month's export of the same report has the same header, so the
    mapping the user confirmed once applies again without asking. Texts are
    compared as `normalise` compares them (case, spacing and punctuation
    ignored; dates as ISO dates) and trailing empty cells are dropped, so a
    re-save by Excel does not change the key; the column order does. The
    "v1" prefix keeps stored keys apart from any later scheme.
    """
    texts = [_key_text(h) for h in headers]
    while texts and not texts[-1]:
        texts.pop()
    digest = hashlib.sha1("\x1f".join(texts).encode("utf-8")).hexdigest()
    return f"v1:{digest}"


def _key_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalise(value)
