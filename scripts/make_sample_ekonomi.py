"""Synthetic årsredovisning lines and decided medelstilldelning for finsam.

Writes data/raw/ekonomi/* and data/raw/tilldelning/*. Invented amounts of a plausible size, with these fixed points:
- 2019 is the genomlysning (S4:6329-6423): medelstilldelning 8.0 / 5.3 / 5.6 / 4.0 mnkr, admin 1 552 / 1 342 / 1 238
  / 1 373 tkr, cost split 75/6/19, 74/2/23, 82/1/17, 54/3/43; MUCF 600 / 750 / 527 tkr (Degerfors/Karlskoga
  2017-2019) and Tillväxtverket 166 / 783 tkr used (Sydnärke 2018-2019);
- medelstilldelning 2020 and 2022 is four times the region's 2022 share and 2023 four times its 2023 share (S1:52-57);
- Sydnärke 2025 is seed 002's budget (S2:467-526), the kommun lines its Tabell 2, and its eget kapital at the end of
  2024 is 1 023 433 kr (S2:464);
- Södra Norrbotten asked for 58 % of the state money it could get in 2021 and for 3.25 of 5.0 mnkr in 2022 (S3);
- what each Örebro förbund asked of Region Örebro län for 2023 (S1): Sydnärke 1 625 tkr (got 1 305.5), Lekeberg och
  Örebro and Degerfors/Karlskoga at the level of the state's decision (what they got), SOFINT did not apply (blank);
  what they asked of the kommuner is not in the seed (blank).
Each förbund's kommun quarter is split by the population on 1 November the year before, read from
data/raw/scb/folkmangd_nov/ (run scripts/make_sample_scb.py first). Deterministic: reruns are byte-identical.

Run: uv run python scripts/make_sample_ekonomi.py
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

import openpyxl
from make_sample_sus import write_csv
from sample_xlsx import save_xlsx, titled_sheet

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
RNG = random.Random(20191231)
YEARS = range(2017, 2026)
MEDEL = {  # decided medelstilldelning, kr
    "lekeberg_orebro": [7_800_000, 8_000_000, 8_000_000, 8_000_000, 8_000_000, 8_000_000, 8_000_000, 8_000_000,
                        8_000_000],
    "sydnarke": [5_200_000, 5_300_000, 5_300_000, 5_234_000, 5_234_000, 5_234_000, 5_222_000, 5_276_000, 4_684_000],
    "degerfors_karlskoga": [5_480_000, 5_600_000, 5_600_000, 5_574_000, 5_574_000, 5_574_000, 5_560_000, 5_560_000,
                            5_560_000],
    "sofint": [3_900_000, 4_000_000, 4_000_000, 3_986_000, 3_986_000, 3_986_000, 3_976_000, 3_976_000, 3_976_000],
}
KOMMUN = {"lekeberg_orebro": {"1880": "Örebro kommun", "1814": "Lekebergs kommun"},
          "sydnarke": {"1881": "Kumla kommun", "1861": "Hallsbergs kommun", "1882": "Askersunds kommun",
                       "1860": "Laxå kommun"},
          "degerfors_karlskoga": {"1883": "Karlskoga kommun", "1862": "Degerfors kommun"},
          "sofint": {"1885": "Lindesbergs kommun", "1884": "Nora kommun", "1863": "Hällefors kommun",
                     "1864": "Ljusnarsbergs kommun"}}
PARTY = {"lekeberg_orebro": ("Bidrag från Försäkringskassan", "Bidrag från Region Örebro län", "Bidrag från {}"),
         "sydnarke": ("Driftbidrag Försäkringskassan", "Driftbidrag Region Örebro län", "Driftbidrag {}"),
         "degerfors_karlskoga": ("Medlemsavgift Försäkringskassan", "Medlemsavgift Region Örebro län",
                                 "Medlemsavgift {}"),
         "sofint": ("Medlemsbidrag Försäkringskassan", "Medlemsbidrag Region Örebro län", "Medlemsbidrag {}")}
# Each förbund's own cost lines with their 2019 amounts (kr): individinriktade, strukturövergripande, administration.
COSTS = {
    "lekeberg_orebro": (
        {"Samverkansteamet": 1_645_068, "IRMA": 3_208_366, "Mottagningsteam Lekeberg": 534_847,
         "Coachingteam Lekeberg": 380_212, "Miljövårdscentrum": 357_507},
        {"Utredartjänst": 420_000, "Rehabmässan": 40_000, "Samverkansdag": 30_000},
        {"Förbundschef": 820_000, "Administrativt stöd": 310_000, "Styrelsen": 150_000, "Revision": 82_000,
         "OH-kostnader inkl. IT": 190_000}),
    "sydnarke": (
        {"Utbetalda projektmedel Samordningsteam": 2_879_649, "Utbetalda projektmedel Arbetsträning Kumla": 466_943},
        {"Strukturinsatser": 78_000, "Rehabiliteringsmässan": 35_000, "Samverkansdag": 15_000,
         "Psykiatriveckan": 10_000},
        {"Köp av administrativa tjänster": 134_000, "Köp av tjänst förbundschef": 520_000,
         "Revisionstjänster": 60_000, "Arvoden, soc. avg. övriga ersättn.": 244_700,
         "Övriga verksamhetskostnader": 70_400, "Hyra av lokal, städ, el": 55_900,
         "Resekostnader inkl hotell och logi": 45_000, "Representation": 12_000,
         "Kurser, konferenser och utbildningar": 200_000}),
    "degerfors_karlskoga": (
        {"Coachingteamet": 5_239_000, "Arbetshandledare Föreningen Berget": 25_000},
        {"Rehabmässan": 35_000, "Gemensam samverkansdag": 36_000},
        {"Förbundschef": 780_000, "Styrelse": 95_000, "Revision": 68_000, "Lokaler": 120_000,
         "Övriga administrationskostnader": 175_000}),
    "sofint": (
        {"Mottagningsteamet": 135_146, "Samverkansteamet": 1_533_854, "Lokalkostnader, andel insatser 50 %": 55_000},
        {"Rehabmässan": 40_000, "Samverkansdag för rehabkoordinatorer": 56_000},
        {"Lokalkostnader, andel förbundet 50 %": 55_000, "Köpt tjänst förbundschef": 610_000,
         "Styrelsearvoden": 180_000, "Revisionsarvode": 75_000, "Ekonomiadministration": 260_000,
         "Kontorskostnader och IT": 193_000}),
}
# External grants: (income line, cost line it pays for, {year: kr used}); kept apart from medelstilldelning.
GRANTS = {
    "sydnarke": [("Projektmedel Tillväxtverket", "Utbetalda projektmedel Växa", {2018: 166_000, 2019: 783_000})],
    "degerfors_karlskoga": [
        ("Bidrag MUCF", "Studiemotivator (MUCF)", {2017: 600_000, 2018: 750_000, 2019: 527_000}),
        ("Projektmedel ESF", "Coachingteamet, ESF-projekt", {2020: 620_000, 2021: 1_050_000, 2022: 980_000})],
}
OWN_SHARE = {("sydnarke", "Utbetalda projektmedel Växa"): 150_408}  # the förbund's own money in a granted insats
OVRIGA = {"degerfors_karlskoga": ("Övriga intäkter", 150_000)}
EGET_KAPITAL_2019 = {"lekeberg_orebro": 2_600_000, "sydnarke": 1_200_000, "degerfors_karlskoga": 1_080_000,
                     "sofint": 1_000_000}
EGET_KAPITAL_MAL = {"lekeberg_orebro": 0.30, "sydnarke": 0.20, "degerfors_karlskoga": 0.17, "sofint": 0.22}
SYDNARKE_EK_2024 = 1_023_433
SYDNARKE_2025 = (  # seed 002, Tabell 3 and 4 (S2:489-524)
    {"Utbetalda projektmedel Samordningsteam": 2_355_100, "Utbetalda projektmedel Ciceron": 1_919_800},
    {"Strukturinsatser": 300_000, "Rehabiliteringsmässan": 35_000, "Psykiatriveckan": 10_000,
     "Samverkansdag": 15_000},
    {"Köp av administrativa tjänster": 134_000, "Köp av tjänst förbundschef": 131_500,
     "Revisionstjänster": 60_000,
     "Arvoden, soc. avg. övriga ersättn.": 244_700, "Övriga verksamhetskostnader": 70_400,
     "Hyra av lokal, städ, el": 55_900, "Resekostnader inkl hotell och logi": 105_000, "Representation": 0,
     "Kurser, konferenser och utbildningar": 0})


def november_population() -> dict[tuple[str, int], int]:
    path = next((RAW / "scb" / "folkmangd_nov").glob("*.csv"))
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";")
    return {(r["region"][:4], int(r["år"])): int(r["antal"]) for r in rows}


def spread(total: int, weights: dict[str, float]) -> dict[str, int]:
    """total kr over the lines in proportion to jittered weights; the last line takes the rounding rest."""
    w = {k: v * RNG.uniform(0.9, 1.1) for k, v in weights.items()}
    out = {k: round(total * v / sum(w.values())) for k, v in w.items()}
    last = list(out)[-1]
    out[last] = total - sum(v for k, v in out.items() if k != last)
    return out


def incomes(kod: str, y: int, pop: dict) -> tuple[list[tuple[str, int]], dict[str, int]]:
    """Medlemsbidrag per party (the kommun quarter split by population 1 November y-1, to the krona), external
    grants and other income; and the cost lines the grants pay for."""
    total = MEDEL[kod][y - 2017]
    stat, region = total // 2, total // 4
    if (kod, y) == ("sofint", 2017):  # the kommuner paid 50 000 kr less, the region 50 000 kr more
        region += 50_000
    quarter = total - stat - region
    pops = {k: pop[(k, y - 1)] for k in KOMMUN[kod]}
    stat_text, region_text, kommun_text = PARTY[kod]
    share = {k: quarter * p / sum(pops.values()) for k, p in pops.items()}
    lines = [(stat_text, stat), (region_text, region)] + [  # to the krona, halves up
        (kommun_text.format(name), int(share[k] + 0.5)) for k, name in KOMMUN[kod].items()]
    grant_costs = {}
    for income, cost, used in GRANTS.get(kod, []):
        if y in used:
            lines.append((income, used[y]))
            grant_costs[cost] = used[y] + OWN_SHARE.get((kod, cost), 0)
    if (kod, y) == ("sydnarke", 2025):
        lines.append(("Projektmedel ESF", 1_507_100))
    if kod in OVRIGA:
        lines.append((OVRIGA[kod][0], OVRIGA[kod][1] if y == 2019 else round(RNG.uniform(80, 200)) * 1000))
    return lines, grant_costs


def costs(kod: str, y: int, cost_total: int, grant_costs: dict[str, int]) -> list[tuple[str, int]]:
    """cost_total kr over the förbund's lines, around its 2019 split."""
    individ, struktur, admin = COSTS[kod]
    base = sum(individ.values()) + sum(struktur.values()) + sum(admin.values())
    a = round(cost_total * sum(admin.values()) / base * RNG.uniform(0.92, 1.08))
    s = round(cost_total * sum(struktur.values()) / base * RNG.uniform(0.8, 1.2))
    groups = [{**spread(cost_total - a - s - sum(grant_costs.values()), individ), **grant_costs},
              spread(s, struktur), spread(a, admin)]
    if kod == "degerfors_karlskoga" and y >= 2021:  # a quarter of the förbundschef booked as struktur
        quarter = round(groups[2]["Förbundschef"] / 4)
        groups[2]["Förbundschef"] -= quarter
        groups[1]["Förbundschef, strukturövergripande del"] = quarter
    return [(p, a) for g in groups for p, a in g.items()]


