"""Sample budgets, prognoses and a delårsrapport for finsam.

Writes data/raw/budget/* (one file per förbund) and data/raw/ekonomi/sydnarke_delarsrapport_2025_08.csv:
- Sydnärke 2025-2027 is seed 002's budget, decided 2024-11-29 (S2:467-526): Tabell 3 "Finansierade insatser" per
  insats (netto) and Tabell 4 "Budgetöversikt". Two adaptations, both said in data/raw/README.md: Tabell 4's
  "Driftbidrag" (4 628 000 a year) is split 50 / 25 / 25 between the state, the region and the kommuner (the
  finansieringsmodell), since a line must name its party to be mapped; and Tabell 4's "Utbetalda projektmedel" is
  given as its Tabell 3 lines (they add up to it exactly: 4 634 900 / 4 792 300 / 4 565 100), each with its Insats.
  The subtotals (Summa intäkter, Rörelsens kostnader, Resultat) are kept and map to exkludera.
- Sydnärke also has a prognos for 2025 decided 2025-10-15 (cost lines only; invented) and a delårsrapport
  January-August 2025 (Period till 2025-08-31; invented, about 8/12 of the budget with deviations).
- The other förbund's budgets for 2025 and 2026 are invented, near their 2025 årsredovisning lines in
  data/raw/ekonomi/ (Södra Norrbotten, which has none, near its Uppföljning Finsam budgets). Lekeberg och Örebro
  revises its 2025 budget (reviderad budget, 2025-06-12); Degerfors och Karlskoga gives a prognos for 2025
  (2025-09-25) whose administration is 16 % over its budget (prognos_over_budget); its file is in tkr.
Deterministic (no randomness): reruns are byte-identical.

Run: uv run python scripts/make_sample_budget.py
"""
from __future__ import annotations

from pathlib import Path

from make_sample_sus import write_csv

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
HEADER = ["Förbund", "År", "Post", "Belopp", "Enhet", "Typ", "Version", "Beslutad", "Insats"]
IN, K = "Intäkt", "Kostnad"

# Sydnärke, seed 002 (S2:487-526): (post, typ, insats, 2025, 2026, 2027), kr.
SYDNARKE = [
    ("Driftbidrag Försäkringskassan", IN, "", 2_314_000, 2_314_000, 2_314_000),
    ("Driftbidrag Region Örebro län", IN, "", 1_157_000, 1_157_000, 1_157_000),
    ("Driftbidrag kommunerna", IN, "", 1_157_000, 1_157_000, 1_157_000),
    ("Projektmedel ESF", IN, "", 1_507_100, 1_507_100, 753_748),
    ("Summa intäkter", IN, "", 6_135_100, 6_135_100, 5_381_748),
    ("Utbetalda projektmedel Samordningsteam", K, "Samordningsteam", 2_355_100, 2_420_200, 2_793_500),
    ("Utbetalda projektmedel Ciceron", K, "Ciceron", 1_919_800, 2_012_100, 1_411_600),
    ("Strukturinsatser", K, "Strukturinsatser", 300_000, 300_000, 300_000),
    ("Rehabiliteringsmässan", K, "Rehabiliteringsmässan", 35_000, 35_000, 35_000),
    ("Psykiatriveckan", K, "Psykiatriveckan", 10_000, 10_000, 10_000),
    ("Samverkansdag", K, "Samverkansdag", 15_000, 15_000, 15_000),
    ("Köp av administrativa tjänster", K, "", 134_000, 138_000, 142_000),
    ("Köp av tjänst förbundschef", K, "", 131_500, 155_500, 261_400),
    ("Revisionstjänster", K, "", 60_000, 60_000, 60_000),
    ("Arvoden, soc. avg. övriga ersättn.", K, "", 244_700, 248_000, 252_400),
    ("Övriga verksamhetskostnader", K, "", 70_400, 70_500, 70_500),
    ("Hyra av lokal, städ, el", K, "", 55_900, 57_600, 64_200),
    ("Resekostnader inkl Hotell och logi", K, "", 105_000, 5_000, 5_000),
    ("Representation", K, "", 0, 0, 0),
    ("Kurser, konferenser och utbildningar", K, "", 0, 0, 0),
    ("Rörelsens kostnader", K, "", 5_436_400, 5_526_900, 5_420_600),
    ("Finansiella kostnader", K, "", 1_700, 1_800, 1_900),
    ("Resultat", IN, "", 697_000, 606_400, -40_752),
]
# Sydnärke's prognos for 2025, decided with the delårsrapport (invented): the cost lines only.
SYDNARKE_PROGNOS = {"Utbetalda projektmedel Samordningsteam": 2_300_000, "Utbetalda projektmedel Ciceron": 1_750_000,
                    "Strukturinsatser": 280_000, "Rehabiliteringsmässan": 35_000, "Psykiatriveckan": 10_000,
                    "Samverkansdag": 15_000, "Köp av administrativa tjänster": 134_000,
                    "Köp av tjänst förbundschef": 131_500, "Revisionstjänster": 60_000,
                    "Arvoden, soc. avg. övriga ersättn.": 252_000, "Övriga verksamhetskostnader": 75_000,
                    "Hyra av lokal, städ, el": 55_900, "Resekostnader inkl Hotell och logi": 70_000}
