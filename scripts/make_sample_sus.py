"""Synthetic SUS sample inputs for finsam, and the deltagare_ar values they should produce.

Writes data/raw/sus/*, data/raw/sus_aggregat/* and data/raw/expected_deltagare_ar.csv (reading the typ of each
insats from config/insatser.csv). SUS closed on 2023-04-30 (config/installningar.yaml, sus_stangd): the spells are
generated for 2016-2025 as if SUS had gone on, with the random sequence the sample always had (so every figure up
to 2022 stays as it was), and the exports are what SUS held on the day it closed: no spell starting later, and a
spell still running then is open (blank end date and reason), as SUS never followed it further. Everything is
invented:
person ids look like "SN-000123", never like personnummer. The expected values come from a plain-Python version of
the counting table in data-contract.md, written apart from the pipeline so that each can check the other.
Deterministic (fixed seed, fixed xlsx metadata): reruns are byte-identical.

Run: uv run python scripts/make_sample_sus.py
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass
from pathlib import Path

import deltagare_count
from deltagare_count import pagaende
from sample_xlsx import save_xlsx, titled_sheet

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
RNG = random.Random(20190610)
# Försörjning före/efter (Sydnärke's exports only) are drawn from a generator of their own, after every spell: the
# sample's spells and every figure counted from them stay exactly what they were before the columns existed.
FORSORJNING_RNG = random.Random(20250917)
D = dt.date
YEARS = range(2017, 2026)
WORLD_END = D(2025, 12, 31)  # spells are generated up to here (ending later: still open), as before the closure
SUS_STANGD = D(2023, 4, 30)  # SUS closed: the exports were taken that day and see nothing after it
FORBUND = ["lekeberg_orebro", "sydnarke", "degerfors_karlskoga", "sofint", "sodra_norrbotten"]
# Bulk spells end in these categories: roughly half towards work/studies or job-/study-ready, as in 2019.
WEIGHTS = {"arbete": 20, "studier": 10, "arbetssokande": 12, "studieredo": 7, "annan_insats": 10, "sjukdom": 14,
           "flytt": 5, "avbrott": 16, "ovrigt": 4}

CATEGORY, TEXTS = deltagare_count.avslut_texts(ROOT / "config")
# How people supported themselves when a spell started (texts as in config/forsorjning.csv, weight) ...
FORE = {"Försörjningsstöd": 26, "Ekonomiskt bistånd": 6, "Aktivitetsstöd": 18, "Arbetslöshetsersättning": 8,
        "Sjukpenning": 14, "Aktivitetsersättning": 10, "Ingen ersättning": 12, "Annan ersättning": 6}
# ... and when it ended, by the avslut category of its reason (other categories: as FORE)
EFTER = {"arbete": {"Lön": 70, "Lönebidrag": 18, "Försörjningsstöd": 12},
         "studier": {"Studiemedel": 85, "Försörjningsstöd": 15},
         "arbetssokande": {"Aktivitetsstöd": 50, "Arbetslöshetsersättning": 20, "Försörjningsstöd": 30},
         "studieredo": {"Aktivitetsstöd": 40, "Försörjningsstöd": 45, "Studiemedel": 15},
         "sjukdom": {"Sjukpenning": 55, "Aktivitetsersättning": 30, "Försörjningsstöd": 15}}
with open(ROOT / "config" / "insatser.csv", encoding="utf-8") as fh:
    REGISTER = list(csv.DictReader(fh))


@dataclass(frozen=True)
class Spell:
    forbund: str
    insats: str
    person: str | None  # None = anonymous
    start: dt.date
    end: dt.date | None  # None = still open
    reason: str | None
    kon: str  # "K"/"M"; each file writes it in its own style
    fodd: int | None


def category(s: Spell) -> str:
    return CATEGORY.get(s.reason.strip().casefold(), "okand")


def count(spells: list[Spell], y: int, ended: dict[tuple[str, str], list[dt.date]] | None = None) -> dict[str, int]:
    return deltagare_count.count(spells, y, category, ended)


def typ(s: Spell) -> str:
    """The typ of the register row of the spell's förbund and insats valid on its start date, else okand."""
    name = " ".join(s.insats.split()).casefold()
    return next((r["typ"] for r in REGISTER if r["forbund"] == s.forbund
                 and " ".join(r["insats"].split()).casefold() == name and D.fromisoformat(r["giltig_fran"]) <= s.start
                 and (not r["giltig_till"] or s.start <= D.fromisoformat(r["giltig_till"]))), "okand")


