"""The build as data: every step declared once, its dependencies derived.

A step is an ingestion of one raw folder (`Kalla`) or one SQL file (`SqlSteg`). What a step writes and reads is
known from the declaration (ingestion) or from the SQL text itself, so the dependencies, the tables gathered into
marts.datakvalitet and marts.inlasta_filer, the checks and the publish step's inputs are all derived here: adding
a mart is one `sql/<name>.sql` and one entry in STEPS. Nothing here knows Dagster; `assets/` turns these steps
into assets and checks, and `finsam.bygg` runs them in plain Python for tests.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import polars as pl

from finsam import (ekonomi, kontrakt, scb_folkmangd, scb_helarsekvivalenter, sus, sus_aggregat, tilldelning,
                    warehouse)
from finsam.kostnadsmappning import load_kostnadsmappning
from finsam.person import key_from_env

REGISTER = "forbund_register"
REGISTER_TABLES = ("register.forbund", "register.medlemmar", "register.forbund_kommun_ar", "register.ar",
                   "register.installningar", "register.bygge", "staging.korningar_tidigare")
SCHEMAS = ("register", "staging", "marts")
FYND, FILER = "fynd_", "filer_"   # staging.fynd_<step>: a step's findings; staging.filer_<step>: files it saw


@dataclass(frozen=True)
class SideTable:
    """A table an ingestion step writes beside its rows, derived from them (e.g. staging.befolkning)."""
    table: str
    make: Callable[[pl.DataFrame], pl.DataFrame]


@dataclass(frozen=True)
class Kalla:
    """Ingestion of raw/<folder>/: staging.<name> (rows), staging.fynd_<name>, staging.filer_<name>."""
    name: str
    folder: str
    kalla: str
    group: str
    description: str
    # (build context) -> (parse(path, fil), combine(frames)); the context gives registry, settings, config
    reader: Callable[[object], tuple[Callable, Callable]]
    side: tuple[SideTable, ...] = ()

    @property
    def writes(self) -> tuple[str, ...]:
        return (f"staging.{self.name}", f"staging.{FYND}{self.name}", f"staging.{FILER}{self.name}",
                *(s.table for s in self.side))


@dataclass(frozen=True)
class Invariant:
    """A blocking check on a mart beyond its contract: a query returning the violating rows."""
    suffix: str
    description: str
    query: str


@dataclass(frozen=True)
class SqlSteg:
    """sql/<name>.sql. `model` makes it a public mart with a contract; `komplett` demands a row for every
    configured förbund and year (a filter on the mart, 'true' for all rows); `gathers` are views the step
    builds before its SQL runs: view -> prefix, the union of every staging.<prefix>* table another step writes;
    `last` makes it run after every other mart (it describes them all)."""
    name: str
    group: str
    description: str
    model: type[kontrakt.Mart] | None = None
    komplett: str | None = None
    invariants: tuple[Invariant, ...] = ()
    gathers: dict[str, str] = field(default_factory=dict)
    last: bool = False

    @property
    def sql(self) -> str:
        return (warehouse.SQL_DIR / f"{self.name}.sql").read_text(encoding="utf-8")

    @property
    def writes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(re.findall(r"create\s+or\s+replace\s+(?:table|view)\s+(\w+\.\w+)",
                                              _code(self.sql), flags=re.I)))

    @property
    def reads(self) -> tuple[str, ...]:
        refs = re.findall(r"\b((?:register|staging|marts)\.\w+)", _code(self.sql))
        return tuple(t for t in dict.fromkeys(refs) if t not in self.writes and t not in self.gathers)

    @property
    def table(self) -> str:
        """The table this step is named after: marts.<name>, else the first it writes."""
        return f"marts.{self.name}" if f"marts.{self.name}" in self.writes else self.writes[0]


def _code(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def _population(table: str, columns: list[str]) -> SideTable:
    """staging.befolkning(_nov): both kön together, one row per region and year."""
    return SideTable(table, lambda f: f.filter(pl.col("kon") == "totalt").select(columns))


def _ekonomi(b) -> tuple[Callable, Callable]:
    mappning = load_kostnadsmappning(b.config_dir, {f.kod for f in b.registry.forbund})
    return (lambda path, fil: ekonomi.parse_file(path, fil, b.registry, mappning, b.today)), ekonomi.combine


# Registrations: pågående(y-1) + nyinskrivna(y) - anonyma(y) - avslutade(y) = pågående(y). A level with no
# registrations in y-1 had nobody open at its end; the first year has no y-1 to compare.
STOCK_FLOW = Invariant("stock_flow", "Registrations: pågående(y-1) + nyinskrivna(y) - anonyma(y) - avslutade(y) = "
                       "pågående(y).", """
    select cur.forbund, cur.insats, cur.ar
    from marts.deltagare_ar cur
    left join marts.deltagare_ar prev
      on prev.forbund = cur.forbund and prev.insats = cur.insats and prev.ar = cur.ar - 1
    where cur.kalla = 'sus' and cur.ar > (select min(ar) from register.ar)
      and coalesce(case when prev.kalla = 'sus' then prev.pagaende_vid_arets_slut end, 0)
          + cur.nyinskrivna - cur.anonyma - cur.avslutade <> cur.pagaende_vid_arets_slut""")

KALLOR = (
    Kalla("sus_registreringar", "sus", sus.KALLA, "sus",
          "One row per person and insats spell from raw/sus/, person keys pseudonymised, duplicates across files "
          "counted once.",
          lambda b: ((lambda path, fil: sus.parse_file(path, fil, b.registry, b.avslutsorsak, key_from_env(),
                                                       b.today)), sus.COMBINE)),
    Kalla("sus_aggregat_rader", "sus_aggregat", sus_aggregat.KALLA, "sus",
          "Reported counts from raw/sus_aggregat/ (SUS reports, manual tallies), one row per förbund, year, insats "
          "and uttag.",
          lambda b: ((lambda path, fil: sus_aggregat.parse_file(path, fil, b.registry, b.today)),
                     sus_aggregat.COMBINE)),
    Kalla("ekonomi_rader", "ekonomi", ekonomi.KALLA, "ekonomi",
          "One row per förbund, year and årsredovisning line from raw/ekonomi/, in kr, costs and incomes positive, "
          "with the kategori config/kostnadsmappning.csv gives it (and the config line that did).",
          _ekonomi),
    Kalla("tilldelning_rader", "tilldelning", tilldelning.KALLA, "ekonomi",
          "Decided medelstilldelning from raw/tilldelning/, one row per förbund and year, in kr.",
          lambda b: ((lambda path, fil: tilldelning.parse_file(path, fil, b.registry, b.today)),
                     tilldelning.COMBINE)),
    Kalla("folkmangd_rader", "scb/folkmangd", scb_folkmangd.KALLA, "scb",
          "Population on 31 December from raw/scb/folkmangd/ per region, year and kön: ages 16-64, 20-64 and all. "
          "Beside it staging.befolkning: one row per region and year, both kön.",
          lambda b: ((lambda path, fil: scb_folkmangd.parse_file(path, fil, scb_folkmangd.KALLA, b.registry,
                                                                 scb_folkmangd.RANGES)),
                     scb_folkmangd.COMBINE),
          (_population("staging.befolkning", ["kommun", "ar", *scb_folkmangd.MEASURES]),)),
    Kalla("folkmangd_nov_rader", "scb/folkmangd_nov", scb_folkmangd.KALLA_NOV, "scb",
          "Population on 1 November from raw/scb/folkmangd_nov/ (the kommun split of medlemsbidrag for year y uses "
          "1 November y-1). Beside it staging.befolkning_nov (kommun, ar, befolkning_totalt).",
          lambda b: ((lambda path, fil: scb_folkmangd.parse_file(path, fil, scb_folkmangd.KALLA_NOV, b.registry,
                                                                 {})),
                     scb_folkmangd.COMBINE),
          (_population("staging.befolkning_nov", ["kommun", "ar", "befolkning_totalt"]),)),
    Kalla("helarsekvivalenter_rader", "scb/helarsekvivalenter", scb_helarsekvivalenter.KALLA, "scb",
          "Helårsekvivalenter per region, year, kön and ersättning from raw/scb/helarsekvivalenter/: counts and/or "
          "shares of the population 20-64 (fractions).",
          lambda b: ((lambda path, fil: scb_helarsekvivalenter.parse_file(path, fil, b.registry)),
                     scb_helarsekvivalenter.COMBINE)),
)

SQL_STEG = (
    SqlSteg("deltagare_ar", "marts", kontrakt.DeltagareAr.__doc__, kontrakt.DeltagareAr, "insats = '*'",
            (STOCK_FLOW,)),
    SqlSteg("ekonomi_ar", "marts", kontrakt.EkonomiAr.__doc__, kontrakt.EkonomiAr, "true"),
    SqlSteg("malgrupp_kommun", "marts", kontrakt.MalgruppKommun.__doc__, kontrakt.MalgruppKommun),
    SqlSteg("malgrupp_ar", "marts", kontrakt.MalgruppAr.__doc__, kontrakt.MalgruppAr, "true"),
    SqlSteg("helarsekvivalenter_kommun", "marts", kontrakt.HelarsekvivalenterKommun.__doc__,
            kontrakt.HelarsekvivalenterKommun),
    SqlSteg("helarsekvivalenter_ar", "marts", kontrakt.HelarsekvivalenterAr.__doc__, kontrakt.HelarsekvivalenterAr),
    SqlSteg("jamforelse_ar", "marts", kontrakt.JamforelseAr.__doc__, kontrakt.JamforelseAr, "true"),
    SqlSteg("kommunfordelning", "marts", kontrakt.Kommunfordelning.__doc__, kontrakt.Kommunfordelning),
    SqlSteg("kostnadsmappning_ar", "marts", kontrakt.KostnadsmappningAr.__doc__, kontrakt.KostnadsmappningAr),
    SqlSteg("fynd_sus", "kontroller", "Reconciliation of participant counts: stock-flow on reported counts, "
            "reports against registrations, missing years."),
    SqlSteg("fynd_scb", "kontroller", "Missing population and helårsekvivalenter per förbund and year, counts "
            "rebuilt from shares, counts above the population."),
    SqlSteg("fynd_ekonomi", "kontroller", "Findings on the money side: missing inputs, the finansieringsmodell, "
            "the kommun split, eget kapital, requested state money."),
    SqlSteg("datakvalitet", "marts", kontrakt.Datakvalitet.__doc__, kontrakt.Datakvalitet,
            gathers={"staging.fynd": FYND}),
    SqlSteg("inlasta_filer", "marts", kontrakt.InlastaFiler.__doc__, kontrakt.InlastaFiler,
            gathers={"staging.filer": FILER}),
    SqlSteg("korningar", "marts", kontrakt.Korningar.__doc__, kontrakt.Korningar, last=True),
)

STEPS: tuple[Kalla | SqlSteg, ...] = KALLOR + SQL_STEG
BY_NAME = {s.name: s for s in STEPS}
MARTS = tuple(s for s in SQL_STEG if s.model is not None)


class GraphError(Exception):
    """The declarations do not form a build: a table nobody writes, two writers, a cycle."""


@cache
def producers() -> dict[str, str]:
    """table -> the step that writes it."""
    out = {t: REGISTER for t in REGISTER_TABLES}
    for step in STEPS:
        for table in step.writes:
            if table in out:
                raise GraphError(f"{table} is written by both {out[table]} and {step.name}")
            out[table] = step.name
    return out


def gathered(step: SqlSteg) -> dict[str, list[str]]:
    """view -> the tables it unions, in step order."""
    return {view: [t for t in producers() if t.startswith(f"staging.{prefix}") and producers()[t] != step.name]
            for view, prefix in step.gathers.items()}


@cache
def deps(name: str) -> tuple[str, ...]:
    """The steps `name` reads from: every ingestion step reads the registry; an SQL step what its SQL names."""
    step = BY_NAME[name]
    if isinstance(step, Kalla):
        return (REGISTER,)
    tables = list(step.reads) + [t for ts in gathered(step).values() for t in ts]
    unknown = [t for t in tables if t not in producers()]
    if unknown:
        raise GraphError(f"sql/{name}.sql reads {', '.join(unknown)}, which no step writes")
    others = [m.name for m in MARTS if not m.last] if step.last else []
    return tuple(dict.fromkeys([*(producers()[t] for t in tables if producers()[t] != name), *others]))


def order() -> list[str]:
    """Every step after the ones it reads (the registry first)."""
    done: list[str] = [REGISTER]
    pending = [s.name for s in STEPS]
    while pending:
        ready = [n for n in pending if all(d in done for d in deps(n))]
        if not ready:
            raise GraphError(f"cycle among {', '.join(pending)}")
        done += ready
        pending = [n for n in pending if n not in ready]
    return done