# Sydnärke's delårsrapport January-August 2025 (invented): (post, typ, kr).
DELAR = [
    ("Driftbidrag Försäkringskassan", IN, 1_561_300), ("Driftbidrag Region Örebro län", IN, 780_700),
    ("Driftbidrag kommunerna", IN, 780_700), ("Projektmedel ESF", IN, 1_004_700),
    ("Utbetalda projektmedel Samordningsteam", K, 1_512_400), ("Utbetalda projektmedel Ciceron", K, 1_134_500),
    ("Strukturinsatser", K, 176_000), ("Rehabiliteringsmässan", K, 35_000), ("Psykiatriveckan", K, 0),
    ("Samverkansdag", K, 9_800), ("Köp av administrativa tjänster", K, 89_300),
    ("Köp av tjänst förbundschef", K, 87_700), ("Revisionstjänster", K, 30_000),
    ("Arvoden, soc. avg. övriga ersättn.", K, 171_200), ("Övriga verksamhetskostnader", K, 52_900),
    ("Hyra av lokal, städ, el", K, 37_300), ("Resekostnader inkl Hotell och logi", K, 41_800),
    ("Finansiella intäkter", IN, 3_100),
]

# The other förbund (invented): (post, typ, insats, 2025, 2026), kr (Degerfors och Karlskoga: tkr).
OVRIGA = {
    "lekeberg_orebro": ("Finsam Lekeberg och Örebro", [
        ("Bidrag från Försäkringskassan", IN, "", 4_000_000, 4_000_000),
        ("Bidrag från Region Örebro län", IN, "", 2_000_000, 2_000_000),
        ("Bidrag från kommunerna", IN, "", 2_000_000, 2_000_000),
        ("Samverkansteamet", K, "Samverkansteamet", 1_500_000, 1_530_000),
        ("IRMA", K, "IRMA", 3_200_000, 3_260_000),
        ("Mottagningsteam Lekeberg", K, "Mottagningsteam Lekeberg", 520_000, 530_000),
        ("Coachingteam Lekeberg", K, "Coachingteam Lekeberg", 390_000, 400_000),
        ("Miljövårdscentrum", K, "", 350_000, 350_000),
        ("Utredartjänst", K, "Utredartjänst", 400_000, 420_000),
        ("Rehabmässan", K, "Rehabmässan", 40_000, 40_000),
        ("Samverkansdag", K, "Samverkansdag", 35_000, 35_000),
        ("Förbundschef", K, "", 760_000, 780_000),
        ("Administrativt stöd", K, "", 290_000, 295_000),
        ("Styrelsen", K, "", 150_000, 155_000),
        ("Revision", K, "", 75_000, 77_000),
        ("OH-kostnader inkl. IT", K, "", 190_000, 190_000),
    ]),
    "degerfors_karlskoga": ("Finsam Degerfors/Karlskoga", [
        ("Medlemsavgift Försäkringskassan", IN, "", 2_780, 2_780),
        ("Medlemsavgift Region Örebro län", IN, "", 1_390, 1_390),
        ("Medlemsavgift kommunerna", IN, "", 1_390, 1_390),
        ("Övriga intäkter", IN, "", 100, 100),
        ("Coachingteamet", K, "Coachingteamet", 4_600, 4_700),
        ("Arbetshandledare Föreningen Berget", K, "", 25, 25),
        ("Rehabmässan", K, "Rehabmässan", 35, 35),
        ("Gemensam samverkansdag", K, "Gemensam samverkansdag", 40, 40),
        ("Förbundschef, strukturövergripande del", K, "", 155, 160),
        ("Förbundschef", K, "", 465, 480),
        ("Styrelse", K, "", 90, 90),
        ("Revision", K, "", 58, 60),
        ("Lokaler", K, "", 100, 105),
        ("Övriga administrationskostnader", K, "", 150, 155),
    ]),
    "sofint": ("SOFINT", [
        ("Medlemsbidrag Försäkringskassan", IN, "", 1_988_000, 1_988_000),
        ("Medlemsbidrag Region Örebro län", IN, "", 994_000, 994_000),
        ("Medlemsbidrag kommunerna", IN, "", 994_000, 994_000),
        ("Mottagningsteamet", K, "Mottagningsteamet", 175_000, 180_000),
        ("Samverkansteamet", K, "Samverkansteamet", 1_950_000, 2_000_000),
        ("Lokalkostnader, andel insatser 50 %", K, "", 78_000, 80_000),
        ("Rehabmässan", K, "Rehabmässan", 45_000, 45_000),
        ("Samverkansdag för rehabkoordinatorer", K, "Samverkansdag för rehabkoordinatorer", 65_000, 65_000),
        ("Lokalkostnader, andel förbundet 50 %", K, "", 62_000, 64_000),
        ("Köpt tjänst förbundschef", K, "", 770_000, 790_000),
        ("Styrelsearvoden", K, "", 230_000, 235_000),
        ("Revisionsarvode", K, "", 95_000, 97_000),
        ("Ekonomiadministration", K, "", 300_000, 310_000),
        ("Kontorskostnader och IT", K, "", 240_000, 245_000),
    ]),
    "sodra_norrbotten": ("Södra Norrbotten", [
        ("Medlemsbidrag Försäkringskassan", IN, "", 3_400_000, 3_400_000),
        ("Medlemsbidrag Region Norrbotten", IN, "", 1_700_000, 1_700_000),
        ("Medlemsbidrag kommunerna", IN, "", 1_700_000, 1_700_000),
        ("Individinriktade insatser Porten", K, "Porten", 2_135_200, 2_180_000),
        ("Individinriktade insatser Steg framåt Luleå", K, "Steg framåt Luleå", 1_611_700, 1_650_000),
        ("Individinriktade insatser Unga vuxna Piteå", K, "Unga vuxna Piteå", 1_202_700, 1_230_000),
        ("Arbetsträning Boden", K, "Arbetsträning Boden", 650_400, 660_000),
        ("Kompetensutveckling i samverkan", K, "Kompetensutveckling i samverkan", 280_000, 280_000),
        ("Rehabmässan Norrbotten", K, "Rehabmässan Norrbotten", 40_000, 40_000),
        ("Förbundschef", K, "", 700_000, 720_000),
        ("Styrelse", K, "", 120_000, 120_000),
        ("Revision", K, "", 70_000, 72_000),
        ("Lokaler", K, "", 90_000, 92_000),
    ]),
}
DECIDED = {"lekeberg_orebro": ("2024-11-28", "2025-11-27"), "degerfors_karlskoga": ("2024-12-05", "2025-12-04"),
           "sofint": ("2024-11-21", "2025-11-20"), "sodra_norrbotten": ("2024-12-12", "2025-12-11")}
