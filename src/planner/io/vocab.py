"""planner's io vocabulary: every word the readers look for, in en, da, nb and de, in one place.

Readers match these against text folded by `planner.io.text.normalise`
(lower case, words only), so the words here are written that way: lower
case, no punctuation, the native spelling first and the ASCII spelling
people type ("maerz", "belob") where it occurs. A word added here is
understood by every reader that uses the list; a test checks that each
month word is read by both the budget's month parser and the file-kind
detector, so the two cannot drift apart again.
"""

from __future__ import annotations

# ------------------------------------------------------------------ months
MONTH_WORDS: tuple[tuple[str, ...], ...] = (
    ("jan", "january", "januar", "jänner", "jän"),
    ("feb", "february", "februar", "febr"),
    ("mar", "march", "marts", "mars", "märz", "mär", "maerz", "mrz"),
    ("apr", "april"),
    ("may", "maj", "mai"),
    ("jun", "june", "juni"),
    ("jul", "july", "juli"),
    ("aug", "august"),
    ("sep", "sept", "september"),
    ("oct", "october", "okt", "oktober"),
    ("nov", "november"),
    ("dec", "december", "des", "desember", "dez", "dezember"),
)
"""Spellings of each month (January first), as budgets label their columns."""

MONTH_NUMBERS: dict[str, int] = {
    word: number for number, words in enumerate(MONTH_WORDS, start=1) for word in words
}
"""Every month spelling -> its number 1-12."""

# ------------------------------------------------------------------ CRM columns
# Exact header names (normalised) per Deals field, most specific first.
CRM_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "opportunity name",
        "deal name",
        "opportunity",
        "deal",
        "name",
        "dealname",
        "verkaufschance",
        "verkaufschancenname",
        "name der verkaufschance",
        "titel",
        "salgsmulighed",
        "salgsmulighedsnavn",
        "salgsmulighet",
        "navn",
        "aftale",
        "avtale",
        "topic",
        "emne",
        "thema",
        "title",
        "subject",
    ),
    "stage": (
        "stage",
        "deal stage",
        "opportunity stage",
        "sales stage",
        "pipeline stage",
        "dealstage",
        "phase",
        "verkaufsphase",
        "vertriebsphase",
        "stufe",
        "status",
        "stadie",
        "fase",
        "salgsfase",
        "salgsstadie",
        "trin",
        "deal status",
    ),
    "amount": (
        "amount",
        "deal amount",
        "opportunity amount",
        "amount converted",
        "total amount",
        "betrag",
        "betrag umgerechnet",
        "wert",
        "auftragswert",
        "umsatz",
        "volumen",
        "beløb",
        "beløp",
        "værdi",
        "verdi",
        "omsætning",
        "omsetning",
        "sum",
        "value",
        "deal value",
        "revenue",
        "total contract value",
        "tcv",
        "acv",
        "arr",
    ),
    "created": (
        "created date",
        "create date",
        "created",
        "date created",
        "created on",
        "created at",
        "created time",
        "opportunity created date",
        "deal created date",
        "erstellt am",
        "erstelldatum",
        "erstellungsdatum",
        "angelegt am",
        "erstellt",
        "oprettet",
        "oprettet dato",
        "oprettelsesdato",
        "dato oprettet",
        "opprettet",
        "opprettet dato",
        "opprettelsesdato",
        "dato opprettet",
    ),
    "closed": (
        "close date",
        "closed date",
        "closing date",
        "date closed",
        "close",
        "closed on",
        "won date",
        "expected close date",
        "abschlussdatum",
        "schlusstermin",
        "abschluss am",
        "geschlossen am",
        "lukkedato",
        "lukket dato",
        "afslutningsdato",
        "dato lukket",
        "forventet lukkedato",
        "avslutningsdato",
        "lukket",
        "forventet avslutningsdato",
    ),
    "source": (
        "lead source",
        "original traffic source",
        "original source",
        "original source type",
        "opportunity source",
        "deal source",
        "source",
        "lead source type",
        "channel",
        "leadquelle",
        "lead quelle",
        "quelle",
        "herkunft",
        "kanal",
        "ursprung",
        "leadkilde",
        "lead kilde",
        "kilde",
        "oprindelse",
        "opprinnelse",
    ),
    "deal_type": (
        "type",
        "deal type",
        "opportunity type",
        "business type",
        "new existing",
        "typ",
        "art",
        "verkaufschancentyp",
        "geschäftsart",
        "geschäftstyp",
        "salgstype",
        "aftaletype",
        "avtaletype",
        "type salg",
    ),
    "currency": (
        "currency",
        "amount currency",
        "opportunity currency",
        "deal currency",
        "currency code",
        "währung",
        "valuta",
        "valutakode",
    ),
    "account": (
        "account name",
        "account",
        "company name",
        "company",
        "associated company",
        "customer name",
        "customer",
        "client",
        "organization",
        "organisation",
        "kunde",
        "kundenavn",
        "kundename",
        "kundenname",
        "firma",
        "firmanavn",
        "firmenname",
        "unternehmen",
        "konto",
        "kontoname",
        "accountnavn",
        "virksomhed",
        "virksomhedsnavn",
        "virksomhet",
        "selskab",
        "selskap",
    ),
}
REQUIRED_CRM_FIELDS: tuple[str, ...] = ("stage", "amount")
"""Without these a table is not a deal table."""

