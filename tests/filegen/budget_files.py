"""Write realistic marketing budgets with known contents, for tests and benchmarks.

Each writer lays a list of `Line`s out the way people build budgets in
Excel or export them (titles, notes, sections, subtotals, total columns,
formulas without saved values, month names in en/da/nb/de, `;` CSV with
decimal comma) and returns an `Expected` computed from the lines themselves,
never from planner's code.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

MONTHS = {
    "en": {
        "short": [
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Oct",
            "Nov",
            "Dec",
        ],
        "long": [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
    },
    "da": {
        "short": [
            "jan.",
            "feb.",
            "mar.",
            "apr.",
            "maj",
            "jun.",
            "jul.",
            "aug.",
            "sep.",
            "okt.",
            "nov.",
            "dec.",
        ],
        "long": [
            "januar",
            "februar",
            "marts",
            "april",
            "maj",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "december",
        ],
    },
    "nb": {
        "short": [
            "jan",
            "feb",
            "mar",
            "apr",
            "mai",
            "jun",
            "jul",
            "aug",
            "sep",
            "okt",
            "nov",
            "des",
        ],
        "long": [
            "januar",
            "februar",
            "mars",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "desember",
        ],
    },
    "de": {
        "short": [
            "Jan",
            "Feb",
            "Mär",
            "Apr",
            "Mai",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Okt",
            "Nov",
            "Dez",
        ],
        "long": [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ],
    },
}
SECTIONS = {
    "en": ("Brand", "Demand gen"),
    "da": ("Brand", "Leadgenerering"),
    "nb": ("Merkevare", "Leadgenerering"),
    "de": ("Marke", "Leadgenerierung"),
}
SUBTOTAL = {"en": "Subtotal", "da": "Sum", "nb": "Sum", "de": "Summe"}
GRAND_TOTAL = {"en": "Total", "da": "I alt", "nb": "Totalt", "de": "Gesamt"}
TOTAL_COLUMN = {"en": "Total", "da": "I alt", "nb": "Sum", "de": "Gesamt"}
NAME_HEADER = {"en": "Line item", "da": "Post", "nb": "Post", "de": "Maßnahme"}
CATEGORY = {
    "en": ("Category", "Brand building", "Lead gen"),
    "da": ("Kategori", "Brand", "Leadgenerering"),
    "nb": ("Formål", "Merkevare", "Leadgenerering"),
    "de": ("Zweck", "Marke", "Performance"),
}
NAMES = {
    "en": (
        ("TV sponsorship", "Podcast sponsorship", "Out-of-home", "Thought leadership"),
        ("Google Ads", "LinkedIn Lead Gen Forms", "Webinars", "Trade show"),
    ),
    "da": (
        ("TV-reklame", "Podcast-sponsorat", "Udendørs plakater", "Fagblade"),
        ("Google Ads", "LinkedIn Lead Gen Forms", "Webinarer", "Messe"),
    ),
    "nb": (
        ("TV-sponsing", "Podcast-sponsing", "Utendørsreklame", "Thought leadership"),
        ("Google Ads", "Webinarer", "Messe", "Nyhetsbrev"),
    ),
    "de": (
        ("Fernsehwerbung", "Podcast-Sponsoring", "Außenwerbung", "Fachzeitschriften"),
        ("Google Ads", "Webinare", "Messe", "E-Mail-Marketing"),
    ),
}
NOTE = {
    "en": "All amounts in EUR",
    "da": "Alle beløb i DKK",
    "nb": "Alle beløp i NOK",
    "de": "Alle Beträge in EUR",
}
NOTE_CURRENCY = {"en": "EUR", "da": "DKK", "nb": "NOK", "de": "EUR"}


@dataclass(frozen=True)
class Line:
    """One budget line as the generator means it."""

    name: str
    spend_class: str  # "brand" | "demand"
    amounts: tuple[float, ...]


@dataclass(frozen=True)
class Expected:
    """What a correct reader must get from a generated budget."""

    months: tuple[str, ...]
    lines: tuple[Line, ...]
    currency: str | None
    sheet: str | None

    @property
    def total(self) -> float:
        return float(sum(sum(ln.amounts) for ln in self.lines))

    @property
    def brand_total(self) -> float:
        return float(sum(sum(ln.amounts) for ln in self.lines if ln.spend_class == "brand"))

    @property
    def demand_total(self) -> float:
        return self.total - self.brand_total

    def line(self, name: str) -> Line:
        return next(ln for ln in self.lines if ln.name == name)


def month_keys(start: tuple[int, int], n: int) -> tuple[str, ...]:
    year, month = start
    out = []
    for i in range(n):
        y, m = divmod(month - 1 + i, 12)
        out.append(f"{year + y:04d}-{m + 1:02d}")
    return tuple(out)


def make_lines(
    language: str = "en", n_months: int = 12, seed: int = 0, cents: bool = False
) -> tuple[Line, ...]:
    """Four brand and four demand lines with random amounts (some months blank = 0)."""
    rng = random.Random(seed)
    out: list[Line] = []
    for cls, names in zip(("brand", "demand"), NAMES[language], strict=True):
        for name in names:
            amounts = []
            for _ in range(n_months):
                if rng.random() < 0.15:
                    amounts.append(0.0)
                    continue
                value = rng.randrange(2, 400) * 250.0
                if cents:
                    value += rng.randrange(0, 100) / 100
                amounts.append(value)
            out.append(Line(name, cls, tuple(amounts)))
    return tuple(out)


def many_lines(n: int, n_months: int = 12, seed: int = 1) -> tuple[Line, ...]:
    """`n` lines for speed tests, alternating brand and demand names."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        cls = "brand" if i % 2 else "demand"
        name = f"{'Podcast sponsorship' if cls == 'brand' else 'Google Ads'} {i + 1}"
        out.append(Line(name, cls, tuple(rng.randrange(1, 100) * 100.0 for _ in range(n_months))))
    return tuple(out)


