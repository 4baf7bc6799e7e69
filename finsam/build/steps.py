"""The build as data: every step declared once, its dependencies derived.

A step is an ingestion of one raw folder (`Kalla`) or one SQL file (`SqlSteg`). What a step writes and reads is
known from the declaration (ingestion) or from the SQL text itself, so the dependencies, the tables gathered into
marts.datakvalitet and marts.inlasta_filer, the checks and the publish step's inputs are all derived here: adding
a mart is one `sql/marts/<name>.sql` and its declaration `sql/marts/<name>.yaml` beside it. Nothing here knows Dagster; `assets/` turns these steps
into assets and checks, and `finsam.build.runner` runs them in plain Python for tests.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import polars as pl

from finsam.sources import ekonomi
from finsam.build import declarations
from finsam.sources import scb_folkmangd, scb_helarsekvivalenter, sus, sus_aggregat, tilldelning
from finsam.publish import warehouse
from finsam.config import norm_name
from finsam.config.kostnadsmappning import load_kostnadsmappning
from finsam.privacy.pseudonyms import key_from_env

REGISTER = "forbund_register"
REGISTER_TABLES = ("register.forbund", "register.medlemmar", "register.forbund_kommun_ar", "register.ar",
                   "register.installningar", "register.bygge", "register.insatser", "staging.korningar_tidigare",
                   "register.avslut_kategori", "register.avslutsorsak", "register.datakvalitet_vikter")
SCHEMAS = ("register", "staging", "marts")
FYND, FILER = "fynd_", "filer_"   # staging.fynd_<step>: a step's findings; staging.filer_<step>: files it saw


@dataclass(frozen=True)
class SideTable:
    """A table an ingestion step writes beside its rows, derived from them (e.g. staging.befolkning): `make` gets
    `select <columns> from staging.<step>` (only what it needs: a source streamed into the build is never read
    back into Python whole)."""
    table: str
    make: Callable[[pl.DataFrame], pl.DataFrame]
    columns: str = "*"


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
class SqlSteg:
    """sql/<layer>/<name>.sql with its declaration sql/<layer>/<name>.yaml (finsam.build.declarations). A step
    whose declaration has columns is a public mart: its pandera schema, checks and comments come from it."""
    name: str
    group: str
    description: str
    declaration: declarations.Declaration | None = None

    @classmethod
    def declared(cls, d: declarations.Declaration) -> SqlSteg:
        return cls(d.steg, d.grupp, d.beskrivning, d)

    @property
    def is_mart(self) -> bool:
        return self.declaration is not None and self.declaration.is_mart

    @property
    def komplett(self) -> str | None:
        """A filter on the mart: every configured förbund and year must have a row in it ('true' for all rows)."""
        return self.declaration.komplett if self.declaration else None

    @property
    def checks(self) -> tuple[declarations.Check, ...]:
        return self.declaration.kontroller if self.declaration else ()

    @property
    def gathers(self) -> dict[str, str]:
        """view -> prefix: built before the SQL runs, the union of every staging.<prefix>* table another step
        writes."""
        return dict(self.declaration.samlar) if self.declaration else {}

    @property
    def last(self) -> bool:
        """Runs after every other mart (it describes them all)."""
        return bool(self.declaration and self.declaration.sist)

    @property
    def path(self) -> str:
        """sql/<layer>/<name>.sql, relative to the project."""
        layer = self.declaration.layer if self.declaration else "marts"
        return f"sql/{layer}/{self.name}.sql"

    @property
    def sql(self) -> str:
        return (warehouse.SQL_DIR.parent / self.path).read_text(encoding="utf-8")

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


def _avslutsorsak_nyckel(f: pl.DataFrame) -> pl.DataFrame:
    """staging.sus_avslutsorsak: each avslutsorsak text as found, with the key it was mapped by (config.norm_name),
    so SQL joins register.avslutsorsak exactly as the kategori was given."""
    texts = f.select(pl.col("avslutsorsak").drop_nulls().unique().sort())
    return texts.with_columns(nyckel=pl.col("avslutsorsak").map_elements(norm_name, return_dtype=pl.String))


def _ekonomi(b) -> tuple[Callable, Callable]:
    mappning = load_kostnadsmappning(b.config_dir, {f.kod for f in b.registry.forbund}, b.insatser)
    return (lambda path, fil: ekonomi.parse_file(path, fil, b.registry, mappning, b.today)), ekonomi.combine


KALLOR = (
    Kalla("sus_registreringar", "sus", sus.KALLA, "sus",
          "One row per person and insats spell from raw/sus/, person keys pseudonymised, duplicates across files "
          "counted once. Beside it staging.sus_avslutsorsak: each avslutsorsak text with its mapping key.",
          lambda b: ((lambda path, fil: sus.parse_file(path, fil, b.registry, b.avslutsorsak, key_from_env(),
                                                       b.today)), sus.COMBINE),
          (SideTable("staging.sus_avslutsorsak", _avslutsorsak_nyckel, "distinct avslutsorsak"),)),
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

SQL_STEG = tuple(SqlSteg.declared(d) for d in declarations.load(warehouse.SQL_DIR).values())
STEPS: tuple[Kalla | SqlSteg, ...] = KALLOR + SQL_STEG
BY_NAME = {s.name: s for s in STEPS}
MARTS = tuple(s for s in SQL_STEG if s.is_mart)


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
        raise GraphError(f"{step.path} reads {', '.join(unknown)}, which no step writes")
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
