"""`planner inspect FILE [--json] [--sources MAP]`: show what the importer read.

The first thing a user (or a support engineer) checks when figures look
wrong is whether the file was read right; this prints the counts and totals
the importer saw, as text or as one JSON object on stdout.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from planner.commands._output import write_json, write_text
from planner.io.types import SOURCE_CLASSES, Budget, Deals

CRM_FIELDS = ("name", "stage", "amount", "created", "closed", "source", "deal_type", "currency")
"""`planner.io.crm.FIELDS`, spelled out so `--help` does not import the CRM reader."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a budget or CRM export (.xlsx, .xlsm, .csv, .txt)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument(
        "--sources",
        metavar="MAP",
        help="CSV with columns source,class (intent|demand) overriding the lead-source classes",
    )
    parser.add_argument(
        "--columns",
        metavar="FIELD=HEADER,...",
        help="CRM columns to use instead of detection, e.g. "
        "'amount=Auftragswert (EUR),stage=Phase' (fields: "
        + ", ".join(CRM_FIELDS)
        + "; 'deal_type=' = the file has none)",
    )
    parser.add_argument(
        "--sheet", metavar="NAME", help="read this sheet of a workbook instead of the detected one"
    )


def run(args: argparse.Namespace) -> int:
    from planner.io.crm import parse_column_mapping, pick_sheets
    from planner.io.detect import sheets_kind
    from planner.io.tabular import read_sheets

    path = Path(args.file)
    columns = parse_column_mapping(args.columns) if args.columns else None
    mapping = None
    if args.sources:
        from planner.io.sources import load_source_map

        mapping = load_source_map(args.sources)
    sheets = read_sheets(path, blanks_as_none=False)
    # A column mapping only means something for a CRM export; otherwise the
    # kind is told from the sheet the user chose (or from all of them).
    kind = "crm" if columns else sheets_kind(pick_sheets(sheets, path, args.sheet), path)
    if kind == "crm":
        from planner.io.crm import deals_from_sheets
        from planner.io.sources import explain_source

        deals = deals_from_sheets(sheets, path, mapping, columns=columns, sheet=args.sheet)
        del sheets
        summary = crm_summary(deals, explain_source, mapping or {})
        text = _crm_text
    else:
        del sheets
        from planner.io.budget import load_budget

        summary = budget_summary(load_budget(path, sheet=args.sheet))
        text = _budget_text
    if args.json:
        write_json(summary, indent=2)
    else:
        write_text(text(path, summary))
    return 0


def _rate(won: int, closed: int) -> float | None:
    return won / closed if closed else None


def crm_summary(deals: Deals, explain: Any = None, mapping: dict[str, str] | None = None) -> dict:
    """The JSON-ready figures for a CRM file (see the inspect contract in DESIGN section 4)."""
    won = deals.won
    closed = won | deals.lost
    amount = np.nan_to_num(deals.amount)
    cycle = (deals.closed - deals.created).astype("timedelta64[D]").astype("float64")
    cycle_ok = closed & ~np.isnan(cycle)
    by_class = {
        cls: _rate(
            int((won & (deals.source_class == cls)).sum()),
            int((closed & (deals.source_class == cls)).sum()),
        )
        for cls in SOURCE_CLASSES
    }
    user_keys = {_norm_source(k) for k in (mapping or {})}
    sources = []
    # One pass with codes per distinct source (a dozen) instead of a mask per source.
    from planner.io.crm import factorize

    codes, uniq = factorize(deals.source.tolist())
    k = len(uniq)
    n_deals = np.bincount(codes, minlength=k)
    n_closed = np.bincount(codes, weights=closed, minlength=k)
    n_won = np.bincount(codes, weights=won, minlength=k)
    won_amounts = np.bincount(codes, weights=np.where(won, amount, 0.0), minlength=k)
    first = np.full(k, -1)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    for i, value in enumerate(uniq):
        if _norm_source(value) in user_keys:
            origin = "user"
        elif explain is not None:
            origin = "rule" if explain(value)[1] else "default"
        else:
            origin = "rule"
        sources.append(
            {
                "source": str(value),
                "class": str(deals.source_class[first[i]]),
                "class_origin": origin,
                "deals": int(n_deals[i]),
                "closed": int(n_closed[i]),
                "won": int(n_won[i]),
                "win_rate": _rate(int(n_won[i]), int(n_closed[i])),
                "won_amount": float(won_amounts[i]),
            }
        )
    sources.sort(key=lambda s: (-s["deals"], s["source"]))
    types = {t or "unknown": int((deals.deal_type == t).sum()) for t in ("new", "existing", "")}
    return {
        "kind": "crm",
        "path": deals.path,
        "sheet": deals.sheet,
        "rows": len(deals),
        "skipped_rows": {"count": deals.skipped.count, "reasons": list(deals.skipped.reasons)},
        "closed": int(closed.sum()),
        "won": int(won.sum()),
        "lost": int(deals.lost.sum()),
        "open": int(deals.is_open.sum()),
        "win_rate": _rate(int(won.sum()), int(closed.sum())),
        "win_rate_by_class": by_class,
        "won_amount": float(amount[won].sum()),
        "median_cycle_days": float(np.median(cycle[cycle_ok])) if cycle_ok.any() else None,
        "currency": deals.currency,
        "columns": dict(deals.columns),
        "deal_types": types,
        "sources": sources,
    }


