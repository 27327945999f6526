"""The charts an export draws, as plain data: what to plot, in which colour, with which labels.

The PDF pages and the PNG export (`planner.report.painter`) draw these; the
window's "Export charts" can build the same specs from its own results. No
Qt here, so the choice of series is tested without a painter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from planner.report.data import ScenarioFigures
from planner.report.labels import Kind

BRAND_COLOUR = "#0072B2"
DEMAND_COLOUR = "#E69F00"


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    colour: str  # "#RRGGBB"
    low: tuple[float | None, ...] = ()  # with `high`: a shaded band around the line (P10-P90)
    high: tuple[float | None, ...] = ()


@dataclass(frozen=True)
class ChartSpec:
    title: str
    labels: tuple[str, ...]  # x axis: "YYYY-MM"
    series: tuple[Series, ...]
    style: Literal["line", "bars", "stacked"] = "line"
    kind: Kind = "money"  # how the y axis is labelled
    unit: str | None = None  # the currency


def _values(fig: ScenarioFigures, key: str) -> tuple[float | None, ...]:
    return tuple(fig.monthly.get(key, ()))


def revenue_fan(figs: tuple[ScenarioFigures, ...] | list[ScenarioFigures], currency: str | None) -> ChartSpec:
    """Monthly revenue: the median with its P10-P90 band, one per scenario, overlaid."""
    series = tuple(
        Series(f.name, _values(f, "revenue_p50"), f.colour, _values(f, "revenue_p10"), _values(f, "revenue_p90"))
        for f in figs
    )
    return ChartSpec("Revenue per month (median, P10-P90 band)", _longest(figs), series, "line", "money", currency)


def monthly_lines(figs: Sequence[ScenarioFigures], key: str, title: str, currency: str | None, kind: Kind = "money") -> ChartSpec:
    """One monthly series per scenario, overlaid (pipeline, contribution, ARR...)."""
    series = tuple(Series(f.name, _values(f, key), f.colour) for f in figs if key in f.monthly)
    return ChartSpec(title, _longest(figs), series, "line", kind, currency)


def pipeline_bars(fig: ScenarioFigures, currency: str | None) -> ChartSpec:
    return ChartSpec("Pipeline created per month", fig.labels,
                     (Series("Pipeline created", _values(fig, "pipeline_created"), fig.colour),), "bars", "money", currency)


def spend_bars(fig: ScenarioFigures, currency: str | None) -> ChartSpec:
    return ChartSpec(
        "Spend by class per month",
        fig.labels,
        (Series("Brand", _values(fig, "spend_brand"), BRAND_COLOUR),
         Series("Lead gen", _values(fig, "spend_demand"), DEMAND_COLOUR)),
        "stacked", "money", currency,
    )


def _longest(figs: Sequence[ScenarioFigures]) -> tuple[str, ...]:
    return max((f.labels for f in figs), key=len, default=())
