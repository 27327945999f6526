"""`planner inspect` end to end: kind detection, JSON keys, text output, a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.filegen import budget_files as b
from tests.filegen import crm_files as g

from planner.cli import main
from planner.errors import InputError
from planner.io.detect import file_kind

CRM_KEYS = {
    "kind",
    "rows",
    "skipped_rows",
    "closed",
    "won",
    "open",
    "win_rate",
    "win_rate_by_class",
    "won_amount",
    "median_cycle_days",
    "currency",
    "columns",
    "sources",
}
BUDGET_KEYS = {
    "kind",
    "total",
    "brand_total",
    "demand_total",
    "line_items",
    "months",
    "first_month",
    "currency",
    "sheet",
}


def test_crm_json_in_a_real_process(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    exp = g.write_salesforce_csv(path, g.make_deals(150, bad_amounts=1))
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "inspect", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    got = json.loads(proc.stdout)  # stdout is the JSON object alone
    assert set(got) >= CRM_KEYS
    assert got["kind"] == "crm"
    assert got["rows"] == exp.rows == 149
    assert got["won"] == exp.won
    assert got["win_rate"] == pytest.approx(exp.win_rate)
    for src in got["sources"]:
        assert set(src) >= {"source", "class", "deals", "closed", "won", "win_rate", "won_amount"}


def test_crm_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "Verkaufschancen.txt"
    exp = g.write_german_unicode_txt(path, g.make_deals(80, language="de", sources=g.SOURCES_DE))
    assert main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Verkaufschancen.txt: CRM export")
    assert f"deals read      {exp.rows}" in out
    assert "Empfehlung" in out and "EUR" in out


def test_budget_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "budget.xlsx"
    exp = b.write_wide_xlsx(path, b.make_lines(), currency="header")
    assert main(["inspect", str(path), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert set(got) >= BUDGET_KEYS
    assert got["kind"] == "budget"
    assert got["total"] == pytest.approx(exp.total)
    assert got["brand_total"] == pytest.approx(exp.brand_total)
    assert got["demand_total"] == pytest.approx(exp.demand_total)
    assert got["line_items"] == len(exp.lines)
    assert got["months"] == len(exp.months)
    assert got["first_month"] == exp.months[0]
    assert got["sheet"] == exp.sheet
    assert got["currency"] == exp.currency


def test_budget_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "budget.csv"
    b.write_wide_csv(path, b.make_lines("da"))
    assert main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("budget.csv: budget")
    assert "line items      8" in out


@pytest.mark.parametrize(
    ("name", "write", "kind"),
    [
        ("sf.csv", lambda p: g.write_salesforce_csv(p, g.make_deals(30)), "crm"),
        ("hs.xlsx", lambda p: g.write_hubspot_xlsx(p, g.make_deals(30)), "crm"),
        ("de.txt", lambda p: g.write_german_unicode_txt(p, g.make_deals(30, language="de")), "crm"),
        ("wide.xlsx", lambda p: b.write_wide_xlsx(p, b.make_lines()), "budget"),
        ("wide.csv", lambda p: b.write_wide_csv(p, b.make_lines("da")), "budget"),
        ("long.csv", lambda p: b.write_long(p, b.make_lines()), "budget"),
    ],
)
def test_file_kind(tmp_path: Path, name: str, write: Callable[[Path], object], kind: str) -> None:
    path = tmp_path / name
    write(path)
    assert file_kind(path) == kind


def test_file_kind_rejects_unrelated_data(tmp_path: Path) -> None:
    path = tmp_path / "weather.csv"
    g.write_weather_csv(path)
    with pytest.raises(InputError, match="neither a CRM export"):
        file_kind(path)


def test_usage_error_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["inspect"])
    assert info.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_per_source_figures_are_the_sources_panel_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`planner inspect` counts each source with `calibrate.source_table`, the panel's table."""
    from planner.io.crm import load_deals
    from planner.model.calibrate import source_table

    path = tmp_path / "deals.xlsx"
    g.write_hubspot_xlsx(path, g.make_deals(200, seed=11))
    assert main(["inspect", str(path), "--json"]) == 0
    got = {s["source"]: s for s in json.loads(capsys.readouterr().out)["sources"]}
    table = source_table(load_deals(path))
    assert set(got) == {row.source for row in table}
    for row in table:
        src = got[row.source]
        assert (src["class"], src["deals"], src["closed"], src["won"]) == (
            row.source_class,
            row.deals,
            row.closed,
            row.won,
        )
        assert src["won_amount"] == pytest.approx(row.avg_won_amount * row.won)
