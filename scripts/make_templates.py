"""Write the budget templates a new user fills in: resources/templates/budget_template.xlsx and .csv.

Why a template: most marketing budgets already are a spreadsheet with line
items as rows and months as columns, and planner reads those as they are. A
team starting from nothing gets the layout planner reads best: one row per
line item, a *Type* column saying brand or lead generation (so no line is
classified by guessing from its name), twelve month columns, and no totals
(planner adds them up itself; a totals row in a filled-in copy is recognised
and never counted twice). The example amounts are there to be overwritten.

Deterministic: running it twice gives the same CSV bytes and the same cells.
Run from the repository root:

    python scripts/make_templates.py
"""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

YEAR = 2027
MONTHS = tuple(f"{YEAR}-{m:02d}" for m in range(1, 13))
HEADER = ("Line item", "Type", *MONTHS)

# (line item, type, monthly amount): a small B2B company's plan, about a third brand.
LINES: tuple[tuple[str, str, float], ...] = (
    ("Brand campaign (video, display, audio)", "Brand", 40_000.0),
    ("Thought leadership and content", "Brand", 25_000.0),
    ("Events and sponsorships", "Brand", 15_000.0),
    ("Paid search", "Lead generation", 45_000.0),
    ("Paid social lead ads", "Lead generation", 35_000.0),
    ("Webinars", "Lead generation", 20_000.0),
    ("Marketing automation and data", "Lead generation", 12_000.0),
)

NOTE = (
    "Amounts per month in your currency (write the currency in cell B2). Type: Brand or Lead generation. "
    "Add or delete rows freely; no totals needed."
)


def rows() -> list[list[object]]:
    """The template's line rows: name, type, twelve monthly amounts."""
    return [[name, kind, *([amount] * len(MONTHS))] for name, kind, amount in LINES]


def write_csv(path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows())
    path.write_text(buffer.getvalue(), encoding="utf-8")


def write_xlsx(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws["A1"] = f"Marketing budget {YEAR}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"], ws["B2"] = "Currency", "EUR"
    ws["A3"] = NOTE
    ws["A3"].font = Font(italic=True, color="555555")
    header_row = 5
    fill = PatternFill("solid", fgColor="DCE6F2")
    for col, text in enumerate(HEADER, start=1):
        cell = ws.cell(row=header_row, column=col, value=text)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center" if col > 2 else "left")
    for r, values in enumerate(rows(), start=header_row + 1):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            if col > 2:
                cell.number_format = "#,##0"
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 18
    for col in range(3, len(HEADER) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 11
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "resources" / "templates")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    write_xlsx(out / "budget_template.xlsx")
    write_csv(out / "budget_template.csv")
    print(f"wrote {out / 'budget_template.xlsx'} and {out / 'budget_template.csv'}")


if __name__ == "__main__":
    main()
