"""planner.io.text: the one header normaliser, cell text and layout key every reader shares."""

from datetime import date, datetime

import pytest

from planner.io.budget_grid import is_total_label
from planner.io.crm import stage_outcome
from planner.io.sources import normalise_source
from planner.io.spend_classes import is_category_header
from planner.io.text import cell_text, layout_key, normalise, row_texts


@pytest.mark.parametrize(
    "raw",
    ["Deal_Stage", "deal-stage", "DEAL STAGE", " Deal\u00a0Stage ", "Deal\tStage", "deal . stage!"],
)
def test_case_underscore_dash_punctuation_and_nbsp_fold_to_one_form(raw: str) -> None:
    assert normalise(raw) == "deal stage"


def test_accents_and_nordic_letters_are_kept() -> None:
    assert normalise("Beløb (DKK)") == "beløb dkk"
    assert normalise("Geschäftsart") == "geschäftsart"
    assert normalise("får") != normalise("far")


def test_symbols_carry_no_words_and_none_is_empty() -> None:
    assert normalise("Betrag in €") == "betrag in"
    assert normalise(None) == ""


def test_sum_with_underscore_is_now_a_subtotal_label() -> None:
    """The budget reader's old normaliser kept "_", so "Sum_brand" was read as a line item."""
    assert is_total_label("Sum_brand")
    assert is_total_label("Brand_total")
    assert not is_total_label("Summit_sponsoring")


def test_every_reader_folds_the_same_way() -> None:
    for raw in ("PAID_SEARCH", "Paid-search", "paid\u00a0search"):
        assert normalise_source(raw) == normalise(raw) == "paid search"
    assert stage_outcome("Closed_Won") == stage_outcome("Closed-Won") == "won"
    assert is_category_header("Spend_class") and is_category_header("spend-class")


def test_cell_text_of_blank_numbers_dates_and_text() -> None:
    assert cell_text(None) == "" and cell_text(float("nan")) == ""
    assert cell_text(2026.0) == "2026" and cell_text(12.5) == "12.5" and cell_text(7) == "7"
    assert cell_text(datetime(2026, 1, 1)) == "2026-01-01"
    assert cell_text(datetime(2026, 1, 1, 9, 30)) == "2026-01-01 09:30:00"
    assert cell_text(date(2026, 3, 31)) == "2026-03-31"
    assert cell_text("  Closed  Won ") == "Closed  Won"
    assert cell_text("  Closed \n Won ", squeeze=True) == "Closed Won"


def test_row_texts_drop_trailing_blanks() -> None:
    assert row_texts(["Line", None, " Jan ", "", None]) == ("Line", "", "Jan")


def test_layout_key_ignores_case_spacing_punctuation_and_trailing_blanks() -> None:
    key = layout_key(["Deal Name", "Deal_Stage", "Amount (EUR)", datetime(2026, 1, 1)])
    assert key == layout_key(["deal name", "DEAL-STAGE", "amount eur", date(2026, 1, 1), "", None])
    assert key != layout_key(["Deal_Stage", "Deal Name", "Amount (EUR)", datetime(2026, 1, 1)])
    assert key.startswith("v1:")