def month_label(style: str, language: str, year: int, month: int) -> object:
    """A month header cell: "short"/"long" names without year, "short_year", "iso", "date"."""
    if style == "short":
        return MONTHS[language]["short"][month - 1]
    if style == "long":
        return MONTHS[language]["long"][month - 1]
    if style == "short_year":
        return f"{MONTHS[language]['short'][month - 1]} {year}"
    if style == "iso":
        return f"{year}-{month:02d}"
    if style == "date":
        return datetime(year, month, 1)
    if style == "dmy":
        return f"01.{month:02d}.{year}"
    raise ValueError(style)


def _months(start: tuple[int, int], n: int) -> list[tuple[int, int]]:
    return [(int(k[:4]), int(k[5:])) for k in month_keys(start, n)]


def write_wide_xlsx(
    path: Path,
    lines: Sequence[Line],
    *,
    language: str = "en",
    start: tuple[int, int] = (2026, 1),
    month_style: str = "short",
    sheet: str = "Budget",
    title: str | None = "Marketing budget 2026",
    note: str | None = "default",
    sections: bool = True,
    subtotals: bool = True,
    grand_total: bool = True,
    total_column: bool = True,
    category_column: bool = False,
    extra_sheets: Sequence[str] = ("Notes",),
    extra_sheets_first: bool = False,
    formulas: str = "none",
    number_format: str | None = None,
    year_row: bool = False,
    amounts_as_text: bool = False,
    currency: str | None = "note",
) -> Expected:
    """A wide budget as a finance team builds it in Excel.

    `formulas`: "none" (numbers everywhere), "totals" (subtotal, total row
    and total column are SUM formulas with no saved value, as openpyxl
    writes them), or "lines" (also the line months: a first number, then
    "=previous + difference" and a line spread from an assumptions sheet).
    `currency`: "note" (a note row), "header" (the total column header says
    "(EUR)"), "format" (the cells' number format), or None.
    """
    n = len(lines[0].amounts)
    months = _months(start, n)
    wb = openpyxl.Workbook()
    ws = wb.active
    if extra_sheets_first:
        ws.title = extra_sheets[0] if extra_sheets else "Info"
        ws["A1"] = "Read me: this workbook plans next year's marketing."
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    first_col = 3 if category_column else 2
    last_col = first_col + n - 1
    r = 1
    if title:
        ws.cell(r, 1, title)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last_col)
        r += 1
    expected_currency = None
    if currency == "note":
        ws.cell(r, 1, NOTE[language] if note == "default" else note)
        expected_currency = NOTE_CURRENCY[language]
        r += 1
    r += 1  # a blank row before the header
    if year_row:
        ws.cell(r, first_col, months[0][0])
        r += 1
    header = r
    ws.cell(header, 1, NAME_HEADER[language])
    if category_column:
        ws.cell(header, 2, CATEGORY[language][0])
    for j, (y, m) in enumerate(months):
        ws.cell(header, first_col + j, month_label(month_style, language, y, m))
    total_col = last_col + 1
    if total_column:
        label = TOTAL_COLUMN[language]
        if currency == "header":
            label, expected_currency = f"{label} (EUR)", "EUR"
        ws.cell(header, total_col, label)
    assumptions = None
    if formulas == "lines":
        assumptions = wb.create_sheet("Assumptions")
        assumptions["A1"], assumptions["B1"] = "Item", "Yearly"
    if currency == "format":
        number_format = number_format or '#,##0 "kr"'
        expected_currency = "NOK" if language == "nb" else "DKK"
    r = header + 1
    subtotal_rows: list[int] = []
    for cls_index, cls in enumerate(("brand", "demand")):
        group = [ln for ln in lines if ln.spend_class == cls]
        if not group:
            continue
        if sections:
            ws.cell(r, 1, SECTIONS[language][cls_index])
            r += 1
        top = r
        for k, line in enumerate(group):
            ws.cell(r, 1, line.name)
            if category_column:
                ws.cell(r, 2, CATEGORY[language][1 + cls_index])
            spread = assumptions is not None and k == 0 and len(set(line.amounts)) == 1
            if spread:  # a yearly figure on another sheet, spread evenly over the months
                a_row = assumptions.max_row + 1
                assumptions.cell(a_row, 1, line.name)
                assumptions.cell(a_row, 2, line.amounts[0] * n)
            for j, amount in enumerate(line.amounts):
                cell = ws.cell(r, first_col + j)
                prev = get_column_letter(first_col + j - 1)
                if spread:
                    cell.value = f"=Assumptions!$B${a_row}/{n}"
                elif formulas == "lines" and j > 0:
                    diff = amount - line.amounts[j - 1]
                    cell.value = f"={prev}{r}{'+' if diff >= 0 else '-'}{abs(diff):g}"
                elif amount == 0 and j % 2:
                    continue  # blank cell = 0
                elif amounts_as_text:
                    cell.value = _text_amount(amount, language)
                else:
                    cell.value = amount
                if number_format:
                    cell.number_format = number_format
            if total_column:
                a, b = get_column_letter(first_col), get_column_letter(last_col)
                if formulas == "none":
                    ws.cell(r, total_col, sum(line.amounts))
                else:
                    ws.cell(r, total_col, f"=SUM({a}{r}:{b}{r})")
            r += 1
        if subtotals:
            ws.cell(r, 1, f"{SUBTOTAL[language]} {SECTIONS[language][cls_index].lower()}")
            for j in range(n):
                col = get_column_letter(first_col + j)
                if formulas == "none":
                    ws.cell(r, first_col + j, sum(ln.amounts[j] for ln in group))
                else:
                    ws.cell(r, first_col + j, f"=SUM({col}{top}:{col}{r - 1})")
            subtotal_rows.append(r)
            r += 1
        r += 1  # a blank row between sections
    if grand_total:
        ws.cell(r, 1, GRAND_TOTAL[language])
        for j in range(n):
            col = get_column_letter(first_col + j)
            if formulas != "none" and subtotal_rows:
                ws.cell(r, first_col + j, "=" + "+".join(f"{col}{s}" for s in subtotal_rows))
            else:
                ws.cell(r, first_col + j, sum(ln.amounts[j] for ln in lines))
        r += 1
    ws.cell(r + 1, 1, "Approved by the CFO; figures exclude VAT.")
    for name in extra_sheets if not extra_sheets_first else extra_sheets[1:]:
        other = wb.create_sheet(name)
        other["A1"] = "Owner"
        other["B1"] = "Marketing"
        other["A2"] = "Updated"
        other["B2"] = datetime(2025, 11, 3)
    wb.save(path)
    return Expected(month_keys(start, n), tuple(lines), expected_currency, sheet)