def ledger(kod: str, pop: dict) -> dict[int, dict]:
    """Every year's income, cost and financial lines, result and eget kapital. 2019 (and Sydnärke 2025) are fixed;
    other years' results pull eget kapital towards the förbund's usual level, and the eget kapital before 2017 is
    chosen so that 2019 ends at its fixed value."""
    years, ek = {}, None
    for y in YEARS:
        income, grant_costs = incomes(kod, y, pop)
        fin_in = round(RNG.uniform(500, 6000), -2) if kod != "sofint" else 0
        fin_out = round(RNG.uniform(1500, 2000), -2) if kod == "sydnarke" else 0
        gross = sum(a for _, a in income) + fin_in - fin_out
        if y == 2019:
            individ, struktur, admin = COSTS[kod]
            cost = [*individ.items(), *grant_costs.items(), *struktur.items(), *admin.items()]
        elif (kod, y) == ("sydnarke", 2025):
            fin_out = 1_700
            cost = [(p, a) for group in SYDNARKE_2025 for p, a in group.items()]
        else:
            if y <= 2018:
                result = MEDEL[kod][y - 2017] * RNG.uniform(-0.04, 0.04)
            elif (kod, y) == ("sydnarke", 2024):
                result = SYDNARKE_EK_2024 - ek
            else:
                medel = MEDEL[kod][y - 2017]
                result = 0.4 * (EGET_KAPITAL_MAL[kod] * medel - ek) + medel * RNG.uniform(-0.03, 0.03)
            cost = costs(kod, y, round(gross - result), grant_costs)
        result = sum(a for _, a in income) + fin_in - fin_out - sum(a for _, a in cost)
        ek = EGET_KAPITAL_2019[kod] if y == 2019 else (ek or 0) + result
        years[y] = {"income": income, "cost": cost, "fin_in": fin_in, "fin_out": fin_out, "result": result, "ek": ek}
    ek = EGET_KAPITAL_2019[kod] - sum(years[y]["result"] for y in (2017, 2018, 2019))
    for y in YEARS:
        years[y]["ek_in"] = ek
        ek = years[y]["ek"] = ek + years[y]["result"]
        assert ek > 0, (kod, y, ek)
    assert years[2019]["ek"] == EGET_KAPITAL_2019[kod]
    return years


