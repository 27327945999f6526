"""Every modelling assumption the data cannot tell us, with its source and a plausible range.

One CRM export shows win rates, deal sizes, cycles and volumes, but not how fast
brand memory fades or how much it lifts win rates: those are assumptions. Each
one lives here once, with a one-line source and a range, so the UI can show
it, the user can change it, and a sensitivity view can move it within range.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Assumption:
    """One default the model needs, why we picked it, and how far it could plausibly be off."""

    key: str
    label: str
    value: float
    low: float
    high: float
    unit: str
    source: str


ASSUMPTIONS: tuple[Assumption, ...] = (
    Assumption(
        "brand_half_life", "Brand memory half-life", 9.0, 3.0, 24.0, "months",
        "Binet & Field, The Long and the Short of It (IPA 2013): brand effects build and decay over many months; 6-12 is the usual planning range.",
    ),
    Assumption(
        "demand_half_life", "Lead-gen half-life", 1.0, 0.25, 3.0, "months",
        "Binet & Field (IPA 2013): sales-activation effects are short-lived, mostly gone within weeks.",
    ),
    Assumption(
        "brand_saturation", "Brand half-saturation spend", 0.045, 0.005, 0.3, "share of monthly revenue",
        "Brand stock (monthly spend, carried over) at which half the reachable buyers know the brand, as a share of the company's monthly revenue. Gartner CMO Spend Survey: marketing budgets average 7.7 % of company revenue (2024; 9.1 % in 2023); at the Binet & Field 46 % brand split a company spending the benchmark sits at about half saturation in brand (assumption: companies spend up to where returns start to diminish).",
    ),
    Assumption(
        "brand_slope", "Brand saturation slope", 1.0, 0.5, 3.0, "",
        "Hill slope as in PyMC-Marketing / Google Meridian; 1 = plain diminishing returns, >1 = S-curve.",
    ),
    Assumption(
        "demand_saturation", "Lead-gen half-saturation spend", 0.055, 0.005, 0.3, "share of monthly revenue",
        "Lead-gen spend per month at which MQL yield is half its ceiling (audiences and keywords run out), as a share of monthly revenue: the Gartner CMO Spend Survey benchmark (7.7-9.1 % of revenue) at a 54 % activation share puts a benchmark spender at about half saturation (assumption, as for brand).",
    ),
    Assumption(
        "brand_lag_months", "Brand lag to new opportunities", 3.0, 0.0, 9.0, "months",
        "Buyers primed by brand come to market later: awareness acts on opportunities created this many months after it rose (delayed adstock, Jin et al. 2017, Google, 'Bayesian Methods for Media Mix Modeling with Carryover and Shape Effects'); B2B buying journeys run many months and most buyers have a preferred vendor before first contact (6sense B2B Buyer Experience Report 2023). Renewal decisions use the same lag (notice periods).",
    ),
    Assumption(
        "brand_activation_lift", "Brand lift on MQL acceptance (log-odds)", 0.3, 0.0, 1.0, "log-odds at full saturation",
        "Brand makes activation work better (Binet & Field, Effectiveness in Context, IPA 2018): MQLs from buyers who know the brand are accepted by sales more often. 0.3 = acceptance odds x1.35 at full awareness.",
    ),
    Assumption(
        "demand_slope", "Lead-gen saturation slope", 1.0, 0.5, 3.0, "",
        "Hill slope as in PyMC-Marketing / Google Meridian; 1 = plain diminishing returns.",
    ),
    Assumption(
        "brand_volume_lift", "Brand lift on inbound (intent) volume", 1.0, 0.0, 3.0, "x at full saturation",
        "LinkedIn B2B Institute 95-5 rule (Dawes 2021): ~95 % of buyers are out of market today; brand memory decides who they call when they enter. +100 % at full saturation.",
    ),
    Assumption(
        "brand_win_lift", "Brand lift on win rates (log-odds)", 0.4, 0.0, 1.2, "log-odds at full saturation",
        "Hidden buyers with a veto judge on reputation (Edelman-LinkedIn B2B Thought Leadership Impact Study 2021); 0.4 = odds x1.5 at full saturation.",
    ),
    Assumption(
        "brand_price_lift", "Brand lift on price realisation", 0.08, 0.0, 0.3, "share at full saturation",
        "Binet & Field, Effectiveness in Context (IPA 2018): brand building reduces price sensitivity; strong B2B brands hold price (B2B Institute, 'The 5 Principles of Growth in B2B').",
    ),
    Assumption(
        "brand_existing_effect", "Brand effect on renewals", 0.5, 0.0, 1.0, "x new-business win-rate effect",
        "Assumption: renewal odds feel this share of brand's log-odds effect on new-business win rates (Binet & Field 2013 find brand effects on loyalty and pricing, smaller than on acquisition).",
    ),
    Assumption(
        "mql_acceptance", "MQL acceptance by sales", 0.13, 0.03, 0.5, "share",
        "Salesforce State of Marketing: only ~13 % of MQLs are accepted by sales; with Forrester's <1 % MQL-to-won this is the funnel most teams see. Not identifiable from a CRM export (only accepted MQLs become opportunities): it sets how strongly brand's activation lift moves demand opportunities, and the MQL counts shown.",
    ),
    Assumption(
        "demand_baseline_share", "Demand opportunities without lead-gen spend", 0.2, 0.0, 0.8, "share",
        "Assumption: part of today's demand pipeline comes from sales outbound and partners and does not need marketing spend.",
    ),
    Assumption(
        "demand_dispersion", "Lead-gen volume steadiness", 5.0, 0.5, 100.0, "gamma shape",
        "Campaign-driven volume is over-dispersed (negative binomial, Gelman et al. BDA3 ch. 17); shape 5 = +-45 % month-to-month swings on top of chance, larger = steadier.",
    ),
    Assumption(
        "demand_persistence", "Lead-gen streakiness", 0.6, 0.0, 0.9, "month-to-month",
        "Assumption: a campaign channel that over- or under-delivers tends to keep doing so for a while (a webinar series, an ad platform change); 0.6 = a streak lasts 2.5 months on average. Brand-driven inbound has no such streaks.",
    ),
    Assumption(
        "gross_margin", "Gross margin at today's prices", 0.72, 0.2, 0.95, "share",
        "KeyBanc Capital Markets SaaS Survey: B2B subscription gross margins cluster around 70-80 %.",
    ),
    Assumption(
        "win_rate_prior", "Win-rate prior strength", 4.0, 1.0, 30.0, "pseudo-deals",
        "Empirical-Bayes shrinkage: a source with few closed deals is pulled towards the overall win rate as if it had this many extra deals.",
    ),
    Assumption(
        "first_renewal_retention", "Retention at the first renewal", 0.85, 0.6, 0.97, "share",
        "Shifted-beta-geometric r1 (Fader & Hardie 2007, 'How to Project Customer Retention'). KeyBanc (KBCM) Private SaaS Company Survey: median annual gross dollar retention about 90 %, lowest in the first year; replaced by the CRM's own renewals when it names accounts.",
    ),
    Assumption(
        "retention_heterogeneity", "Retention heterogeneity (alpha + beta)", 6.0, 1.0, 50.0, "",
        "sBG alpha + beta (Fader & Hardie 2007): small = customers differ a lot, so retention rises strongly with tenure; large = one flat churn rate. Fitted from account histories when the CRM has them.",
    ),
    Assumption(
        "expansion_rate", "Expansion per renewal", 0.12, 0.0, 0.4, "share of ACV",
        "Upsell among customers who renew: NRR = GRR x (1 + g); KBCM/OpenView SaaS benchmarks put net retention around 102-110 % against ~90 % gross (g 0.13-0.22); 0.12 is the cautious end. Fitted from renewal values when the CRM names accounts.",
    ),
    Assumption(
        "recurring_share", "Recurring share of new business", 1.0, 0.0, 1.0, "share of deal amount",
        "Deal amounts of new business are annual contract value (ACV) that renews; set 0 for project sales (revenue = bookings at close). Detected from the CRM: no renewals and no repeat customers in 24+ months means project sales.",
    ),
    Assumption(
        "discount_rate", "Discount rate for lifetime value", 0.1, 0.0, 0.3, "per year",
        "Cost of capital of a software company (Damodaran, cost of capital by industry: software about 9-10 %, 2024).",
    ),
    Assumption(
        "ltv_years", "Lifetime-value horizon", 7.0, 3.0, 15.0, "years",
        "Assumption: a customer's value is counted for at most this many years (sBG survival has a long tail, and expansion can outgrow discounting); 5-10 years is the usual LTV cap.",
    ),
)

REFERENCE_BRAND_SHARE = 0.46
"""Binet & Field (B2B Institute, 'The 5 Principles of Growth in B2B', 2019): ~46 % brand / 54 % activation
is the B2B split that maximises long-term effectiveness. Shown for comparison; not an input of the maths."""

REFERENCE_MARKETING_TO_REVENUE = 0.09
"""Gartner CMO Spend Survey: B2B marketing budgets are about 8-10 % of company revenue (7.7 % in 2024,
9.1 % in 2023). Used for the plausibility notice on the budget against the CRM's revenue."""

REFERENCE_MQL_TO_WON = 0.01
"""Forrester: fewer than 1 % of MQLs end as closed-won deals. Used only as a plausibility check."""

_BY_KEY: dict[str, Assumption] = {a.key: a for a in ASSUMPTIONS}


def get(key: str) -> Assumption:
    """The assumption called `key` (KeyError if unknown)."""
    return _BY_KEY[key]


def defaults() -> dict[str, float]:
    """Every assumption at its default value."""
    return {a.key: a.value for a in ASSUMPTIONS}


def resolve(overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """Defaults with the user's overrides applied, each clamped to its plausible range.

    Clamping (rather than rejecting) keeps a slider or an old scenario file from
    ever producing a model that cannot run; unknown keys are ignored so a file
    written by a newer version still opens.
    """
    values = defaults()
    for key, value in (overrides or {}).items():
        spec = _BY_KEY.get(key)
        if spec is None:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if number != number:  # NaN
            continue
        values[key] = min(max(number, spec.low), spec.high)
    return values
