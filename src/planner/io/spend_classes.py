"""Budget line -> "brand" or "demand" (lead generation).

The model treats the two kinds of spend differently (a slow brand stock
versus a fast lead-generation stock), so every line needs a class. Budgets
say it in three ways, tried in this order: a category column ("Kategori:
Merkevare", "Objective: Lead gen"), the section header a line sits under
("Brand", "Leadgenerering"), or only the line's name ("TV-sponsing",
"LinkedIn Lead Gen Forms"). Words are en, da, nb and de.

Terms match at the start of a word, so "webinar" also finds "Webinarer" and
"Webinare", and "marken" finds "Markenkampagne"; a term ending in `\\b` must
be a whole word ("tv", "pr", "lead" but not "leadership").
"""

from __future__ import annotations

import re

from planner.io.text import normalise
from planner.io.types import SpendClass

# What a category column or a section header says the spend is for.
_CLASS_BRAND = (
    r"brand",
    r"branding",
    r"awareness",
    r"merkevare",
    r"merkenavn",
    r"mærke",
    r"maerke",
    r"varemærke",
    r"kendskab",
    r"kjennskap",
    r"synlighed",
    r"synlighet",
    r"marke\b",
    r"marken",
    r"bekanntheit",
    r"sichtbarkeit",
    r"image\b",
    r"imagepflege",
    r"reputation",
    r"omdømme",
    r"positioning",
    r"positionering",
    r"positionierung",
    r"upper funnel",
    r"top of funnel",
    r"tofu\b",
    r"long term",
    r"langsigtet",
    r"langsiktig",
    r"langfristig",
)
_CLASS_DEMAND = (
    r"demand",
    r"lead\b",
    r"leads\b",
    r"lead gen",
    r"leadgen",
    r"lead generation",
    r"lead generierung",
    r"leadgenerierung",
    r"leadgenerering",
    r"performance",
    r"activation",
    r"aktivering",
    r"aktivierung",
    r"conversion",
    r"konvertering",
    r"konversion",
    r"acquisition",
    r"akquise",
    r"akquisition",
    r"kundeakquisition",
    r"nachfrage",
    r"pipeline",
    r"direct response",
    r"response\b",
    r"sales\b",
    r"salg\b",
    r"salgs",
    r"vertrieb",
    r"lower funnel",
    r"bottom of funnel",
    r"bofu\b",
    r"mofu\b",
    r"short term",
    r"kortsigtet",
    r"kortsiktig",
    r"kurzfristig",
)
# Channels and activities, for lines that say only what they buy. Demand is
# tried first: "Webinar sponsorship" and "Messe-Sponsoring" buy leads.
_CHANNEL_DEMAND = (
    r"google ads",
    r"adwords",
    r"bing ads",
    r"microsoft ads",
    r"paid search",
    r"search ads",
    r"sem\b",
    r"ppc\b",
    r"cpc\b",
    r"sea\b",
    r"suchmaschinenwerbung",
    r"søgeannoncering",
    r"søkeannonsering",
    r"søkeord",
    r"søgeord",
    r"lead gen forms",
    r"linkedin ads",
    r"facebook ads",
    r"meta ads",
    r"paid social",
    r"retargeting",
    r"remarketing",
    r"webinar",
    r"webcast",
    r"web seminar",
    r"online seminar",
    r"seminar",
    r"messe",
    r"fair\b",
    r"trade show",
    r"tradeshow",
    r"trade fair",
    r"expo\b",
    r"exhibition",
    r"udstilling",
    r"utstilling",
    r"stand\b",
    r"booth",
    r"event",
    r"konference",
    r"konferanse",
    r"konferenz",
    r"conference",
    r"roundtable",
    r"round table",
    r"frokostmøde",
    r"frokostmøte",
    r"breakfast",
    r"email",
    r"e mail",
    r"newsletter",
    r"nyhedsbrev",
    r"nyhetsbrev",
    r"mailing",
    r"direct mail",
    r"dm\b",
    r"marketing automation",
    r"hubspot",
    r"marketo",
    r"pardot",
    r"content syndication",
    r"syndication",
    r"intent data",
    r"bombora",
    r"abm\b",
    r"account based",
    r"outbound",
    r"telemarketing",
    r"cold call",
    r"sdr\b",
    r"bdr\b",
    r"prospect",
    r"affiliate",
    r"capterra",
    r"g2\b",
    r"review site",
    r"comparison",
    r"landing page",
    r"landingsside",
    r"seo\b",
    r"search engine",
    r"white ?paper",
    r"e ?book",
    r"gated",
    r"case stud",
    r"demo",
    r"trial",
    r"free trial",
    r"gratis prøve",
    r"kampagne",
    r"kampanje",
    r"campaign",
    r"ads\b",
    r"annonce",
    r"annonse",
    r"anzeige",
)
_CHANNEL_BRAND = (
    r"thought leadership",
    r"tv\b",
    r"tv ",
    r"television",
    r"fjernsyn",
    r"fernseh",
    r"radio",
    r"podcast",
    r"cinema",
    r"kino",
    r"biograf",
    r"out of home",
    r"ooh\b",
    r"dooh\b",
    r"billboard",
    r"outdoor",
    r"udendørs",
    r"utendørs",
    r"außenwerbung",
    r"aussenwerbung",
    r"plakat",
    r"poster",
    r"print\b",
    r"magazine",
    r"magasin",
    r"fagblad",
    r"zeitschrift",
    r"zeitung",
    r"avis",
    r"newspaper",
    r"sponsor",
    r"sponsing",
    r"pr\b",
    r"public relations",
    r"presse",
    r"press\b",
    r"media relations",
    r"influencer",
    r"video production",
    r"videoproduktion",
    r"videoproduksjon",
    r"film",
    r"documentary",
    r"youtube",
    r"display awareness",
    r"research report",
    r"analyst",
    r"gartner",
    r"forrester",
    r"award",
    r"employer",
    r"csr\b",
    r"community",
    r"storytelling",
    r"corporate",
    r"visual identity",
    r"identity",
    r"design\b",
    r"website",
    r"hjemmeside",
    r"nettside",
    r"brochure",
    r"brosjyre",
    r"merchandise",
    r"give ?aways",
    r"content",
    r"innhold",
    r"indhold",
    r"inhalt",
    r"blog",
    r"social media",
    r"sociale medier",
    r"sosiale medier",
    r"organic social",
)