def _text_amount(amount: float, language: str) -> str:
    """An amount as text: "12.500,00" (da/nb/de) or "12,500.00" (en), with a currency mark."""
    text = f"{amount:,.2f}"
    if language != "en":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
        return f"kr {text}" if language in ("da", "nb") else f"{text} €"
    return f"€{text}"


def write_wide_csv(
    path: Path,
    lines: Sequence[Line],
    *,
    language: str = "da",
    start: tuple[int, int] = (2026, 1),
    month_style: str = "short_year",
    delimiter: str = ";",
    encoding: str = "cp1252",
    symbols: bool = True,
    title: str | None = "Marketingbudget",
) -> Expected:
    """A wide budget saved as CSV by Excel in a Nordic/German locale: `;`, decimal comma."""
    n = len(lines[0].amounts)
    months = _months(start, n)
    rows: list[list[str]] = []
    if title:
        rows.append([title] + [""] * n)
        rows.append([""] * (n + 1))
    rows.append(
        [NAME_HEADER[language]]
        + [str(month_label(month_style, language, y, m)) for y, m in months]
        + [TOTAL_COLUMN[language]]
    )

    def money(amount: float) -> str:
        text = _text_amount(amount, language)
        return text if symbols else text.replace("kr ", "").replace(" €", "").replace("€", "")

    for cls_index, cls in enumerate(("brand", "demand")):
        rows.append([SECTIONS[language][cls_index]] + [""] * (n + 1))
        for line in (ln for ln in lines if ln.spend_class == cls):
            cells = [money(a) if a else "" for a in line.amounts]
            rows.append([line.name, *cells, money(sum(line.amounts))])
    rows.append(
        [GRAND_TOTAL[language]]
        + [money(sum(ln.amounts[j] for ln in lines)) for j in range(n)]
        + [money(sum(sum(ln.amounts) for ln in lines))]
    )
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    currency = {"da": "DKK", "nb": "NOK", "de": "EUR", "en": "EUR"}[language] if symbols else None
    return Expected(month_keys(start, n), tuple(lines), currency, None)


