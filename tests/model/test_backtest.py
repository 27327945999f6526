"""The back-test on generated companies whose truth is known: growing, shrinking, seasonal."""

from __future__ import annotations

import numpy as np
import pytest
from tests.model.histories import make_history, month_labels

from planner.model.backtest import HORIZON, MIN_TRAIN, backtest

MONTHS = 48
LABELS = month_labels("2021-01", MONTHS)


def _company(kind: str, seed: int = 0):
    t = np.arange(MONTHS)
    if kind == "growing":
        factor, size_growth = 1.30 ** (t / 12.0), 0.10
    elif kind == "shrinking":
        factor, size_growth = 0.75 ** (t / 12.0), -0.05
    else:  # seasonal: a strong Q4, a weak summer
        factor, size_growth = 1.0 + 0.4 * np.cos(2 * np.pi * ((t % 12) - 10) / 12.0), 0.0
    return make_history(LABELS, 25.0 * factor, 40.0 * factor, size_growth_per_year=size_growth, seed=seed)


@pytest.mark.parametrize("kind", ["growing", "shrinking", "seasonal"])
def test_the_back_test_beats_last_year_s_run_rate_and_its_band_is_honest(kind):
    coverage, beats = [], []
    for seed in range(3):
        result = backtest(_company(kind, seed), seed=seed)
        assert len(result.cutoffs) == min(12, MONTHS - 1 - MIN_TRAIN - HORIZON + 1)
        beats.append(result.beats_naive)
        coverage.append(result.coverage)
        assert result.model_mape < result.naive_mape, (kind, seed, result.model_mape, result.naive_mape)
    assert np.mean(beats) > 0.5, (kind, beats)  # most cutoffs
    assert 0.7 <= np.mean(coverage) <= 0.9 + 1e-9, (kind, coverage)


def test_too_short_a_history_says_so():
    short = make_history(month_labels("2024-01", 20), np.full(20, 20.0), np.full(20, 20.0))
    result = backtest(short)
    assert result.cutoffs == () and "needs" in result.note
    assert result.to_dict()["model_mape"] is None


def test_each_cutoff_sees_only_its_past():
    deals = _company("growing")
    full = backtest(deals)
    # cutting the export after a cutoff's year leaves that cutoff's forecast unchanged
    c = full.cutoffs[0]
    end = np.datetime64(c.cutoff, "M") + np.timedelta64(HORIZON + 1, "M")  # its year, complete, and a month
    keep = deals.created < end.astype("datetime64[D]")
    from dataclasses import replace

    closed = np.where(deals.closed < end.astype("datetime64[D]"), deals.closed, np.datetime64("NaT"))
    outcome = np.where(np.isnat(closed), "open", deals.outcome)
    cut = replace(deals, **{k: getattr(deals, k)[keep] for k in ("name", "stage", "amount", "created", "source",
                                                              "source_class", "deal_type")},
                  closed=closed[keep], outcome=outcome[keep])
    again = [x for x in backtest(cut, max_cutoffs=100).cutoffs if x.cutoff == c.cutoff]
    assert again and again[0].forecast == pytest.approx(c.forecast)
