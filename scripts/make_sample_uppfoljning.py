"""Synthetic Uppföljning Finsam rows and reported avslut for finsam: what the förbund register since SUS closed.

Writes data/raw/uppfoljning/* (every sample förbund, 2023-2025, one file per förbund) and
data/raw/avslut_rapporterade/* (Sydnärke and SOFINT only: the others report no avslut, so theirs are missing, not
0). Everything is invented, around these fixed points:
- participants per insats continue the SUS sample: each insats starts from its mean deltagare 2020-2022 in the
  spells scripts/make_sample_sus.py generates (imported, so the two cannot drift apart);
- Sydnärke 2025 is seed 002's verksamhetsplan (Tabell 3, S2:487-496): Samordningsteam 2 355 100 kr ("minst 150
  individer"), Ciceron 1 919 800 kr (ESF, "minst 20-25" in 2025), Strukturinsatser 300 000, Rehabiliteringsmässan
  35 000, Psykiatriveckan 10 000, Samverkansdag 15 000. Its SUS teams are reported as Samordningsteam from 2025,
  the only individinriktade insatser besides Ciceron in that plan;
- individinriktade budgets add up to about each förbund's individinriktade costs in data/raw/ekonomi/.
Deterministic (fixed seed, fixed xlsx metadata): reruns are byte-identical.

Run: uv run python scripts/make_sample_uppfoljning.py
"""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import make_sample_sus as sus
from make_sample_sus import write_csv
from sample_xlsx import save_xlsx, titled_sheet

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
RNG = random.Random(20230430)
YEARS = (2023, 2024, 2025)
IND, STR = "Individinriktad", "Strukturövergripande"

# The individinriktade insatser each förbund reports per year: the SUS insatser of config/insatser.csv valid in the
# year (the register's other rows are cost lines of data/raw/ekonomi/ that never had SUS registrations), except
# Sydnärke 2025 (seed 002). Södra Norrbotten has no register rows and no SUS: its insatser and sizes are invented.
SYD_TEAMS = ["Steget", "Navigatorn", "Arbetsträning Kumla", "Unga Vuxna", "Hälsolotsen", "Trappan"]
INSATSER = {
    "lekeberg_orebro": {y: ["Insteget", "Resursteamet Örebro", "Vägledning Lekeberg", "Unga Vuxna"]
                        + (["Vändpunkten"] if y <= 2024 else []) for y in YEARS},  # Vändpunkten: to 2024-12-31
    "sydnarke": {2023: SYD_TEAMS, 2024: SYD_TEAMS, 2025: ["Samordningsteam", "Ciceron"]},
    "degerfors_karlskoga": {y: ["Bron", "Framåt Karlskoga", "Unga i Degerfors", "Arbetslivsresurs"]
                            + (["Nya vägar"] if y <= 2024 else []) for y in YEARS},  # Nya vägar: to 2024-06-30
    "sofint": {y: ["Kompassen", "Vägen vidare", "Lots Lindesberg", "Bergslagsteamet", "Öppen väg"] for y in YEARS},
    "sodra_norrbotten": {y: ["Porten", "Steg framåt Luleå", "Unga vuxna Piteå", "Arbetsträning Boden"]
                         for y in YEARS},
}
# Size (participants a year) where SUS gives none or too few: new insatser, and the small trap insatser.
SIZE = {("sydnarke", "Ciceron"): 22, ("sydnarke", "Trappan"): 3, ("sofint", "Öppen väg"): 6,
        ("degerfors_karlskoga", "Nya vägar"): 3, ("lekeberg_orebro", "Vändpunkten"): 3,
        ("sodra_norrbotten", "Porten"): 74, ("sodra_norrbotten", "Steg framåt Luleå"): 58,
        ("sodra_norrbotten", "Unga vuxna Piteå"): 41, ("sodra_norrbotten", "Arbetsträning Boden"): 23}
# Planned participants where a plan says so: seed 002 ("minst 150", "minst 20-25 unga och unga vuxna" in 2025).
PLANNED = {("sydnarke", "Samordningsteam", 2025): 150, ("sydnarke", "Ciceron", 2025): 25}
# Individinriktade budgets of a förbund and year, kr (about its individinriktade costs in data/raw/ekonomi/).
INDIVID_BUDGET = {"lekeberg_orebro": (5_800_000, 5_900_000, 6_000_000),
                  "sydnarke": (3_350_000, 3_400_000, None),  # 2025: seed 002 per insats
                  "degerfors_karlskoga": (4_600_000, 4_700_000, 4_750_000),
                  "sofint": (2_000_000, 2_100_000, 2_150_000),
                  "sodra_norrbotten": (5_200_000, 5_400_000, 5_600_000)}
