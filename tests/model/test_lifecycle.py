"""Issue #9: recurring revenue by cohort, a response in money, time that runs the right way."""

from __future__ import annotations

import csv
import math
from dataclasses import replace

import numpy as np
import pytest
from tests.model.synthetic import (
    DEFAULT_STREAMS,
    EXISTING_STREAM,
    TrueStream,
    make_budget,
    make_deals,
)

from planner.io.budget import load_budget
from planner.io.crm import load_deals
from planner.model.calibrate import calibrate
from planner.model.kpi import breakeven_month
from planner.model.lifecycle import (
    Retention,
    cohort_mrr,
    fit_sbg,
    horizon_kernel,
    payback_month,
    value_profile,
)
from planner.model.session import ModelSession
from planner.model.simulate import make_plan, simulate
from planner.resources import demo_paths
from planner.scenario.document import Scenario, apply_to_budget


# ----------------------------------------------------------------------------- cohort arithmetic
def test_cohort_arithmetic_against_a_hand_computed_case() -> None:
    """ACV 1,200 won in month 0; r1 = 0.8, alpha + beta = 4 (so r2 = 4.2 / 5 = 0.84); expansion 10 %."""
    retention = Retention.from_people(0.8, 4.0, 0.10)
    assert (retention.alpha, retention.beta) == pytest.approx((0.8, 3.2))
    assert retention.renewal_rate(2) == pytest.approx(0.84)
    assert retention.survival(2) == pytest.approx(0.8 * 0.84)
    k = cohort_mrr(np.array([0]), 30, retention)
    mrr = 1200.0 * (k.first_year[:, 0] + k.renewed[:, 0])
    np.testing.assert_allclose(mrr[:12], 100.0)  # year 1: ACV / 12
    np.testing.assert_allclose(mrr[12:24], 100.0 * 0.8 * 1.1)  # 88: 80 % renew, each 10 % bigger
    np.testing.assert_allclose(mrr[24:30], 88.0 * 0.84 * 1.1)  # 81.312
    np.testing.assert_allclose(1200.0 * k.first_year[:12, 0], 100.0)
    assert 1200.0 * k.renewed[:12, 0].sum() == 0.0
    churned = 1200.0 * k.churned[:, 0]
    assert churned[12] == pytest.approx(20.0) and churned[24] == pytest.approx(88.0 * 0.16)
    assert churned.sum() == pytest.approx(20.0 + 88.0 * 0.16)
    assert 1200.0 * k.expansion[12, 0] == pytest.approx(8.0)


def test_kernel_is_the_same_cohort_shifted_and_payback_reads_it() -> None:
    retention = Retention.from_people(0.85, 6.0, 0.12)
    k = horizon_kernel(36, retention)
    total = k.first_year + k.renewed
    np.testing.assert_allclose(total[20:, 5], total[15:31, 0])  # time-invariant without a brand shift
    assert np.all(np.triu(total, 1) == 0)  # nothing is recognised before the contract is won
    profile = value_profile(retention)
    assert payback_month(profile, 0.5) == pytest.approx(6.0)  # half an ACV: six months of year one
    assert math.isnan(payback_month(profile, 1e6))


def test_sbg_fit_recovers_alpha_and_beta() -> None:
    truth = Retention(0.9, 5.1)
    due = np.array([20_000.0])
    renewed = []
    for t in range(1, 6):
        renewed.append(due[-1] * float(truth.renewal_rate(t)))
        due = np.append(due, renewed[-1])
    a, b = fit_sbg(due[:5], np.array(renewed))
    assert (a, b) == pytest.approx((0.9, 5.1), rel=0.02)