def _compile(terms: tuple[str, ...]) -> re.Pattern[str]:
    # A word starts after a non-letter; letters include the Nordic and German ones.
    return re.compile(r"(?<![a-z0-9æøåäöüß])(?:" + "|".join(terms) + ")")


_RE_CLASS_BRAND = _compile(_CLASS_BRAND)
_RE_CLASS_DEMAND = _compile(_CLASS_DEMAND)
_RE_CHANNEL_DEMAND = _compile(_CHANNEL_DEMAND)
_RE_CHANNEL_BRAND = _compile(_CHANNEL_BRAND)

_CATEGORY_HEADERS = _compile(
    (
        r"categor",
        r"kategori",
        r"objective",
        r"objektiv",
        r"type\b",
        r"typ\b",
        r"spend class",
        r"class\b",
        r"klasse\b",
        r"purpose",
        r"formål",
        r"zweck",
        r"ziel\b",
        r"mål\b",
        r"goal\b",
        r"funnel",
        r"bucket",
        r"art\b",
        r"kind\b",
    )
)


def classify_category(value: object) -> SpendClass | None:
    """The class a category column value or a section header names outright, else None.

    Both words ("Brand vs. demand") means nothing was said.
    """
    if not isinstance(value, str):
        return None
    text = normalise(value)
    if not text:
        return None
    brand = _RE_CLASS_BRAND.search(text) is not None
    demand = _RE_CLASS_DEMAND.search(text) is not None
    if brand == demand:
        return None
    return "brand" if brand else "demand"


def classify_name(value: object) -> SpendClass | None:
    """The class a line's (or section's) name implies, else None.

    An outright class word wins ("Brand awareness LinkedIn ads" is brand);
    then a lead-generation channel; then a brand channel.
    """
    if not isinstance(value, str):
        return None
    outright = classify_category(value)
    if outright is not None:
        return outright
    text = normalise(value)
    if _RE_CHANNEL_DEMAND.search(text):
        return "demand"
    if _RE_CHANNEL_BRAND.search(text):
        return "brand"
    return None


def classify_line(
    name: str, category: object = None, section: str | None = None
) -> tuple[SpendClass, str]:
    """(class, origin) for one line: category column, then section, then name, else demand.

    The origin ("column" | "section" | "name" | "default") lets the UI show
    which lines were guessed and invites the user to check those.
    """
    cls = classify_category(category)
    if cls is not None:
        return cls, "column"
    if section:
        cls = classify_name(section)
        if cls is not None:
            return cls, "section"
    cls = classify_name(name)
    if cls is not None:
        return cls, "name"
    return "demand", "default"


def is_category_header(value: object) -> bool:
    """Whether a column header names a category/objective column ("Kategori", "Zweck"...)."""
    return isinstance(value, str) and _CATEGORY_HEADERS.search(normalise(value)) is not None
