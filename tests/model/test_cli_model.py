"""`planner simulate` and `planner optimize` on real files: JSON keys, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.filegen.values import write_budget_xlsx, write_crm_csv
from tests.model.synthetic import DEFAULT_STREAMS, EXISTING_STREAM, make_budget, make_deals


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("cli")
    budget = write_budget_xlsx(make_budget(), folder / "budget.xlsx")
    crm = write_crm_csv(make_deals(streams=DEFAULT_STREAMS + (EXISTING_STREAM,), seed=2), folder / "crm.csv")
    return budget, crm


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, timeout=120)


def test_simulate_json(files) -> None:
    budget, crm = files
    out = _run("simulate", "--budget", str(budget), "--crm", str(crm), "--months", "24", "--paths", "2000",
               "--seed", "3", "--brand-share", "0.4", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["brand_share"] == pytest.approx(0.4)
    assert (doc["months"], doc["paths"], doc["seed"]) == (24, 2000, 3)
    assert set(doc["kpis"]) == {
        "revenue_mean", "revenue_p10", "revenue_p50", "revenue_p90", "revenue_cv_monthly", "pipeline_created",
        "qualified_pipeline", "win_rate", "gross_margin_pct", "contribution", "cac", "cac_payback_months",
        "mqls", "cost_per_mql",
        # issue #9: the customer lifecycle, return on spend and break-even
        "revenue_new_mean", "revenue_recurring_mean", "arr_end_mean", "nrr", "grr", "ltv", "ltv_to_cac",
        "roi_brand", "roi_demand", "mroi_brand", "mroi_demand", "roi_counts_lifetime_value", "breakeven_month",
        "prob_beats_baseline", "prob_beats_baseline_revenue",
        "bookings_mean"}
    assert set(doc["monthly"]) == {"revenue_mean", "revenue_p10", "revenue_p90", "pipeline_created", "mqls",
                                   "spend_brand", "spend_demand", "revenue_new", "revenue_recurring", "arr",
                                   "revenue_churned", "bookings", "contribution", "contribution_gain_cumulative"}
    assert doc["kpis"]["roi_counts_lifetime_value"] is True
    assert doc["kpis"]["arr_end_mean"] > 0 and doc["kpis"]["mroi_brand"] is not None
    # the recognised revenue is new-contract revenue plus recurring revenue, month by month
    total = [a + b for a, b in zip(doc["monthly"]["revenue_new"], doc["monthly"]["revenue_recurring"], strict=True)]
    assert total == pytest.approx(doc["monthly"]["revenue_mean"], rel=0.05)
    assert all(len(v) == 24 for v in doc["monthly"].values())
    assert doc["kpis"]["revenue_p10"] <= doc["kpis"]["revenue_p50"] <= doc["kpis"]["revenue_p90"]
    assert doc["calibration"]["streams"] and doc["compute_ms"] > 0
    again = _run("simulate", "--budget", str(budget), "--crm", str(crm), "--months", "24", "--paths", "2000",
                 "--seed", "3", "--brand-share", "0.4", "--json")
    assert json.loads(again.stdout)["kpis"] == doc["kpis"]


def test_simulate_uses_the_budget_split_by_default(files) -> None:
    budget, crm = files
    out = _run("simulate", "--budget", str(budget), "--crm", str(crm), "--months", "6", "--paths", "200", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["brand_share"] == pytest.approx(0.3)


def test_optimize_json(files) -> None:
    budget, crm = files
    out = _run("optimize", "--budget", str(budget), "--crm", str(crm), "--months", "36", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert 0 < doc["best_share_contribution"] < 1
    assert 0 <= doc["best_share_risk_adjusted"] <= 1
    assert len(doc["frontier"]) == 21
    assert {"brand_share", "revenue_mean", "revenue_cv_monthly", "contribution"} <= set(doc["frontier"][0])
    assert "best_total_scale" not in doc and doc["warnings"] == []  # the best share rises with the horizon here


def test_optimize_total_json(files) -> None:
    budget, crm = files
    out = _run("optimize", "--budget", str(budget), "--crm", str(crm), "--months", "24", "--paths", "300",
               "--total", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    curve = doc["curve"]
    assert {"total_scale", "contribution_mean", "revenue_mean", "mroi"} <= set(curve[0])
    scales = [p["total_scale"] for p in curve]
    assert scales[0] == 0.0 and 1.0 in scales and doc["best_total_scale"] in scales
    mroi = [p["mroi"] for p in curve]
    assert all(a >= b for a, b in zip(mroi, mroi[1:], strict=False))  # diminishing returns
    best = scales.index(doc["best_total_scale"])
    assert mroi[best] <= 1.0 + 1e-9 and (best == 0 or mroi[best - 1] > 1.0)  # where mROI falls through 1
    revenue = [p["revenue_mean"] for p in curve]
    assert revenue[-1] > revenue[0]


def test_bad_input_is_one_line_and_exit_2(files, tmp_path) -> None:
    budget, crm = files
    out = _run("simulate", "--budget", str(budget), "--crm", str(crm), "--brand-share", "1.5", "--json")
    assert out.returncode == 2 and out.stdout == "" and len(out.stderr.strip().splitlines()) == 1
    out = _run("optimize", "--budget", str(budget), "--crm", str(crm), "--months", "0")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\x00\x01\x02garbage" * 50)
    out = _run("simulate", "--budget", str(budget), "--crm", str(junk), "--json")
    assert out.returncode == 2 and out.stdout == "" and len(out.stderr.strip().splitlines()) == 1
    assert "junk.csv" in out.stderr
    for flag, value in (("--seed", "-1"), ("--paths", "0"), ("--seed", "x")):
        out = _run("simulate", "--budget", str(budget), "--crm", str(crm), flag, value)
        assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, (flag, value, out.stderr)
        assert flag in out.stderr and "internal error" not in out.stderr


def test_simulate_takes_an_explicit_column_mapping(files, tmp_path) -> None:
    """A CRM whose amount column detection cannot name is read with --columns, same result."""
    budget, crm = files
    renamed = tmp_path / "crm_renamed.csv"
    text = crm.read_text(encoding="utf-8")
    renamed.write_text(text.replace(",Amount,", ",Angebotssumme (EUR),", 1), encoding="utf-8")
    common = ("simulate", "--budget", str(budget), "--months", "6", "--paths", "500", "--json")
    unmapped = _run(*common, "--crm", str(renamed))
    assert unmapped.returncode == 2 and len(unmapped.stderr.strip().splitlines()) == 1
    mapped = _run(*common, "--crm", str(renamed), "--columns", "amount=Angebotssumme (EUR)")
    original = _run(*common, "--crm", str(crm))
    assert mapped.returncode == 0, mapped.stderr
    assert json.loads(mapped.stdout)["kpis"] == json.loads(original.stdout)["kpis"]
    wrong = _run(*common, "--crm", str(renamed), "--columns", "amount=Nope")
    assert wrong.returncode == 2 and "Nope" in wrong.stderr
