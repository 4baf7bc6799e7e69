"""The build as data: every step declared once, its dependencies derived.

A step is an ingestion of one raw folder (`Source`) or one SQL file (`SqlStep`). What a step writes and reads is
known from the declaration (ingestion) or from the SQL text itself, so the dependencies, the tables gathered into
marts.datakvalitet and marts.inlasta_filer, the checks and the publish step's inputs are all derived here: adding
a mart is one `sql/marts/<name>.sql` and its declaration `sql/marts/<name>.yaml` beside it. Nothing here
knows Dagster; `assets/` turns these steps into assets and checks, and `finsam.build.runner` runs them in plain
Python for tests.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from finsam.build import declarations
from finsam.privacy.personniva import is_person_column
from finsam.publish import warehouse
from finsam.sources.registry import SOURCES, Source

REGISTER = "forbund_register"
REGISTER_TABLES = ("register.forbund", "register.medlemmar", "register.forbund_kommun_ar", "register.ar",
                   "register.installningar", "register.bygge", "register.insatser", "staging.korningar_tidigare",
                   "staging.revisioner_tidigare", "register.avslut_kategori", "register.avslutsorsak",
                   "register.datakvalitet_vikter", "register.samhallsekonomi", "register.mal", "register.nyckel",
                   "staging.fynd_nyckel", "register.kostnadskategori", "register.kvoter")
SCHEMAS = ("register", "staging", "marts")


@dataclass(frozen=True)
class SqlStep:
    """sql/<layer>/<name>.sql with its declaration sql/<layer>/<name>.yaml (finsam.build.declarations). A step
    whose declaration has columns is a public mart: its pandera schema, checks and comments come from it."""
    name: str
    group: str
    description: str
    declaration: declarations.Declaration | None = None

    @classmethod
    def declared(cls, d: declarations.Declaration) -> SqlStep:
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


def person_level(step: Source | SqlStep) -> tuple[str, ...]:
    """The tables of `step` that hold a row per person or spell. An SQL step says so in its declaration
    (`personniva: true`): every table it writes. An ingestion step says so by reading a person column (a person key
    or födelseår, finsam.privacy.personniva) among its declared columns: its rows, staging.<name> (its findings,
    files and side tables hold none)."""
    if isinstance(step, Source):
        return (f"staging.{step.name}",) if any(is_person_column(c.name) for c in step.columns) else ()
    return step.writes if step.declaration is not None and step.declaration.personniva else ()


SQL_STEPS = tuple(SqlStep.declared(d) for d in declarations.load(warehouse.SQL_DIR).values())
STEPS: tuple[Source | SqlStep, ...] = SOURCES + SQL_STEPS
BY_NAME = {s.name: s for s in STEPS}
MARTS = tuple(s for s in SQL_STEPS if s.is_mart)
# Person-level tables: built and read in the build only, dropped before it is published (runner.publish_build).
PERSON_TABLES = tuple(t for s in STEPS for t in person_level(s))


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


def gathered(step: SqlStep) -> dict[str, list[str]]:
    """view -> the tables it unions, in step order."""
    return {view: [t for t in producers() if t.startswith(f"staging.{prefix}") and producers()[t] != step.name]
            for view, prefix in step.gathers.items()}


@cache
def deps(name: str) -> tuple[str, ...]:
    """The steps `name` reads from: every ingestion step reads the registry; an SQL step what its SQL names."""
    step = BY_NAME[name]
    if isinstance(step, Source):
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