CRM_LANGUAGE_HINTS: dict[str, tuple[str, ...]] = {
    "da": ("beløb", "oprettet", "lukkedato", "salgsmulighed", "værdi", "afslutningsdato"),
    "nb": ("beløp", "opprettet", "salgsmulighet", "avslutningsdato", "verdi"),
}
"""Header words that tell a CRM export's language (decides DKK or NOK for "kr")."""

# ------------------------------------------------------------------ stages and deal types
# A stage is won or lost when one of its words is one of these ("Closed Won",
# "Lukket - vundet", "Verloren (Preis)"); anything else is still open.
WON_WORDS = frozenset(
    {
        "won",
        "closedwon",
        "gewonnen",
        "vundet",
        "vunnet",
        "signed",
        "unterschrieben",
        "underskrevet",
        "signert",
        "beauftragt",
        "auftrag",
    }
)
LOST_WORDS = frozenset(
    {
        "lost",
        "closedlost",
        "verloren",
        "tabt",
        "tapt",
        "abgesagt",
        "storniert",
        "disqualified",
        "disqualifiziert",
        "diskvalificeret",
        "diskvalifisert",
        "unqualified",
        "cancelled",
        "canceled",
    }
)

# Deal type words ("Existing Business - Upgrade", "Neukunde"), matched as whole words.
NEW_WORDS = (
    "new",
    "neu",
    "neukunde",
    "neukunden",
    "neugeschäft",
    "neugeschaeft",
    "ny",
    "nyt",
    "nysalg",
    "nykunde",
    "new logo",
    "new business",
    "newbusiness",
    "new customer",
    "neuer kunde",
)
EXISTING_WORDS = (
    "existing",
    "existingbusiness",
    "renewal",
    "renew",
    "upsell",
    "up sell",
    "cross sell",
    "crosssell",
    "expansion",
    "upgrade",
    "add on",
    "addon",
    "bestand",
    "bestandskunde",
    "bestandskunden",
    "bestandsgeschäft",
    "verlängerung",
    "erneuerung",
    "erweiterung",
    "fornyelse",
    "mersalg",
    "eksisterende",
    "eksisterende kunde",
    "genkøb",
    "gjenkjøp",
    "vertragsverlängerung",
)

# ------------------------------------------------------------------ totals and footers
TOTAL_WORDS: tuple[str, ...] = (
    "grand totals",
    "grand total",
    "sub total",
    "subtotal",
    "zwischensumme",
    "gesamtsumme",
    "totalsum",
    "sum",
    "summe",
    "summa",
    "total",
    "totals",
    "totalt",
    "i alt",
    "ialt",
    "gesamt",
    "insgesamt",
    "samlet",
    "samlede",
    "sammenlagt",
    "delsum",
    "delsumme",
    "delsumma",
    "in summe",
    "overall",
)
"""A label starting with one of these words is a total or subtotal row ("Sum merkevare", "I alt")."""

TOTAL_SUFFIX_WORDS: tuple[str, ...] = (
    "sum",
    "summe",
    "subtotal",
    "sub total",
    "total",
    "totals",
    "totalt",
    "i alt",
    "gesamt",
    "insgesamt",
    "samlet",
    "sammenlagt",
)
"""A budget label ending with one of these is a subtotal too ("Brand total", "Digital i alt")."""

FOOTER_WORDS: tuple[str, ...] = (
    "confidential",
    "copyright",
    "vertraulich",
    "fortrolig",
    "konfidensiell",
)
"""A report footer line starts with one of these (Salesforce's "Confidential Information")."""

