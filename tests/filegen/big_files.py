"""Large CRM exports and budgets for the import benchmark and the tests that measure big files.

A HubSpot-style .xlsx (streamed with openpyxl's write-only mode), a
Salesforce-style CSV of any number of deals and a wide budget of many lines,
deterministic for a seed. `benchmarks/import_speed.py` times planner's readers
on them next to pandas and bare calamine.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from tests.filegen.crm_files import HUBSPOT_HEADER

STAGES = ("Closed won", "Closed lost", "Appointment scheduled", "Contract sent", "Qualified")
SOURCES = (
    "Organic Search",
    "Direct Traffic",
    "Referrals",
    "Paid Search",
    "Paid Social",
    "Email Marketing",
    "Offline Sources",
    "Social Media",
)
TYPES = ("newbusiness", "existingbusiness", "Upsell", "Renewal")


def write_crm(path: Path, n: int, seed: int = 1) -> None:
    """A HubSpot deals export, written streaming (openpyxl write_only) to stay quick."""
    import random

    import openpyxl

    rng = random.Random(seed)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Deals")
    ws.append(list(HUBSPOT_HEADER))
    start = datetime(2022, 1, 1, 9, 0)
    for i in range(n):
        created = start + timedelta(days=rng.randrange(0, 900), minutes=rng.randrange(0, 600))
        ws.append(
            [
                100_000 + i,
                f"Deal {i:06d}",
                rng.choice(STAGES),
                round(rng.lognormvariate(10.5, 0.8), 2),
                created,
                created + timedelta(days=rng.randrange(5, 250)),
                rng.choice(SOURCES),
                rng.choice(TYPES),
                "Sales Pipeline",
                rng.choice(("Anna Berg", "Jonas Lund", "Mette Holm")),
            ]
        )
    wb.save(path)


def write_crm_csv(path: Path, n: int, seed: int = 1) -> None:
    """A Salesforce opportunity export as CSV (11 columns, US dates), written in blocks."""
    import random

    rng = random.Random(seed)
    stages = ("Closed Won", "Closed Lost", "Prospecting", "Negotiation", "Proposal")
    sources = ("Web", "Referral", "Partner", "Google Ads", "LinkedIn", "Webinar", "Trade Show")
    start = date(2020, 1, 1)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(
            "Opportunity ID,Opportunity Name,Account Name,Type,Lead Source,Stage,Amount,"
            "Currency,Created Date,Close Date,Owner\n"
        )
        block = []
        for i in range(n):
            created = start + timedelta(days=rng.randrange(0, 2000))
            closed = created + timedelta(days=rng.randrange(5, 300))
            block.append(
                f"006{i:09d},Deal {i},Account {rng.randrange(40_000)},"
                f"{rng.choice(('New Business', 'Existing Business'))},{rng.choice(sources)},"
                f"{rng.choice(stages)},{rng.randrange(1000, 900_000)},NOK,{created:%m/%d/%Y},"
                f"{closed:%m/%d/%Y},Owner {rng.randrange(50)}\n"
            )
            if len(block) == 50_000:
                fh.write("".join(block))
                block = []
        fh.write("".join(block))


def write_budget(path: Path, lines: int = 2000, seed: int = 2) -> None:
    """A plain wide budget: header "Line, Category, Jan 2026 ... Dec 2026"."""
    import random

    import openpyxl

    rng = random.Random(seed)
    months = [date(2026, m, 1).strftime("%b %Y") for m in range(1, 13)]
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Budget")
    ws.append(["Line", "Category", *months])
    for i in range(lines):
        category = "Brand" if i % 3 == 0 else "Demand gen"
        ws.append([f"Line item {i:04d}", category, *(rng.randrange(0, 50) * 1000 for _ in months)])
    wb.save(path)
