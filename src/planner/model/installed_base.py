"""Retention, expansion and today's installed base, from the CRM export.

Three levels of evidence, best first:

1. The CRM names accounts (`Deals.account`): account histories are rebuilt
   (contract start at the first won deal, a contract year per anniversary),
   renewals due and renewed are counted per contract year and the sBG
   (alpha, beta) fitted by maximum likelihood; expansion is the value of
   renewed contract years over the years before them; the installed base is
   the accounts whose current contract year covers the export date.
2. Renewal/upsell deals without accounts: the base is the new business won in
   the last 12 months (first contract year) plus the existing business won in
   the last 12 months (customers who renewed or expanded); retention and
   expansion keep their sourced defaults.
3. New business only: every won contract in the history, weighted by the
   default survival for its age; customers won before the export's history
   are not seen (a warning says so).

Starts are whole calendar months relative to the export's month (0 = that
month, -5 = five months before).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from planner.model.lifecycle import CONTRACT_MONTHS, Retention, cohort_mrr, fit_sbg

_RENEWAL_WINDOW_DAYS = 75  # a renewal deal closes up to this long before or after its anniversary
_MIN_RENEWALS_FOR_FIT = 30
_MIN_HISTORY_FOR_PROJECT = 24.0  # months without renewals or repeat buyers before we call it project sales


@dataclass(frozen=True)
class InstalledBase:
    """Contracts active at the export, each with its contract-year start, ACV and renewals behind it."""

    start: np.ndarray  # (n,) int: month of the current contract year's start, relative to the export's month
    acv: np.ndarray  # (n,) float: annual contract value
    tenure: np.ndarray  # (n,) int: renewals already behind it (its next renewal is tenure + 1)
    retention: Retention
    retention_source: str  # "accounts" | "defaults"
    renewals_seen: int  # renewals due that the fit used (0 without accounts)
    # contracts with the same start and tenure share one MRR curve per unit ACV: grouped once here
    # (a few dozen cohorts instead of hundreds of contracts; every parameter group and slider move reuses them)
    cohorts: tuple[np.ndarray, np.ndarray, np.ndarray] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        start: np.ndarray = np.asarray(self.start, dtype=np.int64)
        tenure: np.ndarray = np.asarray(self.tenure, dtype=np.int64)
        acv: np.ndarray = np.asarray(self.acv, dtype=np.float64)
        if start.size:
            keys, inverse = np.unique(np.stack([start, tenure]), axis=1, return_inverse=True)
            acv = np.bincount(inverse.ravel(), weights=acv, minlength=keys.shape[1])
            start, tenure = keys[0], keys[1]
        object.__setattr__(self, "cohorts", (start, tenure, acv))


def _month_index(dates: np.ndarray, today: np.datetime64) -> npt.NDArray[np.int64]:
    today_m = today.astype("datetime64[M]")
    months: npt.NDArray[np.int64] = (dates.astype("datetime64[M]") - today_m).astype(np.int64)
    return months


def is_project_business(
    deal_type: np.ndarray, won: np.ndarray, account: np.ndarray | None, history_months: float
) -> bool:
    """True when the data show one-off sales: 24+ months, deal types known, no renewals, no repeat buyers."""
    if history_months < _MIN_HISTORY_FOR_PROJECT:
        return False
    types = set(np.unique(deal_type.astype(str)).tolist())
    if "existing" in types or "new" not in types:
        return False  # renewals seen, or deal types unknown: recurring by default
    if account is not None:
        names = account[won].astype(str)
        names = names[names != ""]
        if names.size and np.unique(names).size < names.size:
            return False
    return True


def estimate_base(
    *,
    amount: np.ndarray,
    closed_at: np.ndarray,
    won: np.ndarray,
    lost: np.ndarray,
    deal_type: np.ndarray,
    account: np.ndarray | None,
    today: np.datetime64,
    history_months: float,
    a: Mapping[str, float],
    warnings: list[str],
) -> InstalledBase:
    """Today's installed base and the retention that drives it (see the module docstring)."""
    default = Retention.from_people(a["first_renewal_retention"], a["retention_heterogeneity"], a["expansion_rate"])
    amt = np.where(np.isfinite(amount) & (amount > 0), amount, 0.0)
    dated_won = won & ~np.isnat(closed_at) & (closed_at <= today) & (amt > 0)
    existing = deal_type == "existing"
    if account is not None and np.any(account[dated_won].astype(str) != ""):
        found = _from_accounts(amt, closed_at, dated_won, lost, existing, account, today, default, warnings)
        if found is not None:
            return found
    year_ago = today - np.timedelta64(365, "D")
    if np.any(existing & dated_won):
        recent = dated_won & (closed_at > year_ago)
        new = recent & ~existing
        old = recent & existing
        start = np.concatenate([_month_index(closed_at[new], today), _month_index(closed_at[old], today)])
        acv = np.concatenate([amt[new], amt[old]])
        tenure = np.concatenate([np.zeros(int(new.sum()), np.int64), np.ones(int(old.sum()), np.int64)])
        warnings.append(
            "the CRM names no accounts: retention and expansion are the sourced defaults, and today's "
            "installed base is the last 12 months' new and existing business"
        )
        return InstalledBase(start, acv, tenure, default, "defaults", 0)
    # new business only: every won contract, weighted by the default survival for its age
    sel = dated_won
    start = _month_index(closed_at[sel], today)
    n = np.maximum(-start, 0) // CONTRACT_MONTHS
    acv = amt[sel] * default.survival(n) * (1.0 + default.expansion) ** n
    # each is now in contract year n + 1: renewals behind it = n, its current year started 12 n months after close
    if sel.any():
        warnings.append(
            f"no renewals or accounts in the CRM export: today's recurring revenue is estimated from "
            f"{history_months:.0f} months of won new business; customers won before that are not seen, "
            "so recurring revenue is understated"
        )
    return InstalledBase(start + CONTRACT_MONTHS * n, acv, n, default, "defaults", 0)