def write_long(
    path: Path,
    lines: Sequence[Line],
    *,
    start: tuple[int, int] = (2026, 1),
    month_style: str = "iso",
    language: str = "en",
    amount_header: str = "Planned (EUR)",
    category_column: bool = True,
    delimiter: str = ",",
) -> Expected:
    """One row per line and month (as exported from a planning tool); .csv or .xlsx by suffix."""
    n = len(lines[0].amounts)
    months = _months(start, n)
    header = ["Month", "Channel"] + (["Objective"] if category_column else []) + [amount_header]
    rows: list[list[object]] = [["Budget export 2026"], [], header]
    for line in lines:
        for (y, m), amount in zip(months, line.amounts, strict=True):
            category = CATEGORY[language][1 if line.spend_class == "brand" else 2]
            row: list[object] = [month_label(month_style, language, y, m), line.name]
            if category_column:
                row.append(category)
            row.append(amount)
            rows.append(row)
    rows.append(
        ["Total", "", *([""] if category_column else []), sum(sum(ln.amounts) for ln in lines)]
    )
    if path.suffix.lower() == ".csv":
        with open(path, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, delimiter=delimiter).writerows(
                [[str(c) if not isinstance(c, float) else f"{c:.2f}" for c in row] for row in rows]
            )
        sheet = None
    else:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = sheet = "Plan"
        for row in rows:
            ws.append(row)
        wb.save(path)
    return Expected(
        month_keys(start, n), tuple(lines), "EUR" if "EUR" in amount_header else None, sheet
    )


def write_crm_export(path: Path, n: int = 60) -> None:
    """A CRM opportunity export (not a budget): daily dates, stages, amounts."""
    rng = random.Random(3)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Opportunities"
    ws.append(["Opportunity Name", "Stage", "Amount", "Created Date", "Close Date", "Lead Source"])
    for i in range(n):
        ws.append(
            [
                f"Deal {i}",
                rng.choice(["Closed Won", "Closed Lost", "Proposal"]),
                rng.randrange(1, 90) * 1000,
                datetime(2025, rng.randrange(1, 13), rng.randrange(1, 28)),
                datetime(2026, rng.randrange(1, 13), rng.randrange(1, 28)),
                "Web",
            ]
        )
    wb.save(path)


def write_weather_csv(path: Path, days: int = 90) -> None:
    """Daily weather readings (not a budget)."""
    rng = random.Random(4)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Date", "Station", "Temperature (C)", "Rain (mm)", "Wind (m/s)"])
        for d in range(days):
            day = datetime(2025, 1, 1).toordinal() + d
            w.writerow(
                [
                    datetime.fromordinal(day).date().isoformat(),
                    "Aarhus",
                    f"{rng.uniform(-5, 20):.1f}",
                    f"{rng.uniform(0, 12):.1f}",
                    f"{rng.uniform(0, 15):.1f}",
                ]
            )


def write_two_budgets_xlsx(
    path: Path,
    first: Sequence[Line],
    second: Sequence[Line],
    *,
    names: tuple[str, str] = ("Budget 2026", "Actuals 2025"),
    starts: tuple[tuple[int, int], tuple[int, int]] = ((2026, 1), (2025, 1)),
    unclassified: Sequence[str] = (),
) -> tuple[Expected, Expected]:
    """A workbook with two budget-shaped sheets (a plan and last year's actuals).

    Each sheet is a plain wide table "Line | Category | Jan 2026 ...".
    `unclassified` names extra lines with no category and a name no rule
    knows ("Misc 1"), which the reader must count as demand and report.
    """
    wb = openpyxl.Workbook()
    expected = []
    for k, (name, lines, start) in enumerate(zip(names, (first, second), starts, strict=True)):
        ws = wb.active if k == 0 else wb.create_sheet()
        ws.title = name
        n = len(lines[0].amounts)
        labels = [month_label("short_year", "en", y, m) for y, m in _months(start, n)]
        ws.append(["Line", CATEGORY["en"][0], *labels])
        all_lines = list(lines)
        for line in lines:
            category = CATEGORY["en"][1 if line.spend_class == "brand" else 2]
            ws.append([line.name, category, *line.amounts])
        if k == 0:
            for extra in unclassified:
                amounts = tuple(100.0 * (i + 1) for i in range(n))
                ws.append([extra, None, *amounts])
                all_lines.append(Line(extra, "demand", amounts))
        expected.append(Expected(month_keys(start, n), tuple(all_lines), None, name))
    wb.save(path)
    return expected[0], expected[1]
