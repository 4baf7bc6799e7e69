"""config/kostnadsmappning.csv: which category each årsredovisning line belongs to, per förbund and year.

A row applies to a line when its förbund is the line's förbund or `*`, the line's year lies between the years of
giltig_fran and giltig_till (blank = open), and post_pattern matches the whole trimmed line text, ignoring case.
A förbund's own rows win over `*` rows; two matching rows at the same level are an error in the data file that
uses them, not in the config (the config cannot know every line text).

An optional last column, insats, ties a förbund's cost line to an insats of the insats register
(config/insatser.csv), so marts.kostnad_insats_ar can show what each insats cost. Lines without one count in the
förbund's totals only.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from finsam.config import read_config_csv
from finsam.config.insatser import Insatsregister
from finsam.io.findings import ConfigError

FILE = "kostnadsmappning.csv"
HEADER = ("forbund", "post_pattern", "kategori", "giltig_fran", "giltig_till")
ALLA = "*"
# kategori -> the Typ values it fits. finansiella_poster is net: financial income and financial costs.
INTAKT, KOSTNAD, EGET_KAPITAL = "intäkt", "kostnad", "eget_kapital"
KATEGORIER: dict[str, tuple[str, ...]] = {
    "medlemsbidrag_stat": (INTAKT,),
    "medlemsbidrag_region": (INTAKT,),
    "medlemsbidrag_kommun": (INTAKT,),
    "externa_bidrag": (INTAKT,),
    "ovriga_intakter": (INTAKT,),
    "individinriktade_insatser": (KOSTNAD,),
    "strukturovergripande_insatser": (KOSTNAD,),
    "administration": (KOSTNAD,),
    "finansiella_poster": (INTAKT, KOSTNAD),
    "eget_kapital": (EGET_KAPITAL,),
    "exkludera": (INTAKT, KOSTNAD, EGET_KAPITAL),
}


@dataclass(frozen=True)
class Regel:
    rad: int                 # line number in kostnadsmappning.csv (header = 1)
    forbund: str             # a förbund code or '*'
    post_pattern: str
    kategori: str
    ar_fran: int | None
    ar_till: int | None
    regex: re.Pattern
    insats: str | None = None   # the register's name of the insats the line is a cost of

    def applies(self, forbund: str, ar: int, post: str) -> bool:
        return (self.forbund in (forbund, ALLA)
                and (self.ar_fran is None or self.ar_fran <= ar)
                and (self.ar_till is None or ar <= self.ar_till)
                and self.regex.fullmatch(post.strip()) is not None)

    def describe(self) -> str:
        return f"line {self.rad} {self.post_pattern!r} -> {self.kategori}"


@dataclass(frozen=True)
class Kostnadsmappning:
    regler: tuple[Regel, ...]

    def matches(self, forbund: str, ar: int, post: str) -> list[Regel]:
        """The rows that decide the line: the förbund's own matching rows if any, else the matching `*` rows."""
        hits = [r for r in self.regler if r.applies(forbund, ar, post)]
        own = [r for r in hits if r.forbund == forbund]
        return own or hits

    def insatser(self) -> dict[int, str]:
        """mappning_rad -> insats, for the rows that tie their lines to an insats."""
        return {r.rad: r.insats for r in self.regler if r.insats}


def _year(value: str, where: str) -> int | None:
    """giltig_fran/giltig_till: a date YYYY-MM-DD (only its year counts) or a bare year; blank = open."""
    if not value:
        return None
    if re.fullmatch(r"\d{4}", value):
        return int(value)
    try:
        return dt.date.fromisoformat(value).year
    except ValueError:
        raise ConfigError(f"{where} found {value!r}, expected a date YYYY-MM-DD, a year YYYY or blank") from None


INSATS_KATEGORIER = ("individinriktade_insatser", "strukturovergripande_insatser", "administration")


def _insats(row: dict[str, str], where: str, insatser: Insatsregister) -> str | None:
    """The register's spelling of the row's insats; blank is none."""
    name = row.get("insats", "")
    if not name:
        return None
    if row["forbund"] == ALLA:
        raise ConfigError(f"{where}, insats found {name!r} on a '*' row, expected a förbund code in forbund "
                          "(an insats belongs to one förbund)")
    if row["kategori"] not in INSATS_KATEGORIER:
        raise ConfigError(f"{where}, insats found {name!r} on a row of kategori {row['kategori']}, expected an "
                          f"insats only on a cost row ({', '.join(INSATS_KATEGORIER)})")
    found = insatser.namn(row["forbund"], name)
    if found is None:
        raise ConfigError(f"{where}, insats found {name!r}, expected an insats of {row['forbund']} in "
                          "config/insatser.csv or blank")
    return found


def load_kostnadsmappning(cfg: Path, forbund_koder: set[str], insatser: Insatsregister = Insatsregister()
                          ) -> Kostnadsmappning:
    """Read and check every row; a broken row stops the run with a ConfigError naming the file and line."""
    path = cfg / FILE
    regler = []
    for line, row in read_config_csv(cfg, FILE, HEADER):
        where = f"{path}: line {line}"
        forbund, pattern, kategori = row["forbund"], row["post_pattern"], row["kategori"]
        if forbund != ALLA and forbund not in forbund_koder:
            raise ConfigError(f"{where}, forbund found {forbund!r}, expected '*' or a kod in forbund.yaml "
                              f"({', '.join(sorted(forbund_koder))})")
        if not pattern:
            raise ConfigError(f"{where}, post_pattern is blank, expected a regular expression")
        try:
            regex = re.compile(pattern, re.IGNORECASE)
        except re.error as e:
            raise ConfigError(f"{where}, post_pattern found {pattern!r}, not a valid regular expression: {e}") \
                from None
        if kategori not in KATEGORIER:
            raise ConfigError(f"{where}, kategori found {kategori!r}, expected one of {', '.join(KATEGORIER)}")
        fran = _year(row["giltig_fran"], f"{where}, giltig_fran")
        till = _year(row["giltig_till"], f"{where}, giltig_till")
        if fran is not None and till is not None and till < fran:
            raise ConfigError(f"{where}, giltig_till {row['giltig_till']} is before giltig_fran {row['giltig_fran']}")
        regler.append(Regel(line, forbund, pattern, kategori, fran, till, regex, _insats(row, where, insatser)))
    return Kostnadsmappning(tuple(regler))
