"""Everything that touches user files. Never imports Qt."""

from planner.io.notices import Notice
from planner.io.types import Budget, BudgetLine, Deals, SkippedRows

__all__ = ["Budget", "BudgetLine", "Deals", "Notice", "SkippedRows"]
