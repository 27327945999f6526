"""How a CRM file would be read, and where the reader is unsure: the mapping dialog's input.

`preview_layout` finds the header the way `load_deals` does, then looks at
whole columns only where a doubt needs them (distinct stage and lead-source
values; amounts sampled from the first rows). Its `unsure` reasons make the
importer ask; `planner.io.open` turns the preview into a `MappingRequest`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from planner.io.crm_convert import stage_outcome
from planner.io.crm_layout import (
    HEAD_ROWS,
    REQUIRED,
    RowMatch,
    best_in_sheet,
    find_layout,
    is_header_candidate,
    map_row,
    pick_sheets,
)
from planner.io.sniff import parse_number
from planner.io.sources import explain_source
from planner.io.tabular import Sheet, is_workbook, read_sheets
from planner.io.text import cell_text, layout_key

PREVIEW_UNKNOWN_SHARE = 0.5
"""Above this share of deals with a lead source no rule knows, the classes are a guess."""


PREVIEW_BAD_AMOUNTS = 0.5
"""Above this share of non-numeric amounts among the first rows, the amount column is wrong."""


@dataclass(frozen=True)
class CrmPreview:
    """What `load_deals` would read from a file, and where it is unsure.

    Built for the mapping dialog: it shows `headers` over `rows` with the
    detected `mapping`, and opens by itself when `unsure` is not empty. The
    dialog's answer goes back as `load_deals(path, columns=..., sheet=...)`
    and is remembered under `layout_key`.
    """

    path: str
    sheets: tuple[str, ...]  # worksheet names of a workbook; () for a text file
    sheet: str | None  # the sheet the header was found on (None for a text file)
    deal_sheets: tuple[str, ...]  # sheets that look like deal tables
    header_row: int | None  # 0-based row of the header in that sheet (None: nothing found)
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # first data rows below the header, as text
    data_rows: int  # rows below the header (blank, total and footer lines included)
    mapping: dict[str, str]  # field -> header text, as detection chose
    alternatives: dict[str, tuple[str, ...]]  # field -> other headers that would fit it
    missing_required: tuple[str, ...]
    unsure: tuple[str, ...]  # one readable reason per doubt
    layout_key: str

    @property
    def confident(self) -> bool:
        """Whether the file can be read without asking the user."""
        return not self.unsure


def preview_layout(path: str | Path, *, rows: int = 20, sheet: str | None = None) -> CrmPreview:
    """How a CRM file would be read, without cleaning its columns.

    Runs the same safety check and reader as `load_deals`, finds the header
    the same way, and looks at whole columns only where a doubt needs them
    (distinct stage and lead-source values); amounts are sampled from the
    first rows. `sheet` previews another sheet of a workbook (the dialog's
    sheet picker).
    """
    path = Path(path)
    return preview_sheets(read_sheets(path, blanks_as_none=False), path, rows=rows, sheet=sheet)


def preview_sheets(
    all_sheets: Sequence[Sheet], path: str | Path, *, rows: int = 20, sheet: str | None = None
) -> CrmPreview:
    """`preview_layout` on sheets already read (blanks as ""), so one open parses the file once."""
    path = Path(path)
    workbook = is_workbook(path)
    chosen = pick_sheets(all_sheets, path, sheet)
    deal_sheets = tuple(s.name for s in all_sheets if best_in_sheet(s) is not None)
    layout = find_layout(chosen, path)
    unsure: list[str] = []
    header: int | None
    if layout is not None:
        target, header, match = (
            layout.sheet,
            layout.header,
            map_row(layout.sheet.rows[layout.header]),
        )
    else:
        target, header, match = _partial_header(chosen)
    if header is None:
        unsure.append("no header row found: no row with two or more text cells in the first rows")
        header_cells: list[str] = []
        body: list[list[object]] = []
    else:
        header_cells = [cell_text(c) for c in target.rows[header]]
        while header_cells and not header_cells[-1]:
            header_cells.pop()
        body = target.rows[header + 1 :]
    width = len(header_cells)
    mapping = {f: header_cells[j] for f, j in match.columns.items() if j < width}
    missing = tuple(f for f in REQUIRED if f not in mapping)
    for fld in missing:
        unsure.append(f"no {fld} column found (required)")
    for fld in match.guessed:
        unsure.append(
            f"the {fld} column {mapping[fld]!r} was matched only by the start of its name"
        )
    alternatives: dict[str, tuple[str, ...]] = {}
    for fld, others in match.rivals.items():
        names = tuple(header_cells[j] for j in others if j < width)
        if names:
            alternatives[fld] = names
            listed = ", ".join(repr(n) for n in names)
            unsure.append(
                f"several columns could be the {fld}: {mapping[fld]!r} was used, not {listed}"
            )
    if len(deal_sheets) > 1 and sheet is None and layout is not None:
        other_sheets = ", ".join(repr(n) for n in deal_sheets if n != target.name)
        unsure.append(
            f"several sheets look like deal tables: {target.name!r} was used, not {other_sheets}"
        )
    if header is not None and not missing:
        unsure += _column_doubts(body, match.columns)
    shown = [r for r in body if any(not _blank(c) for c in r)][: max(0, rows)]
    preview_rows = tuple(
        tuple((cell_text(r[j]) if j < len(r) else "") for j in range(width)) for r in shown
    )
    return CrmPreview(
        path=str(path),
        sheets=tuple(s.name for s in all_sheets) if workbook else (),
        sheet=target.name if workbook and header is not None else None,
        deal_sheets=deal_sheets if workbook else (),
        header_row=header,
        headers=tuple(header_cells),
        rows=preview_rows,
        data_rows=len(body),
        mapping=mapping,
        alternatives=alternatives,
        missing_required=missing,
        unsure=tuple(unsure),
        layout_key=layout_key(header_cells),
    )


def _partial_header(sheets: Sequence[Sheet]) -> tuple[Sheet, int | None, RowMatch]:
    """The likeliest header when no row has both a stage and an amount column.

    The row naming the most fields wins; without any, the row with the most
    text cells - so the dialog can still offer the file's own column names.
    """
    best: tuple[tuple[int, int], Sheet, int, RowMatch] | None = None
    for sh in sheets:
        for i, row in enumerate(sh.rows[:HEAD_ROWS]):
            if not is_header_candidate(row):
                continue
            match = map_row(row)
            texts = sum(1 for c in row if isinstance(c, str) and c.strip())
            score = (len(match.columns), texts)
            if best is None or score > best[0]:
                best = (score, sh, i, match)
    if best is None:
        return (sheets[0] if sheets else Sheet("", [])), None, RowMatch({}, (), {})
    return best[1], best[2], best[3]


def _column_doubts(body: Sequence[Sequence[object]], columns: Mapping[str, int]) -> list[str]:
    """Doubts about what the mapped columns hold: no won/lost stage, unknown sources, text amounts."""

    def column(j: int) -> list[object]:
        return [r[j] if j < len(r) else "" for r in body]

    doubts: list[str] = []
    stage_texts = [cell_text(v) for v in column(columns["stage"])]
    stages = Counter(t for t in stage_texts if t)
    if stages and not any(stage_outcome(s) != "open" for s in stages):
        listed = ", ".join(repr(s) for s, _ in stages.most_common(4))
        doubts.append(f"no stage value reads as won or lost ({listed}); is it the stage column?")
    sample = [v for v in column(columns["amount"])[:200] if not _blank(v)]
    if sample:
        bad = 0
        for v in sample:
            try:
                parse_number(v)
            except (ValueError, TypeError):
                bad += 1
        if bad > PREVIEW_BAD_AMOUNTS * len(sample):
            doubts.append(
                f"{bad} of the first {len(sample)} amounts are not numbers; "
                "is it the amount column?"
            )
    if "source" not in columns:
        doubts.append("no lead source column found: every deal would count as demand")
    else:
        pairs = zip(stage_texts, column(columns["source"]), strict=True)
        values = Counter(cell_text(src) for st, src in pairs if st)
        deals = sum(values.values())
        unknown = {v: n for v, n in values.items() if not explain_source(v)[1]}
        share = sum(unknown.values()) / deals if deals else 0.0
        if share > PREVIEW_UNKNOWN_SHARE:
            listed = ", ".join(repr(v or "(blank)") for v, _ in Counter(unknown).most_common(4))
            doubts.append(
                f"{share:.0%} of deals have a lead source no rule knows ({listed}); "
                "they would count as demand"
            )
    return doubts


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
