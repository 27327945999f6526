"""Generate the embedded demo workspace: a 2027 marketing budget and three years of CRM history.

The company is "Nordlys Software AS", an Oslo B2B SaaS vendor selling to
Nordic mid-market firms, planning next year's budget in November 2026. The
files look like what such a company really exports, so the demo also shows
that the importer copes with real-world files:

* the budget is an .xlsx in Norwegian with a title row, a currency note,
  two sections (brand building / lead generation), subtotal rows written as
  `=SUM(...)` formulas with no cached value (as openpyxl and many scripts
  save them) and a grand total;
* the CRM export is a Salesforce "Opportunities" report saved with a
  Norwegian locale: `;` separated, `dd.mm.yyyy` dates, NOK amounts.

Win rates by lead source follow what B2B teams see: referral, word of mouth,
inbound and organic buyers win 30-45 %, paid, webinar and purchased-list
leads 5-15 %. Some sources are small, so the sources view shows wide
intervals for them. Deals still in the sales cycle on the snapshot date are
open.

Deterministic (seeded): running it twice gives byte-identical CSV and the
same workbook cells. Run from the repository root:

    python scripts/make_demo.py
"""

from __future__ import annotations

import argparse
import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

SEED = 20261115
CRM_SEED = 20261199  # chosen so observed win rates land in the bands B2B teams report (see docstring)
SNAPSHOT = date(2026, 11, 15)  # the day the CRM report was exported
HISTORY_START = date(2023, 11, 1)
BUDGET_YEAR = 2027
OUT = Path(__file__).resolve().parents[1] / "resources" / "demo"
BUDGET_NAME = "nordlys_budget_2027.xlsx"
CRM_NAME = "nordlys_crm_opportunities.csv"

MONTHS_NB = ("jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des")

# ----------------------------------------------------------------- budget
# NOK per month before seasonality; (name, monthly base, seasonal profile key)
BRAND_LINES: tuple[tuple[str, float, str], ...] = (
    ("Thought leadership", 60_000.0, "flat"),
    ("Podcast sponsorship", 35_000.0, "flat"),
    ("TV-sponsing", 70_000.0, "tv"),
    ("Bransjeevent", 45_000.0, "events"),
    ("Out-of-home", 30_000.0, "tv"),
)
DEMAND_LINES: tuple[tuple[str, float, str], ...] = (
    ("LinkedIn Lead Gen Forms", 230_000.0, "flat"),
    ("Google Ads", 190_000.0, "flat"),
    ("Webinarer", 70_000.0, "events"),
    ("Messe", 120_000.0, "fairs"),
    ("Kjøpte lister/outbound", 95_000.0, "flat"),
)


def _season(profile: str) -> np.ndarray:
    """Monthly multipliers: quiet July (fellesferie), busy spring and autumn."""
    base = np.array([0.9, 1.0, 1.1, 1.05, 1.0, 0.9, 0.35, 0.8, 1.2, 1.2, 1.15, 0.7])
    if profile == "tv":  # TV and outdoor campaigns in two flights
        return np.array([0.0, 1.6, 1.8, 1.2, 0.6, 0.0, 0.0, 0.4, 1.9, 1.9, 1.4, 0.0]) + 0.1
    if profile == "events":
        return np.array([0.4, 1.2, 1.6, 1.0, 1.3, 0.6, 0.0, 0.3, 1.8, 1.5, 1.6, 0.3])
    if profile == "fairs":  # two big trade fairs a year
        return np.array([0.2, 0.2, 3.5, 0.2, 0.2, 0.2, 0.0, 0.2, 0.2, 3.8, 0.2, 0.0])
    return base


def budget_rows(rng: np.random.Generator) -> dict[str, list[tuple[str, np.ndarray]]]:
    """The two sections' lines, amounts rounded to whole thousands of NOK."""
    out: dict[str, list[tuple[str, np.ndarray]]] = {}
    for section, lines in (("Merkevarebygging", BRAND_LINES), ("Leadgenerering", DEMAND_LINES)):
        rows = []
        for name, base, profile in lines:
            noise = rng.normal(1.0, 0.04, size=12)
            amounts = np.round(base * _season(profile) * noise / 1000.0) * 1000.0
            rows.append((name, np.maximum(amounts, 0.0)))
        out[section] = rows
    return out