FIXED_BUDGET = {("sydnarke", "Samordningsteam", 2025): 2_355_100, ("sydnarke", "Ciceron", 2025): 1_919_800}
# Strukturövergripande insatser (names as in data/raw/ekonomi/) and their budgets 2023, 2024, 2025, kr.
STRUKTUR = {
    "lekeberg_orebro": {"Utredartjänst": (440_000, 470_000, 480_000), "Rehabmässan": (40_000, 40_000, 40_000),
                        "Samverkansdag": (30_000, 30_000, 35_000)},
    "sydnarke": {"Strukturinsatser": (80_000, 120_000, 300_000), "Rehabiliteringsmässan": (35_000,) * 3,
                 "Psykiatriveckan": (10_000,) * 3, "Samverkansdag": (15_000,) * 3},
    "degerfors_karlskoga": {"Rehabmässan": (35_000,) * 3, "Gemensam samverkansdag": (36_000, 36_000, 40_000)},
    "sofint": {"Rehabmässan": (40_000,) * 3, "Samverkansdag för rehabkoordinatorer": (60_000, 60_000, 65_000)},
    "sodra_norrbotten": {"Kompetensutveckling i samverkan": (250_000, 250_000, 280_000),
                         "Rehabmässan Norrbotten": (40_000,) * 3},
}
# SOFINT counts the staff at its samverkansdag: participants of a strukturövergripande insats, not deltagare.
STAFF = {("sofint", "Samverkansdag för rehabkoordinatorer"): 46}
ESF_JA = {("sydnarke", "Ciceron")}
# Cells a förbund left blank (not reported): Bron's män 2024; Öppen väg counts anonymous visitors, no kön.
NO_MAN = {("degerfors_karlskoga", "Bron", 2024)}
NO_KON = {("sofint", "Öppen väg")}
TYP_TEXT = {  # Preciserad inriktning and Målgrupp by the register's typ
    "mottagningsteam": ("Samordnad bedömning och vägledning", "16–64 år i behov av samordnade insatser"),
    "coachingteam": ("Arbetslivsinriktad rehabilitering", "20–64 år långt från arbetsmarknaden"),
    "projekt": ("Stöd mot studier och arbete", "Unga och unga vuxna 16–29 år"),
    "ovrig": ("Hälsofrämjande och öppen verksamhet", "Alla som söker stöd"),
}
OWN_TEXT = {"Arbetsträning Kumla": ("Arbetsträning", "20–64 år, boende i Kumla"),
            "Arbetsträning Boden": ("Arbetsträning", "20–64 år, boende i Boden"),
            "Nya vägar": ("Stöd mot arbete", "20–64 år med försörjningsstöd"),
            "Vändpunkten": ("Stöd mot arbete", "20–64 år, boende i Lekeberg")}
METOD = {"lekeberg_orebro": "Egen deltagarregistrering", "sydnarke": "BIP (progressionsmätning)",
         "degerfors_karlskoga": "Egen deltagarregistrering", "sofint": "Deltagarlista",
         "sodra_norrbotten": "Egen deltagarregistrering"}
OWN_METOD = {"Öppen väg": "Besöksräkning (anonyma besökare)"}
NAMES = {"lekeberg_orebro": "Finsam Lekeberg och Örebro", "sydnarke": "Samordningsförbundet Sydnärke",
         "degerfors_karlskoga": "Finsam Degerfors/Karlskoga", "sofint": "SOFINT",
         "sodra_norrbotten": "Samordningsförbundet Södra Norrbotten"}

# Reported avslut: two förbund, each with its own words (all in config/avslutsorsak.csv but one of SOFINT's).
AVSLUT_TEXT = {
    "sydnarke": {"arbete": ["Arbete utan stöd", "Arbete med stöd"], "studier": ["Studier"],
                 "arbetssokande": ["Jobbredo"], "studieredo": ["Studieredo"], "annan_insats": ["Till annan insats"],
                 "sjukdom": ["Sjukskrivning"], "flytt": ["Flytt"], "avbrott": ["Avbrutit"], "ovrigt": ["Övrigt"]},
    "sofint": {"arbete": ["Arbete"], "studier": ["Reguljära studier"], "arbetssokande": ["Till Arbetsförmedlingen"],
               "studieredo": ["Studieredo"], "annan_insats": ["Annan aktör", "Remitterad till vården"],
               "sjukdom": ["Ohälsa"], "flytt": ["Flyttat"], "avbrott": ["Eget avbrott"], "ovrigt": ["Övrigt"]},
}
# Share of the year's participants who end: Ciceron runs 36 months from September 2024, so few end in 2025.
AVSLUT_ANDEL = {("sydnarke", "Ciceron"): (0.15, 0.25)}
KALLA = {"sydnarke": "Samordningsteamets egen uppföljning", "sofint": "Teamets egen uppföljning (deltagarlista)"}
# A small count the report must hide: SOFINT reports only 3 avslut to jobb-/studieredo in 2024 (the rest of those
# drawn go to Övrigt), so the share 3 of 42 and its interval are shown as "dold".
FEW = ("sofint", 2024, ("arbetssokande", "studieredo"), 3)


