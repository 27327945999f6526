"""Synthetic CRM exports and budgets with a known true process, for back-tests.

The dataclasses are built directly (no file parsing), so a model test fails
only because of the model. The truth is stationary: each stream creates a
Poisson (or gamma-Poisson) number of opportunities per month, each is won
with a fixed probability, has a lognormal amount and a lognormal cycle, and
deals still running at the export date are open. A model that calibrates
correctly must give back these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.io.types import Budget, BudgetLine, Deals


@dataclass(frozen=True)
class TrueStream:
    name: str  # "intent" | "demand" | "existing"
    per_month: float
    win_rate: float
    size_median: float
    size_sigma: float
    cycle_median_days: float
    cycle_sigma: float
    dispersion: float = np.inf  # gamma shape of monthly volume; inf = Poisson
    sources: tuple[str, ...] = ("Inbound",)

    @property
    def size_mean(self) -> float:
        return float(self.size_median * np.exp(0.5 * self.size_sigma**2))


DEFAULT_STREAMS: tuple[TrueStream, ...] = (
    TrueStream("intent", 14.0, 0.32, 40_000, 0.7, 55, 0.6, sources=("Inbound", "Referral", "Organic search")),
    TrueStream("demand", 32.0, 0.12, 28_000, 0.8, 95, 0.7, dispersion=6.0, sources=("Webinar", "Paid social", "Ebook")),
)
EXISTING_STREAM = TrueStream("existing", 8.0, 0.65, 18_000, 0.6, 40, 0.5, sources=("Account management",))


def make_deals(
    *,
    months: int = 36,
    end: str = "2025-12-31",
    streams: tuple[TrueStream, ...] = DEFAULT_STREAMS,
    seasonality: np.ndarray | None = None,
    seed: int = 1,
) -> Deals:
    """Deals created over `months` months up to `end` (the export date)."""
    rng = np.random.default_rng(seed)
    today = np.datetime64(end, "D")
    first_month = np.datetime64(end, "M") - np.timedelta64(months - 1, "M")
    rows: dict[str, list] = {k: [] for k in ("name", "stage", "outcome", "amount", "created", "closed", "source", "cls", "type")}
    has_existing = any(s.name == "existing" for s in streams)
    for s in streams:
        for i in range(months):
            month = first_month + np.timedelta64(i, "M")
            start = month.astype("datetime64[D]")
            length = int(((month + np.timedelta64(1, "M")).astype("datetime64[D]") - start).astype(int))
            rate = s.per_month * (1.0 if seasonality is None else seasonality[int(str(month)[5:7]) - 1])
            if np.isfinite(s.dispersion):
                rate *= rng.gamma(s.dispersion, 1.0 / s.dispersion)
            n = rng.poisson(rate)
            created = start + rng.integers(0, length, n).astype("timedelta64[D]")
            cycle = np.rint(np.exp(np.log(s.cycle_median_days) + s.cycle_sigma * rng.standard_normal(n))).astype(int)
            closed = created + cycle.astype("timedelta64[D]")
            win = rng.random(n) < s.win_rate
            amount = np.round(np.exp(np.log(s.size_median) + s.size_sigma * rng.standard_normal(n)), 0)
            src = rng.choice(np.array(s.sources, dtype=object), n)
            for j in range(n):
                if created[j] > today:
                    continue
                is_open = closed[j] > today
                outcome = "open" if is_open else ("won" if win[j] else "lost")
                rows["name"].append(f"{s.name}-{i}-{j}")
                rows["stage"].append({"open": "Proposal", "won": "Closed Won", "lost": "Closed Lost"}[outcome])
                rows["outcome"].append(outcome)
                rows["amount"].append(float(amount[j]))
                rows["created"].append(created[j])
                rows["closed"].append(np.datetime64("NaT", "D") if is_open else closed[j])
                rows["source"].append(str(src[j]))
                rows["cls"].append("demand" if s.name == "demand" else "intent")
                rows["type"].append(("existing" if s.name == "existing" else "new") if has_existing else "")
    return Deals(
        name=np.array(rows["name"], dtype=object),
        stage=np.array(rows["stage"], dtype=object),
        outcome=np.array(rows["outcome"], dtype=object),
        amount=np.array(rows["amount"], dtype=np.float64),
        created=np.array(rows["created"], dtype="datetime64[D]"),
        closed=np.array(rows["closed"], dtype="datetime64[D]"),
        source=np.array(rows["source"], dtype=object),
        source_class=np.array(rows["cls"], dtype=object),
        deal_type=np.array(rows["type"], dtype=object),
        currency="EUR",
    )


def make_budget(
    *,
    brand: float = 30_000.0,
    demand: float = 70_000.0,
    start: str = "2026-01",
    months: int = 12,
) -> Budget:
    """A flat monthly budget: two brand lines and two lead-gen lines."""
    labels = tuple(str(np.datetime64(start, "M") + np.timedelta64(i, "M")) for i in range(months))

    def line(name: str, cls: str, monthly: float) -> BudgetLine:
        return BudgetLine(name, cls, np.full(months, float(monthly)), None, "column")  # type: ignore[arg-type]

    lines = (
        line("Brand campaign", "brand", brand * 0.7),
        line("Thought leadership", "brand", brand * 0.3),
        line("Paid search", "demand", demand * 0.6),
        line("Webinars", "demand", demand * 0.4),
    )
    return Budget(months=labels, lines=lines, currency="EUR")


def trailing_monthly_revenue(deals: Deals, months: int = 12) -> float:
    """What the back-test compares with: won revenue per month closed in the trailing 12 months."""
    today = max(deals.created.max(), deals.closed[~np.isnat(deals.closed)].max())
    start = today - np.timedelta64(365 - 1, "D")
    sel = deals.won & (deals.closed >= start) & (deals.closed <= today)
    return float(deals.amount[sel].sum()) / months
