"""config/kostnadsmappning.csv: which category each årsredovisning line belongs to, per förbund and year.

A row applies to a line when its förbund is the line's förbund or `*`, the line's year lies between the years of
giltig_fran and giltig_till (blank = open), and post_pattern matches the whole trimmed line text, ignoring case.
A förbund's own rows win over `*` rows; two matching rows at the same level are an error in the data file that
uses them, not in the config (the config cannot know every line text).

A pattern cannot make a run hang, whatever the line text (compile_pattern): it is matched by RE2, whose time grows
linearly with the text, and only a pattern RE2 cannot run (a lookahead, lookbehind or backreference) is left to
Python's backtracking engine, and then only in a form whose work stays linear too.

An optional last column, insats, ties a förbund's cost line to an insats of the insats register
(config/insatser.csv), so marts.kostnad_insats_ar can show what each insats cost. Lines without one count in the
förbund's totals only.

An optional column after it, finansiar, says whose money an income line is (marts.finansiering_ar): one of
FINANSIARER that fits the row's kategori (FINANSIAR_FOR). Blank is the kategori's own: staten, region, kommun for the
medlemsbidrag, ovrig_extern for externa_bidrag, ovrigt for ovriga_intakter. A file without the column is valid.
"""
from __future__ import annotations

import datetime as dt
import re
import re._constants as sre
import re._parser as sre_parse
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import re2

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


# Who pays an income line (marts.finansiering_ar), and which finansiär each income kategori may name; the first is
# its own (a blank finansiar). "kommun" is the förbund's member kommuner: the line's kommun where the line names one,
# else the kommun quarter split by population (staging.kommun_befolkningsandel).
EXTERNA = ("esf", "tillvaxtverket", "mucf", "ovrig_extern")
FINANSIARER = ("staten", "region", "kommun", *EXTERNA, "ovrigt")
FINANSIAR_FOR: dict[str, tuple[str, ...]] = {
    "medlemsbidrag_stat": ("staten",),
    "medlemsbidrag_region": ("region",),
    "medlemsbidrag_kommun": ("kommun",),
    "externa_bidrag": ("ovrig_extern", "esf", "tillvaxtverket", "mucf"),
    "ovriga_intakter": ("ovrigt", *EXTERNA),
}


class Pattern(Protocol):
    def fullmatch(self, text: str) -> object | None: ...


@dataclass(frozen=True)
class Regel:
    rad: int                 # line number in kostnadsmappning.csv (header = 1)
    forbund: str             # a förbund code or '*'
    post_pattern: str
    kategori: str
    ar_fran: int | None
    ar_till: int | None
    regex: Pattern           # compile_pattern's: RE2, or Python's re for a simple pattern RE2 cannot run
    insats: str | None = None   # the register's name of the insats the line is a cost of
    finansiar: str | None = None  # whose money an income line is (FINANSIARER); None for other kategorier

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

    def finansiarer(self) -> dict[int, str]:
        """mappning_rad -> finansiär, for every income row (its own or its kategori's)."""
        return {r.rad: r.finansiar for r in self.regler if r.finansiar}


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


def _finansiar(row: dict[str, str], where: str) -> str | None:
    """The row's finansiär: its finansiar cell, or its kategori's own when blank; None for a non-income kategori."""
    name, allowed = row.get("finansiar", ""), FINANSIAR_FOR.get(row["kategori"], ())
    if name and name not in allowed:
        expected = (f"one of {', '.join(allowed)} for kategori {row['kategori']}, or blank" if allowed else
                    f"blank: only an income row ({', '.join(FINANSIAR_FOR)}) has a finansiär")
        raise ConfigError(f"{where}, finansiar found {name!r}, expected {expected}")
    return name or (allowed[0] if allowed else None)


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
        regex = compile_pattern(pattern, f"{where}, post_pattern")
        if kategori not in KATEGORIER:
            raise ConfigError(f"{where}, kategori found {kategori!r}, expected one of {', '.join(KATEGORIER)}")
        fran = _year(row["giltig_fran"], f"{where}, giltig_fran")
        till = _year(row["giltig_till"], f"{where}, giltig_till")
        if fran is not None and till is not None and till < fran:
            raise ConfigError(f"{where}, giltig_till {row['giltig_till']} is before giltig_fran {row['giltig_fran']}")
        regler.append(Regel(line, forbund, pattern, kategori, fran, till, regex, _insats(row, where, insatser),
                            _finansiar(row, where)))
    return Kostnadsmappning(tuple(regler))


RE2_OPTIONS = re2.Options()
RE2_OPTIONS.case_sensitive = False
RE2_OPTIONS.log_errors = False  # RE2 writes each error to stderr too; ConfigError says it
REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def compile_pattern(pattern: str, where: str) -> Pattern:
    """`pattern` (case ignored) as RE2 runs it, in time linear in the text it is matched against. A pattern RE2
    cannot run because it uses what only a backtracking engine has (a lookahead, a lookbehind, a backreference) is
    compiled by Python's re, if its shape keeps the backtracking linear (_open_repeats); any other is a ConfigError
    naming `where` (file, line, column). RE2's \\b, \\w, \\d and \\s know ASCII only (å, ä, ö are letters to
    the pattern's literals and classes, not to \\w); a pattern written for Python's re means the same otherwise."""
    try:
        return re2.compile(pattern, RE2_OPTIONS)
    except re2.error as e:
        why = e.args[0].decode("utf-8", "replace") if e.args and isinstance(e.args[0], bytes) else str(e)
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error as e:
        raise ConfigError(f"{where} found {pattern!r}, not a valid regular expression: {e}") from None
    open_ended = _open_repeats(sre_parse.parse(pattern, re.IGNORECASE).data, inside=False)
    if open_ended is None or open_ended > 1:
        raise ConfigError(
            f"{where} found {pattern!r}, which RE2 cannot run ({why}) and whose shape lets Python's backtracking "
            "engine run for minutes or hours on one line text; expected a pattern without lookaround or "
            "backreference (RE2 runs any of them safely), or one with at most one open-ended repetition (*, +, "
            "{n,}) and no repetition of a group that holds a repetition or alternatives")
    return compiled


def _open_repeats(items: list, inside: bool) -> int | None:
    """How many open-ended repetitions `items` (a parsed pattern) holds, a backreference counted as one; None when
    a repetition holds a repetition or alternatives (`inside`: these items are repeated), which is what makes a
    backtracking engine try exponentially many ways. With at most one, and none nested, matching a whole text
    tries each length of that one repetition once, each with bounded work."""
    count = 0
    for op, arg in items:
        if op in REPEATS:
            low, high, body = arg
            inner = None if inside else _open_repeats(body, inside=high > 1)
            if inner is None:
                return None
            count += inner + (high == sre.MAXREPEAT)
        elif op == sre.BRANCH and inside:
            return None
        elif op == sre.GROUPREF:  # a backreference matches as much as its group did: one more open-ended stretch
            count += 1
        else:
            for sub in _subpatterns(op, arg):
                inner = _open_repeats(sub, inside)
                if inner is None:
                    return None
                count += inner
    return count


def _subpatterns(op, arg) -> list:
    """The parsed patterns inside a group, an alternation or an assertion."""
    if op == sre.BRANCH:
        return list(arg[1])
    if op == sre.SUBPATTERN:
        return [arg[3]]
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [arg[1]]
    if op == sre.ATOMIC_GROUP:
        return [arg]
    if op == sre.GROUPREF_EXISTS:
        return [p for p in arg[1:] if p is not None]
    return []