# ---------------------------------------------------------------- spell generation
class Forbund:
    """One förbund's spells: hand-written trap spells plus random spells filling yearly deltagare targets."""

    def __init__(self, kod: str, prefix: str, insatser: list[str]):
        self.kod, self.prefix, self.insatser = kod, prefix, insatser
        self.spells: list[Spell] = []
        self.people: dict[str, tuple[str, int]] = {}
        self.n = 0

    def add(self, insats, person, start, end=None, reason=None):
        if person and person not in self.people:  # a person keeps kön and födelseår across spells
            self.people[person] = (RNG.choice("KM"), RNG.randint(1962, 2004))
        kon, fodd = self.people[person] if person else (RNG.choice("KM"), None)
        self.spells.append(Spell(self.kod, insats, person, start, end, reason, kon, fodd))

    def random_spell(self, person: str, start: dt.date, insats: str | None = None) -> None:
        insats = insats or RNG.choice(self.insatser)
        end = start + dt.timedelta(days=round(RNG.triangular(61, 548, 120)))  # 2-18 months, mostly short
        if end > WORLD_END:
            return self.add(insats, person, start)
        cat = RNG.choices(list(WEIGHTS), list(WEIGHTS.values()))[0]
        self.add(insats, person, start, end, RNG.choice(TEXTS[cat]))
        if cat == "annan_insats" and RNG.random() < 0.6:  # moves on to another insats: one person, two spells
            nxt = end + dt.timedelta(days=RNG.randint(1, 30))
            if nxt <= WORLD_END:
                self.random_spell(person, nxt, RNG.choice([i for i in self.insatser if i != insats]))

    def fill(self, targets: dict[int, int]) -> None:
        for y, target in targets.items():
            for _ in range(target - count(self.spells, y)["deltagare"]):
                self.n += 1
                self.random_spell(f"{self.prefix}-{self.n:06d}", D(y, 1, 1) + dt.timedelta(days=RNG.randrange(365)))

    def prestart(self, n: int, first_year: int = 2017) -> None:
        """People already in an insats when the export period starts: only spells still running are exported."""
        self.fill({first_year - 1: n})
        self.spells = [s for s in self.spells if s.end is None or s.end >= D(first_year, 1, 1)]


