"""A national-scale synthetic data set for finsam: n förbund over every län, 2016 to last year.

Writes <out>/config/ (forbund.yaml, avslutsorsak.csv, kostnadsmappning.csv, installningar.yaml) and
<out>/data/raw/ in the contract's formats: SUS registrations (csv in four dialects and xlsx; re-entries, people in
two insatser, anonymous rows, never-closed spells, unknown avslutsorsak texts, each förbund's history split into
two exports that overlap in one year and disagree on spells that were still open in the older one), reported
counts, årsredovisning lines, tilldelning, SCB population (31 Dec and 1 Nov) and helårsekvivalenter.
<out>/sus_filer.csv lists the SUS files with their förbund, csv dialect and export date for bench/floor.sql.
Also <out>/expected_deltagare_ar.csv: the förbund totals (insats '*') counted by scripts/deltagare_count.py, in
plain Python, from the spells as the files tell them once duplicates are resolved (the newer export wins).

SCALE=80 is about one million SUS rows (12 500 per förbund on average). Person ids are personnummer-shaped
(invented: birth date + a serial, in 10- and 12-digit forms, the same person written differently in the two
exports) except in every fourth förbund, whose ids are `P<förbund>-<n>`: run the pipeline with
FINSAM_PSEUDONYM_KEY set (the bench sets a fixed one). Deterministic: same scale, seed and last year give
byte-identical files and the same modification times.

Run: uv run python scripts/make_synth.py --scale 80 [--out build/synth/scale-80] [--last-year 2025]
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import math
import os
import random
import time
from pathlib import Path
from typing import NamedTuple

import deltagare_count
import openpyxl
import yaml
from sample_xlsx import save_xlsx

ROOT = Path(__file__).resolve().parents[1]
D = dt.date
COUNTIES = ["01", *(f"{c:02d}" for c in range(3, 11)), "12", "13", "14", *(f"{c:02d}" for c in range(17, 26))]
LAN = {"01": "Stockholms län", "03": "Uppsala län", "04": "Södermanlands län", "05": "Östergötlands län",
       "06": "Jönköpings län", "07": "Kronobergs län", "08": "Kalmar län", "09": "Gotlands län",
       "10": "Blekinge län", "12": "Skåne län", "13": "Hallands län", "14": "Västra Götalands län",
       "17": "Värmlands län", "18": "Örebro län", "19": "Västmanlands län", "20": "Dalarnas län",
       "21": "Gävleborgs län", "22": "Västernorrlands län", "23": "Jämtlands län", "24": "Västerbottens län",
       "25": "Norrbottens län"}
FIRST_YEAR = 2016
ROWS_PER_FORBUND = 12_500
PREFIX = ["Björk", "Gran", "Ek", "Lind", "Al", "Asp", "Sjö", "Berg", "Dal", "Å", "Strand", "Hög", "Norr", "Sör",
          "Väst", "Öst", "Mo", "Sand", "Sten", "Fors", "Hammar", "Hed", "Lövs", "Kvarn", "Mörk", "Ljus", "Vall",
          "Myr", "Tall", "Råd", "Bro", "Ny", "Gull", "Silver", "Järn", "Kop", "Rosen", "Lilje", "Tran", "Svan"]
SUFFIX = ["by", "ås", "vik", "holm", "berga", "torp", "köping", "sund", "hamn", "näs", "mark", "ö", "bo",
          "hult", "ryd", "stad", "lunda", "sjö", "dal", "fors", "tuna", "åker", "valla", "ängen", "backa", "lid",
          "mo", "rum", "sta", "inge", "hed", "berg", "haga", "lösa", "måla", "arp", "rud", "bygd", "vall", "näset",
          "kulla", "borg", "tofta", "löv", "strand", "sala", "viken", "gården", "hyttan", "bruk", "ed", "land",
          "fjärd", "skog", "åsen", "kärr", "gärde", "brunn", "sätra", "tomta"]
INSATSER = ["Steget", "Navigatorn", "Trappan", "Unga Vuxna", "Hälsolotsen", "Mottagningsteamet", "Coachingteamet",
            "Arbetsträning", "Kompassen", "Bron", "Steg 1, Arbetsträning", "Vägen vidare"]
WEIGHTS = {"arbete": 20, "studier": 10, "arbetssokande": 12, "studieredo": 7, "annan_insats": 10, "sjukdom": 14,
           "flytt": 5, "avbrott": 16, "ovrigt": 4}
UNKNOWN_REASON = "Annan myndighet"  # not in avslutsorsak.csv: counts as okand, with a finding
ERSATTNING = {"sjukpenning": 2.6, "sjuk- och aktivitetsersättning": 3.4, "arbetslöshetsersättning": 3.9,
              "ekonomiskt bistånd": 1.6, "etableringsersättning": 0.4}
AGES = [f"{a} år" for a in range(100)] + ["100+ år"]
SPLIT = D(2020, 1, 1)         # export A holds spells starting before 2021, export B those from 2020 on
A_TAKEN = D(2022, 1, 15)      # export A was taken then: spells ending after 2021 are still open in it

CATEGORY, TEXTS = deltagare_count.avslut_texts(ROOT / "config")


class Spell(NamedTuple):
    insats: str
    person: str | None   # canonical person (None = anonymous)
    start: dt.date
    end: dt.date | None  # None = still open
    reason: str | None
    kon: str             # K / M
    fodd: int | None


def category(s: Spell) -> str:
    return CATEGORY.get(s.reason.strip().casefold(), "okand")


class Kommun(NamedTuple):
    kod: str
    namn: str
    size: int          # population on 31 Dec 2020
    growth: float


class Forbund(NamedTuple):
    i: int
    kod: str
    namn: str
    alias: str
    region: str
    kommuner: list[Kommun]
    joins: dict[str, dt.date]  # kommun -> membership start when not 2010-01-01
    weight: float
    sus_from: int | None       # first year in SUS; None = no SUS data at all
    dialect: int               # 0..3: how its csv exports are written
    xlsx: bool                 # export A as an xlsx workbook


def registry(n: int) -> list[Forbund]:
    per_county = math.ceil(n / len(COUNTIES))
    cap = max(1, min(4, 99 // per_county))
    out, m = [], 0
    for i in range(n):
        county, slot = COUNTIES[i % len(COUNTIES)], i // len(COUNTIES)
        k = 1 + i % cap
        kommuner = []
        for j in range(k):
            kod = f"{county}{slot * cap + j + 1:02d}"
            namn = PREFIX[m % len(PREFIX)] + SUFFIX[(m // len(PREFIX)) % len(SUFFIX)]
            kommuner.append(Kommun(kod, namn, 4_000 + (m * 7919) % 150_000, ((m * 37) % 21 - 8) / 1000))
            m += 1
        joins = {kommuner[-1].kod: D(2021, 6, 1)} if k > 1 and i % 9 == 4 else {}
        short = kommuner[0].namn + (" m.fl." if k > 1 else "")
        out.append(Forbund(i, f"sf{i + 1:03d}", f"Samordningsförbundet {short}", f"Finsam {short}", county, kommuner,
                           joins, [0.4, 0.7, 1.0, 1.3, 1.6][(i * 3) % 5],
                           None if i % 20 == 19 else 2018 if i % 5 == 2 else FIRST_YEAR, i % 4, i % 8 == 3))
    return out


# ---------------------------------------------------------------- SUS
class People:
    """Invented persons: a canonical id, a birth year and, for personnummer-shaped ids, the digits."""

    def __init__(self):
        self.n = 0

    def new(self, f: Forbund, rng: random.Random) -> tuple[str, int]:
        self.n += 1
        if f.dialect == 3:
            return f"P{f.i + 1:03d}-{self.n:07d}", rng.randint(1960, 2005)
        born = D(1958, 1, 1) + dt.timedelta(days=self.n % 17000)  # (day, serial) is unique below 153 million
        return f"{born:%Y%m%d}{1000 + self.n // 17000:04d}", born.year


def spells_for(f: Forbund, last: int, people: People, rng: random.Random, rows: int) -> list[Spell]:
    export_end = D(last, 12, 31)
    insatser = [INSATSER[(f.i + j) % len(INSATSER)] for j in range(4 + f.i % 5)]
    years = range((f.sus_from - 1) if f.sus_from == FIRST_YEAR else f.sus_from, last + 1)
    per_year = round(rows * f.weight / 1.35 / (last - FIRST_YEAR + 1))
    spells: list[Spell] = []

    def add(insats, person, fodd, start, kon, depth=0):
        if start > export_end:
            return
        if person is None:  # anonymous: registered in, never out
            spells.append(Spell(insats, None, start, None, None, kon, None))
            return
        end = start + dt.timedelta(days=round(rng.triangular(30, 690, 150)))
        if rng.random() < 0.02 or end > export_end:  # never closed, or still running at the export
            spells.append(Spell(insats, person, start, None, "Arbete" if rng.random() < 0.05 else None, kon, fodd))
            return
        cat = rng.choices(list(WEIGHTS), list(WEIGHTS.values()))[0]
        reason = UNKNOWN_REASON if rng.random() < 0.01 else rng.choice(TEXTS[cat])
        spells.append(Spell(insats, person, start, end, reason, kon, fodd))
        if depth:
            return
        r = rng.random()
        if r < 0.12:    # leaves and comes back to the same insats
            add(insats, person, fodd, end + dt.timedelta(days=rng.randint(20, 400)), kon, 1)
        elif r < 0.20:  # in a second insats at the same time
            add(rng.choice([x for x in insatser if x != insats]), person, fodd,
                start + dt.timedelta(days=rng.randint(0, 60)), kon, 1)
        elif cat == "annan_insats":  # moves on to another insats
            add(rng.choice([x for x in insatser if x != insats]), person, fodd,
                end + dt.timedelta(days=rng.randint(1, 30)), kon, 1)

    for y in years:
        for _ in range(per_year):
            start = D(y, 1, 1) + dt.timedelta(days=rng.randrange(365))
            kon = rng.choice("KM")
            if rng.random() < 0.015:
                add(insatser[0], None, None, start, kon)
            else:
                add(rng.choice(insatser), *people.new(f, rng), start, kon)
    first = D(f.sus_from, 1, 1)
    return [s for s in spells if s.end is None or s.end >= first]  # before SUS: only spells still running


def as_in_export_a(s: Spell) -> Spell:
    """How the older export shows a spell: one that ended after it was taken is still open there."""
    if s.end is not None and s.end >= A_TAKEN - dt.timedelta(days=14):
        return s._replace(end=None, reason=None)
    return s


def exports(spells: list[Spell]) -> tuple[list[Spell], list[Spell], list[Spell]]:
    """Export A, export B, and the spells as the pipeline should see them once duplicates are resolved."""
    in_a = [as_in_export_a(s) for s in spells if s.start < D(2021, 1, 1)]
    in_b = [s for s in spells if s.start >= SPLIT]
    resolved = [s if s.start >= SPLIT else as_in_export_a(s) for s in spells]
    return in_a, in_b, resolved


def pnr_text(person: str, style: str) -> str:
    if not person[0].isdigit():
        return person
    return {"10": f"{person[2:8]}-{person[8:]}", "12": person, "12-": f"{person[:8]}-{person[8:]}"}[style]


DIALECTS = [  # separator, encoding, newline, header, kön written long, Anonym for named, id style, title rows
    (";", "cp1252", "\r\n", ["Samordningsförbund", "Insatsnamn", "Insats-ID", "Deltagar-ID", "Anonym", "Kön",
                             "Födelseår", "Startdatum", "Slutdatum", "Avslutsorsak"], False, "Nej", "10", True),
    (",", "utf-8-sig", "\n", ["Samordningsförbund", "Insats", "Deltagar-ID", "Anonym", "Kön", "Födelseår",
                              "Inskrivningsdatum", "Utskrivningsdatum", "Avslutsorsak"], True, "Nej", "12", False),
    ("\t", "utf-8", "\n", ["Förbund", "Insats", "Personnummer", "Anonym", "Kön", "Födelseår", "Inskrivningsdatum",
                           "Utskrivningsdatum", "Avslutsorsak"], True, "", "12-", False),
    (";", "utf-8", "\n", ["Samordningsförbund", "Insats", "Deltagar-ID", "Anonym", "Kön", "Födelseår",
                          "Inskrivningsdatum", "Utskrivningsdatum", "Avslutsorsak"], False, "Nej", "12", False),
]


def sus_rows(f: Forbund, spells: list[Spell], name: str, style: str, long_kon: bool, anonym: str,
             insats_id: bool) -> list[list]:
    rows = []
    for s in sorted(spells, key=lambda s: (s.start, s.insats, s.person or "")):
        kon = {"K": "Kvinna", "M": "Man"}[s.kon] if long_kon else s.kon
        ids = [f"SUS-{1000 + INSATSER.index(s.insats)}"] if insats_id else []
        rows.append([name, s.insats, *ids, pnr_text(s.person, style) if s.person else "",
                     "Ja" if not s.person else anonym, kon, s.fodd or "", s.start, s.end, s.reason or ""])
    return rows


def write_csv(path: Path, rows: list[list], sep: str = ";", encoding: str = "utf-8", newline: str = "\n") -> None:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator=newline)
    w.writerows([[c.isoformat() if isinstance(c, dt.date) else c for c in r] for r in rows])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode(encoding))


def write_xlsx(path: Path, rows: list[list], titles: list[str]) -> None:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Deltagare")
    for t in titles:
        ws.append([t])
    for r in rows:
        ws.append([None if c == "" else c for c in r])
    path.parent.mkdir(parents=True, exist_ok=True)
    save_xlsx(wb, path, dt.datetime(2022, 1, 15, 8, 0))


def write_sus(out: Path, f: Forbund, in_a: list[Spell], in_b: list[Spell], last: int) -> list[tuple]:
    """Both exports of one förbund; returns (path, export date, förbund, dialect) per file for sus_filer.csv.
    An xlsx export is also written as csv under floor/, outside raw/, for bench/floor.sql (plain DuckDB reads
    no xlsx)."""
    sep, enc, nl, header, long_kon, anonym, style, titles = DIALECTS[f.dialect]
    insats_id = "Insats-ID" in header
    sus = out / "data" / "raw" / "sus"
    a = sus / f"{f.kod}_{f.sus_from}_2020.{'xlsx' if f.xlsx else 'csv'}"
    b = sus / f"{f.kod}_2020_{last}.csv"
    files = [(a, A_TAKEN, f.kod, f.dialect), (b, D(last + 1, 1, 15), f.kod, f.dialect)]
    if f.xlsx:
        xheader = ["Samordningsförbund", "Insats", "Deltagar-ID", "Anonym", "Kön", "Födelseår", "Inskrivningsdatum",
                   "Utskrivningsdatum", "Avslutsorsak"]
        rows_a = sus_rows(f, in_a, f.namn, style, True, "Nej", False)
        write_xlsx(a, [xheader, *rows_a], ["SUS - Deltagare per insats", f"{f.namn}, uttag {A_TAKEN}"])
        copy = out / "floor" / f"{a.stem}.csv"
        write_csv(copy, [xheader, *rows_a])
        files[0] = (copy, A_TAKEN, f.kod, 3)
    else:
        title_rows = [["SUS - Deltagare per insats"], [f"Uttag {A_TAKEN}"], []] if titles else []
        total = [["Totalt"] + [""] * (len(header) - 1)] if titles else []
        rows_a = sus_rows(f, in_a, f.namn, style, long_kon, anonym, insats_id)
        write_csv(a, [*title_rows, header, *rows_a, *total], sep, enc, nl)
    other = "12" if style == "10" else "10"  # the newer export writes the same person's number the other way
    write_csv(b, [header, *sus_rows(f, in_b, f.alias, other, long_kon, anonym, insats_id)], sep, enc, nl)
    for path, day in ((a, A_TAKEN), (b, D(last + 1, 1, 15))):
        # the newer export wins a duplicate: modification times are part of the data set
        stamp = time.mktime((day.year, day.month, day.day, 8, 0, 0, 0, 0, -1))
        os.utime(path, (stamp, stamp))
    return files


def reported(f: Forbund, y: int, rng: random.Random) -> list:
    d = round(ROWS_PER_FORBUND * f.weight / 12 * rng.uniform(0.8, 1.0))
    n, a = round(d * 0.55), round(d * 0.5)
    return [d, n, a, round(a * 0.3), round(a * 0.15)]


# ---------------------------------------------------------------- money and population
def pop_total(k: Kommun, y: int) -> float:
    return k.size * (1 + k.growth) ** (y - 2020)


def population(k: Kommun, y: int) -> list[tuple[int, int]]:
    """(män, kvinnor) per age 0..99 and 100+ on 31 December; deterministic in kommun and year."""
    t = pop_total(k, y)
    out = []
    for a in range(101):
        w = 1.05 if a < 16 else 1.0 + 0.15 * ((a - 40) / 25) ** 2 if a < 65 else max(0.02, 1.1 * 0.93 ** (a - 65))
        n = round(t * w / 84.0 * (1 + ((a * 31 + y + int(k.kod)) % 7 - 3) / 100))
        m = round(n * (0.515 if a < 65 else 0.515 - 0.004 * (a - 65)))
        out.append((m, n - m))
    return out


def write_money(raw: Path, cfg: list[Forbund], years: range, nov: dict, rng: random.Random) -> None:
    for county in COUNTIES:
        fb = [f for f in cfg if f.region == county]
        if not fb:
            continue
        lines, alloc = [["Förbund", "År", "Post", "Belopp", "Enhet", "Typ"]], [
            ["Förbund", "År", "Stat", "Region", "Kommuner", "Ansökt stat", "Möjlig stat", "Enhet"]]
        for f in fb:
            for y in years:
                total = round(ROWS_PER_FORBUND * f.weight * 400 * (1 + 0.02 * (y - FIRST_YEAR)), -3)
                stat, region, kommuner = total // 2, total // 4, total - total // 2 - total // 4
                alloc.append([f.namn, y, stat, region, kommuner, stat, round(stat * 1.1), "kr"])
                lines += [[f.namn, y, "Medlemsbidrag Försäkringskassan", stat, "kr", "intäkt"],
                          [f.namn, y, f"Medlemsbidrag Region {LAN[county]}", region, "kr", "intäkt"]]
                members = [k for k in f.kommuner if f.joins.get(k.kod, D(2010, 1, 1)) <= D(y, 12, 31)]
                if f.i % 3 == 0:
                    lines.append([f.namn, y, "Medlemsbidrag kommunerna", kommuner, "kr", "intäkt"])
                else:
                    base = sum(nov[k.kod, y - 1] for k in members)
                    for k in members:
                        share = round(kommuner * nov[k.kod, y - 1] / base)
                        lines.append([f.namn, y, f"Medlemsbidrag {k.namn} kommun", share, "kr", "intäkt"])
                if f.i % 4 == 1:
                    lines.append([f.namn, y, "Projektmedel ESF", round(total * 0.1, -3), "kr", "intäkt"])
                spend = total * rng.uniform(0.9, 1.02)
                lines += [[f.namn, y, "Individinriktade insatser", round(spend * 0.72), "kr", "kostnad"],
                          [f.namn, y, "Strukturövergripande insatser", round(spend * 0.06), "kr", "kostnad"],
                          [f.namn, y, "Kansli och förbundschef", round(spend * 0.17), "kr", "kostnad"],
                          [f.namn, y, "Revision", round(spend * 0.05), "kr", "kostnad"],
                          [f.namn, y, "Eget kapital", round(total * rng.uniform(0.05, 0.25)), "kr", "eget_kapital"]]
        write_csv(raw / "ekonomi" / f"lan_{county}_arsredovisningar.csv", lines, ";", "utf-8")
        if county == "25":
            write_xlsx(raw / "tilldelning" / f"lan_{county}_tilldelning.xlsx", alloc, ["Beslutad medelstilldelning"])
        else:
            write_csv(raw / "tilldelning" / f"lan_{county}_tilldelning.csv", alloc, ";", "cp1252", "\r\n")


def write_scb(raw: Path, cfg: list[Forbund], years: range) -> dict:
    kommuner = sorted({k for f in cfg for k in f.kommuner})
    pops = {(k.kod, y): population(k, y) for k in kommuner for y in years}
    for county in COUNTIES:
        ks = [k for k in kommuner if k.kod.startswith(county)]
        if not ks:
            continue
        q = lambda t: f'"{t}"'  # noqa: E731
        lines = [q("Folkmängden efter region, ålder, kön och år"), "",
                 ",".join(q(h) for h in ("region", "ålder", "kön", *map(str, years)))]
        for k in ks:
            for a, age in enumerate(AGES):
                for s, kon in enumerate(("män", "kvinnor")):
                    lines.append(",".join([q(f"{k.kod} {k.namn}"), q(age), q(kon),
                                           *(str(pops[k.kod, y][a][s]) for y in years)]))
        path = raw / "scb" / "folkmangd" / f"lan_{county}_folkmangd.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    nov = {}
    lines = ["region;ålder;kön;år;antal"]
    for k in kommuner:
        for y in range(years.start - 1, years.stop):
            nov[k.kod, y] = round(pop_total(k, y - 1) + (pop_total(k, y) - pop_total(k, y - 1)) * 10 / 12)
            lines.append(f"{k.kod} {k.namn};totalt ålder;totalt;{y};{nov[k.kod, y]}")
    (raw / "scb" / "folkmangd_nov").mkdir(parents=True, exist_ok=True)
    (raw / "scb" / "folkmangd_nov" / "folkmangd_1_november.csv").write_text("\n".join(lines) + "\n", "utf-8")
    lines = ["Helårsekvivalenter 20-64 år efter region, kön, ersättning och år", "",
             "region;kön;ersättning;år;helårsekvivalenter;andel (%)"]
    riket = {y: (2_960_000 + 11_000 * (y - 2016), 2_840_000 + 11_000 * (y - 2016)) for y in years}
    for kod, label in [(k.kod, f"{k.kod} {k.namn}") for k in kommuner] + [("00", "00 Riket")]:
        level = 1.0 if kod == "00" else 0.8 + (int(kod) % 9) / 20
        for y in years:
            base = riket[y] if kod == "00" else tuple(sum(p[s] for p in pops[kod, y][20:65]) for s in (0, 1))
            counts = {e: tuple(round(r * level * (1.1 if s else 0.9) / 100 * base[s]) for s in (0, 1))
                      for e, r in ERSATTNING.items()}
            counts["totalt"] = tuple(sum(c[s] for c in counts.values()) for s in (0, 1))
            for e, (m, w) in counts.items():
                for kon, c, p in (("män", m, base[0]), ("kvinnor", w, base[1]), ("totalt", m + w, sum(base))):
                    lines.append(f"{label};{kon};{e};{y};{c};{100 * c / p:.1f}".replace(".", ","))
    (raw / "scb" / "helarsekvivalenter").mkdir(parents=True, exist_ok=True)
    (raw / "scb" / "helarsekvivalenter" / "helarsekvivalenter.csv").write_bytes(
        ("\n".join(lines) + "\n").encode("cp1252"))
    return nov


# ---------------------------------------------------------------- config
def write_config(out: Path, cfg: list[Forbund], last: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    entries = [{"kod": f.kod, "namn": f.namn, "sus_namn": [f.namn, f.alias], "region": f.region,
                "medlemmar": [{"kommun": k.kod, "namn": k.namn, "fran": f.joins.get(k.kod, D(2010, 1, 1)),
                               "till": None} for k in f.kommuner]} for f in cfg]
    (out / "forbund.yaml").write_text(yaml.safe_dump({"forbund": entries}, allow_unicode=True, sort_keys=False),
                                      "utf-8")
    (out / "installningar.yaml").write_text(
        f"ar_fran: {FIRST_YEAR}\nar_till: {last}\nmalgrupp_andel: 0.05\nundertryck_under: 5\n", "utf-8")
    (out / "avslutsorsak.csv").write_bytes((ROOT / "config" / "avslutsorsak.csv").read_bytes())
    mapping = (ROOT / "config" / "kostnadsmappning.csv").read_text("utf-8").splitlines(keepends=True)
    (out / "kostnadsmappning.csv").write_text("".join(m for i, m in enumerate(mapping) if i == 0 or m.startswith("*,")),
                                              "utf-8")  # the rows for every förbund, not the sample's own


def expected_rows(f: Forbund, resolved: list[Spell], years: range, reports: dict) -> list[list]:
    rows = []
    seams = deltagare_count.forsta_ar(resolved, years[-1])
    for y in years:
        window = [s for s in resolved if s.start <= D(y, 12, 31) and (s.end is None or s.end >= D(y - 1, 1, 1))]
        c = deltagare_count.utan_bakatblick(deltagare_count.count(window, y, category), y in seams)
        if c["registreringar"]:
            rows.append([f.kod, y, "*", *(c[k] for k in deltagare_count.COLUMNS), "sus"])
        elif (f.kod, y) in reports:
            rows.append([f.kod, y, "*", *reports[f.kod, y], "", "", "", "aggregat"])
        else:
            rows.append([f.kod, y, "*", *[""] * 8, ""])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=80, help="number of förbund (80: about 1 million SUS rows)")
    parser.add_argument("--out", type=Path, help="output folder (default build/synth/scale-<n>)")
    parser.add_argument("--last-year", type=int, default=dt.date.today().year - 1)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--rows", type=int, default=ROWS_PER_FORBUND, help="SUS rows per förbund, on average")
    args = parser.parse_args()
    out = args.out or ROOT / "build" / "synth" / f"scale-{args.scale}"
    raw, last = out / "data" / "raw", args.last_year
    years = range(FIRST_YEAR, last + 1)
    rng = random.Random(args.seed)
    t0 = time.time()
    cfg = registry(args.scale)
    write_config(out / "config", cfg, last)
    nov = write_scb(raw, cfg, years)
    write_money(raw, cfg, years, nov, rng)

    people, expected, rows, reports, files = People(), [], 0, {}, []
    agg = [["Förbund", "År", "Insats", "Uttag", "Deltagare", "Nyinskrivna", "Avslutade", "Avslut arbete/studier",
            "Avslut jobb-/studieredo", "Källa"]]
    for f in cfg:
        if f.sus_from is not None:
            in_a, in_b, resolved = exports(spells_for(f, last, people, rng, args.rows))
            files += write_sus(out, f, in_a, in_b, last)
            rows += len(in_a) + len(in_b)
        else:
            resolved = []
        for y in [y for y in years if f.sus_from is None or y < f.sus_from] + ([2019] if f.i % 5 == 0 else []):
            reports[f.kod, y] = reported(f, y, rng)
            agg.append([f.namn, y, "", "unika", *reports[f.kod, y], f"SUS-rapport helår {y}"])
        expected += expected_rows(f, resolved, years, reports)
    write_csv(raw / "sus_aggregat" / "rapporter.csv", agg, ";", "utf-8")
    write_csv(out / "sus_filer.csv", [["fil", "forbund", "dialekt", "uttag"],
                                      *([p.relative_to(out).as_posix(), kod, d, day] for p, day, kod, d in files)],
              ",", "utf-8")
    write_csv(out / "expected_deltagare_ar.csv",
              [["forbund", "ar", "insats", *deltagare_count.COLUMNS, "kalla"], *expected], ",", "utf-8")
    (out / "registreringar.txt").write_text(f"{rows}\n")
    print(f"{out}: {len(cfg)} förbund, {rows} SUS rows, {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()
