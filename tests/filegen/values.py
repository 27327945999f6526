"""Write synthetic deals and budgets as the plain files users export (for the CLI tests)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from openpyxl import Workbook

from planner.io.types import Budget, Deals

_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def write_budget_xlsx(budget: Budget, path: Path) -> Path:
    """Wide budget: 'Line, Category, Jan 2026 ... Dec 2026', Category 'Brand' / 'Lead gen'."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Budget"
    header = ["Line", "Category"] + [f"{_MONTH_NAMES[int(m[5:7]) - 1]} {m[:4]}" for m in budget.months]
    ws.append(header)
    for line in budget.lines:
        category = "Brand" if line.spend_class == "brand" else "Lead gen"
        ws.append([line.name, category, *[float(v) for v in line.amounts]])
    wb.save(path)
    return path


def write_crm_csv(deals: Deals, path: Path) -> Path:
    """UTF-8 CSV with 'Opportunity Name, Stage, Amount, Created Date, Close Date, Lead Source, Type'."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Opportunity Name", "Stage", "Amount", "Created Date", "Close Date", "Lead Source", "Type"])
        for i in range(len(deals)):
            closed = "" if np.isnat(deals.closed[i]) else str(deals.closed[i])
            kind = {"existing": "Existing Business", "new": "New Business"}.get(str(deals.deal_type[i]), "")
            w.writerow([deals.name[i], deals.stage[i], f"{deals.amount[i]:.2f}", str(deals.created[i]), closed,
                        deals.source[i], kind])
    return path