def sus_sizes() -> dict[tuple[str, str], tuple[float, float]]:
    """(förbund, insats) -> mean deltagare 2020-2022 and the share of women among them, from the SUS sample."""
    out = {}
    for kod, f in sus.build().items():
        for insats in sorted({s.insats for s in f.spells}):
            spells = [s for s in f.spells if s.insats == insats]
            people = [{s.person: s.kon for s in spells if s.person and sus.deltagare_count.overlaps(s, y)}
                      for y in (2020, 2021, 2022)]
            n = sum(len(p) for p in people)
            women = sum(k == "K" for p in people for k in p.values())
            out[(kod, insats)] = (n / 3, women / n if n else 0.55)
    return out


def typ(kod: str, insats: str) -> str:
    """The register's typ of the insats (the texts of Preciserad inriktning and Målgrupp follow it)."""
    own = {"Porten": "mottagningsteam", "Unga vuxna Piteå": "projekt"}  # Södra Norrbotten: not in the register
    return next((r["typ"] for r in sus.REGISTER if r["forbund"] == kod and r["insats"] == insats),
                own.get(insats, "coachingteam"))


def spread(total: int, weights: dict[str, float], step: int = 100) -> dict[str, int]:
    """total kr over the insatser in proportion to jittered weights, in whole `step`s; the last takes the rest."""
    w = {k: v * RNG.uniform(0.85, 1.15) for k, v in weights.items()}
    out = {k: round(total * v / sum(w.values()) / step) * step for k, v in w.items()}
    last = list(out)[-1]
    out[last] = total - sum(v for k, v in out.items() if k != last)
    return out


def uppfoljning_rows(sizes: dict) -> list[dict]:
    """One dict per förbund, year and insats: the values a förbund would register (None = left blank)."""
    rows = []
    for kod, years in INSATSER.items():
        for i, y in enumerate(YEARS):
            individ = {}
            for insats in years[y]:
                base, women = sizes.get((kod, insats), (SIZE.get((kod, insats)), 0.55))
                if kod == "sydnarke" and insats == "Samordningsteam":  # the six SUS teams together
                    base = sum(sizes[(kod, t)][0] for t in SYD_TEAMS)
                    women = sum(sizes[(kod, t)][0] * sizes[(kod, t)][1] for t in SYD_TEAMS) / base
                base = SIZE.get((kod, insats), base)
                total = max(1, round(base * RNG.uniform(0.92, 1.10)))
                unknown = RNG.choice([1, 2, 3]) if total >= 15 and RNG.random() < 0.3 else 0
                kvinnor = round((total - unknown) * min(0.8, max(0.3, women + RNG.uniform(-0.06, 0.06))))
                man = total - unknown - kvinnor
                planned = PLANNED.get((kod, insats, y), round(base * RNG.uniform(0.95, 1.15) / 5) * 5 or 5)
                if (kod, insats) in NO_KON:
                    kvinnor = man = None
                if (kod, insats, y) in NO_MAN:
                    man = None
                individ[insats] = dict(kvinnor=kvinnor, man=man, totalt=total, planned=planned, weight=base)
            fixed = {k: FIXED_BUDGET[(kod, k, y)] for k in individ if (kod, k, y) in FIXED_BUDGET}
            free = {k: v["weight"] for k, v in individ.items() if k not in fixed}
            budgets = {**(spread(INDIVID_BUDGET[kod][i], free) if free else {}), **fixed}
            for insats, v in individ.items():
                preciserad, malgrupp = OWN_TEXT.get(insats, TYP_TEXT[typ(kod, insats)])
                rows.append(dict(kod=kod, ar=y, insats=insats, inriktning=IND, preciserad=preciserad,
                                 malgrupp=malgrupp, metod=OWN_METOD.get(insats, METOD[kod]),
                                 esf="Ja" if (kod, insats) in ESF_JA else "Nej",
                                 kvinnor=v["kvinnor"], man=v["man"], totalt=v["totalt"], planned=v["planned"],
                                 budget=budgets[insats], utfall=utfall(budgets[insats])))
            for insats, amounts in STRUKTUR[kod].items():
                staff = STAFF.get((kod, insats))
                total = round(staff * RNG.uniform(0.85, 1.15)) if staff else None
                kvinnor = round(total * 0.76) if staff else None
                rows.append(dict(kod=kod, ar=y, insats=insats, inriktning=STR, preciserad="Kompetens och samverkan",
                                 malgrupp="Personal hos parterna", metod="Deltagarlista och enkät", esf=None,
                                 kvinnor=kvinnor, man=total - kvinnor if staff else None, totalt=total, planned=None,
                                 budget=amounts[i], utfall=utfall(amounts[i])))
    return rows


