"""The embedded demo workspace: shipped, small, realistic, read by the real readers, reproducible."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from planner.io.budget import load_budget
from planner.io.crm import load_deals
from planner.io.detect import file_kind
from planner.model.calibrate import source_table
from planner.resources import demo_paths, resource_path, resources_dir

ROOT = Path(__file__).resolve().parents[2]
BRAND = ("Thought leadership", "Podcast sponsorship", "TV-sponsing", "Bransjeevent", "Out-of-home")
DEMAND = ("LinkedIn Lead Gen Forms", "Google Ads", "Webinarer", "Messe", "Kjøpte lister/outbound")


def test_demo_files_exist_and_are_commit_sized() -> None:
    budget, crm = demo_paths()
    assert budget.suffix == ".xlsx" and crm.suffix == ".csv"
    assert budget.stat().st_size + crm.stat().st_size < 300 * 1024


def test_file_kinds_are_detected() -> None:
    budget, crm = demo_paths()
    assert file_kind(budget) == "budget"
    assert file_kind(crm) == "crm"


def test_demo_budget_reads_as_planned() -> None:
    budget = load_budget(demo_paths()[0])
    assert budget.currency == "NOK"
    assert budget.months == tuple(f"2027-{m:02d}" for m in range(1, 13))
    classes = {ln.name: ln.spend_class for ln in budget.lines}
    assert classes == {**dict.fromkeys(BRAND, "brand"), **dict.fromkeys(DEMAND, "demand")}
    # subtotal and total rows are formulas in the file and must not be counted as lines
    assert 8e6 < budget.total < 15e6
    assert 0.2 < budget.brand_share < 0.33  # a lead-machine company: the workshop story
    assert budget.monthly("brand")[6] < budget.monthly("brand")[8]  # quiet July, busy September


def test_demo_crm_reads_with_realistic_win_rates() -> None:
    deals = load_deals(demo_paths()[1])
    assert 1_300 <= len(deals) <= 1_700
    assert deals.skipped.count == 0
    assert deals.currency == "NOK"
    assert set(np.unique(deals.outcome)) == {"won", "lost", "open"}
    assert 50 < int(deals.is_open.sum()) < 400
    assert set(np.unique(deals.deal_type)) == {"new", "existing"}
    span = (deals.created.max() - deals.created.min()).astype(int)
    assert 2.5 * 365 < span < 3.2 * 365
    rates = {s.source: s.win_rate for s in source_table(deals)}
    for source in ("Referral", "Word of mouth", "Inbound - Website", "Organic Search"):
        assert 0.25 < rates[source] < 0.5, (source, rates[source])
    for source in ("Google Ads", "Webinar", "LinkedIn Lead Gen", "Purchased List"):
        assert 0.03 < rates[source] < 0.17, (source, rates[source])
    stats = {s.source: s for s in source_table(deals)}
    small = stats["Podcast"]
    assert small.deals < 25  # a visibly uncertain source for the sources view
    assert small.win_rate_high - small.win_rate_low > 2 * (stats["Google Ads"].win_rate_high - stats["Google Ads"].win_rate_low)


def test_make_demo_is_deterministic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("make_demo", ROOT / "scripts" / "make_demo.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_demo", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    assert module.main(["--out", str(tmp_path)]) == 0
    shipped_budget, shipped_crm = demo_paths()
    assert (tmp_path / shipped_crm.name).read_bytes() == shipped_crm.read_bytes()
    fresh, shipped = load_budget(tmp_path / shipped_budget.name), load_budget(shipped_budget)
    assert [ln.name for ln in fresh.lines] == [ln.name for ln in shipped.lines]
    for a, b in zip(fresh.lines, shipped.lines, strict=True):
        assert np.array_equal(a.amounts, b.amounts)


def test_resource_path_inside_a_pyinstaller_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = tmp_path / "planner" / "resources" / "demo"
    bundled.mkdir(parents=True)
    (bundled / "x.csv").write_text("a\n", encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources_dir() == tmp_path / "planner" / "resources"
    assert resource_path("demo/x.csv") == bundled / "x.csv"


def test_resource_path_rejects_escapes_and_missing_files() -> None:
    with pytest.raises(ValueError):
        resource_path("../cli.py")
    with pytest.raises(FileNotFoundError):
        resource_path("demo/nothing.csv")


def test_demo_is_in_the_shipped_resources() -> None:
    """The wheel ships resources/ (tests/test_resources.py builds and installs one): the demo lives there."""
    budget, crm = demo_paths()
    shipped = ROOT / "resources"
    assert budget.is_relative_to(shipped) and crm.is_relative_to(shipped)


def test_demo_is_a_plausible_saas_company() -> None:
    """Issue #9: renewals and upsells of named accounts; marketing 10-15 % of recognised revenue."""
    from planner.model.calibrate import calibrate

    budget, deals = load_budget(demo_paths()[0]), load_deals(demo_paths()[1])
    cal = calibrate(deals, budget)
    assert cal.recurring_share == 1.0
    assert 0.10 <= cal.spend_to_revenue <= 0.15, cal.spend_to_revenue
    assert not any("currency and units" in w for w in cal.warnings)
    names = np.asarray(deals.name, dtype=object).astype(str)
    renewals = np.char.find(names, "Fornyelse") >= 0
    upsells = np.char.find(names, "Utvidelse") >= 0
    assert renewals.sum() > 300 and upsells.sum() > 30
    assert set(np.unique(deals.deal_type[renewals | upsells])) == {"existing"}
