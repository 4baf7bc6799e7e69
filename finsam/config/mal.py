"""config/mal.csv: the goals a förbund has set itself (a verksamhetsplan's "minst 150 individer", "högst 7 procent"),
which marts.maluppfyllelse_ar follows up every night against the outcome the marts hold.

The file is optional: without it there are no goals. Each row names a förbund (its kod or any name the registry
knows it by), an insats of the insats register (blank or * = the förbund as a whole), a year, a measure of the
vocabulary below, the target (malvarde), whether the outcome must be at least (minst) or at most (hogst) the target,
an optional group (goals of one förbund and year with the same grupp are met when any one of them is) and where the
goal was decided (kalla). A broken row stops the run with a ConfigError naming file, line and column, at 02:00 as
when the file is checked by hand: a goal the warehouse cannot follow up is better refused than shown as missing.

The vocabulary is bound to the marts here, once (MATT): each line says which mart column holds a measure's outcome at
one level, which count of persons it rests on (a share's denominator: its n) and whether it is a share of those
persons (then it gets a Wilson interval). sql/marts/maluppfyllelse_ar.sql reads the outcome generically from the
mart and column a goal's line names, so adding a measure of a mart it already reads is one line here.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from finsam.config import Registry, norm_name, read_config_csv
from finsam.config.insatser import Insatsregister
from finsam.io.findings import ConfigError

FILE = "mal.csv"
HEADER = ("forbund", "insats", "ar", "matt", "malvarde", "riktning", "grupp", "kalla")
RIKTNINGAR = ("minst", "hogst")
FORBUND, INSATS = "forbund", "insats"   # the level of a goal: the förbund as a whole, or one of its insatser
HELA = "*"                              # the insats of a goal for the förbund as a whole, as in the marts
# What a malvarde is, by measure: andel = a fraction 0-1 (65 % is 0.65), antal = a count (>= 0), kr = money (any
# sign: eget kapital can be negative), kvot = a ratio (>= 0, may exceed 1: deltagare of plan), tal = any number (an
# indicator is a share or a mean on its own scale).
ENHETER = ("andel", "antal", "kr", "kvot", "tal")
FAMILJ = ":"   # a measure ending in ':' is a family: indikator:<kod> is the indicator <kod> of marts.indikatorer_ar


@dataclass(frozen=True)
class Matt:
    """One line of the vocabulary: a measure at its levels, bound to one mart column."""
    matt: str                   # as written in mal.csv; ending in ':' = <matt><kod>
    nivaer: tuple[str, ...]     # forbund and/or insats
    mart: str                   # marts.<mart>
    kolumn: str                 # the column holding the outcome
    n: str | None               # the count of persons the outcome rests on (a share's denominator); None: money
    andel: bool                 # a share of those n persons: gets a Wilson interval
    enhet: str                  # what its malvarde is (ENHETER)


F, INS, FI = (FORBUND,), (INSATS,), (FORBUND, INSATS)
MATT: tuple[Matt, ...] = (
    # matt, levels, mart, column, n, share with an interval, what a malvarde is
    Matt("deltagare", F, "jamforelse_ar", "deltagare", "deltagare", False, "antal"),
    Matt("deltagare", INS, "deltagare_ar", "deltagare", "deltagare", False, "antal"),
    Matt("nyinskrivna", FI, "deltagare_ar", "nyinskrivna", "nyinskrivna", False, "antal"),
    Matt("avslutade", F, "jamforelse_ar", "avslutade", "avslutade", False, "antal"),
    Matt("avslutade", INS, "deltagare_ar", "avslutade", "avslutade", False, "antal"),
    Matt("andel_avslutade", F, "jamforelse_ar", "andel_avslutade", "deltagare", True, "andel"),
    Matt("andel_avslut_arbete_studier", F, "jamforelse_ar", "andel_arbete_studier", "avslutade", True, "andel"),
    Matt("andel_stegforflyttning", F, "jamforelse_ar", "andel_stegforflyttning", "avslutade", True, "andel"),
    Matt("kostnad_per_deltagare", F, "jamforelse_ar", "kostnad_per_deltagare", "deltagare", False, "kr"),
    Matt("kostnad_per_avslut", F, "jamforelse_ar", "kostnad_per_avslut", "avslutade", False, "kr"),
    Matt("admin_andel_kostnader", F, "jamforelse_ar", "admin_andel_kostnader", None, False, "andel"),
    Matt("eget_kapital", F, "ekonomi_ar", "eget_kapital", None, False, "kr"),
    Matt("eget_kapital_andel_intakter", F, "jamforelse_ar", "eget_kapital_andel_intakter", None, False, "andel"),
    Matt("andel_av_plan", INS, "insats_ar", "andel_av_plan", "deltagare", False, "kvot"),
    Matt("uppfoljning_andel_arbete_studier", FI, "uppfoljning_efter_avslut_ar", "andel_arbete_studier", "svarande",
         True, "andel"),
    Matt("indikator:", FI, "indikatorer_ar", "varde", "antal_svar", True, "tal"),
)


def matt_namn() -> list[str]:
    """The vocabulary as mal.csv spells it (a family as <matt><kod>)."""
    return list(dict.fromkeys(m.matt + ("<kod>" if m.matt.endswith(FAMILJ) else "") for m in MATT))


def bindning(matt: str, niva: str) -> tuple[Matt, str | None] | None:
    """The vocabulary line of a measure at a level, and the code a family measure names (indikator:<kod>)."""
    for m in MATT:
        if niva not in m.nivaer:
            continue
        if m.matt.endswith(FAMILJ):
            if matt.startswith(m.matt) and matt[len(m.matt):].strip():
                return m, matt[len(m.matt):].strip()
        elif matt == m.matt:
            return m, None
    return None


@dataclass(frozen=True)
class Mal:
    rad: int                    # line in mal.csv (header = 1)
    forbund: str                # kod
    insats: str                 # the register's spelling, or HELA
    ar: int
    matt: str
    malvarde: float
    riktning: str
    grupp: str | None
    kalla: str | None
    bindning: Matt
    nyckel: str | None          # the code of a family measure (indikator:<kod>)


SCHEMA = {"rad": pl.Int64, "forbund": pl.String, "insats": pl.String, "insats_nyckel": pl.String, "ar": pl.Int32,
          "matt": pl.String, "malvarde": pl.Float64, "riktning": pl.String, "grupp": pl.String, "kalla": pl.String,
          "mart": pl.String, "kolumn": pl.String, "n_kolumn": pl.String, "andel": pl.Boolean, "nyckel": pl.String}


def mal_frame(mal: tuple[Mal, ...]) -> pl.DataFrame:
    """register.mal: each goal with its binding; insats_nyckel is the insats as config.norm_name compares names, so
    SQL finds the mart rows of an insats by the key its sources wrote at ingest, never by a normalisation of its
    own. nyckel, an indicator's code, is matched as the indicator file writes it."""
    return pl.DataFrame([(m.rad, m.forbund, m.insats, norm_name(m.insats), m.ar, m.matt, m.malvarde, m.riktning,
                          m.grupp, m.kalla, m.bindning.mart, m.bindning.kolumn, m.bindning.n, m.bindning.andel,
                          m.nyckel) for m in mal], schema=SCHEMA, orient="row")


