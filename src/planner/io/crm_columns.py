"""A CRM column as read: a list of cells, or (for big text files) codes into its distinct cells.

A million-deal export has a million stage cells but a dozen stages; the
big-file reader (`crm_big`) keeps each column as `CodedColumn` (an int
array and the distinct cells), so memory is a few bytes per cell and the
converters in `crm_convert` run once per distinct value (`per_value`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from planner.io.crm_convert import DateColumn


@dataclass(frozen=True)
class CodedColumn:
    """Cells as `uniques[codes]`: the distinct cells once, and one code per row.

    A big file's account column may hold a text more than once (once per
    chunk it was read in, see `crm_big._Coder`); its cells are converted
    one by one (`crm_convert.cell_texts`).
    """

    codes: npt.NDArray[np.intp] | npt.NDArray[np.int32]  # one per row (int32: big files)
    uniques: list[object]

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def __getitem__(self, i: int) -> object:
        return self.uniques[int(self.codes[i])]

    def __iter__(self) -> Iterator[object]:
        return map(self.uniques.__getitem__, self.codes.tolist())


Column: TypeAlias = Sequence[object] | CodedColumn | npt.NDArray[np.object_] | npt.NDArray[np.float64]
"""The raw cells of one field: a list (sheets, small text files) or a `CodedColumn`."""


def per_value(column: Column, convert: Callable[[Any], Any]) -> Any:
    """`convert(column)`, computed once per distinct cell when the column is coded.

    `convert` returns an array, a `DateColumn`, or a tuple of arrays and
    other values (`amount_column`); each row-long array is spread back to
    the rows by the codes.
    """
    if not isinstance(column, CodedColumn):
        return convert(column)
    result = convert(column.uniques)
    codes = column.codes.astype(np.intp, copy=False)  # numpy gathers by intp twice as fast
    if isinstance(result, np.ndarray):
        return result[codes]
    if isinstance(result, DateColumn):
        return replace(
            result,
            dates=result.dates[codes],
            bad=_spread_mask(result.bad, codes),
            out_of_range=_spread_mask(result.out_of_range, codes),
        )
    if isinstance(result, tuple):
        return tuple(
            r[codes] if isinstance(r, np.ndarray) and r.shape == (len(column.uniques),) else r
            for r in result
        )
    raise TypeError(f"cannot spread a {type(result).__name__} back to rows")


def _spread_mask(mask: npt.NDArray[np.bool_], codes: np.ndarray) -> npt.NDArray[np.bool_]:
    """`mask[codes]`; all False without the gather when no distinct cell is flagged (the usual case)."""
    spread: npt.NDArray[np.bool_] = mask[codes] if mask.any() else np.zeros(codes.shape[0], dtype=bool)
    return spread