# Lekeberg och Örebro's revision of 2025 (2025-06-12): more for Utredartjänst and IRMA, the rest as decided.
REVIDERAD = {"Utredartjänst": 460_000, "IRMA": 3_150_000}
# Degerfors och Karlskoga's prognos for 2025 (2025-09-25), tkr: a new förbundschef costs more this year.
PROGNOS_DK = {"Coachingteamet": 4_650, "Förbundschef": 610, "Styrelse": 90, "Revision": 58, "Lokaler": 103,
              "Övriga administrationskostnader": 160}


def kr(belopp: int) -> str:
    """An amount as a budget prints it: space thousands, a minus sign for a negative."""
    return f"{belopp:,}".replace(",", " ")


def write_budgets() -> None:
    folder = RAW / "budget"
    folder.mkdir(parents=True, exist_ok=True)
    rows = [HEADER]
    for post, typ, insats, *belopp in SYDNARKE:
        rows += [["Samordningsförbundet Sydnärke", ar, post, kr(b), "kr", typ, "budget", "2024-11-29", insats]
                 for ar, b in zip((2025, 2026, 2027), belopp, strict=True)]
    rows += [["Samordningsförbundet Sydnärke", 2025, post, kr(SYDNARKE_PROGNOS[post]), "kr", typ, "prognos",
              "2025-10-15", insats] for post, typ, insats, *_ in SYDNARKE if post in SYDNARKE_PROGNOS]
    write_csv(folder / "sydnarke_budget_2025_2027.csv", rows, ";", "utf-8")
    for kod, (namn, lines) in OVRIGA.items():
        enhet = "tkr" if kod == "degerfors_karlskoga" else "kr"
        rows = [HEADER]
        for ar, beslutad, col in ((2025, DECIDED[kod][0], 0), (2026, DECIDED[kod][1], 1)):
            rows += [[namn, ar, post, kr(belopp[col]), enhet, typ, "budget", beslutad, insats]
                     for post, typ, insats, *belopp in lines]
        if kod == "lekeberg_orebro":
            rows += [[namn, 2025, post, kr(REVIDERAD.get(post, belopp[0])), enhet, typ, "reviderad budget",
                      "2025-06-12", insats] for post, typ, insats, *belopp in lines]
        if kod == "degerfors_karlskoga":
            rows += [[namn, 2025, post, kr(PROGNOS_DK[post]), enhet, typ, "prognos", "2025-09-25", insats]
                     for post, typ, insats, *_ in lines if post in PROGNOS_DK]
        write_csv(folder / f"{kod}_budget_2025_2026.csv", rows, ";", "utf-8")


def write_delar() -> None:
    rows = [["Förbund", "År", "Post", "Belopp", "Enhet", "Typ", "Period till"]]
    rows += [["Samordningsförbundet Sydnärke", 2025, post, kr(belopp), "kr", typ, "2025-08-31"]
             for post, typ, belopp in DELAR]
    write_csv(RAW / "ekonomi" / "sydnarke_delarsrapport_2025_08.csv", rows, ";", "utf-8")


if __name__ == "__main__":
    write_budgets()
    write_delar()
