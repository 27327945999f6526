"""What a CRM import tells the user about the deals it read: missing dates, far dates, negative amounts.

A deal without a close or created date is kept (a won deal with an amount
still counts in win rates and deal sizes) but cannot give a sales cycle or
a month of creation; the model leaves it out of those fits on its own (NaT
dates), and these notices say how many, so the forecast never changes
without a word.
"""

from __future__ import annotations

import numpy as np

from planner.io.notices import Notice


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def date_notices(
    decided: np.ndarray,
    created: np.ndarray,
    closed: np.ndarray,
    far: np.ndarray,
    *,
    has_created: bool,
    has_closed: bool,
) -> tuple[Notice, ...]:
    """Notices for dates the fits cannot use: no date column, blank dates, placeholder dates.

    `decided` marks the won and lost deals (bool, one per deal).
    """
    notices: list[Notice] = []
    n = int(decided.shape[0])
    far_count = int(far.sum())
    if far_count:
        notices.append(
            Notice(
                "dates_out_of_range",
                f"{_plural(far_count, 'date', 'dates')} outside 1677-2262 (placeholders such as "
                "9999-12-31) read as missing",
                far_count,
            )
        )
    if not has_created:
        notices.append(
            Notice(
                "dates_missing",
                "no created-date column: deal volumes and sales cycles cannot be fitted from "
                "this file; defaults are used",
                n,
            )
        )
    else:
        blank = int(np.isnat(created).sum())
        if blank:
            notices.append(
                Notice(
                    "dates_missing",
                    f"{_plural(blank, 'deal has', 'deals have')} no created date: left out of "
                    "deal volumes and sales cycles, kept in win rates and deal sizes",
                    blank,
                )
            )
    if not has_closed:
        if decided.any():
            notices.append(
                Notice(
                    "dates_missing",
                    "no close-date column: sales cycles and bookings by month cannot be fitted "
                    "from this file; defaults are used",
                    int(decided.sum()),
                )
            )
    else:
        blank = int((decided & np.isnat(closed)).sum())
        if blank:
            notices.append(
                Notice(
                    "dates_missing",
                    f"{_plural(blank, 'won or lost deal has', 'won or lost deals have')} no close "
                    "date: left out of sales cycles and bookings by month, kept in win rates",
                    blank,
                )
            )
    return tuple(notices)


def amount_notices(amount: np.ndarray) -> tuple[Notice, ...]:
    """A notice for negative amounts (credit notes, reversals): read as written, but counted."""
    with np.errstate(invalid="ignore"):
        negative = int((amount < 0).sum())
    if not negative:
        return ()
    return (
        Notice(
            "negative_amounts",
            f"{_plural(negative, 'deal has', 'deals have')} a negative amount (credit notes or "
            "reversals?); read as written",
            negative,
        ),
    )
