"""The data a review file carries: the budget, and the CRM export reduced to what the model reads.

A CFO who never had the CRM export must be able to open a shared workspace,
so the file carries the data itself - but only the columns calibration uses
(outcome, amount, created and closed dates, lead source and its class, deal
type, and accounts as pseudonyms that keep only which deals share a customer
and their sort order). Deal names, stages as typed, account names, owners and
every other column never leave the machine; notices keep their message and count but drop the
example rows (which quote cells). The arrays come back bit for bit (floats
are written with Python's shortest round-trip repr), so the figures from the
shared file equal the figures from the original files for the same seed.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from planner.io.notices import KINDS, Notice
from planner.io.types import SOURCE_CLASSES, SPEND_CLASSES, Budget, BudgetLine, Deals

_OUTCOMES = ("won", "lost", "open")
_DEAL_TYPES = ("new", "existing", "")
DEAL_FIELDS = ("outcome", "amount", "created", "closed", "source", "source_class", "deal_type")
"""Every per-deal field a shared file holds: what `planner.model` reads, nothing more."""


def budget_to_dict(budget: Budget) -> dict[str, Any]:
    return {
        "months": list(budget.months),
        "currency": budget.currency,
        "sheet": budget.sheet,
        "lines": [
            {
                "name": ln.name,
                "class": ln.spend_class,
                "section": ln.section,
                "class_origin": ln.class_origin,
                "amounts": [float(v) for v in np.asarray(ln.amounts, dtype=np.float64)],
            }
            for ln in budget.lines
        ],
        "notices": _notices_to_list(budget.notices),
    }


def deals_to_dict(deals: Deals) -> dict[str, Any]:
    """The model's columns of the CRM export, one list per field (no names, stages, accounts, owners)."""
    return {
        "currency": deals.currency,
        "count": len(deals),
        "outcome": [str(v) for v in deals.outcome],
        "amount": [_number(v) for v in deals.amount],
        "created": [_day(v) for v in deals.created],
        "closed": [_day(v) for v in deals.closed],
        "source": [str(v) for v in deals.source],
        "source_class": [str(v) for v in deals.source_class],
        "deal_type": [str(v) for v in deals.deal_type],
        **({"account": _pseudonyms(deals.account)} if deals.account is not None else {}),
        "notices": _notices_to_list(deals.notices),
    }


def _pseudonyms(accounts: np.ndarray) -> list[str]:
    """Account names as "a000001"...: equal names share one, blank stays blank, sort order kept."""
    names = [str(v) for v in accounts]
    rank = {n: f"a{i:06d}" for i, n in enumerate(sorted(set(names) - {""}), start=1)}
    return [rank.get(n, "") for n in names]


def budget_from_dict(doc: dict[str, Any], path: str | None) -> Budget:
    """Raises ValueError/KeyError/TypeError on a malformed section (the caller words the InputError)."""
    months = tuple(str(m) for m in doc["months"])
    lines = []
    for d in doc["lines"]:
        cls = str(d["class"])
        if cls not in SPEND_CLASSES:
            raise ValueError(f"budget line class {cls!r}")
        amounts = np.array([float(v) for v in d["amounts"]], dtype=np.float64)
        if amounts.shape != (len(months),) or not np.isfinite(amounts).all():
            raise ValueError(f"budget line {d['name']!r} needs {len(months)} finite amounts")
        section = d.get("section")
        lines.append(
            BudgetLine(str(d["name"]), cls, amounts, None if section is None else str(section),
                       str(d.get("class_origin", "name")))
        )
    return Budget(
        months=months,
        lines=tuple(lines),
        currency=_text_or_none(doc.get("currency")),
        sheet=_text_or_none(doc.get("sheet")),
        path=path,
        notices=_notices_from_list(doc.get("notices", [])),
    )


def deals_from_dict(doc: dict[str, Any], path: str | None) -> Deals:
    count = int(doc["count"])
    columns = {name: list(doc[name]) for name in DEAL_FIELDS}
    for name, values in columns.items():
        if len(values) != count:
            raise ValueError(f"deal column {name!r} has {len(values)} values for {count} deals")
    _check_values("outcome", columns["outcome"], _OUTCOMES)
    _check_values("source_class", columns["source_class"], SOURCE_CLASSES)
    _check_values("deal_type", columns["deal_type"], _DEAL_TYPES)
    blank = np.array([""] * count, dtype=object)
    return Deals(
        name=blank,  # never shared
        stage=blank.copy(),  # as typed in the CRM (may name people or accounts); the model reads outcome
        outcome=np.array([str(v) for v in columns["outcome"]], dtype=object),
        amount=np.array([math.nan if v is None else float(v) for v in columns["amount"]], dtype=np.float64),
        created=np.array(columns["created"], dtype="datetime64[D]"),
        closed=np.array(["NaT" if v is None else v for v in columns["closed"]], dtype="datetime64[D]"),
        source=np.array([str(v) for v in columns["source"]], dtype=object),
        source_class=np.array([str(v) for v in columns["source_class"]], dtype=object),
        deal_type=np.array([str(v) for v in columns["deal_type"]], dtype=object),
        currency=_text_or_none(doc.get("currency")),
        notices=_notices_from_list(doc.get("notices", [])),
        path=path,
        account=_accounts(doc, count),
    )


def _accounts(doc: dict[str, Any], count: int) -> np.ndarray | None:
    """The pseudonymous account column (None in files written before it was carried)."""
    if "account" not in doc:
        return None
    values = [str(v) for v in doc["account"]]
    if len(values) != count:
        raise ValueError(f"deal column 'account' has {len(values)} values for {count} deals")
    return np.array(values, dtype=object)


def _check_values(name: str, values: list[object], allowed: tuple[str, ...]) -> None:
    odd = {str(v) for v in values} - set(allowed)
    if odd:
        raise ValueError(f"deal column {name!r} holds {sorted(odd)[:3]}")


def _number(value: float) -> float | None:
    v = float(value)
    return v if math.isfinite(v) else None


def _day(value: np.datetime64) -> str | None:
    return None if np.isnat(value) else str(value.astype("datetime64[D]"))


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _notices_to_list(notices: tuple[Notice, ...]) -> list[dict[str, Any]]:
    return [{"kind": n.kind, "message": n.message, "count": int(n.count)} for n in notices]


def _notices_from_list(items: list[dict[str, Any]]) -> tuple[Notice, ...]:
    """Notices of kinds this version knows; a newer planner's kinds are dropped, not fatal."""
    return tuple(
        Notice(str(d["kind"]), str(d["message"]), int(d.get("count", 1)))
        for d in items
        if str(d.get("kind")) in KINDS
    )

