"""Lead source -> "intent" or "demand".

The model treats deals differently by where they came from: buyers who came
by themselves (inbound web, organic search, referral, word of mouth...) are
*intent*, which brand spend grows; deals pulled in by campaigns (paid search,
paid social, webinars, purchased lists, trade shows, outbound...) are
*demand*, which lead-generation spend buys. CRM picklists differ per company
and language, so the rules below are words in en/da/nb/de, and a user's own
mapping file (`source,class`) overrides them.
"""

from __future__ import annotations

import re
from pathlib import Path

from planner.errors import InputError
from planner.io.text import normalise
from planner.io.types import SOURCE_CLASSES, SourceClass

# Phrases are matched on a normalised value (lower case, words separated by
# single spaces). Demand is tried first: "Paid Search" must not fall into
# "search" and "Partner Webinar" is a campaign, not a referral.
_DEMAND = (
    "paid",
    "ppc",
    "cpc",
    "sem",
    "adwords",
    "google ads",
    "bing ads",
    "linkedin ads",
    "lead gen",
    "leadgen",
    "lead generation",
    "sponsored",
    "advert",
    "advertisement",
    "advertising",
    "ads",
    "display",
    "retarget",
    "remarketing",
    "banner",
    "webinar",
    "seminar",
    "trade show",
    "tradeshow",
    "conference",
    "event",
    "expo",
    "exhibition",
    "purchased list",
    "list purchase",
    "bought list",
    "list",
    "outbound",
    "cold call",
    "cold email",
    "sdr",
    "bdr",
    "telemarketing",
    "prospecting",
    "email marketing",
    "email campaign",
    "newsletter",
    "campaign",
    "content syndication",
    "other campaigns",
    "offline",
    # Danish / Norwegian
    "betalt",
    "betalte",
    "annonce",
    "annonse",
    "kampagne",
    "kampanje",
    "messe",
    "konference",
    "konferanse",
    "arrangement",
    "købt liste",
    "kjøpt liste",
    "købt",
    "kjøpt",
    "opsøgende",
    "oppsøkende",
    "kold kanvas",
    "telefonsalg",
    "nyhedsbrev",
    "nyhetsbrev",
    "e mail markedsføring",
    "epost markedsføring",
    # German
    "bezahlt",
    "bezahlte",
    "anzeige",
    "werbung",
    "kampagnen",
    "veranstaltung",
    "konferenz",
    "gekaufte liste",
    "adresskauf",
    "kaltakquise",
    "telefonakquise",
    "mailing",
)
_INTENT = (
    "organic",
    "seo",
    "direct",
    "referral",
    "referrals",
    "referred",
    "word of mouth",
    "inbound",
    "web",
    "website",
    "site",
    "contact form",
    "contact us",
    "demo request",
    "request",
    "inquiry",
    "enquiry",
    "phone inquiry",
    "partner",
    "customer",
    "existing customer",
    "public relations",
    "pr",
    "social media",
    "organic social",
    "ai referrals",
    "chat",
    "community",
    "podcast",  # "heard you on a podcast": a buyer brand reached, who came by themselves
    "podkast",
    "analyst",
    "review site",
    "g2",
    "capterra",
    "search",
    # Danish / Norwegian
    "organisk",
    "organiske",
    "søgning",
    "søk",
    "direkte",
    "anbefaling",
    "anbefalet",
    "anbefalt",
    "henvisning",
    "hjemmeside",
    "hjemmesiden",
    "nettside",
    "nettsiden",
    "kontaktformular",
    "kontaktskjema",
    "henvendelse",
    "forespørgsel",
    "forespørsel",
    "eksisterende kunde",
    "kunde",
    "netværk",
    "nettverk",
    "mund til mund",
    "jungeltelegrafen",
    # German
    "organisch",
    "organische",
    "suche",
    "direkt",
    "empfehlung",
    "weiterempfehlung",
    "mundpropaganda",
    "webseite",
    "anfrage",
    "kontaktanfrage",
    "bestandskunde",
    "netzwerk",
    "suchmaschine",
)
_DEMAND_RE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in _DEMAND) + r")s?\b")
_INTENT_RE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in _INTENT) + r")\b")

DEFAULT_CLASS: SourceClass = "demand"
"""Unknown or blank sources count as demand: the conservative choice for brand's case."""


def normalise_source(value: object) -> str:
    """Lower case, words only (`planner.io.text.normalise`): "PAID_SEARCH" is "Paid search"."""
    return normalise(value)


def explain_source(value: object) -> tuple[SourceClass, bool]:
    """The class of a lead source and whether a rule knew it (False = default used)."""
    norm = normalise_source(value)
    if not norm:
        return DEFAULT_CLASS, False
    if _DEMAND_RE.search(norm):
        return "demand", True
    if _INTENT_RE.search(norm):
        return "intent", True
    return DEFAULT_CLASS, False


def classify_source(value: str) -> SourceClass:
    """Class of one lead-source value by the built-in rules (unknown -> "demand")."""
    return explain_source(value)[0]


_CLASS_WORDS: dict[str, SourceClass] = {
    "intent": "intent",
    "demand": "demand",
    "inbound": "intent",
    "brand": "intent",
    "lead gen": "demand",
    "leadgen": "demand",
    "lead generation": "demand",
    "efterspørgsel": "demand",
    "etterspørsel": "demand",
    "nachfrage": "demand",
    "absicht": "intent",
}


def load_source_map(path: str | Path) -> dict[str, SourceClass]:
    """A user's mapping file (`source,class`) as {source value: class}.

    Keys are kept as written; `apply_source_map` matches them case- and
    punctuation-insensitively, so "Paid Search" also catches "PAID_SEARCH".
    """
    from planner.io.tabular import read_sheets  # avoids an import cycle with detect

    path = Path(path)
    rows = [row for row in read_sheets(path)[0].rows if any(c not in (None, "") for c in row)]
    if not rows:
        raise InputError(path, "the source map is empty; expected columns source,class")
    first = [normalise_source(c) for c in rows[0][:2]]
    if first[:1] == ["source"] or "class" in first:
        rows = rows[1:]
    mapping: dict[str, SourceClass] = {}
    for i, row in enumerate(rows, start=2):
        if len(row) < 2 or row[0] in (None, "") or row[1] in (None, ""):
            raise InputError(path, f"line {i}: expected two columns, source and class")
        cls = _CLASS_WORDS.get(normalise_source(row[1]))
        if cls is None:
            raise InputError(
                path,
                f"line {i}: class {str(row[1]).strip()!r} is not one of {', '.join(SOURCE_CLASSES)}",
            )
        mapping[str(row[0]).strip()] = cls
    if not mapping:
        raise InputError(path, "the source map has a header but no rows")
    return mapping


def apply_source_map(
    values: list[str], classes: list[SourceClass], mapping: dict[str, SourceClass]
) -> list[SourceClass]:
    """Override rule classes for the distinct source `values` with the user's mapping."""
    if not mapping:
        return classes
    by_norm = {normalise_source(k): v for k, v in mapping.items()}
    return [by_norm.get(normalise_source(v), c) for v, c in zip(values, classes, strict=True)]
