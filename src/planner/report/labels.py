"""Words and number formats for every KPI and monthly series the model reports.

The export reads KPIs generically from `Kpis.to_dict()`: a key listed here
gets its label and format; a key the model adds later (a new lifecycle KPI)
still appears, labelled from its name and formatted by what its name says
(`_pct` is a percentage, `_month(s)` a month count, money words money). So
a new KPI reaches the workbook without a change here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["money", "percent", "months", "count", "ratio", "number"]


@dataclass(frozen=True)
class Label:
    text: str
    kind: Kind
    activity: bool = False  # an activity metric (MQLs): shown, never a goal


KPI_LABELS: dict[str, Label] = {
    "revenue_mean": Label("Revenue (expected)", "money"),
    "revenue_p10": Label("Revenue P10 (1 in 10 worse)", "money"),
    "revenue_p50": Label("Revenue P50 (median)", "money"),
    "revenue_p90": Label("Revenue P90 (1 in 10 better)", "money"),
    "revenue_new": Label("New-business revenue", "money"),
    "revenue_recurring": Label("Recurring revenue", "money"),
    "revenue_cv_monthly": Label("Volatility: typical monthly miss", "percent"),
    "revenue_spread": Label("Volatility: P10-P90 spread", "percent"),
    "arr": Label("ARR at horizon end", "money"),
    "arr_end": Label("ARR at horizon end", "money"),
    "nrr": Label("Net revenue retention", "percent"),
    "grr": Label("Gross revenue retention", "percent"),
    "roi": Label("Marketing ROI", "ratio"),
    "break_even_month": Label("Break-even month vs baseline", "months"),
    "p_beats_budget": Label("P(beats budget)", "percent"),
    "ltv": Label("Customer lifetime value", "money"),
    "ltv_cac": Label("LTV : CAC", "ratio"),
    "pipeline_created": Label("Pipeline created", "money"),
    "qualified_pipeline": Label("Qualified pipeline (win-rate weighted)", "money"),
    "win_rate": Label("Win rate", "percent"),
    "gross_margin_pct": Label("Gross margin", "percent"),
    "contribution": Label("Contribution after marketing", "money"),
    "contribution_p10": Label("Contribution P10", "money"),
    "cac": Label("CAC", "money"),
    "cac_payback_months": Label("CAC payback", "months"),
    "wins": Label("Deals won", "count"),
    "new_wins": Label("New customers won", "count"),
    "spend": Label("Marketing spend", "money"),
    "mqls": Label("MQLs (activity metric)", "count", activity=True),
    "cost_per_mql": Label("Cost per MQL (activity metric)", "money", activity=True),
}

MONTHLY_LABELS: dict[str, Label] = {
    "revenue_p10": Label("Revenue P10", "money"),
    "revenue_p50": Label("Revenue P50", "money"),
    "revenue_p90": Label("Revenue P90", "money"),
    "revenue_mean": Label("Revenue (expected)", "money"),
    "revenue_new": Label("New-business revenue", "money"),
    "revenue_recurring": Label("Recurring revenue", "money"),
    "revenue_existing": Label("Revenue from existing customers", "money"),
    "arr": Label("ARR", "money"),
    "pipeline_created": Label("Pipeline created", "money"),
    "qualified_pipeline": Label("Qualified pipeline", "money"),
    "pipeline_intent": Label("Pipeline: inbound (intent)", "money"),
    "pipeline_demand": Label("Pipeline: lead gen (demand)", "money"),
    "pipeline_existing": Label("Pipeline: existing customers", "money"),
    "opportunities": Label("Opportunities created", "number"),
    "wins": Label("Deals won", "number"),
    "win_rate": Label("Win rate", "percent"),
    "win_rate_intent": Label("Win rate: inbound", "percent"),
    "win_rate_demand": Label("Win rate: lead gen", "percent"),
    "mqls": Label("MQLs (activity metric)", "number", activity=True),
    "spend_brand": Label("Spend: brand", "money"),
    "spend_demand": Label("Spend: lead gen", "money"),
    "gross_margin_pct": Label("Gross margin %", "percent"),
    "gross_margin": Label("Gross margin", "money"),
    "contribution": Label("Contribution after marketing", "money"),
    "awareness": Label("Brand awareness (share of market)", "percent"),
}

_MONEY_WORDS = ("revenue", "arr", "mrr", "pipeline", "contribution", "spend", "cac", "ltv", "margin", "cost", "value")
_PERCENT_WORDS = ("_pct", "rate", "share", "nrr", "grr", "probability", "p_beats")


def describe(key: str, table: dict[str, Label] = KPI_LABELS) -> Label:
    """The label for `key`; for a key not in `table`, one made from its name."""
    if key in table:
        return table[key]
    words = key.lower()
    if any(w in words for w in _PERCENT_WORDS):
        kind: Kind = "percent"
    elif words.endswith(("_month", "_months")) or words.startswith("months"):
        kind = "months"
    elif words.startswith(("roi", "mroi")) or words.endswith(("_ratio", "roi")):
        kind = "ratio"
    elif any(w in words for w in _MONEY_WORDS):
        kind = "money"
    else:
        kind = "number"
    text = key.replace("_", " ").strip()
    return Label(text[:1].upper() + text[1:], kind)


def ordered_keys(keys: list[str] | tuple[str, ...], table: dict[str, Label]) -> list[str]:
    """Known keys in the table's order, then the ones the table does not know, in the model's order."""
    present = set(keys)
    known = [k for k in table if k in present]
    return known + [k for k in keys if k not in table]


def number_format(kind: Kind, currency: str | None) -> str:
    """An Excel number format that Excel, LibreOffice and Numbers all show the same way."""
    if kind == "money":
        return f'#,##0 "{currency}"' if currency else "#,##0"
    if kind == "percent":
        return "0.0%"
    if kind == "months":
        return '0.0 "months"'
    if kind == "ratio":
        return "0.00"
    if kind == "count":
        return "#,##0"
    return "#,##0.0"


def format_value(value: float | None, kind: Kind, currency: str | None) -> str:
    """The same formats as text (the PDF and PNG charts, which have no spreadsheet to do it)."""
    if value is None:
        return "n/a"
    if kind == "money":
        return f"{value:,.0f} {currency}" if currency else f"{value:,.0f}"
    if kind == "percent":
        return f"{value:.1%}"
    if kind == "months":
        return f"{value:.1f} months"
    if kind == "ratio":
        return f"{value:.2f}"
    if kind == "count":
        return f"{value:,.0f}"
    return f"{value:,.1f}"
