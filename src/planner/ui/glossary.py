"""The glossary: the few words a budget meeting trips over, explained once and reachable everywhere.

Every KPI tile and chart title carries the entries it uses in its tooltip
(`glossary_tip`), and Help > Glossary shows them all (`glossary_html`), so a
newcomer never has to guess what "pp", "CV" or "qualified pipeline" means.
"""

from __future__ import annotations

from html import escape

from planner.i18n import tr


def glossary() -> dict[str, tuple[str, str]]:
    """Key -> (term, explanation) in the current language, in reading order."""
    return {
        "pp": (tr("pp (percentage points)"), tr("The difference between two percentages: 27 % to 29 % is +2 pp (not +2 %).")),
        "cv": (tr("CV (coefficient of variation)"), tr("How far a typical month's revenue lands from the expected month, as a share of average monthly revenue. Lower is steadier.")),
        "cac_payback": (tr("CAC payback"), tr("Customer acquisition cost divided by the monthly gross profit of a new customer: the months a new customer needs to earn back what it cost to win.")),
        "qualified": (tr("Qualified pipeline"), tr("Pipeline created, weighted by each opportunity's chance to win: what the pipeline is worth, not its face value.")),
        "contribution": (tr("Contribution"), tr("Gross profit minus marketing spend over the horizon: what the marketing plan leaves for the rest of the business. Best split maximises it.")),
        "intent": (tr("Intent and demand"), tr("Intent: buyers who find you by themselves (search, referrals, inbound); brand raises it. Demand: leads pulled by campaigns; spend buys it. Existing business: customers you already have.")),
        "p10_p90": (tr("P10\u2013P90"), tr("Eight in ten simulated futures fall between P10 and P90; the line is the average.")),
        "baseline": (tr("Baseline"), tr("The budget as imported, with your assumptions: the difference shown is the effect of your spend decision alone.")),
        "noise": (tr("Simulation noise"), tr("A difference smaller than about two Monte Carlo standard errors could come from the random draws alone; it is shown grey, not red or green.")),
        "odds": (tr("Beats the budget"), tr("The share of simulated futures in which this plan's contribution is higher than the budget's, with the same luck in both and every assumption drawn from its range: it includes what the model does not know.")),
        "breakeven": (tr("Break-even month"), tr("The first month from which the cumulative contribution of this plan stays above the budget's: when a shift to brand has paid for itself.")),
        "mql": (tr("MQL"), tr("Marketing-qualified lead: an activity metric. Fewer MQLs with more revenue is a good plan, not a failure.")),
    }  # fmt: skip


def glossary_tip(intro: str, *keys: str) -> str:
    """A tooltip: `intro`, then the glossary entries `keys` (rich text, so it wraps)."""
    entries = glossary()
    parts = [f"<p>{escape(intro)}</p>"] if intro else []
    for key in keys:
        term, text = entries[key]
        parts.append(f"<p><b>{escape(term)}</b>: {escape(text)}</p>")
    parts.append(f"<p><i>{escape(tr('Help > Glossary lists every term.'))}</i></p>")
    return "<qt>" + "".join(parts) + "</qt>"


def glossary_html() -> str:
    """Every entry, for the Help > Glossary dialog."""
    rows = "".join(
        f"<dt><b>{escape(term)}</b></dt><dd>{escape(text)}</dd>"
        for term, text in glossary().values()
    )
    return f"<dl>{rows}</dl>"


def how_to_read_text() -> str:
    """The Help text: what each chart means, in the words of a budget meeting."""
    return tr(
        "<p><b>The slider</b> moves budget between brand building and lead generation. "
        "The total stays the same unless you change it.</p>"
        "<p><b>Revenue per month</b>: the line is the average of thousands of simulated futures; "
        "the band holds the middle 80 % of them (P10\u2013P90). The dashed line is your budget as imported.</p>"
        "<p><b>MQLs</b> are an activity metric. More brand usually means fewer MQLs at first while "
        "revenue grows later: judge the plan by revenue and contribution, not by MQLs.</p>"
        "<p><b>Pipeline by class</b>: intent pipeline comes from buyers who find you by themselves "
        "(brand raises it); demand pipeline is pulled by campaigns. Qualified pipeline is weighted "
        "by the chance to win.</p>"
        "<p><b>Gross margin and contribution</b>: brand lets you hold price; contribution is gross "
        "profit minus marketing spend.</p>"
        "<p><b>Volatility</b>: the bars show the CV of monthly revenue, the same measure as the KPI strip; "
        "a shorter bar is a steadier business.</p>"
        "<p><b>KPI strip</b>: scenario vs baseline and the difference. Green is better, red is worse; "
        "grey is a change within simulation noise.</p>"
        "<p>Brand pays back slowly: change the horizon (6\u201336 months) to see the short-term "
        "cost and the long-term payoff. <b>Best split</b> sweeps every brand share for the horizon.</p>"
    )
