"""Generated company histories with a known truth: spend that drives inbound, growth, decline, seasons.

Deals are built directly (no file parsing), month by month, from given
expected opportunity counts per class, so a test knows exactly what the
model should learn: whether inbound follows brand spend (and with what
half-life and lift), and how volume and deal size trend.
"""

from __future__ import annotations

import numpy as np

from planner.io.types import Budget, BudgetLine, Deals
from planner.model.response import geometric_adstock, hill


def month_labels(first: str, months: int) -> tuple[str, ...]:
    start = np.datetime64(first, "M")
    return tuple(str(start + np.timedelta64(i, "M")) for i in range(months))


def budget_for(labels: tuple[str, ...], brand: np.ndarray, demand: np.ndarray) -> Budget:
    """A budget whose months are `labels` (past actuals and plan alike), one line per class."""
    return Budget(
        months=labels,
        lines=(
            BudgetLine("Brand", "brand", np.asarray(brand, dtype=np.float64), None, "column"),  # type: ignore[arg-type]
            BudgetLine("Lead gen", "demand", np.asarray(demand, dtype=np.float64), None, "column"),  # type: ignore[arg-type]
        ),
        currency="EUR",
    )


def brand_driven_intent(
    brand: np.ndarray, scale: float, *, base: float, lift: float, half_life: float, saturation: float, lag: int
) -> np.ndarray:
    """Expected intent opportunities per month when inbound follows brand spend (the model's own equations)."""
    stock = geometric_adstock(np.asarray(brand, dtype=np.float64), half_life, initial=float(brand[0]))
    aware = hill(stock / scale, saturation, 1.0)
    acting = np.concatenate([np.full(lag, aware[0]), aware[: aware.size - lag]]) if lag else aware
    return base * (1.0 + lift * acting)


def make_history(
    labels: tuple[str, ...],
    intent_rate: np.ndarray,
    demand_rate: np.ndarray,
    *,
    size_growth_per_year: float = 0.0,
    win_rate: tuple[float, float] = (0.3, 0.15),
    size_median: float = 30_000.0,
    cycle_days: float = 60.0,
    seed: int = 0,
) -> Deals:
    """Deals created in `labels` months with the given expected counts; the export ends on the last month's end."""
    rng = np.random.default_rng(seed)
    end = (np.datetime64(labels[-1], "M") + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")
    rows: dict[str, list] = {k: [] for k in ("name", "outcome", "amount", "created", "closed", "source", "cls")}
    for c, (cls, rates) in enumerate((("intent", intent_rate), ("demand", demand_rate))):
        for i, label in enumerate(labels):
            start = np.datetime64(label, "M").astype("datetime64[D]")
            n = rng.poisson(max(float(rates[i]), 0.0))
            created = start + rng.integers(0, 28, n).astype("timedelta64[D]")
            cycle = np.rint(cycle_days * np.exp(0.5 * rng.standard_normal(n))).astype(int)
            closed = created + cycle.astype("timedelta64[D]")
            won = rng.random(n) < win_rate[c]
            growth = (1.0 + size_growth_per_year) ** (i / 12.0)
            amount = np.round(size_median * growth * np.exp(0.6 * rng.standard_normal(n)), 0)
            for j in range(n):
                is_open = closed[j] > end
                rows["name"].append(f"{cls}-{i}-{j}")
                rows["outcome"].append("open" if is_open else ("won" if won[j] else "lost"))
                rows["amount"].append(float(amount[j]))
                rows["created"].append(created[j])
                rows["closed"].append(np.datetime64("NaT", "D") if is_open else closed[j])
                rows["source"].append("Inbound" if cls == "intent" else "Webinar")
                rows["cls"].append(cls)
    n = len(rows["name"])
    stage = np.array([{"open": "Proposal", "won": "Closed Won", "lost": "Closed Lost"}[o] for o in rows["outcome"]],
                     dtype=object)
    return Deals(
        name=np.array(rows["name"], dtype=object),
        stage=stage,
        outcome=np.array(rows["outcome"], dtype=object),
        amount=np.array(rows["amount"], dtype=np.float64),
        created=np.array(rows["created"], dtype="datetime64[D]"),
        closed=np.array(rows["closed"], dtype="datetime64[D]"),
        source=np.array(rows["source"], dtype=object),
        source_class=np.array(rows["cls"], dtype=object),
        deal_type=np.full(n, "", dtype=object),
        currency="EUR",
    )
