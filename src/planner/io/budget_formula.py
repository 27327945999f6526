"""A tiny evaluator for the formulas budget lines hold: SUM, + - * /, cell references.

Workbooks written by openpyxl or a script store formulas with no cached
value, so a reader sees `=B5*1.1` where Excel would show 11,000. Budget
lines use simple arithmetic (a yearly figure spread by `/12`, last month
plus 5 %, a SUM of a few cells); those we compute. Anything else (IF,
VLOOKUP, names) raises `FormulaError` and the caller reports it: guessing a
budget figure would be worse than saying we could not read it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

MAX_RANGE_CELLS = 5_000
"""Largest range a SUM may span: a 5,000-line column, or 12 months of 400 lines.

A whole-column SUM(A:A) is not supported anyway. Each cell costs a call
into the workbook (~1 us): 480 cells each summing a 100,000-cell block took
20 s; capped here, a sheet of 480 formulas at the cap reads 2.4 M cells
(~2 s), and a caller that passes `ranges` (see `evaluate`) reads each block once.
"""

MAX_FORMULA_CELLS = 10_000
"""Most cells one formula may read across all its ranges."""

MAX_NESTING = 40
"""Deepest nesting of brackets and SUM() we evaluate (Excel allows 64 levels of functions).

Each level costs the recursive-descent parser four Python frames; 250 nested
brackets (legal within Excel's 8,192 characters) would exhaust the stack.
"""

MAX_FORMULA_CHARS = 8_192
"""Excel's own limit on a formula's length."""


class FormulaError(ValueError):
    """A formula we do not evaluate (function, name, text operand, error value)."""


class TextCell(FormulaError):
    """A referenced cell holds text: an error in arithmetic, skipped by SUM (as in Excel)."""


@dataclass(frozen=True)
class Ref:
    """A cell or a range, 0-based, with the sheet it names (None: the formula's own sheet)."""

    sheet: str | None
    row: int
    col: int
    row2: int
    col2: int

    @property
    def is_range(self) -> bool:
        return (self.row, self.col) != (self.row2, self.col2)


# A cell value by (sheet, row, col): a number, None for blank; raises TextCell for
# text and FormulaError for a formula it cannot evaluate.
Resolver = Callable[[str | None, int, int], float | None]

_SHEET = r"(?:'(?P<qs>(?:[^']|'')+)'|(?P<s>[A-Za-z0-9_.]+))!"
_CELL = r"\$?([A-Za-z]{1,3})\$?(\d{1,7})"
_TOKEN = re.compile(
    rf"\s*(?:(?P<ref>(?:{_SHEET})?{_CELL}(?::{_CELL})?)(?![A-Za-z0-9_(])"
    r"|(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<func>[A-Za-z][A-Za-z0-9.]*)\s*\("
    r"|(?P<op>[-+*/(),;%]))"
)

_FUNCTION = re.compile(r"(?<![A-Za-z0-9_.'!])([A-Za-z][A-Za-z0-9.]*)\s*\(")


def column_index(letters: str) -> int:
    """0-based column number of "A", "Z", "AA"..."""
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return col - 1


def tokenize(formula: str) -> list[tuple[str, object]]:
    """(kind, value) tokens of a formula ("=" optional); FormulaError on anything else."""
    if len(formula) > MAX_FORMULA_CHARS:
        raise FormulaError(f"a formula of {len(formula):,} characters is longer than Excel allows")
    text = formula[1:] if formula.startswith("=") else formula
    tokens: list[tuple[str, object]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise FormulaError(f"cannot read {formula!r}")
        pos = m.end()
        if m.group("ref"):
            tokens.append(("ref", _ref(m)))
        elif m.group("num"):
            tokens.append(("num", float(m.group("num"))))
        elif m.group("func"):
            tokens.append(("func", m.group("func").upper()))
        else:
            tokens.append(("op", m.group("op")))
    return tokens


def _ref(m: re.Match[str]) -> Ref:
    sheet = m.group("qs")
    sheet = sheet.replace("''", "'") if sheet is not None else m.group("s")
    c1, r1, c2, r2 = m.group(4), m.group(5), m.group(6), m.group(7)
    row, col = int(r1) - 1, column_index(c1)
    if c2 is None:
        return Ref(sheet, row, col, row, col)
    row2, col2 = int(r2) - 1, column_index(c2)
    return Ref(sheet, min(row, row2), min(col, col2), max(row, row2), max(col, col2))


RangeSums = dict[tuple[str | None, int, int, int, int], float]
"""Sums of ranges already read, by (sheet, row, col, row2, col2): see `evaluate`."""


def evaluate(formula: str, resolve: Resolver, ranges: RangeSums | None = None) -> float:
    """The value of a simple formula; FormulaError when it is not simple.

    `ranges`, one dict kept per sheet the formulas stand on (a range
    without a sheet name means the formula's own sheet), caches the sum of
    every range read so that many formulas summing the same block read it once.
    Depth is bounded (`MAX_NESTING`) and the result is always finite: an
    overflow is a FormulaError like a division by zero.
    """
    functions = {f.upper() for f in _FUNCTION.findall(formula)} - {"SUM"}
    if functions:
        raise FormulaError(f"{', '.join(sorted(functions))}() is not evaluated")
    parser = _Parser(tokenize(formula), resolve, formula, ranges)
    try:
        value = parser.expr()
    except RecursionError:  # references chained through many cells: the stack, not the formula
        raise FormulaError("its chain of references is too deep") from None
    if parser.pos != len(parser.tokens):
        raise FormulaError(f"cannot read {formula!r}")
    if not math.isfinite(value):
        raise FormulaError(f"{formula!r} overflows")
    return value


def references(formula: str) -> tuple[list[Ref], set[str]]:
    """The references and the functions/operators a formula uses (for spotting subtotals)."""
    refs: list[Ref] = []
    used: set[str] = set()
    for kind, value in tokenize(formula):
        if kind == "ref":
            refs.append(value)  # type: ignore[arg-type]
        elif kind in ("func", "op"):
            used.add(str(value))
    return refs, used


class _Parser:
    """Recursive descent over the tokens: expr, term, unary, primary."""

    def __init__(
        self,
        tokens: list[tuple[str, object]],
        resolve: Resolver,
        text: str,
        ranges: RangeSums | None = None,
    ) -> None:
        self.tokens = tokens
        self.resolve = resolve
        self.text = text
        self.pos = 0
        self.depth = 0  # brackets and SUM( currently open
        self.cells_read = 0
        self.ranges = ranges

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise FormulaError(f"brackets nested more than {MAX_NESTING} deep")

    def _peek(self) -> tuple[str, object] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self, op: str) -> bool:
        tok = self._peek()
        if tok == ("op", op):
            self.pos += 1
            return True
        return False

    def expr(self) -> float:
        value = self.term()
        while True:
            if self._take("+"):
                value += self.term()
            elif self._take("-"):
                value -= self.term()
            else:
                return value

    def term(self) -> float:
        value = self.unary()
        while True:
            if self._take("*"):
                value *= self.unary()
            elif self._take("/"):
                divisor = self.unary()
                if divisor == 0:
                    raise FormulaError(f"division by zero in {self.text!r}")
                value /= divisor
            else:
                return value

    def unary(self) -> float:
        sign = 1.0
        while True:  # a loop, not recursion: "=----...-1" may be thousands of signs long
            if self._take("-"):
                sign = -sign
            elif not self._take("+"):
                break
        value = self.primary()
        while self._take("%"):
            value /= 100
        return sign * value

    def primary(self) -> float:
        tok = self._peek()
        if tok is None:
            raise FormulaError(f"cannot read {self.text!r}")
        kind, value = tok
        self.pos += 1
        if kind == "num":
            return float(value)  # type: ignore[arg-type]
        if kind == "ref":
            ref: Ref = value  # type: ignore[assignment]
            if ref.is_range:
                raise FormulaError(f"a range outside SUM in {self.text!r}")
            return self.resolve(ref.sheet, ref.row, ref.col) or 0.0
        if kind == "func":
            if value != "SUM":
                raise FormulaError(f"{value}() is not evaluated")
            self._enter()
            total = self._sum()
            self.depth -= 1
            return total
        if value == "(":
            self._enter()
            inner = self.expr()
            if not self._take(")"):
                raise FormulaError(f"unbalanced brackets in {self.text!r}")
            self.depth -= 1
            return inner
        raise FormulaError(f"cannot read {self.text!r}")

    def _sum(self) -> float:
        total = 0.0
        if self._take(")"):
            return total
        while True:
            tok = self._peek()
            nxt = self.tokens[self.pos + 1] if self.pos + 1 < len(self.tokens) else None
            if (
                tok is not None
                and tok[0] == "ref"
                and nxt in (("op", ","), ("op", ";"), ("op", ")"))
            ):
                self.pos += 1
                total += self._sum_ref(tok[1])  # type: ignore[arg-type]
            else:
                total += self.expr()
            if self._take(")"):
                return total
            if not (self._take(",") or self._take(";")):
                raise FormulaError(f"cannot read {self.text!r}")

    def _sum_ref(self, ref: Ref) -> float:
        key = (ref.sheet, ref.row, ref.col, ref.row2, ref.col2)
        if self.ranges is not None and key in self.ranges:
            return self.ranges[key]
        cells = (ref.row2 - ref.row + 1) * (ref.col2 - ref.col + 1)
        if cells > MAX_RANGE_CELLS:
            raise FormulaError(f"range too large in {self.text!r}")
        self.cells_read += cells
        if self.cells_read > MAX_FORMULA_CELLS:
            raise FormulaError(f"ranges too large in {self.text!r}")
        total = self._read_range(ref)
        if self.ranges is not None:
            self.ranges[key] = total
        return total

    def _read_range(self, ref: Ref) -> float:
        total = 0.0
        for row in range(ref.row, ref.row2 + 1):
            for col in range(ref.col, ref.col2 + 1):
                try:
                    total += self.resolve(ref.sheet, row, col) or 0.0
                except TextCell:
                    continue
        return total