def build() -> dict[str, Forbund]:
    syd = Forbund("sydnarke", "SN", ["Steget", "Navigatorn", "Arbetsträning Kumla", "Unga Vuxna", "Hälsolotsen"])
    # Trappan: re-entry in the same year and across years; two insatser at once; one spell still open.
    syd.add("Trappan", "SN-900001", D(2021, 2, 1), D(2021, 5, 14), "Avbrott")
    syd.add("Trappan", "SN-900001", D(2021, 9, 6), D(2022, 6, 30), "Arbete")
    syd.add("Trappan", "SN-900002", D(2019, 3, 4), D(2019, 11, 29), "Sjukskrivning")
    syd.add("Trappan", "SN-900002", D(2020, 2, 3), D(2020, 12, 18), "Studier")
    syd.add("Trappan", "SN-900003", D(2022, 1, 10), D(2022, 10, 28), "Jobbredo")
    syd.add("Navigatorn", "SN-900003", D(2022, 3, 1), D(2022, 9, 30), "Till annan insats")
    syd.add("Trappan", "SN-900004", D(2023, 4, 3), D(2024, 3, 28), "Arbete med lönestöd")  # both still open
    syd.add("Steget", "SN-900004", D(2023, 4, 17), D(2024, 6, 14), "Studieredo")  # when SUS closed
    syd.add("Trappan", "SN-900005", D(2025, 3, 3))  # starts after the closure: in no export
    syd.add("Trappan", "SN-900006", D(2018, 5, 7), D(2019, 2, 15), "Flytt")
    syd.prestart(55)
    syd.fill({2017: 118, 2018: 124, 2019: 131, 2020: 120, 2021: 138, 2022: 144, 2023: 135, 2024: 128, 2025: 122})

    sof = Forbund("sofint", "SO", ["Kompassen", "Vägen vidare", "Lots Lindesberg", "Bergslagsteamet"])
    # Öppen väg: anonymous drop-in participants (never registered out) and two named persons.
    for start in [D(2019, 2, 11), D(2019, 10, 7), D(2020, 5, 18), D(2022, 3, 14), D(2022, 11, 21), D(2024, 4, 8)]:
        sof.add("Öppen väg", None, start)
    sof.add("Öppen väg", "SO-900001", D(2019, 3, 4), D(2019, 9, 27), "Studier")
    sof.add("Öppen väg", "SO-900002", D(2024, 9, 2))
    sof.prestart(30)
    sof.fill({2017: 64, 2018: 69, 2019: 73, 2020: 80, 2021: 76, 2022: 84, 2023: 71, 2024: 68, 2025: 77})

    dk = Forbund("degerfors_karlskoga", "DK", ["Bron", "Framåt Karlskoga", "Unga i Degerfors", "Arbetslivsresurs"])
    # Nya vägar: avslutsorsak texts missing from avslutsorsak.csv -> category okand.
    dk.add("Nya vägar", "DK-900001", D(2020, 9, 1), D(2021, 3, 31), "Annan myndighet")
    dk.add("Nya vägar", "DK-900002", D(2021, 2, 1), D(2021, 10, 29), "Annan myndighet")
    dk.add("Nya vägar", "DK-900003", D(2022, 1, 17), D(2022, 8, 31), "Föräldraledighet")
    dk.add("Nya vägar", "DK-900004", D(2021, 5, 3), D(2022, 2, 28), "Arbete")
    dk.add("Nya vägar", "DK-900005", D(2023, 3, 6), D(2024, 1, 31), "Studieredo")
    dk.fill({2020: 230, 2021: 248, 2022: 252, 2023: 239, 2024: 257, 2025: 246})

    lo = Forbund("lekeberg_orebro", "LO", ["Insteget", "Resursteamet Örebro", "Vägledning Lekeberg", "Unga Vuxna"])
    # Vändpunkten: the förbund total uses the reason of the person's LAST spell in the year, not this insats's.
    lo.add("Vändpunkten", "LO-900001", D(2022, 2, 1), D(2022, 4, 29), "Avbrott")
    lo.add("Insteget", "LO-900001", D(2022, 5, 16), D(2022, 11, 30), "Arbete")
    # LO-900002 and LO-900003 fall in 2023 before SUS closed (Lekeberg och Örebro is built last, so moving them
    # changes no other förbund's random spells, and none of this förbund's before 2023).
    lo.add("Vändpunkten", "LO-900002", D(2023, 1, 9), D(2023, 3, 10), "Arbete utan stöd")
    lo.add("Resursteamet Örebro", "LO-900002", D(2023, 3, 20), D(2023, 4, 21), "Avbrutit")
    lo.add("Vändpunkten", "LO-900003", D(2023, 1, 16), D(2023, 4, 14), "Studieredo")  # same last day:
    lo.add("Insteget", "LO-900003", D(2023, 2, 6), D(2023, 4, 14), "Arbete med stöd")  # arbete ranks first
    lo.add("Vändpunkten", "LO-900004", D(2021, 9, 1), D(2022, 3, 31), "Studier")
    lo.fill({2020: 150, 2021: 161, 2022: 172, 2023: 168, 2024: 175, 2025: 164})
    for f in (syd, sof, dk, lo):
        f.spells = at_closure(f.spells)
    return {f.kod: f for f in (syd, sof, dk, lo)}