def _number(value: str, where: str, enhet: str, matt: str) -> float:
    try:
        number = float(re.sub(r"[\s\u00a0]", "", value).replace(",", "."))
    except ValueError:
        number = math.nan
    hint = " (shares as fractions 0-1: 65 % is 0.65)" if enhet == "andel" else ""
    if not math.isfinite(number):
        raise ConfigError(f"{where}, malvarde found {value!r}, expected a number{hint}")
    if enhet == "andel" and not 0 <= number <= 1:
        raise ConfigError(f"{where}, malvarde found {value!r}, expected a fraction 0-1 for {matt}, a share (65 % is "
                          "0.65)")
    if enhet in ("antal", "kvot") and number < 0:
        raise ConfigError(f"{where}, malvarde found {value!r}, expected a number >= 0 for {matt}")
    return number


def load_mal(cfg: Path, registry: Registry, insatser: Insatsregister) -> tuple[Mal, ...]:
    """Read and check every row; a broken row stops the run with a ConfigError naming file, line and column."""
    path = cfg / FILE
    if not path.exists():
        return ()
    koder = ", ".join(f.kod for f in registry.forbund)
    out: list[Mal] = []
    for line, row in read_config_csv(cfg, FILE, HEADER):
        where = f"{path}: line {line}"
        forbund = registry.kod_for(row["forbund"]) if row["forbund"] else None
        if forbund is None:
            raise ConfigError(f"{where}, forbund found {row['forbund']!r}, expected a kod or name in forbund.yaml "
                              f"({koder})")
        if row["insats"] in ("", HELA):
            insats, niva = HELA, FORBUND
        else:
            insats, niva = insatser.namn(forbund, row["insats"]), INSATS
            if insats is None:
                known = sorted({i.insats for i in insatser.insatser if i.forbund == forbund})
                raise ConfigError(f"{where}, insats found {row['insats']!r}, expected an insats of {forbund} in "
                                  f"insatser.csv ({', '.join(known) or 'none'}) or blank or * for the förbund")
        if not re.fullmatch(r"\d{4}", row["ar"]) or not 2000 <= int(row["ar"]) <= 2100:
            raise ConfigError(f"{where}, ar found {row['ar']!r}, expected a year 2000-2100")
        matt = row["matt"]
        if not any(bindning(matt, n) for n in (FORBUND, INSATS)):
            raise ConfigError(f"{where}, matt found {matt!r}, expected one of {', '.join(matt_namn())}")
        found = bindning(matt, niva)
        if found is None:
            other = "the förbund (insats blank or *)" if niva == INSATS else "an insats"
            raise ConfigError(f"{where}, insats found {row['insats']!r}: matt {matt} is measured for {other} only")
        m, nyckel = found
        malvarde = _number(row["malvarde"], where, m.enhet, matt)
        if row["riktning"] not in RIKTNINGAR:
            raise ConfigError(f"{where}, riktning found {row['riktning']!r}, expected {' or '.join(RIKTNINGAR)}")
        mal = Mal(line, forbund, insats, int(row["ar"]), matt, malvarde, row["riktning"], row["grupp"] or None,
                  row["kalla"] or None, m, nyckel)
        key = (mal.forbund, norm_name(mal.insats), mal.ar, mal.matt, mal.riktning)
        twin = next((o for o in out if (o.forbund, norm_name(o.insats), o.ar, o.matt, o.riktning) == key), None)
        if twin is not None:
            raise ConfigError(f"{where}, matt {matt} ({mal.riktning}) of {forbund} {insats} {mal.ar} is also on line "
                              f"{twin.rad}; expected one goal per förbund, insats, year, measure and riktning")
        out.append(mal)
    return tuple(out)