def _from_accounts(
    amt: np.ndarray,
    closed_at: np.ndarray,
    won: np.ndarray,
    lost: np.ndarray,
    existing: np.ndarray,
    account: np.ndarray,
    today: np.datetime64,
    default: Retention,
    warnings: list[str],
) -> InstalledBase | None:
    """Rebuild account histories: contract years, renewals due/renewed, expansion, today's active contracts.

    An account whose first won deal in the export is a renewal was won before
    the history starts: its tenure is unknown, so it counts towards today's
    base (as one renewal behind) but not towards the retention fit, whose
    renewal index must be the true one.
    """
    names = account.astype(str)
    closed_ok = ~np.isnat(closed_at) & (closed_at <= today)
    day = np.timedelta64(1, "D")
    window = np.timedelta64(_RENEWAL_WINDOW_DAYS, "D")
    due = np.zeros(64)
    renewed = np.zeros(64)
    value_before = value_after = 0.0
    starts: list[int] = []
    acvs: list[float] = []
    tenures: list[int] = []
    order = np.argsort(names, kind="stable")
    sorted_names = names[order]
    bounds = np.flatnonzero(np.r_[True, sorted_names[1:] != sorted_names[:-1], True])
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        idx = order[lo:hi]
        if sorted_names[lo] == "":
            continue
        w = idx[won[idx]]
        if w.size == 0:
            continue
        w = w[np.argsort(closed_at[w])]
        lost_dates = closed_at[idx[lost[idx] & closed_ok[idx]]]
        first = closed_at[w[0]]
        known = not bool(existing[w[0]])  # its first contract is in the history
        k = 0  # contract years completed (renewals behind)
        year_value = 0.0
        active = True
        while True:
            year_start = first + np.timedelta64(365 * k, "D")
            next_anniv = year_start + np.timedelta64(365, "D")
            in_year = (closed_at[w] >= year_start - window) & (closed_at[w] < next_anniv - window)
            if k == 0:
                in_year |= closed_at[w] < next_anniv - window
            year_value = float(amt[w][in_year].sum())
            if next_anniv + 30 * day > today:
                break  # the next renewal is not due yet: active in this contract year
            renewal = (closed_at[w] >= next_anniv - window) & (closed_at[w] < next_anniv + window)
            churned = bool(np.any((lost_dates >= next_anniv - window) & (lost_dates < next_anniv + window)))
            due[min(k, 63)] += known
            if renewal.any() and not churned:
                renewed[min(k, 63)] += known
                nxt = (closed_at[w] >= next_anniv - window) & (closed_at[w] < next_anniv + np.timedelta64(365, "D") - window)
                value_before += year_value
                value_after += float(amt[w][nxt].sum())
                k += 1
            else:
                active = False
                break
        if active and year_value > 0:
            start_date = first + np.timedelta64(365 * k, "D")
            starts.append(int(_month_index(np.array([start_date]), today)[0]))
            acvs.append(year_value)
            tenures.append(k if known else k + 1)
    seen = int(due.sum())
    retention = default
    source = "defaults"
    if seen >= _MIN_RENEWALS_FOR_FIT:
        last = int(np.max(np.flatnonzero(due))) + 1
        a_fit, b_fit = fit_sbg(due[:last], renewed[:last], prior_heterogeneity=default.alpha + default.beta)
        expansion = default.expansion
        if value_before > 0:
            retained_share = float(renewed.sum() / max(due.sum(), 1.0))
            # renewed years' value over the same customers' previous years, among those who renewed
            expansion = min(max(value_after / value_before - 1.0, 0.0), 0.4) if retained_share > 0 else expansion
        retention = Retention(a_fit, b_fit, expansion)
        source = "accounts"
    elif seen:
        warnings.append(
            f"only {seen} renewals due in the CRM's account histories (under {_MIN_RENEWALS_FOR_FIT}): "
            "retention and expansion keep the sourced defaults"
        )
    if not starts:
        return None
    return InstalledBase(
        np.array(starts, dtype=np.int64), np.array(acvs), np.array(tenures, dtype=np.int64), retention, source, seen
    )


