"""planner.io.vocab: one list per kind of word, and every reader understands every word in it."""

import pytest

from planner.io import vocab
from planner.io.detect import sheets_kind
from planner.io.months import parse_month
from planner.io.tabular import Sheet
from planner.io.text import normalise

MONTH_WORDS = [(word, number) for word, number in vocab.MONTH_NUMBERS.items()]


@pytest.mark.parametrize(("word", "number"), MONTH_WORDS)
def test_every_month_word_is_read_by_the_month_parser_and_the_detector(
    word: str, number: int, tmp_path
) -> None:
    """The detector once had its own copy of the month names, without "desember"."""
    assert parse_month(word) == (None, number)
    assert parse_month(word.capitalize() + " 2026") == (2026, number)
    header = ["Line", word, word.upper(), word.capitalize() + "."]
    sheet = Sheet("Budget", [header, ["TV", 10, 20, 30]])
    assert sheets_kind([sheet], tmp_path / "plan.csv") == "budget"


def test_the_month_lists_cover_each_month_once() -> None:
    assert len(vocab.MONTH_WORDS) == 12
    assert sorted(set(vocab.MONTH_NUMBERS.values())) == list(range(1, 13))
    assert "desember" in vocab.MONTH_WORDS[11]


@pytest.mark.parametrize(
    "words",
    [
        [w for names in vocab.CRM_COLUMNS.values() for w in names],
        [w for words in vocab.CRM_LANGUAGE_HINTS.values() for w in words],
        sorted(vocab.WON_WORDS | vocab.LOST_WORDS),
        vocab.NEW_WORDS,
        vocab.EXISTING_WORDS,
        vocab.TOTAL_WORDS,
        vocab.TOTAL_SUFFIX_WORDS,
        vocab.FOOTER_WORDS,
        vocab.PERIOD_WORDS,
        vocab.YEAR_WORDS,
        vocab.MONEY_WORDS,
        vocab.CURRENCY_CODES,
        vocab.CURRENCY_WORDS,
        vocab.CURRENCY_LABEL_WORDS,
    ],
)
def test_words_are_written_as_the_readers_compare_them(words) -> None:
    """Readers compare `normalise`d text with these lists: a word in another form never matches."""
    assert [w for w in words if normalise(w) != w] == []


def test_required_crm_fields_are_columns() -> None:
    assert set(vocab.REQUIRED_CRM_FIELDS) <= set(vocab.CRM_COLUMNS)