def write_budget(path: Path, rng: np.random.Generator) -> None:
    """The budget workbook, with SUM formulas for subtotals and the grand total."""
    sections = budget_rows(rng)
    wb = Workbook()
    ws = wb.active
    ws.title = "Budsjett 2027"
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DCE6F1")
    sum_fill = PatternFill("solid", fgColor="F2F2F2")
    money = '#,##0 "kr"'

    ws["A1"] = f"Nordlys Software AS \u2013 Markedsbudsjett {BUDGET_YEAR}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "Alle beløp i NOK, eks. mva. Godkjent av ledergruppen 12.11.2026."
    ws["A2"].font = Font(italic=True)
    header_row = 4
    headers = ["Post", *(f"{m} {BUDGET_YEAR}" for m in MONTHS_NB), f"Sum {BUDGET_YEAR}"]
    for c, text in enumerate(headers, start=1):
        cell = ws.cell(header_row, c, text)
        cell.font = bold
        cell.fill = head_fill
        cell.alignment = Alignment(horizontal="center" if c > 1 else "left")
    first_month_col, last_month_col, total_col = 2, 13, 14
    row = header_row + 1
    subtotal_rows: list[int] = []
    for section, lines in sections.items():
        ws.cell(row, 1, section).font = bold
        row += 1
        first = row
        for name, amounts in lines:
            ws.cell(row, 1, name)
            for m, value in enumerate(amounts):
                ws.cell(row, first_month_col + m, float(value)).number_format = money
            ws.cell(row, total_col, f"=SUM({_col(first_month_col)}{row}:{_col(last_month_col)}{row})").number_format = money
            row += 1
        last = row - 1
        label = "Sum merkevare" if section == "Merkevarebygging" else "Sum leadgenerering"
        ws.cell(row, 1, label).font = bold
        for c in range(first_month_col, total_col + 1):
            cell = ws.cell(row, c, f"=SUM({_col(c)}{first}:{_col(c)}{last})")
            cell.number_format = money
            cell.font = bold
            cell.fill = sum_fill
        subtotal_rows.append(row)
        row += 2
    ws.cell(row, 1, "Totalt markedsbudsjett").font = bold
    for c in range(first_month_col, total_col + 1):
        cell = ws.cell(row, c, "=" + "+".join(f"{_col(c)}{r}" for r in subtotal_rows))
        cell.number_format = money
        cell.font = bold
    ws.column_dimensions["A"].width = 30
    for c in range(first_month_col, total_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 12
    ws.freeze_panes = ws.cell(header_row + 1, 2)
    notes = wb.create_sheet("Notater")
    notes["A1"] = "Forutsetninger"
    notes["A2"] = "TV-sponsing og Out-of-home i to flighter (vår og høst)."
    notes["A3"] = "Messe: Arendalsuka-stand i mars og NOKIOS i oktober."
    wb.properties.creator = "Nordlys Software AS"
    wb.properties.created = wb.properties.modified = _fixed_datetime()
    wb.save(path)


def _fixed_datetime():  # noqa: ANN202 (openpyxl wants a datetime)
    from datetime import datetime

    return datetime(2026, 11, 12, 9, 0, 0)


def _col(c: int) -> str:
    return get_column_letter(c)


# -------------------------------------------------------------------- CRM
@dataclass(frozen=True)
class Source:
    """One lead source: its label as the CRM writes it, share of new deals, and win rate."""

    label: str
    weight: float
    win_rate: float
    size: float  # median won deal size (NOK)


SOURCES: tuple[Source, ...] = (
    Source("Referral", 0.07, 0.43, 260_000.0),
    Source("Word of mouth", 0.05, 0.38, 230_000.0),
    Source("Inbound - Website", 0.15, 0.33, 190_000.0),
    Source("Organic Search", 0.08, 0.30, 170_000.0),
    Source("Partner", 0.05, 0.28, 240_000.0),
    Source("Podcast", 0.012, 0.30, 210_000.0),  # small: visibly uncertain
    Source("Trade Show", 0.08, 0.15, 200_000.0),
    Source("Google Ads", 0.14, 0.12, 140_000.0),
    Source("Webinar", 0.10, 0.10, 150_000.0),
    Source("LinkedIn Lead Gen", 0.15, 0.09, 150_000.0),
    Source("Outbound", 0.07, 0.08, 180_000.0),
    Source("Purchased List", 0.06, 0.05, 120_000.0),
)
OPEN_STAGES = (
    ("Prospecting", 10), ("Qualification", 20), ("Needs Analysis", 30),
    ("Proposal/Price Quote", 60), ("Negotiation/Review", 80),
)  # fmt: skip
OWNERS = ("Ingrid Haugen", "Mads Nielsen", "Kari Lunde", "Jonas Berg", "Sofie Dahl", "Erik Solberg")
COMPANY_A = (
    "Fjord", "Nord", "Vest", "Berg", "Havn", "Skog", "Lys", "Elv", "Tind", "Vik", "Mjøs", "Sol",
    "Bølge", "Stein", "Isbre", "Furu", "Øst", "Kyst", "Dal", "Ask",
)
COMPANY_B = (
    "Logistikk", "Energi", "Bygg", "Regnskap", "Eiendom", "Transport", "Helse", "Data",
    "Maskin", "Handel", "Sjømat", "Finans", "Industri", "Media", "Rådgivning",
)
COMPANY_SUFFIX = ("AS", "AS", "AS", "ASA", "A/S", "ApS", "AB")
PRODUCTS = ("Plattform", "Analyse", "Integrasjon", "Lisens", "Utvidelse", "Pilot")


# subscription economics (the truth the model should find back): shifted-beta-geometric churn
RETENTION_FIRST = 0.87  # first-renewal retention (KBCM: gross dollar retention about 90 %)
RETENTION_SPREAD = 6.0  # alpha + beta: retention rises with tenure
EXPANSION_MEAN = 0.10  # value added at a renewal by the customers who stay
UPSELL_PER_YEAR = 0.2  # chance of a mid-year upsell opportunity per customer-year
BASE_ACCOUNTS = 125  # customers won before the CRM's history starts
BASE_ACV = 300_000.0  # their median annual contract value (NOK)


def _account_names(rng: np.random.Generator) -> list[str]:
    """Every distinct company name, shuffled: each customer and prospect is one company."""
    names = [f"{a}{b.lower()} {s}" for a in COMPANY_A for b in COMPANY_B for s in dict.fromkeys(COMPANY_SUFFIX)]
    return [names[i] for i in rng.permutation(len(names))]


def _row(name: str, account: str, kind: str, source: str, stage: str, prob: int, amount: float,
         created: date, close: date, owner: str) -> list[str]:
    return [name, account, kind, source, stage, f"{prob}", f"{amount:.0f}", "NOK",
            created.strftime("%d.%m.%Y"), close.strftime("%d.%m.%Y"), owner]  # fmt: skip


def crm_rows(rng: np.random.Generator) -> list[list[str]]:
    """~1,700 opportunities between HISTORY_START and SNAPSHOT: new business, renewals and upsells.

    New business as B2B teams see it by lead source; every won deal starts an
    annual contract that comes up for renewal on its anniversary, where the
    customer renews (often for more) or churns, with its own churn
    probability drawn from a Beta distribution (the sBG model's truth);
    customers of the years before the export's history renew the same way.
    """
    days = (SNAPSHOT - HISTORY_START).days
    n_new = 1_080
    weights = np.array([s.weight for s in SOURCES])
    weights = weights / weights.sum()
    names = iter(_account_names(rng))
    # Volume grows slowly over the three years (the company is growing).
    created_offsets = np.sort(np.floor(days * rng.beta(1.15, 1.0, size=n_new)).astype(int))
    rows: list[list[str]] = []
    contracts: list[tuple[str, date, float, int]] = []  # account, contract start, ACV, renewals behind
    for offset in created_offsets:
        created = HISTORY_START + timedelta(days=int(offset))
        # Nobody creates opportunities in fellesferie: push July into August.
        if created.month == 7 and rng.random() < 0.6:
            created = created + timedelta(days=int(20 + rng.integers(0, 10)))
            created = min(created, SNAPSHOT)
        src = SOURCES[int(rng.choice(len(SOURCES), p=weights))]
        cycle_median = 70.0 if src.win_rate > 0.2 else 95.0
        cycle = int(np.clip(rng.lognormal(np.log(cycle_median), 0.55), 7, 420))
        close = created + timedelta(days=cycle)
        amount = float(np.round(rng.lognormal(np.log(src.size), 0.55) / 1000.0) * 1000.0)
        account = next(names)
        name = f"{account} \u2013 {PRODUCTS[rng.integers(len(PRODUCTS) - 2)]}"
        if close > SNAPSHOT:
            stage, prob = OPEN_STAGES[int(rng.integers(len(OPEN_STAGES)))]
            # Open deals show their expected close date, as Salesforce does.
        elif rng.random() < src.win_rate:
            stage, prob = "Closed Won", 100
            contracts.append((account, close, amount, 0))
        else:
            stage, prob = "Closed Lost", 0
            amount = float(np.round(amount * rng.uniform(0.8, 1.3) / 1000.0) * 1000.0)
        owner = OWNERS[int(rng.integers(len(OWNERS)))]
        rows.append(_row(name, account, "New Business", src.label, stage, prob, amount, created, close, owner))
    # A handful of deals where the rep left the lead source empty (it happens).
    for row in rows[5::97]:
        row[3] = ""
    life = np.random.default_rng(int(rng.integers(2**32)))
    for _ in range(BASE_ACCOUNTS):
        tenure = int(life.integers(0, 5))
        start = HISTORY_START - timedelta(days=int(life.integers(1, 366)) + 365 * tenure)
        acv = float(np.round(life.lognormal(np.log(BASE_ACV), 0.6) / 1000.0) * 1000.0)
        contracts.append((next(names), start, acv, tenure))
    for account, start, acv, tenure in contracts:
        rows += _renewals(life, account, start, acv, tenure)
    rows.sort(key=lambda r: (r[8][6:], r[8][3:5], r[8][:2], r[0]))
    return rows


def _renewals(rng: np.random.Generator, account: str, start: date, acv: float, tenure: int) -> list[list[str]]:
    """One customer's renewal and upsell opportunities inside the export's history."""
    alpha, beta = (1 - RETENTION_FIRST) * RETENTION_SPREAD, RETENTION_FIRST * RETENTION_SPREAD
    churn = rng.beta(alpha, beta + tenure)  # survivors of `tenure` renewals are the loyal ones (sBG)
    owner = OWNERS[int(rng.integers(len(OWNERS)))]
    rows: list[list[str]] = []
    year = 1
    while True:
        anniversary = start + timedelta(days=365 * year)
        mid = start + timedelta(days=365 * (year - 1) + int(rng.integers(120, 240)))
        if HISTORY_START <= mid <= SNAPSHOT and rng.random() < UPSELL_PER_YEAR:
            extra = float(np.round(acv * rng.uniform(0.08, 0.3) / 1000.0) * 1000.0)
            created = mid - timedelta(days=int(rng.integers(20, 60)))
            if created >= HISTORY_START:
                won = rng.random() < 0.6
                rows.append(_row(f"{account} \u2013 Utvidelse", account, "Existing Business",
                                 "Existing Customer", "Closed Won" if won else "Closed Lost",
                                 100 if won else 0, extra, created, mid, owner))
                acv += extra if won else 0.0
        created = anniversary - timedelta(days=int(rng.integers(45, 90)))
        if created > SNAPSHOT:
            break
        renewed = rng.random() >= churn
        new_acv = float(np.round(acv * (1.0 + max(rng.normal(EXPANSION_MEAN, 0.08), 0.0)) / 1000.0) * 1000.0)
        close = anniversary - timedelta(days=int(rng.integers(0, 15)))
        if created >= HISTORY_START:
            if close > SNAPSHOT:
                stage, prob = OPEN_STAGES[int(rng.integers(3, len(OPEN_STAGES)))]
            else:
                stage, prob = ("Closed Won", 100) if renewed else ("Closed Lost", 0)
            rows.append(_row(f"{account} \u2013 Fornyelse {anniversary.year}", account, "Existing Business",
                             "Existing Customer", stage, prob, new_acv if renewed or close > SNAPSHOT else acv,
                             created, close, owner))
        if not renewed or close > SNAPSHOT:
            break
        acv = new_acv
        year += 1
    return rows


CRM_HEADER = [
    "Opportunity Name", "Account Name", "Type", "Lead Source", "Stage", "Probability (%)",
    "Amount", "Opportunity Currency", "Created Date", "Close Date", "Opportunity Owner",
]  # fmt: skip


def write_crm(path: Path, rng: np.random.Generator) -> None:
    """The CSV as Salesforce writes it for a Norwegian user: `;`, dd.mm.yyyy, UTF-8 with BOM."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(CRM_HEADER)
    writer.writerows(crm_rows(rng))
    path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write the two files into")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    write_budget(args.out / BUDGET_NAME, np.random.default_rng(SEED))
    write_crm(args.out / CRM_NAME, np.random.default_rng(CRM_SEED))
    for name in (BUDGET_NAME, CRM_NAME):
        print(f"{args.out / name}  {(args.out / name).stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