# ---------------------------------------------------------------- writers, one style per förbund
def tag(pairs: list[tuple[str, float]], typ: str) -> list[tuple[str, float, str]]:
    return [(p, a, typ) for p, a in pairs]


def total(pairs: list[tuple[str, float]]) -> float:
    return sum(a for _, a in pairs)


def lekeberg_orebro(years: dict) -> list[list]:
    """A ledger export: kr, '1 552 000,00', subtotals and the eget kapital movement (cp1252, semicolons)."""
    rows = [["Förbund", "År", "Post", "Belopp", "Enhet", "Typ"]]
    for y, d in years.items():
        lines = tag(d["income"] + [("Summa intäkter", total(d["income"]))], "intäkt")
        lines += tag(d["cost"] + [("Summa kostnader", total(d["cost"]))], "kostnad")
        lines += tag([("Ränteintäkter", d["fin_in"])], "intäkt") + tag([
            ("Ingående eget kapital", d["ek_in"]), ("Årets resultat", d["result"]),
            ("Utgående eget kapital", d["ek"])], "eget_kapital")
        rows += [["Finsam Lekeberg och Örebro", y, p, f"{a:,.2f}".replace(",", " ").replace(".", ","), "kr", t]
                 for p, a, t in lines]
    return rows


def sydnarke(years: dict) -> list[list]:
    """A resultaträkning: costs negative, subtotals, title rows, header aliases, non-breaking spaces."""
    rows = [["Samordningsförbundet Sydnärke"], ["Resultaträkning 2017–2025 (kr)"], [],
            ["Samordningsförbund", "Räkenskapsår", "Benämning", "Belopp", "Enhet", "Typ"]]
    for y, d in years.items():
        costs_ = [(p, -a) for p, a in d["cost"]] + [("Rörelsens kostnader", -total(d["cost"]))]
        lines = tag(d["income"] + [("Summa intäkter", total(d["income"]))], "Intäkt") + tag(costs_, "Kostnad")
        lines += [("Rörelseresultat", total(d["income"]) - total(d["cost"]), "Intäkt"),
                  ("Finansiella intäkter", d["fin_in"], "Intäkt"),
                  ("Finansiella kostnader", -d["fin_out"], "Kostnad"),
                  ("Resultat", d["result"], "Intäkt"), ("Utgående eget kapital", d["ek"], "Eget kapital")]
        rows += [["Samordningsförbundet Sydnärke", y, p, f"{a:,.0f}".replace(",", "\u00a0"), "kr", t]
                 for p, a, t in lines]
    return rows