def _norm_source(value: object) -> str:
    from planner.io.sources import normalise_source

    return normalise_source(value)


def budget_summary(budget: Budget) -> dict:
    """The JSON-ready figures for a budget file."""
    return {
        "kind": "budget",
        "path": budget.path,
        "total": budget.total,
        "brand_total": budget.brand_total,
        "demand_total": budget.demand_total,
        "line_items": len(budget.lines),
        "months": len(budget.months),
        "first_month": budget.months[0] if budget.months else None,
        "currency": budget.currency,
        "sheet": budget.sheet,
        "warnings": list(budget.warnings),
    }


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1%}"


def _crm_text(path: Path, s: dict) -> str:
    cur = f" {s['currency']}" if s["currency"] else ""
    lines = [
        f"{path.name}: CRM export" + (f", sheet {s['sheet']!r}" if s["sheet"] else ""),
        f"  deals read      {s['rows']:,} ({s['won']:,} won, {s['lost']:,} lost, {s['open']:,} open)",
        f"  rows skipped    {s['skipped_rows']['count']:,}",
        *[f"    {r}" for r in s["skipped_rows"]["reasons"]],
        f"  win rate        {_pct(s['win_rate'])} (intent {_pct(s['win_rate_by_class']['intent'])}, "
        f"demand {_pct(s['win_rate_by_class']['demand'])})",
        f"  won amount      {s['won_amount']:,.0f}{cur}",
        "  median cycle    "
        + ("n/a" if s["median_cycle_days"] is None else f"{s['median_cycle_days']:.0f} days"),
        "  columns         " + ", ".join(f"{k} <- {v!r}" for k, v in s["columns"].items()),
        "  lead sources",
    ]
    for src in s["sources"]:
        flag = {"default": " (unknown: default)", "user": " (your map)"}.get(
            src["class_origin"], ""
        )
        lines.append(
            f"    {src['source'] or '(blank)':<28} {src['class']:<6}{flag} "
            f"{src['deals']:>7,} deals, win rate {_pct(src['win_rate'])}"
        )
    return "\n".join(lines) + "\n"


def _budget_text(path: Path, s: dict) -> str:
    cur = f" {s['currency']}" if s["currency"] else ""
    lines = [
        f"{path.name}: budget" + (f", sheet {s['sheet']!r}" if s["sheet"] else ""),
        f"  line items      {s['line_items']}",
        f"  months          {s['months']} from {s['first_month']}",
        f"  total           {s['total']:,.0f}{cur}",
        f"  brand           {s['brand_total']:,.0f}{cur}",
        f"  demand          {s['demand_total']:,.0f}{cur}",
        *[f"  warning: {w}" for w in s["warnings"]],
    ]
    return "\n".join(lines) + "\n"