# ------------------------------------------------------------------ budget headers
PERIOD_WORDS: tuple[str, ...] = (
    "month",
    "months",
    "måned",
    "maaned",
    "maned",
    "monat",
    "monate",
    "periode",
    "period",
    "date",
    "dato",
    "datum",
    "mnd",
    "mdr",
)
"""Header words of a month (or date) column in a one-row-per-month budget."""

YEAR_WORDS: tuple[str, ...] = (
    "year",
    "år",
    "aar",
    "jahr",
    "fy",
    "fiscal year",
    "regnskabsår",
    "regnskapsår",
)
"""A header that is exactly one of these names a year column."""

MONEY_WORDS: tuple[str, ...] = (
    "amount",
    "budget",
    "spend",
    "planned",
    "plan",
    "cost",
    "costs",
    "beløb",
    "beløp",
    "belob",
    "belop",
    "betrag",
    "kosten",
    "kost",
    "kostnad",
    "omkostning",
    "udgift",
    "utgift",
    "forbrug",
    "ausgabe",
    "ausgaben",
    "investment",
    "investering",
    "invest",
    "sum",
    "summe",
    "total",
    "value",
    "wert",
)
"""Header words of an amount column in a budget (as whole words, for file-kind detection)."""

AMOUNT_HEADER_STEMS: tuple[str, ...] = (
    "amount",
    "beløb",
    "beløp",
    "belob",
    "belop",
    "betrag",
    "budget",
    "planned",
    r"plan\b",
    "spend",
    "cost",
    "kost",
    "omkostning",
    "udgift",
    "utgift",
    "ausgabe",
    "value",
    "wert",
    r"sum\b",
    "summe",
    "investment",
    "investering",
    "invest",
)
"""Regex stems found anywhere in a budget's amount header ("Planned spend", "Kosten (EUR)")."""

LINE_HEADER_STEMS: tuple[str, ...] = (
    "line",
    "item",
    r"post\b",
    "poster",
    "budgetpost",
    "channel",
    "kanal",
    "activity",
    "aktivitet",
    "aktivität",
    "maßnahme",
    "massnahme",
    "name",
    "navn",
    "bezeichnung",
    "beschreibung",
    "description",
    "beskrivelse",
    "tiltag",
    "tiltak",
    "initiative",
    "campaign",
    "kampagne",
    "kampanje",
    "media",
    "medie",
    "medium",
    "tactic",
    "program",
)
"""Regex stems found anywhere in the header of a budget's line-name column."""

BUDGET_LANGUAGE_MARKERS: dict[str, tuple[str, ...]] = {
    "da": (
        "i alt",
        "beløb",
        "marts",
        "maj",
        "mærke",
        "kendskab",
        "måned",
        "samlet",
        "udgift",
        "årsbudget",
        "kr.",
    ),
    "nb": (
        "totalt",
        "beløp",
        "mars",
        "mai",
        "desember",
        "des",
        "merkevare",
        "kjennskap",
        "måned",
        "utgift",
        "sponsing",
        "webinarer",
    ),
    "de": (
        "gesamt",
        "summe",
        "betrag",
        "märz",
        "mär",
        "dez",
        "dezember",
        "marke",
        "monat",
        "kosten",
    ),
}
"""Words that tell a budget's language (decides DKK or NOK for "kr")."""

# ------------------------------------------------------------------ currencies
CURRENCY_CODES: tuple[str, ...] = ("dkk", "nok", "sek", "eur", "usd", "gbp", "chf")
"""ISO codes written next to amounts ("1.200 DKK") or in headers ("Amount (EUR)")."""

CURRENCY_WORDS: tuple[str, ...] = ("kr", "euro", "euros")
"""Currency words that are not codes ("Beløb i kr", "Betrag in Euro")."""

CURRENCY_SYMBOLS: str = "€$£"
"""Currency symbols stripped from amount text."""

UNIT_WORDS: frozenset[str] = frozenset({"in", "i", "im", *CURRENCY_CODES, *CURRENCY_WORDS})
"""What may follow a column name in a header without making the match a guess: "Amount (EUR)"."""

CURRENCY_LABEL_WORDS: tuple[str, ...] = (
    "currency",
    "währung",
    "valuta",
    "beløb",
    "beløp",
    "betrag",
    "amount",
)
"""Words of a title line that names the currency ("Currency: EUR", "Beløb i DKK")."""