def degerfors_karlskoga(years: dict, path: Path) -> None:
    """An xlsx in tkr with title rows above the header."""
    wb, ws = titled_sheet("Resultaträkning", ["Finsam Degerfors/Karlskoga"],
                          ["Årsredovisningar 2017–2025, belopp i tkr"],
                          ["MUCF- och ESF-medel ingår inte i medlemsavgifterna."],
                          ["Förbund", "År", "Post", "Utfall", "Enhet", "Typ"])
    for y, d in years.items():
        lines = tag(d["income"], "intäkt") + tag(d["cost"] + [("Summa kostnader", total(d["cost"]))], "kostnad")
        lines += [("Ränteintäkter", d["fin_in"], "intäkt"),
                  ("Eget kapital vid årets slut", d["ek"], "eget_kapital")]
        for p, a, t in lines:
            ws.append(["Finsam Degerfors/Karlskoga", y, p, round(a / 1000, 3), "tkr", t])
    save_xlsx(wb, path, dt.datetime(2026, 2, 15, 8, 0))


def sofint(years: dict) -> list[list]:
    """Comma separated, decimal point, no thousands separator."""
    rows = [["Förbund", "År", "Post", "Belopp", "Enhet", "Typ"]]
    for y, d in years.items():
        lines = tag(d["income"], "intäkt") + tag(d["cost"], "kostnad")
        lines += [("Eget kapital 31 december", d["ek"], "eget_kapital")]
        rows += [["SOFINT", y, p, f"{a:.2f}", "kr", t] for p, a, t in lines]
    return rows


