"""Input files for the scenario and report tests: a budget workbook and a CRM export that names people.

The CRM export carries what a review file must never hold - deal names,
account names and owners - with values no other field can contain, so a
test can search a shared file for them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from tests.filegen.values import write_budget_xlsx
from tests.model.synthetic import DEFAULT_STREAMS, EXISTING_STREAM, make_budget, make_deals

SECRET_WORDS = ("Zyxwv Deal", "Qqaccount Holdings", "Owner Xavierquist")


def write_model_files(folder: Path, *, seed: int = 2) -> tuple[Path, Path]:
    """budget.xlsx (12 months, 30 % brand) and crm.csv (about 1,800 deals in EUR with names, accounts, owners)."""
    budget = write_budget_xlsx(make_budget(), folder / "budget.xlsx")
    deals = make_deals(streams=DEFAULT_STREAMS + (EXISTING_STREAM,), seed=seed)
    crm = folder / "crm.csv"
    with open(crm, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Opportunity Name", "Account Name", "Opportunity Owner", "Stage", "Amount (EUR)", "Created Date",
                    "Close Date", "Lead Source", "Type"])
        for i in range(len(deals)):
            closed = "" if np.isnat(deals.closed[i]) else str(deals.closed[i])
            kind = {"existing": "Existing Business", "new": "New Business"}.get(str(deals.deal_type[i]), "")
            w.writerow([f"{SECRET_WORDS[0]} {i:05d}", f"{SECRET_WORDS[1]} {i % 97}", f"{SECRET_WORDS[2]} {i % 5}",
                        deals.stage[i], f"{deals.amount[i]:.2f}", str(deals.created[i]), closed, deals.source[i], kind])
    return budget, crm
