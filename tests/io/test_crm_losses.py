"""Issue #13 classes 3, 4, 5 and 9 on whole CRM files: what is lost is read as missing and told.

Each test builds its file (`tests/filegen/hostile_files.crm_rows`) and goes
through `load_deals`, the way the app and the CLI read it, so a pandas
release that changes what its arrays allow (pandas 3: read-only) shows up
here; CI runs these with the newest and the oldest allowed pandas.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from tests.filegen import hostile_files as h

from planner import cli
from planner.io.crm import load_deals
from planner.io.types import Deals


def _kinds(deals: Deals) -> dict[str, int]:
    out: dict[str, int] = {}
    for n in deals.notices:
        out[n.kind] = out.get(n.kind, 0) + n.count
    return out


# ---------------------------------------------------------------- class 3: blank or absent dates


def test_blank_close_dates_are_missing_not_minus_9e18(tmp_path: Path) -> None:
    rows = h.crm_rows(90)
    closed_rows = [r for r in rows if r[1].startswith("Closed")]
    for r in closed_rows[::2]:
        r[4] = ""
    path = tmp_path / "half.csv"
    h.write_crm_csv(path, rows)
    deals = load_deals(path)
    assert len(deals) == 90  # every deal kept: a won deal still counts in win rates
    decided = deals.won | deals.lost
    assert int((decided & np.isnat(deals.closed)).sum()) == len(closed_rows[::2])
    assert _kinds(deals)["dates_missing"] == len(closed_rows[::2])
    from planner.model.calibrate import source_table

    cycle = (deals.closed - deals.created)[decided & ~np.isnat(deals.closed)]
    assert cycle.astype(np.int64).min() >= 30
    assert sum(r.won for r in source_table(deals)) == int(deals.won.sum())


def test_no_date_column_is_a_notice_and_no_absurd_cycle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [[r[0], r[1], r[2], r[5]] for r in h.crm_rows(60)]
    path = tmp_path / "nodates.csv"
    h.write_crm_csv(path, rows, ("Deal Name", "Stage", "Amount", "Lead Source"))
    deals = load_deals(path)
    messages = " ".join(n.message for n in deals.notices)
    assert "no created-date column" in messages and "no close-date column" in messages
    assert cli.main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "median cycle    n/a" in out and "-9223372036854775808" not in out
    assert "no created-date column" in out


def test_simulate_shows_import_notices_on_stderr_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from planner.resources import demo_paths

    budget, _ = demo_paths()
    rows = h.crm_rows(120)
    for r in rows[:30]:
        r[3] = ""
    rows[5][2] = "TBD"
    path = tmp_path / "gaps.csv"
    h.write_crm_csv(path, rows)
    code = cli.main(["simulate", "--budget", str(budget), "--crm", str(path), "--paths", "200", "--json"])
    captured = capsys.readouterr()
    assert code == 0
    json.loads(captured.out)  # stdout stays one JSON document
    assert "gaps.csv: notice: 1 row could not be read (row 7: amount 'TBD'" in captured.err
    assert "no created date" in captured.err
    assert "-9223372036854775808" not in captured.out


# ---------------------------------------------------------------- class 4: amount formats


@pytest.mark.parametrize(
    ("text", "value"),
    [("(1 200)", -1200.0), ("(1,200)", -1200.0), ("-", 0.0), ("−4 000", -4000.0), ("NaN", None)],
)
def test_documented_amount_formats_in_a_whole_file(tmp_path: Path, text: str, value: float | None) -> None:
    rows = h.crm_rows(30)
    rows[2][2] = text  # an open deal: a blank amount is allowed there
    path = tmp_path / "amounts.csv"
    h.write_crm_csv(path, rows)
    deals = load_deals(path)
    assert len(deals) == 30
    got = deals.amount[deals.name == "Deal 2"][0]
    assert np.isnan(got) if value is None else got == value
    assert np.isfinite(deals.amount[deals.won | deals.lost]).all()
    if value is not None and value < 0:
        assert _kinds(deals)["negative_amounts"] == 1


@pytest.mark.parametrize("text", ["inf", "-Infinity", "1e308", "nan"])
def test_non_finite_amount_text_on_a_won_deal_is_skipped_with_a_reason(tmp_path: Path, text: str) -> None:
    rows = h.crm_rows(30)
    rows[0][2] = text  # a won deal
    path = tmp_path / "wild.csv"
    h.write_crm_csv(path, rows)
    deals = load_deals(path)
    assert len(deals) == 29 and deals.skipped.count == 1
    assert np.isfinite(deals.amount[deals.won | deals.lost]).all()


def test_non_finite_number_cells_in_a_workbook_are_not_amounts(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(h.CRM_HEADER))
    for i, r in enumerate(h.crm_rows(20)):
        ws.append([r[0], r[1], 1e308 if i == 0 else float(r[2]), r[3], r[4], r[5]])
    path = tmp_path / "wild.xlsx"
    wb.save(path)
    deals = load_deals(path)
    assert len(deals) == 19 and deals.skipped.count == 1
    assert np.isfinite(deals.amount).all()


# ---------------------------------------------------------------- class 5: far dates


@pytest.mark.parametrize("placeholder", ["9999-12-31", "0001-01-01", "31.12.9999"])
def test_placeholder_dates_are_missing_with_a_notice(tmp_path: Path, placeholder: str) -> None:
    rows = h.crm_rows(30)
    rows[2][4] = placeholder  # open deal: "no close date yet"
    rows[0][3] = placeholder  # won deal: created unknown
    path = tmp_path / "far.csv"
    h.write_crm_csv(path, rows)
    deals = load_deals(path)
    assert len(deals) == 30
    assert _kinds(deals)["dates_out_of_range"] == 2
    assert np.isnat(deals.created[0])


def test_placeholder_date_cells_in_a_workbook(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(h.CRM_HEADER))
    for i, r in enumerate(h.crm_rows(20)):
        close = datetime(9999, 12, 31) if i == 2 else datetime.fromisoformat(r[4])
        created = "0001-01-01" if i == 3 else datetime.fromisoformat(r[3])  # Excel holds no year 1
        ws.append([r[0], r[1], float(r[2]), created, close, r[5]])
    path = tmp_path / "far.xlsx"
    wb.save(path)
    deals = load_deals(path)
    assert len(deals) == 20
    assert _kinds(deals)["dates_out_of_range"] == 2
    lo, hi = np.datetime64("1677-09-22"), np.datetime64("2262-04-11")
    for dates in (deals.created, deals.closed):
        ok = dates[~np.isnat(dates)]
        assert ((ok >= lo) & (ok <= hi)).all()


# ---------------------------------------------------------------- class 9: negative amounts


def test_negative_amounts_are_counted(tmp_path: Path) -> None:
    rows = h.crm_rows(30)
    for r in rows[:4]:
        r[2] = "-" + r[2]
    path = tmp_path / "credit.csv"
    h.write_crm_csv(path, rows)
    deals = load_deals(path)
    assert _kinds(deals)["negative_amounts"] == 4


# ---------------------------------------------------------------- class 9: quiet data loss


def test_stray_opening_quote_does_not_swallow_the_file(tmp_path: Path) -> None:
    rows = h.crm_rows(120)
    path = tmp_path / "quote.csv"
    h.write_crm_csv(path, rows)
    text = path.read_text(encoding="utf-8").replace("\nDeal 1,", '\n"Deal 1,', 1)
    path.write_text(text, encoding="utf-8")
    deals = load_deals(path)
    assert len(deals) == 120
    [notice] = [n for n in deals.notices if n.kind == "stray_quote"]
    assert notice.count == 1 and "row 3" in notice.message
    assert deals.name[1] == '"Deal 1'


def test_mixed_utf8_and_cp1252_is_one_source_with_a_notice(tmp_path: Path) -> None:
    rows = h.crm_rows(40)
    for r in rows:
        r[5] = "Søk"
    path = tmp_path / "mixed.csv"
    h.write_crm_csv(path, rows[:20])
    with open(path, "ab") as fh:  # another system appended in Windows-1252
        for r in rows[20:]:
            fh.write((",".join(r) + "\n").encode("cp1252"))
    deals = load_deals(path)
    assert len(deals) == 40
    assert set(deals.source.tolist()) == {"Søk"}
    [notice] = [n for n in deals.notices if n.kind == "encoding_mixed"]
    assert notice.count == 20  # one byte (ø) per appended row


# ---------------------------------------------------------------- the account column


def test_demo_crm_account_column_is_read() -> None:
    import csv

    from planner.resources import demo_paths

    path = demo_paths()[1]
    deals = load_deals(path)
    with open(path, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    column = rows[0].index("Account Name")
    assert deals.columns["account"] == "Account Name"
    assert deals.account is not None and deals.account.tolist() == [r[column] for r in rows[1:]]


def test_salesforce_and_hubspot_accounts(tmp_path: Path) -> None:
    from tests.filegen import crm_files as cg

    sf = tmp_path / "sf.csv"
    cg.write_salesforce_csv(sf, cg.make_deals(30))
    deals = load_deals(sf)
    assert set(deals.account.tolist()) == {"Ærø Ærlig A/S"}

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Deal Name", "Deal Stage", "Amount", "Create Date", "Close Date", "Associated Company"])
    for i, r in enumerate(h.crm_rows(20)):
        ws.append([r[0], r[1], float(r[2]), datetime.fromisoformat(r[3]), datetime.fromisoformat(r[4]), f"Acme {i % 4}"])
    hs = tmp_path / "hubspot.xlsx"
    wb.save(hs)
    deals = load_deals(hs)
    assert deals.columns["account"] == "Associated Company"
    assert deals.account.tolist() == [f"Acme {i % 4}" for i in range(20)]


def test_no_account_column_is_empty_strings(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    h.write_crm_csv(path, h.crm_rows(10))
    deals = load_deals(path)
    assert deals.account is not None and deals.account.tolist() == [""] * 10
    from planner.io.crm import FIELDS

    assert "account" in FIELDS  # the mapping dialog offers the fields io names
