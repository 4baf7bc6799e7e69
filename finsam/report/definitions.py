"""Section: definitions, and the report's choices where the 2020 review and the data differ. The Swedish definition
of every mart column is in the mart's declaration (sql/marts/<mart>.yaml), not here."""
from __future__ import annotations

from finsam.build import steps
from finsam.report.charts import Ruta, Tabell
from finsam.report.disclosure import notis
from finsam.report.format import uppraknad
from finsam.report.measures import MATT

RUBRIK = "Definitioner och val"

# Where the review (2020) and the marts differ, the report's stand (genomlysning-checklist §2c).
VAL = [
    ("Administrationens andel", "Visas på tre baser, var och en namngiven: ÷ kostnader totalt, ÷ medelstilldelning "
     "(medlemsbidrag, genomlysningens tabell) och ÷ intäkter totalt inklusive externa bidrag. Genomlysningens 20 % "
     "för Degerfors/Karlskoga gäller bara med MUCF-bidraget i basen (22 % på medelstilldelningen)."),
    ("Medelstilldelning", "Bokfört medlemsbidrag (stat + region + kommuner) enligt årsredovisningen, inte beslutad "
     "tilldelning; genomlysningens ”budget på 23 miljoner” är medelstilldelningen."),
    ("Eget kapital", "Eget kapital vid årets slut ÷ årets bokförda medlemsbidrag (mot Nationella rådets 20 %), och "
     "÷ intäkter totalt (mot Sydnärkes eget mål, högst 7 %). Genomlysningen räknade på tilldelade (beslutade) medel; "
     "de finns i datalagrets tabell över medelstilldelning."),
    ("Deltagare och kostnad", "Alla insatser som registreras i SUS och hela kostnaden för individinriktade insatser. "
     "Genomlysningen räknade bara coachingteam (utan mottagningsteam) och teamens kostnader; deltagare per typ av "
     "insats (typ coachingteam) och kostnad per insats finns i datalagret för den "
     "avgränsningen."),
    ("Kön och ålder", "Kön Annat räknas som okänt kön tillsammans med tomt (för få för att visas för sig). "
     "Ålder = år − födelseår; under 16 år räknas som okänd ålder. En person hamnar i en grupp per år."),
    ("Jobb-/studieredo", "Avslut med orsak arbetssökande eller studieredo. Avslut till fortsatta insatser i ordinarie "
     "verksamhet (annan insats) räknas inte hit, till skillnad från genomlysningen."),
    ("Målgrupp", "5 % av befolkningen 16–64 år den 31 december i medlemskommunerna (genomlysningens Tabell 1 gav "
     "9 100 för 2019, Bilaga 1 9 108: olika referensdatum). Helårsekvivalenter gäller 20–64 år."),
    ("Lekeberg och Örebro", "Ett förbund i underlaget. Genomlysningen delar ofta upp det; här delas deltagare, "
     "täckningsgrad och teamens kostnad per kommun genom insatsregistret (config/insatser.csv: vilken kommun varje "
     "insats har). Insatser för hela förbundet räknas inte per kommun."),
    ("Avslutsorsaker", "Alla kategorier i config/avslutsorsak.csv och okänd, arbete och studier var för sig. "
     "Med eller utan fortsatt stöd bara där orsakens text säger det (kolumnen stod); ”Arbete” "
     "utan tillägg räknas i ingen av dem, så genomlysningens ”ungefär hälften med fortsatt offentligt stöd” kan bara "
     "jämföras med den del där stödet anges. År från SUS-rapporter har ingen uppdelning."),
    ("Osäkerhet", "95 %-intervall enligt Wilson för andel avslutade och utfallsandelarna: årets deltagare ses som ett "
     "urval, så ett litet förbund får ett brett intervall. Inget intervall för länets total (en person kan finnas i "
     "två förbund) eller när rapporterade antal ger en andel över 100 %."),
    ("Datakvalitetspoäng", "100 minus en vikt per fel och varning (config/datakvalitet_vikter.csv), lägst 0; info "
     "räknas inte. En avvisad fil räknas en gång, och mot alla förbund och år när det inte går att se vilka den "
     "gällde. Eget kapital över 20 % och låg ansökt andel väger 0: de gäller ekonomin, inte uppgifternas kvalitet."),
    ("Externa bidrag", "Bokfört belopp (t.ex. MUCF 527 tkr för Degerfors/Karlskoga 2019), inte beviljat belopp."),
    ("Totaler", "Totalt länet = Σ täljare ÷ Σ nämnare över länets förbund, aldrig ett medelvärde av procentsatser; "
     "en person i två förbund räknas i båda. Saknar något förbund en uppgift saknas länsraden (ingen delsumma)."),
    ("Påbörjat år", "Året då rapporten byggs är inte slut: det visas inte i tidsserierna."),
    ("Efter SUS", "Från året SUS stängde (installningar.yaml, sus_stangd) räknas deltagarna från Uppföljning Finsam: "
     "deltagare = summan över de individinriktade insatserna, så den "
     "som deltar i två insatser räknas två gånger; före dess unika personer (unika). Varje kvot per deltagare "
     "använder den deltagare som gäller för året. Nyinskrivna, pågående, återkommande, ålder och tid i insats finns "
     "inte i Uppföljning Finsam; avslut bara där insatserna rapporterat dem. I diagrammen: prickad linje före "
     "första året, ihåliga punkter (randiga staplar) för år på summa över insatser."),
]

def kallor_text(kallor: tuple[str, ...]) -> str:
    """The 'Källa:' line of a chart: the sources of its marts as readers know them, each mart's declared
    kalla_visas ('SUS-registreringar, Uppföljning Finsam och Årsredovisningar'), each source once; the mart tables
    themselves are named in the technical appendix (finsam.report.bilaga)."""
    namn: list[str] = []
    for kalla in kallor:
        steg = steps.BY_NAME.get(kalla.removeprefix("marts."))
        visas = steg.declaration.kalla_visas if steg is not None and steg.declaration is not None else ()
        namn += [k for k in visas or ("finsam-lagret",) if k not in namn]
    return uppraknad(namn)


def rutor(grans: int) -> list[Ruta]:
    matt = Tabell(["Mått", "Definition"], [[m.namn, m.definition] for m in MATT.values()])
    return [
        Ruta("Mått", "Varje mått som rapporten visar och hur det räknas. Vilken tabell och kolumn i datalagret "
             "varje mått kommer från står i den tekniska bilagan sist på sidan.", matt),
        Ruta("Val där genomlysningen 2020 och underlaget skiljer sig", "",
             Tabell(["Fråga", "Rapportens val"], [list(v) for v in VAL])),
        Ruta("Röjandeskydd", notis(grans) + " Noll visas som 0, saknad uppgift som ”saknas”. Lagret och "
             "parquet-filerna har exakta värden; Excel-filen är skyddad som rapporten."),
    ]
