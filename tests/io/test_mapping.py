"""Explicit mappings and "unsure" previews: what the mapping dialog and `--columns`/`--sheet` use."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from tests.filegen import budget_files as b
from tests.filegen import crm_files as g

from planner.cli import main
from planner.errors import InputError
from planner.io import budget as budget_io
from planner.io.budget import load_budget, preview_budget, workbook_has_formulas_or_currency_formats
from planner.io.crm import (
    COLUMNS,
    FIELDS,
    REQUIRED,
    load_deals,
    parse_column_mapping,
    preview_layout,
)
from planner.io.text import layout_key

TODAY = date(2031, 6, 1)
MISSED = "Angebotssumme (EUR)"  # an amount header no rule knows


def german(
    tmp_path: Path, header: str = "Auftragswert (EUR)", n: int = 150
) -> tuple[Path, g.Expected]:
    path = tmp_path / "Verkaufschancen.xlsx"
    deals = g.make_deals(n, language="de", sources=g.SOURCES_DE, seed=4)
    return path, g.write_german_export_xlsx(path, deals, amount_header=header)


def assert_deals(deals: object, exp: g.Expected) -> None:
    assert len(deals) == exp.rows  # type: ignore[arg-type]
    assert int(deals.won.sum()) == exp.won  # type: ignore[attr-defined]
    won_amount = float(np.nansum(deals.amount[deals.won]))  # type: ignore[attr-defined]
    assert won_amount == pytest.approx(exp.won_amount)


def inspect_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    code = main(["inspect", *args, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


# ------------------------------------------------------------------ CRM: columns


def test_fields_are_the_column_table_keys() -> None:
    assert tuple(COLUMNS) == FIELDS
    assert set(REQUIRED) <= set(FIELDS)


def test_renamed_amount_with_a_currency_suffix_is_detected_and_sure(tmp_path: Path) -> None:
    path, exp = german(tmp_path)
    preview = preview_layout(path)
    assert preview.mapping["amount"] == "Auftragswert (EUR)"
    assert preview.confident, preview.unsure
    deals = load_deals(path)
    assert_deals(deals, exp)
    assert deals.currency == "EUR"


def test_amount_column_detection_misses_is_read_with_a_mapping(tmp_path: Path) -> None:
    path, exp = german(tmp_path, MISSED)
    with pytest.raises(InputError, match="no deal table found"):
        load_deals(path)
    preview = preview_layout(path, rows=5)
    assert preview.missing_required == ("amount",)
    assert not preview.confident
    assert any("no amount column" in r for r in preview.unsure)
    assert preview.sheet == "Verkaufschancen"
    assert preview.header_row == 3  # 0-based: title, filter, blank line, then the header
    assert MISSED in preview.headers
    assert len(preview.rows) == 5
    assert preview.rows[0][0].startswith("Deal 00001")
    assert preview.mapping["stage"] == "Phase"

    deals = load_deals(path, columns={"amount": MISSED})
    assert_deals(deals, exp)
    assert deals.columns["amount"] == MISSED
    assert deals.columns["stage"] == "Phase"  # the other fields are still detected
    assert deals.currency == "EUR"  # from the header the user named
    # Case and spacing of the named header do not matter.
    again = load_deals(path, columns={"amount": "  angebotssumme (eur) "})
    assert len(again) == exp.rows


def test_prefix_only_match_is_unsure(tmp_path: Path) -> None:
    path, exp = german(tmp_path, "Auftragswert netto")
    preview = preview_layout(path)
    assert preview.mapping["amount"] == "Auftragswert netto"
    assert any("only by the start" in r and "amount" in r for r in preview.unsure)
    assert_deals(load_deals(path), exp)


def test_two_columns_competing_for_a_field_is_unsure(tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    header = (
        "Deal Name",
        "Stage",
        "Amount",
        "Betrag",
        "Created",
        "Close Date",
        "Lead Source",
        "Deal Type",
    )
    deals = g.make_deals(40)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(",".join(header) + "\n")
        for d in deals:
            fh.write(
                f"{d.name},{d.stage},{d.amount:.2f},{(d.amount or 0) * 0.1:.2f},"
                f"{d.created.isoformat()},{d.closed.isoformat()},{d.source},{d.deal_type}\n"
            )
    preview = preview_layout(path)
    assert preview.mapping["amount"] == "Amount"
    assert preview.alternatives == {"amount": ("Betrag",)}
    assert any("several columns could be the amount" in r for r in preview.unsure)
    chosen = load_deals(path, columns={"amount": "Betrag"})
    assert chosen.columns["amount"] == "Betrag"
    assert np.nansum(chosen.amount) == pytest.approx(
        0.1 * np.nansum(load_deals(path).amount), rel=1e-3
    )


def test_mapping_overrides_one_field_and_can_leave_one_out(tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    g.write_plain_csv(path, g.make_deals(60, seed=2))
    deals = load_deals(path, columns={"source": "Deal Type", "deal_type": ""})
    assert deals.columns["source"] == "Deal Type"
    assert "deal_type" not in deals.columns
    assert set(deals.source) <= {t for t, _ in g.TYPES["en"]}
    assert set(deals.deal_type) == {""}


@pytest.mark.parametrize(
    ("columns", "problem"),
    [
        ({"amout": "Amount"}, "unknown field 'amout'"),
        ({"type": "Deal Type"}, "unknown field 'type'"),
        ({"amount": ""}, "amount column is required"),
        ({"created": "Close Date", "closed": "close date"}, "given for both created and closed"),
    ],
)
def test_bad_mappings_are_one_line_errors(tmp_path: Path, columns: dict, problem: str) -> None:
    path = tmp_path / "deals.csv"
    g.write_plain_csv(path, g.make_deals(20))
    with pytest.raises(InputError, match=problem) as info:
        load_deals(path, columns=columns)
    assert "\n" not in info.value.message


def test_named_column_not_in_the_header(tmp_path: Path) -> None:
    path, _ = german(tmp_path, MISSED)
    with pytest.raises(InputError) as info:
        load_deals(path, columns={"amount": "Betrag netto"})
    message = info.value.message
    assert "'Betrag netto'" in message and "given for amount" in message
    assert MISSED in message  # the header row's own names are listed


def test_named_columns_without_a_stage(tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text("Name,Wert,Datum\nA,100,2024-01-01\nB,200,2024-02-01\n", encoding="utf-8")
    with pytest.raises(InputError, match="no stage column found"):
        load_deals(path, columns={"amount": "Wert"})


def test_parse_column_mapping() -> None:
    assert parse_column_mapping("amount=Amount (EUR, net), stage = Phase,deal_type=") == {
        "amount": "Amount (EUR, net)",
        "stage": "Phase",
        "deal_type": "",
    }
    with pytest.raises(InputError, match="expected field=Header"):
        parse_column_mapping("amount")
    with pytest.raises(InputError, match="unknown field 'foo'"):
        parse_column_mapping("foo=Bar")
    with pytest.raises(InputError, match="given twice"):
        parse_column_mapping("amount=A,amount=B")


# ------------------------------------------------------------------ CRM: sheets


def test_workbook_with_two_deal_sheets(tmp_path: Path) -> None:
    path = tmp_path / "exports.xlsx"
    this_year, last_year = g.write_two_deal_sheets_xlsx(
        path, g.make_deals(50, seed=1), g.make_deals(90, seed=2), ("2025", "2024")
    )
    preview = preview_layout(path)
    assert preview.sheets == ("2025", "2024")
    assert preview.deal_sheets == ("2025", "2024")
    assert preview.sheet == "2025"
    assert any(
        "several sheets look like deal tables" in r and "'2024'" in r for r in preview.unsure
    )
    other = preview_layout(path, sheet="2024")
    assert other.sheet == "2024" and other.confident, other.unsure

    assert_deals(load_deals(path), this_year)
    chosen = load_deals(path, sheet="2024")
    assert_deals(chosen, last_year)
    assert chosen.sheet == "2024"
    assert len(load_deals(path, sheet="2024", columns={"amount": "Amount"})) == last_year.rows
    with pytest.raises(InputError, match="has no sheet '2023'; its sheets are '2025', '2024'"):
        load_deals(path, sheet="2023")


def test_sheet_on_a_text_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    g.write_plain_csv(path, g.make_deals(10))
    with pytest.raises(InputError, match="text file with one table"):
        load_deals(path, sheet="Deals")
    assert preview_layout(path).sheets == ()


# ------------------------------------------------------------------ CRM: doubts about content


def test_existing_exports_preview_without_doubts(tmp_path: Path) -> None:
    writers = {
        "sf.csv": lambda p: g.write_salesforce_csv(p, g.make_deals(80, bad_amounts=2)),
        "hs.xlsx": lambda p: g.write_hubspot_xlsx(
            p, g.make_deals(80, language="hubspot", sources=g.SOURCES_HUBSPOT)
        ),
        "de.txt": lambda p: g.write_german_unicode_txt(
            p, g.make_deals(80, language="de", sources=g.SOURCES_DE)
        ),
        "da.csv": lambda p: g.write_nordic_csv(
            p, g.make_deals(80, language="da", sources=g.SOURCES_DA), "da"
        ),
    }
    for name, write in writers.items():
        path = tmp_path / name
        write(path)
        preview = preview_layout(path)
        assert preview.confident, (name, preview.unsure)
        assert preview.missing_required == ()


def test_unknown_lead_sources_make_it_unsure(tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    g.write_plain_csv(path, g.make_deals(60, sources=(("Zeta", "demand"), ("Omega", "demand"))))
    preview = preview_layout(path)
    assert any("lead source no rule knows" in r and "'Zeta'" in r for r in preview.unsure)


def test_stage_column_without_won_or_lost_is_unsure(tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text(
        "Deal Name,Stage,Amount,Lead Source\n"
        + "".join(f"D{i},Qualified,{100 * i},Referral\n" for i in range(1, 30)),
        encoding="utf-8",
    )
    preview = preview_layout(path)
    assert any("no stage value reads as won or lost" in r for r in preview.unsure)


def test_preview_of_a_file_with_no_table(tmp_path: Path) -> None:
    path = tmp_path / "weather.csv"
    g.write_weather_csv(path)
    preview = preview_layout(path)
    assert set(preview.missing_required) == {"stage", "amount"}
    assert preview.headers[0] == "Date"  # the dialog can still offer the file's columns
    assert preview.rows and not preview.confident


# ------------------------------------------------------------------ layout key


def test_layout_key_is_stable_and_tells_layouts_apart(tmp_path: Path) -> None:
    key = layout_key(["Deal Name", "Stage", "Amount"])
    assert key == layout_key(["deal  name", "STAGE ", "Amount", None, ""])
    assert key != layout_key(["Stage", "Deal Name", "Amount"])
    assert key != layout_key(["Deal Name", "Stage", "Betrag"])
    assert key.startswith("v1:") and len(key) == 43
    first, _ = german(tmp_path, MISSED, n=30)
    second_path = tmp_path / "b.xlsx"
    g.write_german_export_xlsx(second_path, g.make_deals(70, seed=9), amount_header=MISSED)
    one, two = preview_layout(first), preview_layout(second_path)
    assert one.layout_key == two.layout_key == layout_key(one.headers)


# ------------------------------------------------------------------ CLI


def test_cli_columns_and_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, exp = german(tmp_path, MISSED)
    got = inspect_json(capsys, str(path), "--columns", f"amount={MISSED}")
    assert got["rows"] == exp.rows
    assert got["won_amount"] == pytest.approx(exp.won_amount)
    assert got["columns"]["amount"] == MISSED

    two = tmp_path / "two.xlsx"
    _, last_year = g.write_two_deal_sheets_xlsx(
        two, g.make_deals(30), g.make_deals(45, seed=5), ("2025", "2024")
    )
    got = inspect_json(capsys, str(two), "--sheet", "2024")
    assert got["sheet"] == "2024" and got["rows"] == last_year.rows


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--columns", "amount=Betrag netto"], "no column 'Betrag netto' (given for amount)"),
        (["--columns", "amout=Betrag"], "unknown field 'amout'"),
        (["--sheet", "Nope"], "has no sheet 'Nope'"),
    ],
)
def test_cli_mapping_errors_are_one_line_exit_2(
    tmp_path: Path, extra: list[str], needle: str
) -> None:
    path, _ = german(tmp_path, MISSED, n=20)
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "inspect", str(path), "--json", *extra],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], proc.stderr


# ------------------------------------------------------------------ budgets


def two_budgets(tmp_path: Path) -> tuple[Path, b.Expected, b.Expected]:
    path = tmp_path / "plan.xlsx"
    plan, actuals = b.write_two_budgets_xlsx(
        path, b.make_lines(seed=1), b.make_lines(seed=2)[:5], unclassified=("Misc 1",)
    )
    return path, plan, actuals


def test_budget_with_two_budget_sheets(tmp_path: Path) -> None:
    path, plan, actuals = two_budgets(tmp_path)
    preview = preview_budget(path, rows=4, today=TODAY)
    assert preview.sheet == "Budget 2026"
    assert [(s.name, s.lines, s.months) for s in preview.sheets] == [
        ("Budget 2026", 9, 12),
        ("Actuals 2025", 5, 12),
    ]
    assert any(
        "several sheets hold a budget" in r and "'Actuals 2025'" in r for r in preview.unsure
    )
    assert preview.header_row == 0
    assert preview.headers[:3] == ("Line", "Category", "Jan 2026")
    assert len(preview.rows) == 4 and preview.rows[0][0] == plan.lines[0].name
    assert preview.months[0] == "2026-01"

    default = load_budget(path, today=TODAY)
    assert default.sheet == "Budget 2026"
    assert default.total == pytest.approx(plan.total)
    chosen = load_budget(path, today=TODAY, sheet="actuals 2025")  # case does not matter
    assert chosen.sheet == "Actuals 2025"
    assert chosen.months == actuals.months
    assert chosen.total == pytest.approx(actuals.total)
    assert chosen.brand_total == pytest.approx(actuals.brand_total)


def test_budget_lines_with_the_default_class_are_unsure(tmp_path: Path) -> None:
    path, _, _ = two_budgets(tmp_path)
    preview = preview_budget(path, today=TODAY)
    assert preview.default_class_lines == ("Misc 1",)
    assert any("'Misc 1'" in r and "count as demand" in r for r in preview.unsure)


def test_budget_without_a_year_is_unsure(tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    b.write_wide_xlsx(
        path, b.make_lines("nb"), language="nb", title="Markedsbudsjett", sheet="Plan"
    )
    preview = preview_budget(path, today=TODAY)
    assert any("name no year" in r and "2031" in r for r in preview.unsure)
    dated = tmp_path / "c.xlsx"
    b.write_wide_xlsx(dated, b.make_lines("nb"), language="nb")  # "... 2026" in the title
    assert preview_budget(dated, today=TODAY).confident


def test_plain_budget_preview_is_sure(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    exp = b.write_wide_xlsx(path, b.make_lines(), currency="header")
    preview = preview_budget(path, today=TODAY)
    assert preview.confident, preview.unsure
    assert preview.sheet == exp.sheet
    assert {s.name for s in preview.sheets} == {"Budget", "Notes"}
    notes = next(s for s in preview.sheets if s.name == "Notes")
    assert notes.lines == 0 and notes.problem


def test_budget_sheet_errors(tmp_path: Path) -> None:
    path, _, _ = two_budgets(tmp_path)
    with pytest.raises(InputError, match="has no sheet 'Forecast'"):
        load_budget(path, sheet="Forecast")
    notes = tmp_path / "notes.xlsx"
    b.write_wide_xlsx(notes, b.make_lines())
    with pytest.raises(InputError, match="sheet 'Notes' holds no budget"):
        load_budget(notes, sheet="Notes")
    csv_path = tmp_path / "budget.csv"
    b.write_wide_csv(csv_path, b.make_lines("da"))
    with pytest.raises(InputError, match="text file with one table"):
        load_budget(csv_path, sheet="Budget")


def test_preview_of_a_file_without_a_budget(tmp_path: Path) -> None:
    path = tmp_path / "weather.csv"
    g.write_weather_csv(path)
    preview = preview_budget(path)
    assert preview.sheet is None and not preview.confident
    assert preview.headers[0] == "Date"


def test_cli_budget_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _, actuals = two_budgets(tmp_path)
    got = inspect_json(capsys, str(path), "--sheet", "Actuals 2025")
    assert got["kind"] == "budget"
    assert got["sheet"] == "Actuals 2025"
    assert got["total"] == pytest.approx(actuals.total)


# ------------------------------------------------------------------ budgets: openpyxl only when it helps


def test_openpyxl_is_skipped_for_a_plain_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plain.xlsx"
    exp = b.write_wide_xlsx(path, b.make_lines(), currency="note")
    assert not workbook_has_formulas_or_currency_formats(path)

    def refuse(self: object) -> None:
        raise AssertionError("openpyxl was opened for a workbook without formulas")

    monkeypatch.setattr(budget_io._Workbook, "_open", refuse)
    assert load_budget(path, today=TODAY).total == pytest.approx(exp.total)


@pytest.mark.parametrize(
    "kwargs",
    [{"formulas": "totals"}, {"currency": "format"}],
)
def test_openpyxl_is_used_for_formulas_and_currency_formats(tmp_path: Path, kwargs: dict) -> None:
    path = tmp_path / "b.xlsx"
    exp = b.write_wide_xlsx(path, b.make_lines("da"), language="da", **kwargs)
    assert workbook_has_formulas_or_currency_formats(path)
    budget = load_budget(path, today=TODAY)
    assert budget.total == pytest.approx(exp.total)
    assert budget.currency == exp.currency
