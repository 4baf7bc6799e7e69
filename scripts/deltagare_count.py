"""The contract's counting table for marts.deltagare_ar, in plain Python, apart from the pipeline's SQL.

Shared by the sample generator (scripts/make_sample_sus.py) and the national generator (scripts/make_synth.py):
each writes the counts it expects, computed here, and tests compare them with what the pipeline builds.
A spell is anything with `person` (None = anonymous), `start` and `end` (None = still open); `category(spell)`
gives the avslut category of its reason.
"""
from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

D = dt.date
RANK = ["arbete", "studier", "arbetssokande", "studieredo", "annan_insats", "sjukdom", "flytt", "avbrott", "ovrigt",
        "okand"]  # tie-break for spells ending the same last day: first wins
COLUMNS = ["deltagare", "nyinskrivna", "avslutade", "avslut_arbete_studier", "avslut_jobb_studieredo",
           "pagaende_vid_arets_slut", "registreringar", "anonyma"]


def overlaps(s, y: int) -> bool:
    return s.start <= D(y, 12, 31) and (s.end is None or s.end >= D(y, 1, 1))


def pagaende(spells: Iterable, y: int) -> set[str]:
    """Named persons with a spell overlapping y that is still open after 31 Dec y."""
    return {s.person for s in spells if s.person and overlaps(s, y) and (s.end is None or s.end > D(y, 12, 31))}


def count(spells: list, y: int, category: Callable, ended: dict[tuple[str, str], list[dt.date]] | None = None
          ) -> dict[str, int]:
    """One year's counts over a set of spells (a förbund's, one insats's or one typ's); with `ended` (end dates of
    every spell by förbund and person) also the nyinskrivna who return after more than 90 days (aterkommande; a
    person matches only within the förbund when the ids are local, as in the generated data)."""
    named = [s for s in spells if s.person and overlaps(s, y)]
    anon = [s for s in spells if not s.person and s.start.year == y]  # anonymous: start year only, never avslutade
    deltagare = {s.person for s in named}
    open_now = pagaende(spells, y)
    avslutade = deltagare - open_now
    last: dict[str, tuple] = {}  # person -> ((end, -rank), category) of the last spell; all ended in y
    for s in named:
        if s.person in avslutade:
            key = (s.end, -RANK.index(category(s)))
            if s.person not in last or key > last[s.person][0]:
                last[s.person] = (key, category(s))
    cats = [c for _, c in last.values()]
    new = deltagare - pagaende(spells, y - 1)
    first = {p: min(s.start for s in named if s.person == p) for p in new}
    returning = {p for p in new
                 if any((first[p] - e).days > 90 for e in ended.get((spells[0].forbund, p), []))} if ended else set()
    return {"deltagare": len(deltagare) + len(anon),
            "nyinskrivna": len(deltagare - pagaende(spells, y - 1)) + len(anon),
            "avslutade": len(avslutade),
            "avslut_arbete_studier": sum(c in ("arbete", "studier") for c in cats),
            "avslut_jobb_studieredo": sum(c in ("arbetssokande", "studieredo") for c in cats),
            "pagaende_vid_arets_slut": len(open_now),
            "registreringar": len(named) + len(anon),
            "anonyma": len(anon),
            "aterkommande": len(returning)}


# Counts that look back past 1 January, left out (None, NULL in the mart) in a seam year of a förbund's
# registrations (sql/staging/forsta_registreringsar.sql).
BAKATBLICKANDE = ("nyinskrivna", "aterkommande")


def forsta_ar(spells: list, last_year: int) -> set[int]:
    """The seam years of a förbund's registrations: its first year with a spell, and each year after a year without
    one (a spell overlaps the years from its start to its end, an anonymous spell only its start year)."""
    def last(s) -> int:
        return s.start.year if not s.person else min(s.end.year if s.end else last_year, last_year)
    with_spells = {y for s in spells for y in range(s.start.year, max(s.start.year, last(s)) + 1)}
    return {y for y in with_spells if y - 1 not in with_spells}


def utan_bakatblick(c: dict, seam: bool) -> dict:
    """`c` with the backward-looking counts None in a seam year."""
    return {k: None if seam and k in BAKATBLICKANDE else v for k, v in c.items()}


def avslut_texts(config_dir: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """From config/avslutsorsak.csv: normalised text -> kategori, and kategori -> the texts that give it."""
    with open(config_dir / "avslutsorsak.csv", encoding="utf-8") as fh:
        mapping = list(csv.DictReader(fh))
    texts: dict[str, list[str]] = {}
    for r in mapping:
        texts.setdefault(r["kategori"], []).append(r["avslutsorsak"])
    return {r["avslutsorsak"].strip().casefold(): r["kategori"] for r in mapping}, texts