def test_demo_account_histories_calibrate_retention() -> None:
    """With the export's account column, renewals due vs renewed give the generator's first-renewal retention."""
    deals = load_deals(demo_paths()[1])
    with open(demo_paths()[1], encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    column = rows[0].index("Account Name")
    accounts = np.array([r[column] for r in rows[1:]], dtype=object)
    cal = calibrate(replace(deals, account=accounts), load_budget(demo_paths()[0]))
    assert cal.base.retention_source == "accounts" and cal.base.renewals_seen >= 100
    assert abs(cal.base.retention.first_renewal - 0.87) < 0.05  # scripts/make_demo.py RETENTION_FIRST
    assert 0.05 < cal.base.retention.expansion < 0.25
    no_accounts = calibrate(replace(deals, account=None), load_budget(demo_paths()[0]))
    assert no_accounts.base.retention_source == "defaults"
    assert abs(cal.revenue_ref / no_accounts.revenue_ref - 1) < 0.15  # the two estimates of today's base agree


def test_project_sales_are_detected_and_switchable() -> None:
    new_only = make_deals(streams=DEFAULT_STREAMS, seed=4)
    new_only = replace(new_only, deal_type=np.full(len(new_only), "new", dtype=object))
    budget = make_budget()
    cal = calibrate(new_only, budget)
    assert cal.recurring_share == 0.0 and any("project sales" in w for w in cal.warnings)
    result = simulate(cal, budget, Scenario(months=12), paths=200)
    np.testing.assert_allclose(result.revenue_tp, result.bookings_tp)  # revenue is bookings at close
    forced = calibrate(new_only, budget, {"recurring_share": 1.0})
    assert forced.recurring_share == 1.0
    unknown_types = make_deals(streams=DEFAULT_STREAMS, seed=4)  # no deal types: recurring by default
    assert calibrate(unknown_types, budget).recurring_share == 1.0


# ----------------------------------------------------------------------------- money
def _big_crm():
    deals = make_deals(streams=DEFAULT_STREAMS + (EXISTING_STREAM,), seed=1)
    return replace(deals, amount=deals.amount * 5.0)  # revenue ~2.6 M a month


def test_two_budgets_in_different_units_give_different_answers() -> None:
    """The same CRM with a 28.5 M and a 3.6 M budget: the big one sits deep in saturation and gets a notice."""
    deals = _big_crm()
    small = make_budget(brand=0.3 * 3.6e6 / 12, demand=0.7 * 3.6e6 / 12)
    big = make_budget(brand=0.3 * 28.5e6 / 12, demand=0.7 * 28.5e6 / 12)
    k_small = ModelSession(small, deals).run(Scenario(months=36), 2000, 0)[1]
    k_big = ModelSession(big, deals).run(Scenario(months=36), 2000, 0)[1]
    cal_small, cal_big = calibrate(deals, small), calibrate(deals, big)
    assert not any("currency and units" in w for w in cal_small.warnings)
    notice = [w for w in cal_big.warnings if "currency and units" in w]
    assert len(notice) == 1 and "of the CRM's monthly revenue" in notice[0]
    assert cal_big.awareness_ref > cal_small.awareness_ref + 0.3  # where today sits on the curve differs
    assert k_big.mroi_demand < 0.25 * k_small.mroi_demand
    assert k_big.mroi_brand < 0.25 * k_small.mroi_brand
    assert k_small.contribution - k_big.contribution > 0.5 * (k_big.spend - k_small.spend)


def test_roi_counts_lifetime_value_and_mql_acceptance_moves_money(session) -> None:
    _, k = session.run(Scenario(months=36), 1000, 0)
    assert k.roi_counts_lifetime_value is True and k.to_dict()["roi_counts_lifetime_value"] is True
    assert k.roi_brand > 0 and k.roi_demand > 0 and k.mroi_brand > 0 and k.mroi_demand > 0
    assert k.ltv > 0 and k.ltv_to_cac > 0 and 0.5 < k.grr < k.nrr < 1.2

    def brand_gain(acceptance: float) -> float:
        over = (("mql_acceptance", acceptance),)
        base = session.run(Scenario(months=36, assumptions=over), 1000, 0)[1]
        more = session.run(Scenario(months=36, assumptions=over, brand_share=0.6), 1000, 0)[1]
        return more.revenue_mean - base.revenue_mean

    assert abs(brand_gain(0.05) - brand_gain(0.45)) > 0.001 * abs(brand_gain(0.05))


# ----------------------------------------------------------------------------- time order
def test_a_brand_change_cannot_move_a_deal_already_open(calibration, budget) -> None:
    lag = int(calibration.assumptions["brand_lag_months"])
    assert lag >= 1
    more_brand = Scenario(months=24, line_scales=(("Brand campaign", 3.0), ("Thought leadership", 3.0)))
    a = simulate(calibration, budget, Scenario(months=24), paths=500, seed=5)
    b = simulate(calibration, budget, more_brand, paths=500, seed=5)
    assert b.spend_brand.sum() > 2.5 * a.spend_brand.sum() and np.all(b.awareness > a.awareness)
    plan_a = make_plan(calibration, apply_to_budget(budget, Scenario(months=24)), 24)
    plan_b = make_plan(calibration, apply_to_budget(budget, more_brand), 24)
    np.testing.assert_array_equal(plan_a.open_mean, plan_b.open_mean)  # today's open deals: untouched
    # nothing decided before the lag moves: opportunities, their win rates and prices, renewals, revenue
    np.testing.assert_array_equal(a.counts_tp[:, :lag], b.counts_tp[:, :lag])
    np.testing.assert_array_equal(a.win_rates[:, :lag], b.win_rates[:, :lag])
    np.testing.assert_array_equal(a.revenue_tp[:lag], b.revenue_tp[:lag])
    assert np.all(b.win_rates[:2, lag:] > a.win_rates[:2, lag:])  # later opportunities feel it


def test_a_lead_gen_cut_shows_within_two_months(calibration, budget) -> None:
    cut = Scenario(months=12, line_scales=(("Paid search", 0.0), ("Webinars", 0.0)))
    a = simulate(calibration, budget, Scenario(months=12), paths=2000, seed=5)
    b = simulate(calibration, budget, cut, paths=2000, seed=5)
    demand = a.streams.index("demand")
    drop = 1.0 - b.counts_mean[demand, :2] / a.counts_mean[demand, :2]
    assert drop[0] > 0.1 and drop[1] > 0.3  # half-life one month: half the lead-gen stock is gone in month 1


# ----------------------------------------------------------------------------- plan shape
def test_a_small_share_move_keeps_every_line_s_phasing() -> None:
    budget = load_budget(demo_paths()[0])
    today = budget.brand_share
    moved = apply_to_budget(budget, Scenario(brand_share=today - 0.003, months=12))
    assert moved.brand_share == pytest.approx(today - 0.003)
    assert moved.total == pytest.approx(budget.total)
    for old, new in zip(budget.lines, moved.lines, strict=True):
        zero = old.amounts == 0
        assert np.all(new.amounts[zero] == 0)  # a line with no money stays empty
        change = np.abs(new.amounts[~zero] / old.amounts[~zero] - 1)
        assert change.max() < 0.03, (old.name, change.max())


def test_share_is_of_the_horizon_and_an_empty_class_gets_a_phased_line() -> None:
    budget = make_budget(months=12)
    for months in (6, 12, 30):
        moved = apply_to_budget(budget, Scenario(brand_share=0.55, months=months))
        plan = make_plan(calibrate(make_deals(seed=2), budget), moved, months)
        assert plan.spend_brand.sum() / (plan.spend_brand.sum() + plan.spend_demand.sum()) == pytest.approx(0.55)
    no_brand = replace(budget, lines=tuple(ln for ln in budget.lines if ln.spend_class == "demand"))
    shifted = apply_to_budget(no_brand, Scenario(brand_share=0.25))
    assert shifted.lines[-1].name == "Brand (scenario)" and shifted.brand_share == pytest.approx(0.25)


# ----------------------------------------------------------------------------- first months
def test_month_one_continues_the_run_rate_on_the_demo() -> None:
    session = ModelSession(load_budget(demo_paths()[0]), load_deals(demo_paths()[1]))
    result, kpis = session.run(Scenario(months=12), 4000, 0)
    rec = result.recognition
    first = kpis.monthly["revenue_mean"][:3]
    assert abs(first[0] / rec.base_before - 1) < 0.05, (first, rec.base_before)
    assert np.all(np.abs(np.diff(first)) < 0.05 * first[0])  # no cliff in the first quarter


def test_back_test_of_the_first_three_months() -> None:
    """Calibrate on the history up to a cut-off, simulate the next three months, compare with what happened."""
    streams = tuple(replace(s, per_month=3 * s.per_month) for s in DEFAULT_STREAMS) + (EXISTING_STREAM,)
    full = make_deals(streams=streams, seed=9, months=36, end="2025-12-31")
    cutoff = np.datetime64("2025-09-30")
    created = full.created <= cutoff
    closed_after = ~np.isnat(full.closed) & (full.closed > cutoff)
    seen = replace(
        full,
        **{f: getattr(full, f)[created] for f in ("name", "stage", "amount", "created", "source", "source_class",
                                                   "deal_type")},
        outcome=np.where(closed_after, "open", full.outcome)[created].astype(object),
        closed=np.where(closed_after, np.datetime64("NaT", "D"), full.closed)[created],
    )
    budget = make_budget(start="2025-10", months=12)
    cal = calibrate(seen, budget)
    result = simulate(cal, budget, Scenario(months=3), paths=4000, seed=1)
    new = (full.deal_type == "new") & full.won & (full.closed > cutoff) & (full.closed <= np.datetime64("2025-12-31"))
    actual = float(full.amount[new].sum())
    simulated = float(result.bookings_mean.sum())
    assert abs(simulated / actual - 1) < 0.15, (simulated, actual)
    # month 1 continues the recognised run rate: the installed base plus a month of new contracts, no dip
    run_rate_before = result.recognition.base_before
    first = float(result.revenue_tp[0].mean())
    assert 0.98 * run_rate_before < first < run_rate_before + 1.5 * simulated / 3 / 12


# ----------------------------------------------------------------------------- break-even
def test_breakeven_month() -> None:
    assert breakeven_month(np.array([-3.0, -1.0, 0.5, 2.0])) == 3.0
    assert breakeven_month(np.array([1.0, -1.0, 0.5, 2.0])) == 3.0  # turns positive AND stays so
    assert breakeven_month(np.array([1.0, 2.0])) == 1.0
    assert math.isnan(breakeven_month(np.array([-1.0, 0.5, -0.2])))
    assert math.isnan(breakeven_month(np.zeros(4)))


def test_compare_reports_the_cumulative_gain_and_its_breakeven(session) -> None:
    _, k, base = session.compare(Scenario(months=36, brand_share=0.5), 2000, 0)
    gain = k.monthly["contribution_gain_cumulative"]
    assert gain[-1] == pytest.approx(float(k.monthly["contribution"].sum() - base.monthly["contribution"].sum()))
    assert gain[0] < 0  # more brand costs first: lead gen is cut at once, brand acts after its lag
    if math.isfinite(k.breakeven_month):
        m = int(k.breakeven_month)
        assert np.all(gain[m - 1 :] > 0) and gain[m - 2] <= 0
    same = session.compare(Scenario(months=36), 500, 0)[1]
    assert math.isnan(same.breakeven_month) and same.to_dict()["breakeven_month"] is None


def test_small_streams_stay_finite() -> None:
    tiny = (TrueStream("intent", 0.5, 0.3, 10_000, 0.5, 40, 0.5), TrueStream("demand", 0.5, 0.1, 8_000, 0.5, 60, 0.5))
    deals = make_deals(streams=tiny, seed=3, months=12)
    k = ModelSession(make_budget(), deals).run(Scenario(months=24), 200, 0)[1]
    for key, value in k.to_dict().items():
        if key != "monthly":
            assert value is None or isinstance(value, bool) or math.isfinite(value), key


def test_recognised_revenue_is_the_cohort_product_of_bookings(calibration, budget) -> None:
    """Per path: revenue = M @ bookings + installed base; its mean splits into new and recurring revenue."""
    result = simulate(calibration, budget, Scenario(months=24), paths=300, seed=2)
    rec = result.recognition
    expected = rec.matrix.astype(np.float64) @ result.bookings_tp.astype(np.float64) + rec.base[:, None]
    np.testing.assert_allclose(result.revenue_tp, expected, rtol=1e-4)
    np.testing.assert_allclose(result.revenue_new_mean + result.revenue_recurring_mean,
                               rec.apply(result.bookings_mean), rtol=1e-6)  # M is float32
    np.testing.assert_allclose(result.revenue_tp.mean(axis=1), rec.apply(result.bookings_mean), rtol=0.05)
