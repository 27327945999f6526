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
from planner.io.notices import Notice
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
    from planner.io.crm import parse_column_mapping
    from planner.io.open import load_file

    path = Path(args.file)
    columns = parse_column_mapping(args.columns) if args.columns else None
    mapping = None
    if args.sources:
        from planner.io.sources import load_source_map

        mapping = load_source_map(args.sources)
    # One read of the file: detection and the reader work on the same cells.
    kind, data = load_file(path, mapping, columns=columns, sheet=args.sheet)
    if kind == "crm":
        from planner.io.sources import explain_source

        summary = crm_summary(data, explain_source, mapping or {})  # type: ignore[arg-type]
        text = _crm_text
    else:
        summary = budget_summary(data)  # type: ignore[arg-type]
        text = _budget_text
    if args.json:
        write_json(summary, indent=2)
    else:
        write_text(text(path, summary))
    return 0


def _rate(won: int, closed: int) -> float | None:
    return won / closed if closed else None


def crm_summary(deals: Deals, explain: Any = None, mapping: dict[str, str] | None = None) -> dict[str, Any]:
    """The JSON-ready figures for a CRM file (see the inspect contract in DESIGN section 4)."""
    won = deals.won
    closed = won | deals.lost
    amount = np.nan_to_num(deals.amount)
    delta = (deals.closed - deals.created).astype("timedelta64[D]")
    cycle_ok = closed & ~np.isnat(delta)  # NaT would cast to -9.2e18 days
    cycle = np.where(cycle_ok, delta.astype(np.int64), 0).astype("float64")
    by_class = {
        cls: _rate(
            int((won & (deals.source_class == cls)).sum()),
            int((closed & (deals.source_class == cls)).sum()),
        )
        for cls in SOURCE_CLASSES
    }
    # Per-source figures come from the model's own table, so `planner inspect`
    # and the window's sources panel count the same deals, closes and wins per
    # source; `win_rate` stays the observed won/closed share the inspect
    # contract promises (the panel shows the Beta posterior of the same counts).
    from planner.model.calibrate import source_table

    user_keys = {_norm_source(k) for k in (mapping or {})}
    sources: list[dict[str, Any]] = []
    for row in source_table(deals):
        if _norm_source(row.source) in user_keys:
            origin = "user"
        elif explain is not None:
            origin = "rule" if explain(row.source)[1] else "default"
        else:
            origin = "rule"
        sources.append(
            {
                "source": row.source,
                "class": row.source_class,
                "class_origin": origin,
                "deals": row.deals,
                "closed": row.closed,
                "won": row.won,
                "win_rate": _rate(
                    row.won, row.closed
                ),  # the observed share; the panel adds its interval
                "won_amount": row.avg_won_amount * row.won,
            }
        )
    sources.sort(key=lambda s: (-s["deals"], s["source"]))
    types = {t or "unknown": int((deals.deal_type == t).sum()) for t in ("new", "existing", "")}
    return {
        "kind": "crm",
        "path": deals.path,
        "sheet": deals.sheet,
        "rows": len(deals),
        "skipped_rows": _skipped_rows(deals.notices),
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
        "warnings": [n.message for n in deals.notices if n.kind != "rows_skipped"],
    }


def _skipped_rows(notices: tuple[Notice, ...]) -> dict[str, Any]:
    """The "rows_skipped" notice as the contract's {"count", "reasons"} (zero when none)."""
    for notice in notices:
        if notice.kind == "rows_skipped":
            return {"count": notice.count, "reasons": list(notice.details)}
    return {"count": 0, "reasons": []}


def notice_lines(budget: Budget | None, deals: Deals | None) -> list[str]:
    """What the import wants the user to know, one line per notice, naming the file.

    `simulate` and `optimize` write these to stderr (never into `--json`
    stdout), so rows skipped, missing dates or a guessed year are seen
    wherever the data is used, not only by `planner inspect`.
    """
    lines: list[str] = []
    for data in (budget, deals):
        if data is None:
            continue
        name = Path(data.path).name if data.path else ""
        for notice in data.notices:
            detail = f" ({notice.details[0]})" if notice.details else ""
            lines.append(f"planner: {name}: notice: {notice.message}{detail}")
    return lines


def _norm_source(value: object) -> str:
    from planner.io.sources import normalise_source

    return normalise_source(value)


def budget_summary(budget: Budget) -> dict[str, Any]:
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
        "warnings": [n.message for n in budget.notices],
    }


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1%}"


def _crm_text(path: Path, s: dict[str, Any]) -> str:
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
        *[f"  warning: {w}" for w in s["warnings"]],
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


def _budget_text(path: Path, s: dict[str, Any]) -> str:
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
