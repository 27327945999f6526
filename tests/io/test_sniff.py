"""Cell-level guesses: encodings, delimiters, numbers, currencies, dates, stages, sources."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.io.crm import deal_type_of, stage_outcome
from planner.io.sniff import (
    MAX_AMOUNT,
    decode_bytes,
    detect_currency,
    detect_date_order,
    detect_decimal,
    parse_number,
    sniff_delimiter,
    strip_quoted,
)
from planner.io.sources import classify_source, explain_source


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234,50", 1234.5),
        ("1,234.50", 1234.5),
        ("kr 1.200", 1200.0),
        ("kr. 1.500,00", 1500.0),
        ("€ 3.000,-", 3000.0),
        ("(1 200)", -1200.0),
        ("1 200,50", 1200.5),
        ("12,5", 12.5),
        ("1.200.000", 1_200_000.0),
        ("DKK 1.234.567,89", 1234567.89),
        ("$1,200", 1200.0),
        ("1200 DKK", 1200.0),
        ("-5", -5.0),
        ("0.125", 0.125),
        ("1'234.50", 1234.5),
        ("12 500 kr", 12500.0),
        (3, 3.0),
        (2.5, 2.5),
        ("-", 0.0),
    ],
)
def test_parse_number(text: object, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("blank", [None, "", "   ", float("nan")])
def test_parse_number_blank_is_none(blank: object) -> None:
    assert parse_number(blank) is None


@pytest.mark.parametrize("text", ["TBD", "n/a", "abc", "1,2,3.4.5", "12.34.56,7,8", True])
def test_parse_number_rejects_text(text: object) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_parse_number_decimal_hint_decides_ambiguous_cells() -> None:
    assert parse_number("1.234", decimal=",") == 1234.0
    assert parse_number("1.234", decimal=".") == 1.234
    assert parse_number("1,234", decimal=",") == 1.234


@given(st.integers(min_value=0, max_value=10**11), st.sampled_from([",", "."]))
def test_parse_number_round_trips_locale_text(cents: int, decimal: str) -> None:
    value = cents / 100
    text = f"{value:,.2f}"
    if decimal == ",":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    assert parse_number(text, decimal=decimal) == pytest.approx(value)
    assert parse_number(text) == pytest.approx(value)  # two decimals: never ambiguous


def test_detect_decimal() -> None:
    assert detect_decimal(["1.234,50", "12,00"]) == ","
    assert detect_decimal(["1,234.50", "7.5"]) == "."
    assert detect_decimal(["1.200"]) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Planned (EUR)", "EUR"),
        ("Betrag (€)", "EUR"),
        ("$", "USD"),
        ("£", "GBP"),
        ("CHF 100", "CHF"),
        ('#,##0 "kr"', "DKK"),
        ("Beløb kr.", "DKK"),
        ("NOK", "NOK"),
        ("Amount", None),
        ("", None),
    ],
)
def test_detect_currency(text: str, code: str | None) -> None:
    assert detect_currency(text) == code


def test_kr_follows_language_hint() -> None:
    assert detect_currency("kr", "nb") == "NOK"
    assert detect_currency("kr", "sv") == "SEK"
    assert detect_currency("kr", "da") == "DKK"


def test_decode_bytes_encodings() -> None:
    text = "Phase;Betrag\nGewonnen;1.234,50 €\nØresund;Ærø\n"
    assert decode_bytes(text.encode("utf-8")) == text
    assert decode_bytes(text.encode("utf-8-sig")) == text
    assert decode_bytes(text.encode("utf-16")) == text
    assert decode_bytes(text.encode("utf-16-le")) == text  # no BOM
    assert decode_bytes(text.encode("cp1252")) == text


def test_sniff_delimiter_with_titles_and_decimal_commas() -> None:
    semi = "Report title\n\nName;Amount;Stage\nA;1,5;Won\nB;2,5;Lost\nTotal;4,0;\n"
    assert sniff_delimiter(semi) == ";"
    assert sniff_delimiter('a,b,c\n"x;y",2,3\n4,5,6\n') == ","
    assert sniff_delimiter("a\tb\tc\n1,5\t2\t3\n") == "\t"


def test_detect_date_order() -> None:
    assert detect_date_order(["01-02-2024", "13-02-2024"]) == "dmy"
    assert detect_date_order(["02/13/2024"]) == "mdy"
    assert detect_date_order(["2024-01-02"]) == "ymd"
    assert detect_date_order(["01.02.2024"]) == "dmy"


@pytest.mark.parametrize(
    ("stage", "outcome"),
    [
        ("Closed Won", "won"),
        ("Closed won", "won"),
        ("closedwon", "won"),
        ("Closed Lost", "lost"),
        ("Gewonnen", "won"),
        ("Verloren", "lost"),
        ("Lukket - vundet", "won"),
        ("Lukket - tabt", "lost"),
        ("Vunnet", "won"),
        ("Tapt", "lost"),
        ("Prospecting", "open"),
        ("Negotiation/Review", "open"),
        ("Angebot", "open"),
        ("", "open"),
    ],
)
def test_stage_outcome(stage: str, outcome: str) -> None:
    assert stage_outcome(stage) == outcome


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("New Business", "new"),
        ("newbusiness", "new"),
        ("Existing Business", "existing"),
        ("Existing Business - Upgrade", "existing"),
        ("Renewal", "existing"),
        ("Upsell", "existing"),
        ("Expansion", "existing"),
        ("Neukunde", "new"),
        ("Bestandskunde", "existing"),
        ("Ny kunde", "new"),
        ("Fornyelse", "existing"),
        ("Mersalg", "existing"),
        ("Something else", ""),
    ],
)
def test_deal_type(value: str, kind: str) -> None:
    assert deal_type_of(value) == kind


@pytest.mark.parametrize(
    ("value", "cls"),
    [
        # en, Salesforce picklist and HubSpot enum values
        ("Web", "intent"),
        ("Partner Referral", "intent"),
        ("Word of mouth", "intent"),
        ("Podcast", "intent"),
        ("ORGANIC_SEARCH", "intent"),
        ("DIRECT_TRAFFIC", "intent"),
        ("PAID_SEARCH", "demand"),
        ("Paid Social", "demand"),
        ("LinkedIn Lead Gen Forms", "demand"),
        ("Webinar", "demand"),
        ("Purchased List", "demand"),
        ("Trade Show", "demand"),
        ("Outbound", "demand"),
        ("EMAIL_MARKETING", "demand"),
        # da
        ("Anbefaling", "intent"),
        ("Hjemmeside", "intent"),
        ("Betalt søgning", "demand"),
        ("Købt liste", "demand"),
        # nb
        ("Nettside", "intent"),
        ("Organisk søk", "intent"),
        ("Kjøpt liste", "demand"),
        ("Messe", "demand"),
        # de
        ("Empfehlung", "intent"),
        ("Organische Suche", "intent"),
        ("Bezahlte Suche", "demand"),
        ("Kaltakquise", "demand"),
    ],
)
def test_classify_source(value: str, cls: str) -> None:
    assert classify_source(value) == cls
    assert explain_source(value) == (cls, True)


def test_unknown_source_defaults_to_demand_and_is_flagged() -> None:
    assert explain_source("Zorblax") == ("demand", False)
    assert explain_source("") == ("demand", False)


# ---------------------------------------------------------------- issue 13, class 8: never inf/nan


@pytest.mark.parametrize(
    "value",
    [
        "1e308",
        "1.8e308",
        "-1e400",
        "inf",
        "-Infinity",
        "NaN",
        "nan",
        "1_000",
        "1" * 400,
        "(" + "9" * 20 + ")",
        "kr 1.000.000.000.000.000",
        1e15,
        -2e15,
        float("inf"),
        float("-inf"),
        10**400,
    ],
)
def test_parse_number_refuses_non_finite_and_implausible(value: object) -> None:
    """Beyond `MAX_AMOUNT` (1e15) is "not a number", like "TBD": totals stay finite."""
    with pytest.raises(ValueError, match="is not a number"):
        parse_number(value)


@given(st.text(max_size=40) | st.floats() | st.integers())
def test_parse_number_is_finite_or_refuses(value: object) -> None:
    try:
        number = parse_number(value)
    except ValueError:
        return
    assert number is None or (math.isfinite(number) and abs(number) < MAX_AMOUNT)


def test_parse_number_keeps_plausible_amounts() -> None:
    assert parse_number("1e14") == 1e14
    assert parse_number("1.5E+03") == 1500.0
    assert parse_number(999_999_999_999_999.0) == 999_999_999_999_999.0


# ---------------------------------------------------------------- class 2: sniffing is bounded


def test_strip_quoted_is_linear_and_exact() -> None:
    assert strip_quoted('a,"b,c",d') == "a,,d"
    assert strip_quoted('a,"say ""hi"", ok",d') == "a,,d"
    assert strip_quoted('a,"never closed,b') == "a,"
    big = '"' + "x" * 15_000_000 + '";b'
    assert strip_quoted(big) == ";b"


def test_sniff_delimiter_reads_only_the_start() -> None:
    assert sniff_delimiter("\n" * 5_000_000 + "a;b;c\n") == ","  # nothing in the first MB
    assert sniff_delimiter("a;b;c\n1;2;3\n" + "," * 50_000_000) == ";"
    assert sniff_delimiter('"' + "x" * 15_000_000 + '"\na;b\n') == ","


# ---------------------------------------------------------------- class 10: encodings


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"])
def test_decode_bytes_without_bom(codec: str) -> None:
    text = "Stage;Amount\nClosed Won;1 200\n"
    assert decode_bytes(text.encode(codec)) == text


@pytest.mark.parametrize("codec", ["utf-32", "utf-16", "utf-8-sig"])
def test_decode_bytes_with_bom(codec: str) -> None:
    text = "Søk;Beløp\n"
    assert decode_bytes(text.encode(codec)) == text