NAMES = {"lekeberg_orebro": "Finsam Lekeberg och Örebro", "sydnarke": "Samordningsförbundet Sydnärke",
         "degerfors_karlskoga": "Finsam Degerfors/Karlskoga", "sofint": "SOFINT"}
# Södra Norrbotten, tkr: decided state money (= requested), and the state money it could have had (S3).
NORRBOTTEN = {2017: (2300, 4100), 2018: (2400, 4150), 2019: (2400, 4200), 2020: (2500, 4250), 2021: (2500, 4310),
              2022: (3250, 5000), 2023: (3550, 5050), 2024: (3850, 5100), 2025: (4150, 5150)}


# What each förbund asked of the region (kr, seed 001's 2023 decision); SOFINT did not apply.
ANSOKT_REGION = {("sydnarke", 2023): 1_625_000, ("lekeberg_orebro", 2023): 2_000_000,
                 ("degerfors_karlskoga", 2023): 1_390_000}


def tilldelning(ledgers: dict) -> tuple[list[list], openpyxl.Workbook]:
    rows = [["Förbund", "År", "Stat", "Region", "Kommuner", "Ansökt region", "Ansökt kommuner", "Enhet"]]
    for kod, years in ledgers.items():
        for y, d in years.items():
            stat, region = d["income"][0][1], d["income"][1][1]
            rows.append([NAMES[kod], y, stat, region, MEDEL[kod][y - 2017] - stat - region,
                         ANSOKT_REGION.get((kod, y), ""), "", "kr"])
    rows.append(["Summa", "", *(sum(r[i] for r in rows[1:]) for i in (2, 3, 4)),
                 sum(ANSOKT_REGION.values()), "", ""])
    wb, ws = titled_sheet("Medelstilldelning", ["Samordningsförbundet Södra Norrbotten"],
                          ["Beslutad medelstilldelning och möjlig statlig tilldelning (tkr)"], [],
                          ["Förbund", "År", "Stat", "Region", "Kommuner", "Ansökt stat", "Möjlig stat", "Enhet"])
    for y, (stat, possible) in NORRBOTTEN.items():
        ws.append(["Södra Norrbotten", y, stat, stat / 2, stat / 2, stat, possible, "tkr"])
    return rows, wb


def main() -> None:
    pop = november_population()
    ledgers = {kod: ledger(kod, pop) for kod in MEDEL}
    eko, till = RAW / "ekonomi", RAW / "tilldelning"
    for folder in (eko, till):
        folder.mkdir(parents=True, exist_ok=True)
    write_csv(eko / "lekeberg_orebro_huvudbok_2017_2025.csv", lekeberg_orebro(ledgers["lekeberg_orebro"]), ";",
              "cp1252", "\r\n")
    write_csv(eko / "sydnarke_resultatrakning_2017_2025.csv", sydnarke(ledgers["sydnarke"]), ";", "utf-8-sig")
    degerfors_karlskoga(ledgers["degerfors_karlskoga"], eko / "degerfors_karlskoga_arsredovisningar_tkr.xlsx")
    write_csv(eko / "sofint_2017_2025.csv", sofint(ledgers["sofint"]), ",", "utf-8")
    rows, wb = tilldelning(ledgers)
    write_csv(till / "orebro_lan_medelstilldelning_2017_2025.csv", rows, ";", "utf-8")
    save_xlsx(wb, till / "sodra_norrbotten_2017_2025.xlsx", dt.datetime(2026, 2, 15, 8, 0))
    for kod, years in ledgers.items():
        print(kod, " ".join(f"{y}:{d['ek'] / MEDEL[kod][y - 2017]:.0%}" for y, d in years.items()))


if __name__ == "__main__":
    main()
