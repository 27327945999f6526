"""Month labels, spend classes and formulas: the pieces budget import is built from."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from planner.io.budget_formula import FormulaError, TextCell, evaluate
from planner.io.budget_grid import currency_from_format, is_total_label
from planner.io.months import fill_years, month_index, parse_month, year_in_text
from planner.io.spend_classes import classify_category, classify_line, classify_name


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Jan", (None, 1)),
        ("januar", (None, 1)),
        ("Mär", (None, 3)),
        ("marts", (None, 3)),
        ("mars", (None, 3)),
        ("mai", (None, 5)),
        ("maj", (None, 5)),
        ("okt.", (None, 10)),
        ("des", (None, 12)),
        ("Dez 2026", (2026, 12)),
        ("Dezember 2026", (2026, 12)),
        ("Jan-27", (2027, 1)),
        ("2026-01", (2026, 1)),
        ("2026/11", (2026, 11)),
        ("03.2026", (2026, 3)),
        ("01.04.2026", (2026, 4)),
        ("2026-02-01", (2026, 2)),
        (datetime(2026, 5, 1), (2026, 5)),
        (date(2026, 6, 1), (2026, 6)),
    ],
)
def test_month_labels_in_four_languages(label: object, expected: tuple) -> None:
    assert parse_month(label) == expected


@pytest.mark.parametrize(
    "label", ["Total", "I alt", "Sum", "Q1", "2026", "Line item", 3, None, "13-2026"]
)
def test_other_cells_are_not_months(label: object) -> None:
    assert parse_month(label) is None


def test_years_roll_over_and_come_from_a_neighbour() -> None:
    refs = [(None, 11), (None, 12), (2027, 1), (None, 2)]
    assert fill_years(refs, None) == [
        month_index(2026, 11),
        month_index(2026, 12),
        month_index(2027, 1),
        month_index(2027, 2),
    ]
    fiscal = [(None, m) for m in (7, 8, 9, 10, 11, 12, 1, 2)]
    out = fill_years(fiscal, 2026)
    assert out == list(range(month_index(2026, 7), month_index(2026, 7) + 8))
    assert fill_years([(None, 1)], None) is None


def test_year_in_titles() -> None:
    assert year_in_text("Markedsbudsjett 2026 (utkast)") == 2026
    assert year_in_text("Budget FY27") == 2027
    assert year_in_text("Alle beløp i NOK 1.000") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Brand", "brand"),
        ("Merkevare", "brand"),
        ("Brand building", "brand"),
        ("Awareness", "brand"),
        ("Marke", "brand"),
        ("Markenaufbau", "brand"),
        ("Lead gen", "demand"),
        ("Demand gen", "demand"),
        ("Leadgenerering", "demand"),
        ("Performance", "demand"),
        ("Aktivierung", "demand"),
        ("Digital", None),
        ("Brand & demand", None),
        ("", None),
        (None, None),
    ],
)
def test_category_values(value: object, expected: str | None) -> None:
    assert classify_category(value) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("LinkedIn Lead Gen Forms", "demand"),
        ("TV-sponsing", "brand"),
        ("Webinarer", "demand"),
        ("Webinare", "demand"),
        ("Podcast sponsorship", "brand"),
        ("Google Ads", "demand"),
        ("Messe", "demand"),
        ("Messestand Hannover", "demand"),
        ("Out-of-home", "brand"),
        ("Thought leadership", "brand"),
        ("Fernsehwerbung", "brand"),
        ("Außenwerbung", "brand"),
        ("Udendørs plakater", "brand"),
        ("Nyhetsbrev", "demand"),
        ("E-Mail-Marketing", "demand"),
        ("Webinar sponsorship", "demand"),
        ("Brand awareness LinkedIn ads", "brand"),
        ("Marketing automation", "demand"),
        ("Diverse", None),
        ("Office rent", None),
    ],
)
def test_line_names(name: str, expected: str | None) -> None:
    assert classify_name(name) == expected


def test_line_class_order_column_section_name_default() -> None:
    assert classify_line("Google Ads", "Brand", "Leadgenerering") == ("brand", "column")
    assert classify_line("Google Ads", None, "Merkevare") == ("brand", "section")
    assert classify_line("Google Ads", "Digital", "Online") == ("demand", "name")
    assert classify_line("Diverse", None, None) == ("demand", "default")


@pytest.mark.parametrize(
    "label",
    [
        "Sum merkevare",
        "Subtotal",
        "Total",
        "I alt",
        "Gesamt",
        "Summe Marke",
        "Totalt",
        "Brand total",
        "Grand total",
        "Leadgenerering i alt",
    ],
)
def test_total_labels(label: str) -> None:
    assert is_total_label(label)


@pytest.mark.parametrize("label", ["Summit sponsorship", "Google Ads", "Summer campaign"])
def test_line_names_are_not_totals(label: str) -> None:
    assert not is_total_label(label)


def test_simple_formulas_are_evaluated() -> None:
    cells = {(None, 0, 0): 100.0, (None, 0, 1): 50.0, ("Inputs", 1, 1): 1200.0}

    def resolve(sheet: str | None, r: int, c: int) -> float | None:
        if (sheet, r, c) == (None, 0, 2):
            raise TextCell("text")
        return cells.get((sheet, r, c))

    assert evaluate("=A1+B1*2", resolve) == 200
    assert evaluate("=SUM(A1:C1)", resolve) == 150  # SUM skips text, as Excel does
    assert evaluate("=(A1-B1)/2", resolve) == 25
    assert evaluate("=Inputs!$B$2/12", resolve) == 100
    assert evaluate("='Inputs'!B2*10%", resolve) == 120
    assert evaluate("=SUM(A1,B1,5)+D9", resolve) == 155  # D9 is blank = 0
    for bad in ("=IF(A1>0,1,2)", "=VLOOKUP(A1,B:C,2)", "=A1&B1", "=A1/0", "=A1+C1"):
        with pytest.raises(FormulaError):
            evaluate(bad, resolve)


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ('#,##0 "kr"', "DKK"),
        ('#,##0\\ "kr."', "DKK"),
        ("[$€-407] #,##0", "EUR"),
        ("[$kr-414] #,##0", "NOK"),
        ("#,##0 [$EUR]", "EUR"),
        ("#,##0.00", None),
    ],
)
def test_currency_from_number_format(fmt: str, expected: str | None) -> None:
    assert currency_from_format(fmt) == expected
    if expected == "DKK" and "kr." not in fmt:
        assert currency_from_format(fmt, "nb") == "NOK"
