"""Each real-world CRM export shape reads to exactly what the generator wrote."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from tests.filegen import crm_files as g

from planner.cli import main
from planner.io.crm import load_deals

Writer = Callable[[Path], g.Expected]

CASES: dict[str, tuple[str, Writer]] = {
    "salesforce_cp1252_semicolon": (
        "opportunities.csv",
        lambda p: g.write_salesforce_csv(p, g.make_deals(400, bad_amounts=3)),
    ),
    "hubspot_xlsx": (
        "hubspot-deals.xlsx",
        lambda p: g.write_hubspot_xlsx(
            p,
            g.make_deals(400, language="hubspot", sources=g.SOURCES_HUBSPOT, blank_open_amounts=6),
        ),
    ),
    "german_unicode_text": (
        "Verkaufschancen.txt",
        lambda p: g.write_german_unicode_txt(
            p, g.make_deals(400, language="de", sources=g.SOURCES_DE, bad_amounts=2)
        ),
    ),
    "plain_utf8_csv": ("deals.csv", lambda p: g.write_plain_csv(p, g.make_deals(400, seed=7))),
    "danish_csv": (
        "salgsmuligheder.csv",
        lambda p: g.write_nordic_csv(
            p, g.make_deals(250, language="da", sources=g.SOURCES_DA), "da"
        ),
    ),
    "norwegian_csv": (
        "salgsmuligheter.csv",
        lambda p: g.write_nordic_csv(
            p, g.make_deals(250, language="nb", sources=g.SOURCES_NB), "nb"
        ),
    ),
}


def _inspect_json(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    code = main(["inspect", str(path), "--json", *extra])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert out.err == ""
    return json.loads(out.out)


@pytest.mark.parametrize("case", sorted(CASES))
def test_inspect_matches_generator(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filename, write = CASES[case]
    path = tmp_path / filename
    exp = write(path)
    got = _inspect_json(path, capsys)

    assert got["kind"] == "crm"
    assert got["rows"] == exp.rows
    assert got["skipped_rows"]["count"] == exp.skipped
    assert len(got["skipped_rows"]["reasons"]) == min(exp.skipped, 5)
    assert (got["won"], got["lost"], got["open"], got["closed"]) == (
        exp.won,
        exp.lost,
        exp.open,
        exp.closed,
    )
    assert got["win_rate"] == pytest.approx(exp.win_rate)
    for cls in ("intent", "demand"):
        assert got["win_rate_by_class"][cls] == pytest.approx(exp.win_rate_by_class[cls])
    assert got["won_amount"] == pytest.approx(exp.won_amount, rel=1e-12)
    assert got["median_cycle_days"] == pytest.approx(exp.median_cycle_days)
    assert got["currency"] == exp.currency
    assert got["deal_types"] == {"new": exp.new, "existing": exp.existing, "unknown": 0}
    assert {s["source"] for s in got["sources"]} == set(exp.sources)
    for src in got["sources"]:
        want = exp.sources[src["source"]]
        assert src["class"] == want.source_class, src["source"]
        assert src["class_origin"] == "rule", src["source"]
        assert (src["deals"], src["closed"], src["won"]) == (want.deals, want.closed, want.won)
        assert src["win_rate"] == pytest.approx(want.win_rate)
        assert src["won_amount"] == pytest.approx(want.won_amount, rel=1e-12)
    assert set(got["columns"]) >= {"stage", "amount", "created", "closed", "source", "deal_type"}


def test_deals_arrays_are_consistent(tmp_path: Path) -> None:
    path = tmp_path / "hubspot.xlsx"
    deals_in = g.make_deals(
        120, language="hubspot", sources=g.SOURCES_HUBSPOT, blank_open_amounts=4
    )
    g.write_hubspot_xlsx(path, deals_in)
    deals = load_deals(path)
    n = len(deals)
    assert n == 120
    for arr in (
        deals.name,
        deals.stage,
        deals.outcome,
        deals.amount,
        deals.created,
        deals.closed,
        deals.source,
        deals.source_class,
        deals.deal_type,
    ):
        assert arr.shape == (n,)
    assert deals.created.dtype == np.dtype("datetime64[D]")
    assert deals.closed.dtype == np.dtype("datetime64[D]")
    assert np.isnat(deals.closed[deals.is_open]).all()
    assert not np.isnat(deals.closed[~deals.is_open]).any()
    # datetime cells with a time of day land on their calendar day
    assert deals.created[0] == np.datetime64(deals_in[0].created)
    # open deals without an amount are kept, with NaN
    assert np.isnan(deals.amount).sum() == 4
    assert np.isnan(deals.amount[deals.is_open]).sum() == 4
    assert deals.sheet == "Deals"
    assert list(deals.name[:2]) == [d.name for d in deals_in[:2]]


def test_tbd_amounts_are_skipped_and_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "with-tbd.xlsx"
    exp = g.write_hubspot_xlsx(path, g.make_deals(60, bad_amounts=3))
    before = path.read_bytes()
    got = _inspect_json(path, capsys)
    assert exp.skipped == 3
    assert got["rows"] == 57
    assert got["skipped_rows"]["count"] == 3
    assert got["skipped_rows"]["reasons"][0] == "row 5: amount 'TBD' is not a number"
    assert path.read_bytes() == before


def test_user_source_map_overrides_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deals.csv"
    exp = g.write_plain_csv(path, g.make_deals(200, seed=3))
    mapping = tmp_path / "map.csv"
    mapping.write_text("source,class\nwebinar,intent\nPARTNER_REFERRAL,demand\n", encoding="utf-8")
    got = _inspect_json(path, capsys, "--sources", str(mapping))
    by_source = {s["source"]: s for s in got["sources"]}
    assert by_source["Webinar"]["class"] == "intent"
    assert by_source["Webinar"]["class_origin"] == "user"
    assert by_source["Partner Referral"]["class"] == "demand"
    assert by_source["Web"]["class"] == "intent"
    # the by-class win rate follows the override
    closed = {"intent": 0, "demand": 0}
    won = {"intent": 0, "demand": 0}
    override = {"Webinar": "intent", "Partner Referral": "demand"}
    for name, s in exp.sources.items():
        cls = override.get(name, s.source_class)
        closed[cls] += s.closed
        won[cls] += s.won
    assert got["win_rate_by_class"]["intent"] == pytest.approx(won["intent"] / closed["intent"])


def test_unknown_sources_default_to_demand_and_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deals.csv"
    g.write_plain_csv(path, g.make_deals(30, sources=(("Web", "intent"), ("Zorblax", "demand"))))
    got = _inspect_json(path, capsys)
    by_source = {s["source"]: s for s in got["sources"]}
    assert by_source["Zorblax"]["class"] == "demand"
    assert by_source["Zorblax"]["class_origin"] == "default"
