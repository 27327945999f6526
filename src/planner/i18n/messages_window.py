"""Translations of the window's newer strings: glossary, import report, welcome page, views.

Kept apart from `messages.py` (which is near the module size limit); merged
into `MESSAGES` there, so `tr` and the completeness test see one table.
"""

from __future__ import annotations

WINDOW_MESSAGES: dict[str, tuple[str, str, str]] = {
    # ---------------------------------------------------------------- units
    "mo": ("md.", "mnd.", "Mon."),
    # ---------------------------------------------------------------- glossary
    "pp (percentage points)": ("pp (procentpoint)", "pp (prosentpoeng)", "pp (Prozentpunkte)"),
    "The difference between two percentages: 27 % to 29 % is +2 pp (not +2 %).": (
        "Forskellen mellem to procenter: fra 27 % til 29 % er +2 pp (ikke +2 %).",
        "Forskjellen mellom to prosenter: fra 27 % til 29 % er +2 pp (ikke +2 %).",
        "Der Unterschied zweier Prozentwerte: von 27 % auf 29 % sind +2 pp (nicht +2 %).",
    ),
    "CV (coefficient of variation)": ("CV (variationskoefficient)", "CV (variasjonskoeffisient)", "CV (Variationskoeffizient)"),
    "How far a typical month's revenue lands from the expected month, as a share of average monthly revenue. Lower is steadier.": (
        "Hvor langt en typisk måneds omsætning lander fra den forventede måned, som andel af den gennemsnitlige månedsomsætning. Lavere er mere stabilt.",
        "Hvor langt en typisk måneds inntekt havner fra den forventede måneden, som andel av gjennomsnittlig månedsinntekt. Lavere er jevnere.",
        "Wie weit der Umsatz eines typischen Monats vom erwarteten Monat abweicht, als Anteil am durchschnittlichen Monatsumsatz. Niedriger ist stetiger.",
    ),
    "Customer acquisition cost divided by the monthly gross profit of a new customer: the months a new customer needs to earn back what it cost to win.": (
        "Kundeanskaffelsesomkostning divideret med en ny kundes månedlige bruttofortjeneste: de måneder, en ny kunde skal bruge for at tjene det hjem, den kostede at vinde.",
        "Kundeanskaffelseskostnad delt på en ny kundes månedlige bruttofortjeneste: månedene en ny kunde trenger for å tjene inn det den kostet å vinne.",
        "Kundengewinnungskosten geteilt durch den monatlichen Rohertrag eines Neukunden: die Monate, die ein Neukunde braucht, um seine Gewinnungskosten einzuspielen.",
    ),
    "Qualified pipeline": ("Kvalificeret pipeline", "Kvalifisert pipeline", "Qualifizierte Pipeline"),
    "Pipeline created, weighted by each opportunity's chance to win: what the pipeline is worth, not its face value.": (
        "Skabt pipeline vægtet med hver muligheds chance for at blive vundet: hvad pipelinen er værd, ikke dens pålydende.",
        "Skapt pipeline vektet med hver mulighets sjanse for å bli vunnet: hva pipelinen er verdt, ikke pålydende.",
        "Erzeugte Pipeline, gewichtet mit der Gewinnchance jeder Opportunity: was die Pipeline wert ist, nicht ihr Nennwert.",
    ),
    "Gross profit minus marketing spend over the horizon: what the marketing plan leaves for the rest of the business. Best split maximises it.": (
        "Bruttofortjeneste minus marketingudgifter over horisonten: hvad marketingplanen efterlader til resten af forretningen. Bedste fordeling maksimerer den.",
        "Bruttofortjeneste minus markedsføringskostnader over horisonten: det markedsplanen etterlater til resten av virksomheten. Beste fordeling maksimerer den.",
        "Rohertrag abzüglich Marketingausgaben über den Horizont: was der Marketingplan dem übrigen Geschäft lässt. Die beste Aufteilung maximiert ihn.",
    ),
    "Intent and demand": ("Intent og demand", "Intent og demand", "Intent und Demand"),
    "Intent: buyers who find you by themselves (search, referrals, inbound); brand raises it. Demand: leads pulled by campaigns; spend buys it. Existing business: customers you already have.": (
        "Intent: købere, der selv finder jer (søgning, anbefalinger, inbound); brand øger den. Demand: leads trukket af kampagner; forbrug køber dem. Eksisterende forretning: kunder, I allerede har.",
        "Intent: kjøpere som finner dere selv (søk, anbefalinger, inbound); merkevare øker den. Demand: leads trukket av kampanjer; forbruk kjøper dem. Eksisterende virksomhet: kunder dere allerede har.",
        "Intent: Käufer, die Sie von selbst finden (Suche, Empfehlungen, Inbound); die Marke erhöht ihn. Demand: von Kampagnen gezogene Leads; Budget kauft sie. Bestandsgeschäft: Kunden, die Sie schon haben.",
    ),
    "Eight in ten simulated futures fall between P10 and P90; the line is the average.": (
        "Otte ud af ti simulerede fremtider ligger mellem P10 og P90; linjen er gennemsnittet.",
        "Åtte av ti simulerte fremtider ligger mellom P10 og P90; linjen er gjennomsnittet.",
        "Acht von zehn simulierten Zukünften liegen zwischen P10 und P90; die Linie ist der Mittelwert.",
    ),
    "The budget as imported, with your assumptions: the difference shown is the effect of your spend decision alone.": (
        "Budgettet som importeret, med dine antagelser: den viste forskel er alene effekten af din fordeling af forbruget.",
        "Budsjettet slik det ble importert, med dine forutsetninger: forskjellen som vises, er bare effekten av din fordeling av forbruket.",
        "Das Budget wie importiert, mit Ihren Annahmen: der gezeigte Unterschied ist allein die Wirkung Ihrer Ausgabenentscheidung.",
    ),
    "Simulation noise": ("Simuleringsstøj", "Simuleringsstøy", "Simulationsrauschen"),
    "A difference smaller than about two Monte Carlo standard errors could come from the random draws alone; it is shown grey, not red or green.": (
        "En forskel mindre end cirka to Monte Carlo-standardfejl kan skyldes de tilfældige træk alene; den vises grå, ikke rød eller grøn.",
        "En forskjell mindre enn omtrent to Monte Carlo-standardfeil kan komme av de tilfeldige trekkene alene; den vises grå, ikke rød eller grønn.",
        "Ein Unterschied kleiner als etwa zwei Monte-Carlo-Standardfehler kann allein aus den Zufallsziehungen stammen; er wird grau gezeigt, nicht rot oder grün.",
    ),
    "MQL": ("MQL", "MQL", "MQL"),
    "Marketing-qualified lead: an activity metric. Fewer MQLs with more revenue is a good plan, not a failure.": (
        "Marketingkvalificeret lead: et aktivitetsmål. Færre MQL'er med mere omsætning er en god plan, ikke en fiasko.",
        "Markedskvalifisert lead: et aktivitetsmål. Færre MQL-er med mer inntekt er en god plan, ikke et nederlag.",
        "Marketing-qualifizierter Lead: eine Aktivitätskennzahl. Weniger MQLs bei mehr Umsatz sind ein guter Plan, kein Misserfolg.",
    ),
    "Help > Glossary lists every term.": (
        "Hjælp > Ordliste viser alle begreber.",
        "Hjelp > Ordliste viser alle begrepene.",
        "Hilfe > Glossar listet alle Begriffe.",
    ),
    "&Glossary": ("&Ordliste", "&Ordliste", "&Glossar"),
    "Glossary": ("Ordliste", "Ordliste", "Glossar"),
    "What pp, CV, CAC payback, qualified pipeline, contribution and intent mean": (
        "Hvad pp, CV, CAC-tilbagebetaling, kvalificeret pipeline, dækningsbidrag og intent betyder",
        "Hva pp, CV, CAC-tilbakebetaling, kvalifisert pipeline, dekningsbidrag og intent betyr",
        "Was pp, CV, CAC-Amortisation, qualifizierte Pipeline, Deckungsbeitrag und Intent bedeuten",
    ),
    # ---------------------------------------------------------------- import report
    "Not read": ("Ikke læst", "Ikke lest", "Nicht gelesen"),
    "Not read:": ("Ikke læst:", "Ikke lest:", "Nicht gelesen:"),
    "Budget: {lines} lines, {months} months ({span}), currency {currency}": (
        "Budget: {lines} linjer, {months} måneder ({span}), valuta {currency}",
        "Budsjett: {lines} linjer, {months} måneder ({span}), valuta {currency}",
        "Budget: {lines} Zeilen, {months} Monate ({span}), Währung {currency}",
    ),
    "CRM export: {n} deals ({won} won, {open} open)": (
        "CRM-eksport: {n} handler ({won} vundet, {open} åbne)",
        "CRM-eksport: {n} avtaler ({won} vunnet, {open} åpne)",
        "CRM-Export: {n} Deals ({won} gewonnen, {open} offen)",
    ),
    "not stated": ("ikke angivet", "ikke oppgitt", "nicht angegeben"),
    "Import report": ("Importrapport", "Importrapport", "Importbericht"),
    "The file names no currency; amounts are taken to be in {currency} (the budget's).": (
        "Filen angiver ingen valuta; beløbene antages at være i {currency} (budgettets).",
        "Filen oppgir ingen valuta; beløpene antas å være i {currency} (budsjettets).",
        "Die Datei nennt keine Währung; die Beträge werden als {currency} angenommen (die des Budgets).",
    ),
    "{file}: not read": ("{file}: ikke læst", "{file}: ikke lest", "{file}: nicht gelesen"),
    "Read and kept: open the other file (budget or CRM export) to start.": (
        "Læst og gemt: åbn den anden fil (budget eller CRM-eksport) for at starte.",
        "Lest og beholdt: åpne den andre filen (budsjett eller CRM-eksport) for å starte.",
        "Gelesen und behalten: öffnen Sie die andere Datei (Budget oder CRM-Export), um zu beginnen.",
    ),
    "First rows concerned:": ("De første berørte rækker:", "De første berørte radene:", "Die ersten betroffenen Zeilen:"),
    "{file}: read, waiting for its other half": (
        "{file}: læst, venter på sin anden halvdel",
        "{file}: lest, venter på den andre halvdelen",
        "{file}: gelesen, wartet auf die andere Hälfte",
    ),
    "Nothing skipped or assumed.": ("Intet sprunget over eller antaget.", "Ingenting hoppet over eller antatt.", "Nichts übersprungen oder angenommen."),
    "{file}: {n} notes": ("{file}: {n} bemærkninger", "{file}: {n} merknader", "{file}: {n} Hinweise"),
    "{file}: read": ("{file}: læst", "{file}: lest", "{file}: gelesen"),
    "{error} ({kept} read and kept)": ("{error} ({kept} læst og gemt)", "{error} ({kept} lest og beholdt)", "{error} ({kept} gelesen und behalten)"),
    "Import notices": ("Importbemærkninger", "Importmerknader", "Importhinweise"),
    "Details\u2026": ("Detaljer\u2026", "Detaljer\u2026", "Details\u2026"),
    "Open the import report: rows skipped and why, what was assumed": (
        "Åbn importrapporten: oversprungne rækker og hvorfor, hvad der blev antaget",
        "Åpne importrapporten: rader som ble hoppet over og hvorfor, hva som ble antatt",
        "Importbericht öffnen: übersprungene Zeilen und warum, was angenommen wurde",
    ),
    "Import report details": ("Importrapportens detaljer", "Detaljer i importrapporten", "Details des Importberichts"),
    "Hide this bar (File > Import report shows it again)": (
        "Skjul denne bjælke (Filer > Importrapport viser den igen)",
        "Skjul denne linjen (Fil > Importrapport viser den igjen)",
        "Diese Leiste ausblenden (Datei > Importbericht zeigt ihn wieder)",
    ),
    "Hide the import notice": ("Skjul importbemærkningen", "Skjul importmerknaden", "Importhinweis ausblenden"),
    "Import &report\u2026": ("Import&rapport\u2026", "Import&rapport\u2026", "Import&bericht\u2026"),
    "What the last import read, skipped and assumed": (
        "Hvad den seneste import læste, sprang over og antog",
        "Hva den siste importen leste, hoppet over og antok",
        "Was der letzte Import gelesen, übersprungen und angenommen hat",
    ),
    # ---------------------------------------------------------------- KPI strip
    "Gross profit minus marketing spend over the horizon (what Best split maximises)": (
        "Bruttofortjeneste minus marketingudgifter over horisonten (det, Bedste fordeling maksimerer)",
        "Bruttofortjeneste minus markedsføringskostnader over horisonten (det Beste fordeling maksimerer)",
        "Rohertrag abzüglich Marketingausgaben über den Horizont (was die beste Aufteilung maximiert)",
    ),
    "Within simulation noise (\u00b1{band})": ("Inden for simuleringsstøjen (\u00b1{band})", "Innenfor simuleringsstøyen (\u00b1{band})", "Innerhalb des Simulationsrauschens (\u00b1{band})"),
    "Beyond simulation noise (\u00b1{band})": ("Ud over simuleringsstøjen (\u00b1{band})", "Utover simuleringsstøyen (\u00b1{band})", "Über dem Simulationsrauschen (\u00b1{band})"),
    # ---------------------------------------------------------------- views and menus
    "Charts": ("Grafer", "Grafer", "Diagramme"),
    "Revenue, MQLs, volatility, pipeline, margin and contribution": (
        "Omsætning, MQL'er, udsving, pipeline, margin og dækningsbidrag",
        "Inntekt, MQL-er, svingninger, pipeline, margin og dekningsbidrag",
        "Umsatz, MQLs, Volatilität, Pipeline, Marge und Deckungsbeitrag",
    ),
    "Views": ("Visninger", "Visninger", "Ansichten"),
    "Charts, budget, lead sources, assumptions and best split (Ctrl+1 to Ctrl+5)": (
        "Grafer, budget, leadkilder, antagelser og bedste fordeling (Ctrl+1 til Ctrl+5)",
        "Grafer, budsjett, leadkilder, forutsetninger og beste fordeling (Ctrl+1 til Ctrl+5)",
        "Diagramme, Budget, Leadquellen, Annahmen und beste Aufteilung (Strg+1 bis Strg+5)",
    ),
    "View tabs": ("Visningsfaner", "Visningsfaner", "Ansichtsreiter"),
    "Show planner in {language}": ("Vis planner på {language}", "Vis planner på {language}", "planner auf {language} anzeigen"),
    # ---------------------------------------------------------------- welcome page
    "Plan your marketing budget by what it does to revenue": (
        "Planlæg marketingbudgettet efter, hvad det gør ved omsætningen",
        "Planlegg markedsbudsjettet etter hva det gjør med inntektene",
        "Planen Sie Ihr Marketingbudget nach seiner Wirkung auf den Umsatz",
    ),
    "Open your budget and a CRM export of closed deals. planner learns win rates from the deals and shows what moving money between brand and lead generation does to revenue, margin and risk.": (
        "Åbn budgettet og en CRM-eksport af lukkede handler. planner lærer vinderrater af handlerne og viser, hvad det gør ved omsætning, margin og risiko at flytte penge mellem brand og leadgenerering.",
        "Åpne budsjettet og en CRM-eksport av lukkede avtaler. planner lærer vinnerrater av avtalene og viser hva det gjør med inntekt, margin og risiko å flytte penger mellom merkevare og leadgenerering.",
        "Öffnen Sie Ihr Budget und einen CRM-Export abgeschlossener Deals. planner lernt die Abschlussquoten aus den Deals und zeigt, was das Verschieben von Geld zwischen Marke und Leadgenerierung für Umsatz, Marge und Risiko bedeutet.",
    ),
    "Open files\u2026": ("Åbn filer\u2026", "Åpne filer\u2026", "Dateien öffnen\u2026"),
    "Open files": ("Åbn filer", "Åpne filer", "Dateien öffnen"),
    "Open the demo": ("Åbn demoen", "Åpne demoen", "Demo öffnen"),
    "Recent files": ("Seneste filer", "Nylige filer", "Zuletzt geöffnet"),
    "Reads .xlsx, .xlsm, .csv, .tsv and .txt: budgets with one column per month or one row per month, CRM exports from Salesforce, HubSpot, Pipedrive and similar. You can also drop files on the window.": (
        "Læser .xlsx, .xlsm, .csv, .tsv og .txt: budgetter med én kolonne eller én række pr. måned, CRM-eksporter fra Salesforce, HubSpot, Pipedrive og lignende. Du kan også slippe filer på vinduet.",
        "Leser .xlsx, .xlsm, .csv, .tsv og .txt: budsjetter med én kolonne eller én rad per måned, CRM-eksporter fra Salesforce, HubSpot, Pipedrive og lignende. Du kan også slippe filer på vinduet.",
        "Liest .xlsx, .xlsm, .csv, .tsv und .txt: Budgets mit einer Spalte oder einer Zeile je Monat, CRM-Exporte aus Salesforce, HubSpot, Pipedrive und ähnlichen. Sie können Dateien auch auf das Fenster ziehen.",
    ),
    "Open recent: {files}": ("Åbn seneste: {files}", "Åpne nylig: {files}", "Zuletzt geöffnet: {files}"),
    "Read and kept: {files}. Open the other file to start.": (
        "Læst og gemt: {files}. Åbn den anden fil for at starte.",
        "Lest og beholdt: {files}. Åpne den andre filen for å starte.",
        "Gelesen und behalten: {files}. Öffnen Sie die andere Datei, um zu beginnen.",
    ),
    # ---------------------------------------------------------------- charts
    "Across all splits contribution varies by {spread} ({share} of the best).": (
        "På tværs af alle fordelinger varierer dækningsbidraget med {spread} ({share} af det bedste).",
        "På tvers av alle fordelinger varierer dekningsbidraget med {spread} ({share} av det beste).",
        "Über alle Aufteilungen schwankt der Deckungsbeitrag um {spread} ({share} des besten).",
    ),
    "Intent (buyers who come by themselves) vs demand (campaign-pulled), and qualified pipeline: weighted by the chance to win.": (
        "Intent (købere, der kommer af sig selv) mod demand (trukket af kampagner) og kvalificeret pipeline: vægtet med chancen for at vinde.",
        "Intent (kjøpere som kommer av seg selv) mot demand (trukket av kampanjer) og kvalifisert pipeline: vektet med sjansen for å vinne.",
        "Intent (Käufer, die von selbst kommen) gegenüber Demand (von Kampagnen gezogen) und qualifizierte Pipeline: gewichtet mit der Gewinnchance.",
    ),
    "Month-to-month variation of revenue (CV), as in the KPI strip: a shorter bar is steadier.": (
        "Omsætningens udsving fra måned til måned (CV), som i KPI-feltet: en kortere bjælke er mere stabil.",
        "Inntektenes svingning fra måned til måned (CV), som i KPI-feltet: en kortere stolpe er jevnere.",
        "Schwankung des Umsatzes von Monat zu Monat (CV), wie in der KPI-Leiste: ein kürzerer Balken ist stetiger.",
    ),
    "Revenue CV (monthly)": ("Omsætnings-CV (måned)", "Inntekts-CV (måned)", "Umsatz-CV (monatlich)"),
    "Revenue CV (month to month) {s}, baseline {b}: a shorter bar is steadier.": (
        "Omsætnings-CV (måned til måned) {s}, basis {b}: en kortere bjælke er mere stabil.",
        "Inntekts-CV (måned til måned) {s}, basis {b}: en kortere stolpe er jevnere.",
        "Umsatz-CV (Monat zu Monat) {s}, Basis {b}: ein kürzerer Balken ist stetiger.",
    ),
    "Horizon revenue P10\u2013P90: {lo} \u2013 {hi}; baseline: {blo} \u2013 {bhi}": (
        "Omsætning over horisonten P10\u2013P90: {lo} \u2013 {hi}; basis: {blo} \u2013 {bhi}",
        "Inntekt over horisonten P10\u2013P90: {lo} \u2013 {hi}; basis: {blo} \u2013 {bhi}",
        "Umsatz über den Horizont P10\u2013P90: {lo} \u2013 {hi}; Basis: {blo} \u2013 {bhi}",
    ),
    # ---------------------------------------------------------------- lead sources
    "Existing business": ("Eksisterende forretning", "Eksisterende virksomhet", "Bestandsgeschäft"),
    "{cls} + {n} existing": ("{cls} + {n} eksisterende", "{cls} + {n} eksisterende", "{cls} + {n} Bestand"),
    "{existing} of {total} deals are renewals of existing customers: the model counts them as existing business, not as {cls} (their win rate is in this row). F2 changes the class of the others.": (
        "{existing} af {total} handler er fornyelser hos eksisterende kunder: modellen regner dem som eksisterende forretning, ikke som {cls} (deres vinderrate indgår i denne række). F2 ændrer klassen for de øvrige.",
        "{existing} av {total} avtaler er fornyelser hos eksisterende kunder: modellen regner dem som eksisterende virksomhet, ikke som {cls} (vinnerraten deres inngår i denne raden). F2 endrer klassen for de andre.",
        "{existing} von {total} Deals sind Verlängerungen bei Bestandskunden: das Modell zählt sie als Bestandsgeschäft, nicht als {cls} (ihre Abschlussquote steckt in dieser Zeile). F2 ändert die Klasse der übrigen.",
    ),
    # ---------------------------------------------------------------- files box
    "Import report\u2026": ("Importrapport\u2026", "Importrapport\u2026", "Importbericht\u2026"),
    "No files open.": ("Ingen filer åbne.", "Ingen filer åpne.", "Keine Dateien geöffnet."),
    "Budget: {file}": ("Budget: {file}", "Budsjett: {file}", "Budget: {file}"),
    "CRM export: {file}": ("CRM-eksport: {file}", "CRM-eksport: {file}", "CRM-Export: {file}"),
    "Files": ("Filer", "Filer", "Dateien"),
    "{skipped} of {rows} rows skipped": (
        "{skipped} af {rows} rækker sprunget over",
        "{skipped} av {rows} rader hoppet over",
        "{skipped} von {rows} Zeilen übersprungen",
    ),
    "Neither file names a currency: amounts are shown as plain numbers.": (
        "Ingen af filerne angiver en valuta: beløbene vises som rene tal.",
        "Ingen av filene oppgir en valuta: beløpene vises som rene tall.",
        "Keine der Dateien nennt eine Währung: Beträge werden als reine Zahlen gezeigt.",
    ),
    "Import report\u2026 ({n} notes)": (
        "Importrapport\u2026 ({n} bemærkninger)",
        "Importrapport\u2026 ({n} merknader)",
        "Importbericht\u2026 ({n} Hinweise)",
    ),
}
