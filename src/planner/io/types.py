"""The two things the importer produces: a `Budget` and `Deals`.

Both are immutable and hold plain numpy arrays, so the model can use them
without pandas and the UI can share them between threads safely.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import numpy.typing as npt

from planner.io.notices import Notice, messages

ObjectArray = npt.NDArray[np.object_]
"""Strings (or cells) one per deal: numpy object arrays."""

SpendClass = Literal["brand", "demand"]
"""What a budget line buys: brand building, or demand/lead generation."""

SourceClass = Literal["intent", "demand"]
"""Where a deal came from: buyers with intent (inbound, referral...), or campaign-pulled demand."""

Outcome = Literal["won", "lost", "open"]

SPEND_CLASSES: tuple[SpendClass, ...] = ("brand", "demand")
SOURCE_CLASSES: tuple[SourceClass, ...] = ("intent", "demand")


@dataclass(frozen=True)
class SkippedRows:
    """Rows that could not be read: counted and explained, never silently dropped.

    The view of `Deals.skipped`, kept for readers of that name; the record
    itself is the "rows_skipped" `Notice` in `Deals.notices`.
    """

    count: int = 0
    reasons: tuple[str, ...] = ()  # the first few, e.g. "row 17: amount 'TBD' is not a number"


@dataclass(frozen=True)
class BudgetLine:
    """One line item of a marketing budget."""

    name: str
    spend_class: SpendClass
    amounts: npt.NDArray[np.float64]  # one value per month of `Budget.months`
    section: str | None = None  # the section header it sat under, if any
    class_origin: str = (
        "name"  # how the class was told: "column" | "section" | "name" | "default" | "user"
    )

    @property
    def total(self) -> float:
        return float(self.amounts.sum())


@dataclass(frozen=True)
class Budget:
    """A monthly marketing budget split into brand and demand line items."""

    months: tuple[str, ...]  # "YYYY-MM", consecutive
    lines: tuple[BudgetLine, ...]
    currency: str | None = None  # ISO 4217 code when it could be told
    sheet: str | None = None  # sheet it was read from (xlsx)
    path: str | None = None
    notices: tuple[Notice, ...] = ()  # what the import wants the user to know

    @property
    def warnings(self) -> tuple[str, ...]:
        """The notices' messages, one line each (the text `planner inspect` prints)."""
        return messages(self.notices)

    def monthly(self, spend_class: SpendClass) -> npt.NDArray[np.float64]:
        """Monthly spend of one class (zeros if it has no lines)."""
        rows = [ln.amounts for ln in self.lines if ln.spend_class == spend_class]
        return np.sum(rows, axis=0) if rows else np.zeros(len(self.months))

    @property
    def total(self) -> float:
        return float(sum(ln.total for ln in self.lines))

    @property
    def brand_total(self) -> float:
        return float(self.monthly("brand").sum())

    @property
    def demand_total(self) -> float:
        return float(self.monthly("demand").sum())

    @property
    def brand_share(self) -> float:
        """Brand's share of total spend (0 when the budget is empty)."""
        total = self.total
        return self.brand_total / total if total > 0 else 0.0

    def with_line_class(self, index: int, spend_class: SpendClass) -> Budget:
        """A copy with one line re-classified by the user."""
        lines = list(self.lines)
        lines[index] = replace(lines[index], spend_class=spend_class, class_origin="user")
        return replace(self, lines=tuple(lines))


@dataclass(frozen=True)
class Deals:
    """Opportunities from a CRM export, one array element per deal.

    Arrays are all the same length. Dates are numpy datetime64[D]; `closed` is
    NaT for open deals. Amounts are in the file's currency.
    """

    name: ObjectArray  # object (str)
    stage: ObjectArray  # object (str), as written in the file
    outcome: ObjectArray  # object: "won" | "lost" | "open"
    amount: npt.NDArray[np.float64]  # (NaN where the file had none for an open deal)
    created: npt.NDArray[np.datetime64]  # [D]
    closed: npt.NDArray[np.datetime64]  # [D], NaT when open
    source: ObjectArray  # object (str), lead source as written ("" when missing)
    source_class: ObjectArray  # object: "intent" | "demand"
    deal_type: ObjectArray  # object: "new" | "existing" | "" (unknown)
    currency: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # field -> column name it came from
    notices: tuple[Notice, ...] = ()  # what the import wants the user to know (rows skipped...)
    path: str | None = None
    sheet: str | None = None
    account: ObjectArray | None = None  # str, the customer account each deal belongs to; None when not read

    @property
    def skipped(self) -> SkippedRows:
        """Rows the reader could not use: the "rows_skipped" notice as count and reasons."""
        for notice in self.notices:
            if notice.kind == "rows_skipped":
                return SkippedRows(notice.count, notice.details)
        return SkippedRows()

    def __len__(self) -> int:
        return int(self.outcome.shape[0])

    @property
    def won(self) -> npt.NDArray[np.bool_]:
        won: npt.NDArray[np.bool_] = self.outcome == "won"
        return won

    @property
    def lost(self) -> npt.NDArray[np.bool_]:
        lost: npt.NDArray[np.bool_] = self.outcome == "lost"
        return lost

    @property
    def is_open(self) -> npt.NDArray[np.bool_]:
        is_open: npt.NDArray[np.bool_] = self.outcome == "open"
        return is_open

    def with_source_classes(self, mapping: dict[str, SourceClass]) -> Deals:
        """A copy where the given lead-source values are re-classified (user override)."""
        if not mapping:
            return self
        classes = self.source_class.copy()
        for source, cls in mapping.items():
            classes[self.source == source] = cls
        return replace(self, source_class=classes)
