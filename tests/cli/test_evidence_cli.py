"""planner fit, planner backtest and the odds in simulate/optimize, run as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from tests.filegen.values import write_budget_xlsx, write_crm_csv
from tests.model.histories import make_history, month_labels
from tests.model.synthetic import DEFAULT_STREAMS, EXISTING_STREAM, make_budget, make_deals


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("evidence")
    budget = write_budget_xlsx(make_budget(), d / "budget.xlsx")
    crm = write_crm_csv(make_deals(streams=DEFAULT_STREAMS + (EXISTING_STREAM,), seed=1), d / "crm.csv")
    lift = d / "lift.json"
    lift.write_text(json.dumps([{"metric": "inbound_opportunities", "lift": 0.02, "sd": 0.02, "label": "holdout"}]))
    return str(budget), str(crm), str(lift)


def test_fit_json_without_history_keeps_the_priors_and_a_lift_test_moves_them(files):
    budget, crm, lift = files
    out = _run("fit", "--budget", budget, "--crm", crm, "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["months_of_history"] == 0 and "priors stand" in doc["note"]
    entry = doc["assumptions"]["brand_volume_lift"]
    assert set(entry) == {"prior", "posterior"} and set(entry["prior"]) == {"p10", "p50", "p90"}
    assert entry["prior"] == entry["posterior"]
    moved = json.loads(_run("fit", "--budget", budget, "--crm", crm, "--lift", lift, "--json").stdout)
    post = moved["assumptions"]["brand_volume_lift"]["posterior"]
    assert post["p50"] < 0.6 * entry["prior"]["p50"]


def test_a_bad_lift_file_is_one_line(files, tmp_path):
    budget, crm, _ = files
    bad = tmp_path / "lift.csv"
    bad.write_text("metric,lift,sd\nclicks,1,1\n")
    out = _run("fit", "--budget", budget, "--crm", crm, "--lift", str(bad))
    assert out.returncode == 2 and "lift.csv" in out.stderr and out.stderr.count("\n") == 1


def test_simulate_and_optimize_report_the_odds(files):
    budget, crm, _ = files
    sim = json.loads(_run("simulate", "--budget", budget, "--crm", crm, "--brand-share", "0.5", "--months", "24",
                          "--paths", "2000", "--json").stdout)
    for key in ("prob_beats_baseline", "prob_beats_baseline_revenue"):
        assert 0.0 <= sim["kpis"][key] <= 1.0
    opt = json.loads(_run("optimize", "--budget", budget, "--crm", crm, "--months", "24", "--paths", "1000",
                          "--json").stdout)
    assert len(opt["prob_beats_by_share"]) == len(opt["frontier"])
    assert opt["robust_share"] in [p["brand_share"] for p in opt["frontier"]]
    swings = [s["swing"] for s in opt["sensitivity"]]
    assert swings == sorted(swings, reverse=True) and swings[0] > 0
    assert {"key", "low", "high", "swing"} <= set(opt["sensitivity"][0]) and opt["sensitivity"][0]["settle"]


def test_backtest_json(tmp_path):
    labels = month_labels("2021-01", 40)
    deals = make_history(labels, np.full(40, 25.0), np.full(40, 35.0), seed=4)
    crm = write_crm_csv(deals, tmp_path / "crm.csv")
    budget = write_budget_xlsx(make_budget(), tmp_path / "budget.xlsx")
    out = _run("backtest", "--budget", str(budget), "--crm", str(crm), "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert {"cutoffs", "model_mape", "naive_mape", "coverage_p10_p90"} <= set(doc)
    assert len(doc["cutoffs"]) >= 5 and 0 <= doc["coverage_p10_p90"] <= 1
    text = _run("backtest", "--budget", str(budget), "--crm", str(crm))
    assert "run rate" in text.stdout
