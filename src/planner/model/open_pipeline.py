"""Today's open pipeline: when the open deals close, for how much, lined up by calendar month."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy import special

from planner.model.calibration import StreamFit
from planner.model.fitting import MAX_LAG


def open_pipeline(
    fits: list[StreamFit],
    masks: Mapping[str, np.ndarray],
    open_mask: np.ndarray,
    age_days: np.ndarray,
    amount: np.ndarray,
    today: np.datetime64,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """When today's open deals close, and for how much, by calendar month.

    Index k is the k-th calendar month from today's month (k = 0: the rest of
    today's month), so the simulation can line it up with any budget start
    (`open_pipeline_window`). Each open deal closes in month k with the cycle
    distribution conditional on it still being open at its age (a 300-day-old
    deal is not 'due' in month 1 just because the median cycle is 60 days),
    and is won with its stream's win rate. Returns expected wins, expected
    revenue and its variance per stream and month.
    """
    wins = np.zeros((len(fits), MAX_LAG))
    mean = np.zeros((len(fits), MAX_LAG))
    var = np.zeros((len(fits), MAX_LAG))
    total_value = 0.0
    day = today.astype("datetime64[D]")
    month_starts = (day.astype("datetime64[M]") + np.arange(1, MAX_LAG + 1)).astype("datetime64[D]")
    edges = np.concatenate([[0.0], (month_starts - day).astype(np.float64)])  # days from today
    for i, f in enumerate(fits):
        sel = open_mask & masks[f.name]
        if not sel.any():
            continue
        age = np.maximum(age_days[sel], 0.0) + 0.5
        amt = amount[sel]
        amt = np.where(np.isfinite(amt) & (amt > 0), amt, f.size_mean)
        total_value += float(amt.sum())
        z = (np.log(age[:, None] + edges[None, :]) - f.cycle_mu) / f.cycle_sigma
        sf = special.ndtr(-z)  # P(cycle > age + edge)
        surv0 = np.maximum(sf[:, :1], 1e-12)
        q = (sf[:, :-1] - sf[:, 1:]) / surv0  # P(close in month m | open today)
        pq = f.win_rate * q
        wins[i] = pq.sum(axis=0)
        mean[i] = (pq * amt[:, None]).sum(axis=0)
        var[i] = (pq * (1 - pq) * (amt * amt)[:, None]).sum(axis=0)
    return wins, mean, var, total_value


def months_between(today: str, first_month: str) -> int:
    """Whole calendar months from the CRM snapshot's month to `first_month` ("YYYY-MM"); negative if earlier."""
    t = np.datetime64(today, "D").astype("datetime64[M]")
    return int((np.datetime64(first_month, "M") - t).astype(np.int64))


def open_pipeline_window(per_month: np.ndarray, offset: int, months: int) -> np.ndarray:
    """(streams, months) slice of an open-pipeline array (indexed from the CRM snapshot's month)
    for a horizon starting `offset` calendar months after it.

    A plan that starts before the snapshot (a back-test, or a budget year
    already under way) sees today's open pipeline only from the snapshot's
    month on; the months before it are history and get none. A plan that
    starts after the snapshot (next year's budget, exported in November)
    sees it from its first month, starting with the first full month after the
    export (the rest of the export's month is history by then): the months in
    between run at today's rate, so the pipeline open when the plan starts
    looks like today's. Dropping it instead would show a dip in the first
    months that is only a gap in the data, and a CFO would read it as a
    forecast.
    """
    offset = min(offset, 1)
    out = np.zeros((per_month.shape[0], months))
    lo, hi = max(offset, 0), min(offset + months, per_month.shape[1])
    if hi > lo:
        out[:, lo - offset : hi - offset] = per_month[:, lo:hi]
    return out
