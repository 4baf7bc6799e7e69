"""Section: definitions, the report's choices where the 2020 review and the data differ, and the Swedish definition
of every mart column (the fallback for the Excel sheet `definitioner` where DuckDB has no column comment)."""
from __future__ import annotations

from finsam.report.charts import Ruta, Tabell
from finsam.report.measures import MATT
from finsam.report.disclosure import notis

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
     "de finns i marts.tilldelning_ar."),
    ("Deltagare och kostnad", "Alla insatser som registreras i SUS och hela kostnaden för individinriktade insatser. "
     "Genomlysningen räknade bara coachingteam (utan mottagningsteam) och teamens kostnader; deltagare per typ av "
     "insats (deltagare_ar, insats = 'typ:coachingteam') och kostnad per insats (kostnad_insats_ar) finns för den "
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
    ("Avslutsorsaker", "Alla kategorier i config/avslutsorsak.csv och okänd, arbete och studier var för sig "
     "(marts.avslut_ar). Med eller utan fortsatt stöd bara där orsakens text säger det (kolumnen stod); ”Arbete” "
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
]

# Swedish definitions of mart columns that are not measures in matt.MATT; "mart.kolumn" wins over "kolumn".
KOLUMNER = {
    "forbund": "förbundets kod i registret (config/forbund.yaml)",
    "ar": "år",
    "insats": "insatsens namn; '*' = förbundets total av unika individer (inte summan över insatser)",
    "pagaende_vid_arets_slut": "unika individer (ej anonyma) som fortfarande är inskrivna efter 31 december",
    "registreringar": "inskrivningar som pågår någon gång under året (samma person två gånger = två)",
    "anonyma": "anonyma inskrivningar som börjar under året",
    "deltagare_ar.kalla": "sus = räknat från registreringar, aggregat = från rapport, tomt = uppgift saknas",
    "ovriga_intakter": "övriga rörelseintäkter, kr",
    "medlemsbidrag_stat": "medlemsbidrag från staten (Försäkringskassan), kr",
    "medlemsbidrag_region": "medlemsbidrag från regionen, kr",
    "medlemsbidrag_kommun": "medlemsbidrag från medlemskommunerna, kr",
    "finansiella_poster": "finansiella intäkter minus finansiella kostnader, kr (ingår i ingen total)",
    "helarsekvivalenter_andel_riket": "samma andel för riket",
    "regel": "anmärkningens kod (README listar dem)",
    "allvarlighet": "fel = filen avvisad, varning = inläst men behöver uppmärksamhet, info = för kännedom",
    "fil": "indatafilen, relativt datakatalogen",
    "rad": "rad i filen (rubrikrader räknade)",
    "kolumn": "kolumnen som den står i filen",
    "hittat": "vad som hittades",
    "datakvalitet.forvantat": "vad som förväntades",
    "beskrivning": "anmärkningen i klartext",
    "varde": "storleken på en avvikelse eller en kvot, där det finns en",
    "datakvalitet.kalla": "källan (indatamappen) anmärkningen gäller",
    "inlasta_filer.kalla": "källan (indatamappen) filen lästes från",
    "status": "inlast eller avvisad",
    "rader": "rader som filen gav",
    "andrad": "filens ändringstid",
    "sha256": "filens SHA-256-kontrollsumma",
    "orsak": "varför filen avvisades",
    "kommuner": "medlemskommuner som räknas för året (medlem 31 december)",
    "befolkning_20_64": "befolkningen 20–64 år den 31 december",
    "kon": "kvinna, man eller totalt",
    "ersattning": "ersättningsslag, eller totalt",
    "helarsekvivalenter": "helårsekvivalenter 20–64 år (personer som kan försörjas ett helt år av ersättningen)",
    "andel": "helårsekvivalenter ÷ befolkning 20–64 år",
    "andel_riket": "samma andel för riket",
    "andel_angiven": "andelen som den står i filen",
    "rekonstruerad": "antalet räknat som andel × befolkning (filen gav bara andelar)",
    "over_befolkning": "antalet är större än befolkningen: andelen är tom",
    "kommun": "kommunkod, fyra siffror",
    "kommun_namn": "kommunens namn",
    "befolkning_1_nov": "kommunens befolkning 1 november året före",
    "befolkning_medlemmar": "medlemskommunernas befolkning 1 november året före",
    "kommunfordelning.andel": "kommunens andel av medlemskommunernas befolkning",
    "kommunandel": "kommunkvarten av medelstilldelningen, kr",
    "kalla_kommunandel": "tilldelning = beslutad kommunkvart, annars summan av kommunraderna",
    "kommunfordelning.forvantat": "kommunkvarten × kommunens andel, avrundat till kronor",
    "rapporterat": "kommunens medlemsbidrag enligt årsredovisningen, kr",
    "differens": "rapporterat − förväntat, kr",
    "medlem": "kommunen är medlem året",
    "post": "raden i årsredovisningen som den står",
    "kategori": "kategorin enligt config/kostnadsmappning.csv",
    "belopp": "belopp i kr",
    "mappning_rad": "raden i config/kostnadsmappning.csv som gav kategorin",
}


def kolumndefinition(mart: str, kolumn: str) -> str:
    """The fallback definition of a mart column: a measure's definition, else the table above, else empty."""
    if f"{mart}.{kolumn}" in KOLUMNER:
        return KOLUMNER[f"{mart}.{kolumn}"]
    if kolumn in MATT and MATT[kolumn].definition:
        return MATT[kolumn].definition
    return KOLUMNER.get(kolumn, "")


def rutor(grans: int) -> list[Ruta]:
    matt = Tabell(["Mått", "Definition", "Kolumn"],
                  [[m.namn, m.definition, m.kolumn] for m in MATT.values()])
    return [
        Ruta("Mått", "Varje mått som rapporten visar. Mått som är kolumner i marts.jamforelse_ar läses därifrån; "
             "sql/<mart>.sql är definitionen.", matt),
        Ruta("Val där genomlysningen 2020 och underlaget skiljer sig", "",
             Tabell(["Fråga", "Rapportens val"], [list(v) for v in VAL])),
        Ruta("Röjandeskydd", notis(grans) + " Noll visas som 0, saknad uppgift som ”saknas”. Lagret och "
             "parquet-filerna har exakta värden; Excel-filen är skyddad som rapporten."),
    ]
