"""config/insatser.csv: the insats register, which says what each SUS insats is (mottagningsteam, coachingteam,
projekt, ovrig), which member kommun it serves (blank = the whole förbund), how it is financed, and when.

The file is optional: without it (or without a row for an insats) the insats is typ 'okand' and serves no kommun.
An insats is named as in SUS and matched ignoring case and whitespace (config.norm_name). A SUS spell belongs to
the register row of its förbund and insats that is valid on the spell's start date, so a spell keeps one typ and
one kommun for its whole length and each level's counts keep the stock-flow identity.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from finsam.config import Registry, _date, norm_name, read_config_csv
from finsam.io.findings import ConfigError

FILE = "insatser.csv"
HEADER = ("forbund", "insats", "typ", "kommun", "finansiering", "giltig_fran", "giltig_till")
TYPER = ("mottagningsteam", "coachingteam", "projekt", "ovrig")
OKAND = "okand"   # the typ of an insats the register does not know
FINANSIERING = ("medlemsbidrag", "externa")
# insats_nyckel: the name as norm_name compares it, so SQL joins a SUS insats (staging.sus_insatsnamn) to its row by
# the same key as Python does (Insatsregister.namn), never by a normalisation of its own
SCHEMA = {"forbund": pl.String, "insats": pl.String, "typ": pl.String, "kommun": pl.String,
          "finansiering": pl.String, "giltig_fran": pl.Date, "giltig_till": pl.Date, "rad": pl.Int64,
          "insats_nyckel": pl.String}


@dataclass(frozen=True)
class Insats:
    rad: int                  # line in insatser.csv (header = 1)
    forbund: str
    insats: str               # as written in the register
    typ: str
    kommun: str | None        # None = the whole förbund
    finansiering: str | None
    giltig_fran: dt.date
    giltig_till: dt.date | None

    def overlaps(self, other: Insats) -> bool:
        return (self.giltig_fran <= (other.giltig_till or dt.date.max)
                and other.giltig_fran <= (self.giltig_till or dt.date.max))


@dataclass(frozen=True)
class Insatsregister:
    insatser: tuple[Insats, ...] = ()

    def namn(self, forbund: str, insats: str) -> str | None:
        """The register's spelling of an insats of a förbund, matched ignoring case and whitespace."""
        key = norm_name(insats)
        return next((i.insats for i in self.insatser if i.forbund == forbund and norm_name(i.insats) == key), None)

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame([(i.forbund, i.insats, i.typ, i.kommun, i.finansiering, i.giltig_fran, i.giltig_till,
                              i.rad, norm_name(i.insats)) for i in self.insatser], schema=SCHEMA, orient="row")


def _choice(value: str, allowed: tuple[str, ...], where: str, blank_ok: bool) -> str | None:
    if not value and blank_ok:
        return None
    if value not in allowed:
        expected = " or ".join(allowed) + (" or blank" if blank_ok else "")
        raise ConfigError(f"{where} found {value!r}, expected {expected}")
    return value


def _check_kommun(registry: Registry, i: Insats, where: str) -> None:
    """The kommun must be a member of the förbund for the whole period the row is valid."""
    forbund = next(f for f in registry.forbund if f.kod == i.forbund)
    covered = any(m.kommun == i.kommun and m.fran <= i.giltig_fran
                  and (m.till is None or (i.giltig_till is not None and m.till >= i.giltig_till))
                  for m in forbund.medlemmar)
    if not covered:
        members = ", ".join(f"{m.kommun} {m.namn} {m.fran}..{m.till or 'open'}" for m in forbund.medlemmar)
        raise ConfigError(f"{where}, kommun found {i.kommun!r}, expected a member kommun of {i.forbund} from "
                          f"{i.giltig_fran} to {i.giltig_till or 'open'} (members: {members}) or blank")


def load_insatser(cfg: Path, registry: Registry) -> Insatsregister:
    """Read and check every row; a broken row stops the run with a ConfigError naming file, line and column."""
    path = cfg / FILE
    if not path.exists():
        return Insatsregister()
    koder = {f.kod for f in registry.forbund}
    rows = []
    for line, row in read_config_csv(cfg, FILE, HEADER):
        where = f"{path}: line {line}"
        if row["forbund"] not in koder:
            raise ConfigError(f"{where}, forbund found {row['forbund']!r}, expected a kod in forbund.yaml "
                              f"({', '.join(sorted(koder))})")
        if not row["insats"]:
            raise ConfigError(f"{where}, insats is blank, expected the insats name as written in SUS")
        kommun = row["kommun"] or None
        if kommun is not None and not re.fullmatch(r"\d{4}", kommun):
            raise ConfigError(f"{where}, kommun found {kommun!r}, expected a four-digit kommun code or blank")
        fran = _date(row["giltig_fran"], f"{where}, giltig_fran")
        till = _date(row["giltig_till"], f"{where}, giltig_till")
        if fran is None:
            raise ConfigError(f"{where}, giltig_fran is blank, expected a date YYYY-MM-DD")
        if till is not None and till < fran:
            raise ConfigError(f"{where}, giltig_till {till} is before giltig_fran {fran}")
        insats = Insats(line, row["forbund"], " ".join(row["insats"].split()),
                        _choice(row["typ"], TYPER, f"{where}, typ", blank_ok=False), kommun,
                        _choice(row["finansiering"], FINANSIERING, f"{where}, finansiering", blank_ok=True),
                        fran, till)
        if kommun is not None:
            _check_kommun(registry, insats, where)
        for other in rows:
            if (other.forbund == insats.forbund and norm_name(other.insats) == norm_name(insats.insats)
                    and other.overlaps(insats)):
                raise ConfigError(f"{where}, insats {insats.insats!r} of {insats.forbund} is also on line {other.rad} "
                                  f"for an overlapping period ({other.giltig_fran}..{other.giltig_till or 'open'}); "
                                  "expected one row per insats and date")
        rows.append(insats)
    return Insatsregister(tuple(rows))
