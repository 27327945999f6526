"""From bookings to recognised revenue for one plan: the (months x months) cohort kernel and the installed base.

Per path, revenue is linear in each month's won new business, so recognised
revenue is one small matrix product: revenue = M @ bookings + base, with

    M = (1 - s) I + s (K_first + K_renewed)

where s is the recurring share of new-business amounts (0 for project
sales), K_first[m, c] = 1/12 while a contract won in month c is in its first
year, and K_renewed[m, c] its expected MRR per unit ACV after renewals
(sBG survival x expansion, brand shifting renewal odds: `lifecycle.py`).
`base` is today's installed base rolled forward the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from planner.model.calibration import Calibration
from planner.model.installed_base import base_mrr
from planner.model.lifecycle import horizon_kernel, value_profile
from planner.model.open_pipeline import months_between

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Recognition:
    """The deterministic part of recognised revenue for one plan."""

    share: float  # recurring share s
    matrix: npt.NDArray[np.float32]  # (T, T): M above; revenue per path = M @ bookings + base
    first: F64  # (T, T) s * K_first
    renewed: F64  # (T, T) s * K_renewed
    churned: F64  # (T, T) s * MRR lost at renewals, per unit ACV of each cohort
    base: F64  # (T,) expected MRR of the installed base (with the months between export and start)
    base_churned: F64  # (T,) MRR the installed base loses at renewals
    base_before: float  # its MRR in the month before the horizon
    grr: float  # gross revenue retention of the installed base over the horizon's first 12 months
    nrr: float  # net revenue retention (expansion included) over the same months
    profile: F64  # (240,) expected revenue per unit ACV in each month of a new contract's life

    @property
    def recurring(self) -> bool:
        return self.share > 0

    def apply(self, bookings: F64) -> F64:
        """Expected recognised revenue (T,) for expected bookings (T,)."""
        return self.matrix.astype(np.float64) @ bookings + self.base


def renewal_shift(calibration: Calibration, awareness: F64) -> F64:
    """Log-odds shift of renewal odds per month: a share of brand's win-rate lift (brand_existing_effect)."""
    a = calibration.assumptions
    return a["brand_existing_effect"] * a["brand_win_lift"] * (np.asarray(awareness) - calibration.awareness_ref)


def recognition_for(
    calibration: Calibration, first_label: str, months: int, awareness: F64, *, summaries: bool = True
) -> Recognition:
    """The kernel and installed base for a horizon of `months` starting at `first_label`.

    `awareness` is the brand level that acts on decisions made in each month
    (already lagged); renewals in that month shift by `renewal_shift`.
    `summaries=False` skips GRR and the lifetime profile (NaN / the one-off
    profile): a parameter group's run needs only the kernel and the base.
    """
    s = float(calibration.recurring_share)
    retention = calibration.base.retention
    if s <= 0:
        eye = np.eye(months)
        zero = np.zeros((months, months))
        return Recognition(0.0, eye.astype(np.float32), zero, zero, zero, np.zeros(months), np.zeros(months),
                           0.0, 1.0, 1.0, _one_off_profile())
    shift = renewal_shift(calibration, awareness)
    kernel = horizon_kernel(months, retention, shift)
    first, renewed, churned = s * kernel.first_year, s * kernel.renewed, s * kernel.churned
    matrix = (1.0 - s) * np.eye(months) + first + renewed
    offset = months_between(calibration.today, first_label)
    span = max(months, 12)
    full_shift = np.concatenate([shift, np.full(span - months, shift[-1] if months else 0.0)])
    mrr, lost = base_mrr(calibration.base, offset, span, shift=full_shift, gap_acv=calibration.new_run_rate)
    before = float(mrr[0])
    if summaries:
        gross, _ = base_mrr(calibration.base, offset, span, shift=full_shift, gap_acv=calibration.new_run_rate,
                            expansion=False)
        profile = s * value_profile(retention) + (1.0 - s) * _one_off_profile()
    else:
        gross, profile = np.full(span + 1, np.nan), _one_off_profile()
    return Recognition(
        share=s,
        matrix=matrix.astype(np.float32),
        first=first,
        renewed=renewed,
        churned=churned,
        base=s * mrr[1 : months + 1],
        base_churned=s * lost[1 : months + 1],
        base_before=s * before,
        grr=float(gross[12] / before) if before > 0 else float("nan"),
        nrr=float(mrr[12] / before) if before > 0 else float("nan"),
        profile=profile,
    )


def _one_off_profile(months: int = 240) -> F64:
    out = np.zeros(months)
    out[0] = 1.0
    return out


__all__ = ["Recognition", "recognition_for", "renewal_shift"]