def at_closure(spells: list[Spell]) -> list[Spell]:
    """What SUS held when it closed: spells started by then, those still running open (no end, no reason)."""
    return [s if s.end is None or s.end <= SUS_STANGD else Spell(s.forbund, s.insats, s.person, s.start, None, None,
                                                                  s.kon, s.fodd)
            for s in spells if s.start <= SUS_STANGD]


TRAPS = [("sydnarke", "Trappan"), ("sofint", "Öppen väg"), ("degerfors_karlskoga", "Nya vägar"),
         ("lekeberg_orebro", "Vändpunkten")]
AGG_COLS = ["deltagare", "nyinskrivna", "avslutade", "avslut_arbete_studier", "avslut_jobb_studieredo"]
# Reported förbund totals (unika). D/K: 2018 D-N = 2017 D-A (130); 2019 D-N = 140 vs 2018 D-A = 125 -> +15.
AGGREGAT = {("degerfors_karlskoga", 2017): (230, 140, 100, 28, 15),
            ("degerfors_karlskoga", 2018): (235, 105, 110, 31, 16),
            ("degerfors_karlskoga", 2019): (243, 103, 107, 30, 18),
            # Lekeberg och Örebro, manual tallies: 2019 D-N = 98 = 2018 D-A.
            ("lekeberg_orebro", 2018): (150, 70, 52, 17, 9),
            ("lekeberg_orebro", 2019): (163, 65, 48, 16, 11)}


def level_spells(spells: list[Spell], insats: str) -> list[Spell]:
    """The spells of one insats, or of every insats of one typ ('typ:<typ>')."""
    if insats.startswith("typ:"):
        return [s for s in spells if typ(s) == insats[4:]]
    return [s for s in spells if s.insats == insats]


# ---------------------------------------------------------------- writers
def ordered(spells: list[Spell]) -> list[Spell]:
    return sorted(spells, key=lambda s: (s.start, s.insats, s.person or ""))


def iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def write_csv(path: Path, rows: list[list], sep: str, encoding: str, newline: str = "\n") -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator=newline).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def forsorjning(spells: list[Spell]) -> dict[Spell, tuple[str, str]]:
    """Försörjning före and efter of each spell, from FORSORJNING_RNG only; efter is blank while a spell is open."""
    def draw(weights: dict[str, int]) -> str:
        return FORSORJNING_RNG.choices(list(weights), list(weights.values()))[0]
    return {s: (draw(FORE), draw(EFTER.get(category(s), FORE)) if s.end else "") for s in ordered(spells)}


def sus_csv(path: Path, spells: list[Spell], name: str, sep: str, encoding: str, header: list[str],
            long_kon: bool = True, anonym: str = "Nej", titles: list[list] = (), insats_id: dict | None = None,
            newline: str = "\n", total: bool = False, fore_efter: dict[Spell, tuple[str, str]] | None = None) -> None:
    """One SUS export; with `fore_efter` also the columns Försörjning före and Försörjning efter."""
    header = header + ["Försörjning före", "Försörjning efter"] if fore_efter else header
    rows = [*titles, header]
    for s in ordered(spells):
        kon = {"K": "Kvinna", "M": "Man"}[s.kon] if long_kon else s.kon
        ids = [insats_id[s.insats]] if insats_id else []
        rows.append([name, s.insats, *ids, s.person or "", "Ja" if not s.person else anonym, kon, s.fodd or "",
                     iso(s.start), iso(s.end), s.reason or "", *(fore_efter[s] if fore_efter else ())])
    rows += [["Totalt"] + [""] * (len(header) - 1)] if total else []  # trailing total row, other cells empty
    write_csv(path, rows, sep, encoding, newline)


