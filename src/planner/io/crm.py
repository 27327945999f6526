"""CRM opportunity/deal exports -> `Deals`: the public reader, `load_deals`.

Salesforce reports (title lines above the header, a "Total" line and a
copyright footer below), HubSpot deal exports (xlsx with datetime cells),
Excel "Unicode text" re-saved by a German user, plain CSV. The work is done
in three rooms: `crm_layout` finds the deal table and its columns,
`crm_convert` turns cells into values a column at a time, and this module
assembles them into `Deals`, deciding which rows are not deals at all (blank
lines, totals, footers) and which could not be read. Those are skipped and
reported as a "rows_skipped" `Notice`, never guessed.

Where the file leaves doubt, `crm_preview.preview_layout` says so (for the
mapping dialog) and `load_deals(columns=..., sheet=...)` reads what the user chose.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import islice
from pathlib import Path

import numpy as np

from planner.errors import InputError
from planner.io.crm_big import is_big_text, read_big
from planner.io.crm_columns import CodedColumn, Column, per_value
from planner.io.crm_convert import (
    DateColumn,
    amount_column,
    cell_texts,
    classify_sources,
    date_column,
    deal_type_of,
    factorize,
    file_currency,
    map_unique,
    name_column,
    nat_column,
    stage_outcome,
    text_column,
)
from planner.io.crm_layout import (
    COLUMNS,
    FIELDS,
    HEAD_ROWS,
    REQUIRED,
    Layout,
    check_column_mapping,
    find_layout,
    parse_column_mapping,
    pick_sheets,
    resolve_layout,
)
from planner.io.crm_notices import amount_notices, date_notices
from planner.io.crm_preview import CrmPreview, preview_layout
from planner.io.notices import Notice
from planner.io.tabular import Sheet, paused_gc, read_sheets
from planner.io.text import normalise
from planner.io.types import Deals, SourceClass
from planner.io.vocab import FOOTER_WORDS, TOTAL_WORDS

__all__ = [
    "COLUMNS",
    "CodedColumn",
    "FIELDS",
    "HEAD_ROWS",
    "REQUIRED",
    "CrmPreview",
    "check_column_mapping",
    "deal_type_of",
    "deals_from_sheets",
    "factorize",
    "find_layout",
    "load_deals",
    "parse_column_mapping",
    "pick_sheets",
    "preview_layout",
    "stage_outcome",
]

_NOT_A_DEAL = re.compile(
    r"^(?:"
    + "|".join(map(re.escape, sorted(TOTAL_WORDS, key=len, reverse=True)))
    + r")\b|^(?:"
    + "|".join(map(re.escape, FOOTER_WORDS))
    + ")"
)
"""The first cell of a line that is no deal: a total ("Grand Totals (120 records)") or a footer."""


_MAX_REASONS = 5


def load_deals(
    path: str | Path,
    sources: Mapping[str, SourceClass] | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    sheet: str | None = None,
) -> Deals:
    """Read a CRM export into `Deals`.

    `sources` overrides the lead-source classes. `columns` (field -> header
    text, fields being the keys of `COLUMNS`) overrides detection for those
    fields - what the mapping dialog or `--columns` confirmed; an empty
    header means "the file has no such column". `sheet` picks the sheet of
    a workbook with several deal tables.
    """
    path = Path(path)
    with paused_gc():
        if is_big_text(path):  # a million-deal export: streamed a column at a time
            layout, cells, first, n = read_big(path, columns, sheet)
            return deals_from_columns(layout, cells, first, n, path, sources)
        sheets = read_sheets(path, blanks_as_none=False)
        deals = deals_from_sheets(sheets, path, sources, columns=columns, sheet=sheet)
        # The rows go before the collector is back: its first pass would walk all of them.
        del sheets
    return deals


def deals_from_sheets(
    sheets: Sequence[Sheet],
    path: str | Path,
    sources: Mapping[str, SourceClass] | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    sheet: str | None = None,
) -> Deals:
    """`load_deals` on sheets already read (so `planner inspect` parses the file once)."""
    with paused_gc():
        layout = resolve_layout(sheets, Path(path), columns, sheet)
        return _deals_from_layout(layout, Path(path), sources)


def _deals_from_layout(
    layout: Layout, path: Path, sources: Mapping[str, SourceClass] | None
) -> Deals:
    body = layout.sheet.rows[layout.header + 1 :]
    n = len(body)
    if n == 0:
        raise InputError(path, "the deal table has a header but no rows")
    width = max(layout.columns.values()) + 1
    if min(map(len, body)) < width:
        body = [_pad(r, width) for r in body]
    # The rows turned into columns in one pass (zip), the columns right of the fields never
    # built: a pass over 100,000 rows per field costs more than the conversion itself.
    # Rows longer than `width` are fine: only the first `width` columns are taken.
    cells = list(islice(zip(*body, strict=False), width))
    columns: dict[str, Column] = {fld: cells[j] for fld, j in layout.columns.items()}
    return deals_from_columns(layout, columns, cells[0], n, path, sources)


def deals_from_columns(
    layout: Layout,
    columns: Mapping[str, Column],
    first: Column | Mapping[int, object],
    n: int,
    path: Path,
    sources: Mapping[str, SourceClass] | None,
) -> Deals:
    """`Deals` from the raw cells of each field's column (lists, or `CodedColumn` for big files).

    `first` is the first cell of each row (a "Total" or footer line is told by it).
    """
    first_row_number = layout.header + 2  # 1-based row number of row 0 in the sheet
    # Text fields are coded once here (a big file's come coded): every rule below then runs
    # once per distinct cell, and only what a row needs is spread back to the rows.
    columns = {f: _coded(c) if f in _CODED_FIELDS else c for f, c in columns.items()}
    stage, stage_blank, outcome, won, is_open = per_value(columns["stage"], _stage_parts)
    name = (
        per_value(columns["name"], name_column)
        if "name" in columns
        else np.full(n, "", dtype=object)
    )
    reasons: list[str] = []
    skip = np.zeros(n, dtype=bool)

    amount, amount_bad, amount_blank, currency_hint = per_value(columns["amount"], amount_column)
    raw_amount = columns["amount"]
    # Rows that are not deals at all: blank lines, a "Total" line, a report footer.
    not_deal = stage_blank & amount_blank
    for i in np.flatnonzero(stage_blank & ~amount_blank):
        cell = first[int(i)]
        if isinstance(cell, str) and _NOT_A_DEAL.match(normalise(cell)):
            not_deal[i] = True

    no_dates = DateColumn(nat_column(n), np.zeros(n, bool), np.zeros(n, bool))
    created = per_value(columns["created"], date_column) if "created" in columns else no_dates
    closed = per_value(columns["closed"], date_column) if "closed" in columns else no_dates

    candidates = ~not_deal
    _flag(skip, candidates & stage_blank, "no stage", reasons, first_row_number)
    for mask, what, raw in (
        (amount_bad, "amount", raw_amount),
        (created.bad, "created date", columns.get("created")),
        (closed.bad, "close date", columns.get("closed")),
    ):
        bad = candidates & mask & ~skip
        if bad.any() and raw is not None:
            for i in np.flatnonzero(bad)[: _MAX_REASONS - len(reasons)]:
                reasons.append(
                    f"row {first_row_number + i}: {what} {str(raw[i]).strip()!r} is not "
                    f"{'a number' if what == 'amount' else 'a date'}"
                )
            skip |= bad
    won_no_amount = candidates & ~skip & won & np.isnan(amount)
    _flag(skip, won_no_amount, "won deal without an amount", reasons, first_row_number)

    if not candidates.any():
        raise InputError(path, "the deal table has a header but no rows")
    keep = candidates & ~skip
    count = int((candidates & skip).sum())
    details = tuple(reasons[:_MAX_REASONS])
    if not keep.any():
        detail = f" ({details[0]})" if details else ""
        raise InputError(path, f"no deal rows could be read{detail}")

    closed_at = np.where(is_open, np.datetime64("NaT"), closed.dates).astype("datetime64[D]")
    if keep.all():  # the usual case: no copies (a million-deal export holds 10 MB per array)
        keep = slice(None)
    if "source" in columns:
        source, source_class = per_value(
            columns["source"], lambda u: _source_parts(u, sources)
        )
        source_class = source_class[keep]
    else:
        source = np.full(n, "", dtype=object)
        source_class = classify_sources(source[keep], sources)
    deal_type = (
        per_value(columns["deal_type"], lambda u: map_unique(text_column(u), deal_type_of))
        if "deal_type" in columns
        else np.full(n, "", dtype=object)
    )
    currency = file_currency(layout, columns, keep, currency_hint)
    account = (
        per_value(columns["account"], cell_texts)[keep]
        if "account" in columns
        else np.full(len(source_class), "", dtype=object)
    )
    return Deals(
        name=name[keep],
        stage=stage[keep],
        outcome=outcome[keep],
        amount=amount[keep],
        created=created.dates[keep],
        closed=closed_at[keep],
        source=source[keep],
        source_class=source_class,
        deal_type=deal_type[keep],
        currency=currency,
        columns=dict(layout.names),
        account=account,
        notices=layout.sheet.notices
        + _skipped_notice(count, details)
        + date_notices(
            ~is_open[keep],  # won or lost
            created.dates[keep],
            closed_at[keep],
            (created.out_of_range | closed.out_of_range)[keep],
            has_created="created" in columns,
            has_closed="closed" in columns,
        )
        + amount_notices(amount[keep]),
        path=str(path),
        sheet=layout.sheet.name if path.suffix.lower() not in (".csv", ".txt", ".tsv") else None,
    )


_CODED_FIELDS = frozenset({"stage", "source", "deal_type", "account", "currency"})
"""Fields of few distinct texts (a dozen stages, a few thousand accounts): coded before converting."""


def _coded(column: Column) -> CodedColumn:
    """A column as codes into its distinct cells (`factorize` once; a coded column as it is)."""
    if isinstance(column, CodedColumn):
        return column
    return CodedColumn(*factorize(column))


def _stage_parts(values: Sequence[object]) -> tuple[np.ndarray, ...]:
    """Stage texts, which are blank, their outcomes, and which outcomes are won and open."""
    stage = text_column(values)
    outcome = map_unique(stage, stage_outcome)
    return stage, stage == "", outcome, outcome == "won", outcome == "open"


def _source_parts(
    values: Sequence[object], sources: Mapping[str, SourceClass] | None
) -> tuple[np.ndarray, np.ndarray]:
    """Lead-source texts and their classes."""
    source = text_column(values)
    return source, classify_sources(source, sources)


def _pad(row: list[object], width: int) -> list[object]:
    return row + [""] * (width - len(row)) if len(row) < width else row


def _flag(skip: np.ndarray, mask: np.ndarray, why: str, reasons: list[str], first_row: int) -> None:
    mask = mask & ~skip
    for i in np.flatnonzero(mask)[: max(0, _MAX_REASONS - len(reasons))]:
        reasons.append(f"row {first_row + i}: {why}")
    skip |= mask


def _skipped_notice(count: int, reasons: tuple[str, ...]) -> tuple[Notice, ...]:
    """The "rows_skipped" notice (none when every row was read)."""
    if not count:
        return ()
    rows = "row" if count == 1 else "rows"
    return (Notice("rows_skipped", f"{count} {rows} could not be read", count, reasons),)