def utfall(budget: int) -> int:
    """Spent: close to the budget, mostly a little under, in whole hundreds."""
    return round(budget * RNG.uniform(0.87, 1.02) / 100) * 100


def kr(v: int | None, tkr: bool = False, spaced: bool = False) -> str:
    if v is None:
        return ""
    if tkr:
        return f"{v / 1000:.1f}"
    return f"{v:,}".replace(",", " ") if spaced else str(v)


HEADER = ["Förbund", "År", "Insats", "Inriktning", "Preciserad inriktning", "Målgrupp", "Uppföljningsmetod", "ESF",
          "Kvinnor", "Män", "Totalt", "Budgeterat antal deltagare", "Budget", "Utfall", "Enhet"]


def blank(v) -> str:
    return "" if v is None else str(v)


def write_uppfoljning(rows: list[dict]) -> None:
    out = RAW / "uppfoljning"
    out.mkdir(parents=True, exist_ok=True)
    by = {kod: [r for r in rows if r["kod"] == kod] for kod in INSATSER}

    def line(r, tkr=False, spaced=False, enhet=True):
        return [NAMES[r["kod"]], r["ar"], r["insats"], r["inriktning"], r["preciserad"], r["malgrupp"], r["metod"],
                blank(r["esf"]), blank(r["kvinnor"]), blank(r["man"]), blank(r["totalt"]), blank(r["planned"]),
                kr(r["budget"], tkr, spaced), kr(r["utfall"], tkr, spaced)] + ([("tkr" if tkr else "kr")] if enhet
                                                                               else [])

    # Sydnärke: Windows (cp1252, CRLF, ;), a title and a blank line, space thousands, a Summa row for the money.
    syd = [line(r, spaced=True) for r in by["sydnarke"]]
    summa = ["Summa"] + [""] * 11 + [kr(sum(r["budget"] for r in by["sydnarke"]), spaced=True),
                                     kr(sum(r["utfall"] for r in by["sydnarke"]), spaced=True), ""]
    write_csv(out / "sydnarke_uppfoljning_2023_2025.csv",
              [["Uppföljning Finsam – Samordningsförbundet Sydnärke, 2023–2025"], [], HEADER, *syd, summa], ";",
              "cp1252", "\r\n")
    # Lekeberg och Örebro: the contract's names, semicolons, UTF-8, no title.
    write_csv(out / "lekeberg_orebro_uppfoljning_2023_2025.csv", [HEADER] + [line(r) for r in by["lekeberg_orebro"]],
              ";", "utf-8")
    # Degerfors/Karlskoga: commas, UTF-8 with BOM, Budget and Utfall in tkr.
    write_csv(out / "degerfors_karlskoga_uppfoljning_2023_2025.csv",
              [HEADER] + [line(r, tkr=True) for r in by["degerfors_karlskoga"]], ",", "utf-8-sig")
    # Södra Norrbotten: no Totalt, ESF or Enhet column (Totalt = Kvinnor + Män, amounts in kr).
    cols = [h for h in HEADER if h not in ("Totalt", "ESF", "Enhet")]
    write_csv(out / "sodra_norrbotten_uppfoljning_2023_2025.csv",
              [cols] + [[v for h, v in zip(HEADER, line(r)) if h in cols] for r in by["sodra_norrbotten"]],
              ";", "utf-8")
    # SOFINT: a workbook with title rows, header aliases and number cells.
    wb, ws = titled_sheet("Uppföljning", ["Uppföljning Finsam"],
                          ["Samordningsförbundet i Norra Örebro län (SOFINT), uttag 2026-01-20"], [],
                          ["Samordningsförbund", "Budgetår", "Insatsens namn", "Inriktning", "Preciserad inriktning",
                           "Målgrupp", "Uppföljningsmetod", "ESF-finansierad", "Antal kvinnor", "Antal män",
                           "Antal deltagare", "Budgeterat antal deltagare", "Budget", "Utfall", "Enhet"])
    for r in by["sofint"]:
        ws.append([NAMES["sofint"], r["ar"], r["insats"], r["inriktning"], r["preciserad"], r["malgrupp"], r["metod"],
                   r["esf"], r["kvinnor"], r["man"], r["totalt"], r["planned"], r["budget"], r["utfall"], "kr"])
    save_xlsx(wb, out / "sofint_uppfoljning_2023_2025.xlsx", dt.datetime(2026, 1, 20, 9, 0))