def write_xlsx(path: Path, spells: list[Spell], name: str) -> None:
    wb, ws = titled_sheet("Deltagare", ["SUS – Deltagare per insats"],
                          ["Samordningsförbundet i Norra Örebro län (SOFINT), uttag 2023-04-30 (SUS stängs)"],
                          ["Anonyma deltagare saknar Deltagar-ID och skrivs aldrig ut."],
                          ["Samordningsförbund", "Insats", "Deltagar-ID", "Anonym", "Kön", "Födelseår",
                           "Inskrivningsdatum", "Utskrivningsdatum", "Avslutsorsak"])
    for s in ordered(spells):
        ws.append([name, s.insats, s.person, "Nej" if s.person else "Ja", {"K": "Kvinna", "M": "Man"}[s.kon], s.fodd,
                   s.start, s.end, s.reason])
        for cell in ws[ws.max_row][6:8]:
            cell.number_format = "yyyy-mm-dd"
    save_xlsx(wb, path, dt.datetime(2023, 4, 30, 16, 0))


def main() -> None:
    fb = build()
    sus, agg = RAW / "sus", RAW / "sus_aggregat"
    for folder in (sus, agg):
        folder.mkdir(parents=True, exist_ok=True)
    primary = ["Samordningsförbund", "Insats", "Deltagar-ID", "Anonym", "Kön", "Födelseår", "Inskrivningsdatum",
               "Utskrivningsdatum", "Avslutsorsak"]

    # 1. Sydnärke: Windows export, cp1252, aliases, title lines, a Totalt row, Försörjning före/efter.
    syd = fb["sydnarke"].spells
    fore_efter = forsorjning(syd)
    ids = {name: f"SUS-{1040 + i}" for i, name in enumerate(sorted({s.insats for s in syd}))}
    titles = [["SUS – Deltagare per insats"], ["Uttag 2023-04-30"], []]
    sus_csv(sus / "sydnarke_2017_2023.csv", syd, "Samordningsförbundet Sydnärke", ";", "cp1252",
            ["Samordningsförbund", "Insatsnamn", "Insats-ID", "Deltagar-ID", "Anonym", "Kön", "Födelseår",
             "Startdatum", "Slutdatum", "Avslutsorsak"],
            long_kon=False, titles=titles, insats_id=ids, newline="\r\n", total=True, fore_efter=fore_efter)
    # 2. SOFINT: xlsx with notes rows, real date cells, anonymous rows.
    write_xlsx(sus / "sofint_2017_2023.xlsx", fb["sofint"].spells, "SOFINT")
    # 3. Degerfors/Karlskoga: comma, UTF-8 with BOM, the contract's primary names.
    sus_csv(sus / "degerfors_karlskoga_2020_2023.csv", fb["degerfors_karlskoga"].spells,
            "Finsam Degerfors Karlskoga", ",", "utf-8-sig", primary)
    # 4. Lekeberg och Örebro: semicolon, UTF-8, Anonym left blank (= Nej).
    sus_csv(sus / "lekeberg_orebro_2020_2023.csv", fb["lekeberg_orebro"].spells, "Finsam Lekeberg och Örebro",
            ";", "utf-8", primary, long_kon=False, anonym="")
    # 5. Sydnärke re-export taken at the closure: 20 spells of 2023 identical to file 1 (must count once), short
    # förbund name.
    again = RNG.sample([s for s in ordered(syd) if s.start.year == 2023], 20)
    sus_csv(sus / "sydnarke_2023_omexport.csv", again, "Sydnärke", ";", "utf-8-sig", primary, long_kon=False,
            fore_efter=fore_efter)

    # 6-8. Reported counts: D/K 2017-2019 (stock-flow break 2019), Lekeberg/Örebro manual 2018-2019,
    # and a Sydnärke 2021 SUS report that disagrees with the registrations.
    head = ["Förbund", "År", "Insats", "Uttag", "Deltagare", "Nyinskrivna", "Avslutade", "Avslut arbete/studier",
            "Avslut jobb-/studieredo", "Källa"]
    write_csv(agg / "degerfors_karlskoga_rapporter_2017_2019.csv", [head] + [
        ["Finsam Degerfors/Karlskoga", y, "", "unika", *AGGREGAT[("degerfors_karlskoga", y)],
         f"SUS-rapport helår {y}"] for y in (2017, 2018, 2019)], ";", "utf-8")
    write_csv(agg / "lekeberg_orebro_manuell_2018_2019.csv", [head] + [
        ["Finsam Lekeberg och Örebro", 2018, "", "unika", *AGGREGAT[("lekeberg_orebro", 2018)],
         "Manuell sammanställning (Lekeberg 38 + Örebro 112)"],
        ["Finsam Lekeberg och Örebro", 2019, "", "unika", *AGGREGAT[("lekeberg_orebro", 2019)],
         "Manuell sammanställning (Lekeberg 42 + Örebro 121)"]], ";", "utf-8")
    c21 = count(syd, 2021)
    report = [c21[k] + {"deltagare": 3, "avslutade": -2}.get(k, 0) for k in AGG_COLS]
    write_csv(agg / "sydnarke_susrapport_2021.csv", [head, ["Samordningsförbundet Sydnärke", 2021, "", "unika",
                                                            *report, "SUS-rapport uttagen 2022-02-10"]], ";", "utf-8")

    # Expected marts.deltagare_ar rows: förbund totals for every förbund and year, the trap insatser, and one row
    # per typ of insats (config/insatser.csv) for the years it has registrations.
    cols = ["forbund", "ar", "insats", *AGG_COLS, "pagaende_vid_arets_slut", "registreringar", "anonyma", "kalla",
            "aterkommande"]
    ended: dict[tuple[str, str], list[dt.date]] = {}
    for s in (s for f in fb.values() for s in f.spells if s.person and s.end):
        ended.setdefault((s.forbund, s.person), []).append(s.end)
    out = [cols]
    seams = {kod: deltagare_count.forsta_ar(fb[kod].spells, YEARS[-1]) for kod in fb}

    def counted(kod: str, spells: list[Spell], y: int) -> dict:
        """The year's counts, without the backward-looking ones in a seam year of the förbund's registrations."""
        return deltagare_count.utan_bakatblick(count(spells, y, ended), y in seams[kod])

    for kod in FORBUND:
        spells = fb[kod].spells if kod in fb else []
        for y in YEARS:
            c = counted(kod, spells, y) if spells else {"registreringar": 0}
            if c["registreringar"]:
                out.append([kod, y, "*", *(c[k] for k in cols[3:11]), "sus", c["aterkommande"]])
            elif (kod, y) in AGGREGAT:
                out.append([kod, y, "*", *AGGREGAT[(kod, y)], "", "", "", "aggregat", ""])
            else:
                out.append([kod, y, "*", *[""] * 8, "", ""])
    levels = TRAPS + [(k, f"typ:{t}") for k in fb for t in sorted({typ(s) for s in fb[k].spells})]
    for kod, insats in levels:
        spells = level_spells(fb[kod].spells, insats)
        out += [[kod, y, insats, *(c[k] for k in cols[3:11]), "sus", c["aterkommande"]]
                for y in YEARS if (c := counted(kod, spells, y))["registreringar"]]
    write_csv(RAW / "expected_deltagare_ar.csv", out, ",", "utf-8")

    # Stock-flow identity must hold by construction for everything counted from registrations.
    for group in [fb[k].spells for k in fb] + [level_spells(fb[k].spells, i) for k, i in levels]:
        for y in YEARS:
            c = count(group, y)
            assert len(pagaende(group, y - 1)) + c["nyinskrivna"] - c["anonyma"] - c["avslutade"] \
                == c["pagaende_vid_arets_slut"], (group[0].forbund, y)
    print(f"wrote {len(out) - 1} expected rows; spells: " + ", ".join(f"{k} {len(f.spells)}" for k, f in fb.items()))


if __name__ == "__main__":
    main()