def base_mrr(
    base: InstalledBase,
    offset: int,
    months: int,
    *,
    shift: np.ndarray | None = None,
    gap_acv: float = 0.0,
    expansion: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Expected MRR and churned MRR of the installed base, (months + 1,) each, for a horizon
    starting `offset` months after the export's month; index 0 is the month before the horizon.

    A back-test (offset <= 0) keeps only contracts started before the horizon
    (it simulates the rest). A horizon that starts later than the month after
    the export adds `gap_acv` of new contracts for each month in between (the
    months the CRM has not seen run at today's rate, as for the open pipeline).
    """
    start, tenure, acv = base.cohorts
    start = start - offset + 1  # on the axis whose index 0 is the month before the horizon
    if offset <= 0:
        keep = start < 1
        start, acv, tenure = start[keep], acv[keep], tenure[keep]
    elif offset > 1 and gap_acv > 0:
        gap = np.arange(1, offset) - offset + 1  # export month + 1 .. start - 1
        start = np.concatenate([start, gap])
        acv = np.concatenate([acv, np.full(gap.size, gap_acv)])
        tenure = np.concatenate([tenure, np.zeros(gap.size, np.int64)])
    retention = base.retention if expansion else Retention(base.retention.alpha, base.retention.beta, 0.0)
    full_shift = None if shift is None else np.concatenate([[0.0], np.asarray(shift, dtype=np.float64)])
    mrr = cohort_mrr(start, months + 1, retention, full_shift, tenure=tenure)
    return (mrr.first_year + mrr.renewed) @ acv, mrr.churned @ acv