def avslut_rows(rows: list[dict]) -> list[list]:
    """Reported avslut of Sydnärke (by kön) and SOFINT (no kön): about half of each insats' participants a year,
    over the avslut categories as in SUS; rows with the same insats, year, text and kön are one row. Öppen väg's
    anonymous visitors are never registered out, as in SUS."""
    out, left = [], FEW[3]
    for kod in AVSLUT_TEXT:
        for r in (r for r in rows if r["kod"] == kod and r["inriktning"] == IND and (kod, r["insats"]) not in NO_KON):
            n = round(r["totalt"] * RNG.uniform(*AVSLUT_ANDEL.get((kod, r["insats"]), (0.42, 0.58))))
            women = r["kvinnor"] / r["totalt"] if r["kvinnor"] is not None else 0.55
            counts: dict[tuple[str, str], int] = {}
            for _ in range(n):
                cat = RNG.choices(list(sus.WEIGHTS), list(sus.WEIGHTS.values()))[0]
                text = RNG.choice(AVSLUT_TEXT[kod][cat])
                kon = ("Kvinna" if RNG.random() < women else "Man") if kod == "sydnarke" else None
                counts[(text, kon)] = counts.get((text, kon), 0) + 1
            if (kod, r["ar"]) == FEW[:2]:
                left = few(counts, kod, left)
            order = {t: i for i, t in enumerate(t for ts in AVSLUT_TEXT[kod].values() for t in ts)}
            for (text, kon), antal in sorted(counts.items(), key=lambda kv: (order[kv[0][0]], kv[0][1] or "")):
                out.append([kod, r["ar"], r["insats"], text, kon, antal])
    return out


def few(counts: dict[tuple[str, str], int], kod: str, left: int) -> int:
    """Moves the avslut of FEW's categories beyond `left` (what remains of FEW's count over the förbund-year's
    insatser) to Övrigt; returns what remains after this insats."""
    texts = {t for cat in FEW[2] for t in AVSLUT_TEXT[kod][cat]}
    for key in sorted(k for k in counts if k[0] in texts):
        keep = min(counts[key], left)
        left -= keep
        moved = counts[key] - keep
        if moved:
            counts[("Övrigt", key[1])] = counts.get(("Övrigt", key[1]), 0) + moved
            counts[key] = keep
            if not keep:
                del counts[key]
    return left


def write_avslut(rows: list[list]) -> None:
    out = RAW / "avslut_rapporterade"
    out.mkdir(parents=True, exist_ok=True)
    # Sydnärke: by kön, one avslut of a participant without kön (blank Kön) in 2025.
    syd = [["Förbund", "År", "Insats", "Avslutsorsak", "Kön", "Antal", "Källa"]] + [
        ["Sydnärke", y, insats, text, kon, antal, KALLA["sydnarke"]]
        for kod, y, insats, text, kon, antal in rows if kod == "sydnarke"] + [
        ["Sydnärke", 2025, "Samordningsteam", "Avbrutit", "", 1, KALLA["sydnarke"]]]
    write_csv(out / "sydnarke_avslut_2023_2025.csv", syd, ";", "utf-8-sig")
    # SOFINT: no Kön column, header aliases, commas.
    sof = [["Samordningsförbund", "Budgetår", "Insatsnamn", "Orsak till avslut", "Antal", "Källa"]] + [
        [NAMES["sofint"], y, insats, text, antal, KALLA["sofint"]]
        for kod, y, insats, text, kon, antal in rows if kod == "sofint"]
    write_csv(out / "sofint_avslut_2023_2025.csv", sof, ",", "utf-8")


def main() -> None:
    rows = uppfoljning_rows(sus_sizes())
    for r in rows:  # the contract's own rule, so that nothing is rejected
        assert r["totalt"] is None or r["totalt"] >= (r["kvinnor"] or 0) + (r["man"] or 0), r
    write_uppfoljning(rows)
    avslut = avslut_rows(rows)
    write_avslut(avslut)
    print(f"wrote {len(rows)} uppföljning rows, {len(avslut) + 1} avslut rows")


if __name__ == "__main__":
    main()
