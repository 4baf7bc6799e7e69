"""The build as data: every step declared once, its dependencies derived.

A step is an ingestion of one raw folder (`Kalla`) or one SQL file (`SqlSteg`). What a step writes and reads is
known from the declaration (ingestion) or from the SQL text itself, so the dependencies, the tables gathered into
marts.datakvalitet and marts.inlasta_filer, the checks and the publish step's inputs are all derived here: adding
a mart is one `sql/<name>.sql` and one entry in STEPS. Nothing here knows Dagster; `assets/` turns these steps
into assets and checks, and `finsam.build.runner` runs them in plain Python for tests.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from finsam.build import contract as kontrakt
from finsam.publish import warehouse
from finsam.sources.registry import FILER, FYND, KALLOR, Kalla

REGISTER = "forbund_register"
REGISTER_TABLES = ("register.forbund", "register.medlemmar", "register.forbund_kommun_ar", "register.ar",
                   "register.installningar", "register.bygge", "register.insatser", "staging.korningar_tidigare",
                   "register.avslut_kategori", "register.avslutsorsak", "register.datakvalitet_vikter")
SCHEMAS = ("register", "staging", "marts")


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
    def path(self) -> str:
        """sql/<layer>/<name>.sql, relative to the project: the one file of that name in staging/, findings/ or
        marts/."""
        return sql_path(self.name)

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


SQL_LAYERS = ("staging", "findings", "marts")


def sql_path(name: str) -> str:
    """Where the SQL of step `name` lives: sql/<layer>/<name>.sql (sql/marts/ for a step without a file yet)."""
    for layer in SQL_LAYERS:
        if (warehouse.SQL_DIR / layer / f"{name}.sql").exists():
            return f"sql/{layer}/{name}.sql"
    return f"sql/marts/{name}.sql"


def _code(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def stock_flow(table: str, level: str, counted: str) -> Invariant:
    """Registrations: pågående(y-1) + nyinskrivna(y) - anonyma(y) - avslutade(y) = pågående(y), per förbund,
    `level` and year. `counted` says (of {x}) that a row is counted from registrations; a level with no
    registrations in y-1 had nobody open at its end; the first year has no y-1 to compare."""
    return Invariant("stock_flow", "Registrations: pågående(y-1) + nyinskrivna(y) - anonyma(y) - avslutade(y) = "
                     "pågående(y).", f"""
    select cur.forbund, cur.{level}, cur.ar
    from {table} cur
    left join {table} prev
      on prev.forbund = cur.forbund and prev.{level} = cur.{level} and prev.ar = cur.ar - 1
    where {counted.format(x="cur")} and cur.ar > (select min(ar) from register.ar)
      and coalesce(case when {counted.format(x="prev")} then prev.pagaende_vid_arets_slut end, 0)
          + cur.nyinskrivna - cur.anonyma - cur.avslutade <> cur.pagaende_vid_arets_slut""")


STOCK_FLOW = stock_flow("marts.deltagare_ar", "insats", "{x}.kalla = 'sus'")
# marts.avslut_ar splits deltagare_ar's avslutade by kategori; both read staging.deltagare_person_ar, and this
# check proves, row by row, that they agree (and that reported years carry no split).
AVSLUT_SUMMA = Invariant("summa", "avslut_ar has one row per deltagare_ar row and kategori; where deltagare_ar "
                         "counted from registrations its kategori rows add up to avslutade, arbete + studier to "
                         "avslut_arbete_studier, arbetssokande + studieredo to avslut_jobb_studieredo; elsewhere "
                         "they are NULL; med_stod + utan_stod <= avslutade.", """
    with summa as (
        select forbund, insats, ar, count(*) as rader, count(avslutade) as med_antal, sum(avslutade) as avslutade,
               sum(avslutade) filter (where kategori in ('arbete', 'studier')) as arbete_studier,
               sum(avslutade) filter (where kategori in ('arbetssokande', 'studieredo')) as jobb_studieredo,
               bool_or(med_stod + utan_stod > avslutade) as stod_over
        from marts.avslut_ar
        group by all
    )
    select d.forbund, d.insats, d.ar
    from marts.deltagare_ar d
    left join summa s using (forbund, insats, ar)
    where s.rader is distinct from (select count(*) from register.avslut_kategori)
       or (d.kalla = 'sus' and (s.avslutade is distinct from d.avslutade
                                or s.arbete_studier is distinct from d.avslut_arbete_studier
                                or s.jobb_studieredo is distinct from d.avslut_jobb_studieredo))
       or (d.kalla is distinct from 'sus' and s.med_antal > 0)
       or s.stod_over
    union all
    select a.forbund, a.insats, a.ar
    from marts.avslut_ar a anti join marts.deltagare_ar d using (forbund, insats, ar)""")

# Each Wilson interval holds its share: lag <= andel <= hog within 0-1, present exactly when the share is 0-1.
WILSON = Invariant("wilson", "jamforelse_ar: andel_*_lag <= andel_* <= andel_*_hog, all within 0-1; the interval "
                   "is NULL exactly when its share is NULL or above 1.", """
    select j.forbund, j.ar, s.andel_namn
    from marts.jamforelse_ar j
    cross join lateral (values
        ('andel_avslutade', j.andel_avslutade, j.andel_avslutade_lag, j.andel_avslutade_hog),
        ('andel_arbete_studier', j.andel_arbete_studier, j.andel_arbete_studier_lag, j.andel_arbete_studier_hog),
        ('andel_jobb_studieredo', j.andel_jobb_studieredo, j.andel_jobb_studieredo_lag, j.andel_jobb_studieredo_hog)
    ) s(andel_namn, andel, lag, hog)
    where (s.lag is null) <> (s.hog is null)
       or (s.lag is null) <> (s.andel is null or s.andel > 1)
       or not (0 <= s.lag and s.lag <= s.andel and s.andel <= s.hog and s.hog <= 1)""")

SQL_STEG = (
    SqlSteg("deltagare_ar", "marts", kontrakt.DeltagareAr.__doc__, kontrakt.DeltagareAr, "insats = '*'",
            (STOCK_FLOW,)),
    SqlSteg("ekonomi_ar", "marts", kontrakt.EkonomiAr.__doc__, kontrakt.EkonomiAr, "true"),
    SqlSteg("malgrupp_kommun", "marts", kontrakt.MalgruppKommun.__doc__, kontrakt.MalgruppKommun),
    SqlSteg("malgrupp_ar", "marts", kontrakt.MalgruppAr.__doc__, kontrakt.MalgruppAr, "true"),
    SqlSteg("helarsekvivalenter_kommun", "marts", kontrakt.HelarsekvivalenterKommun.__doc__,
            kontrakt.HelarsekvivalenterKommun),
    SqlSteg("helarsekvivalenter_ar", "marts", kontrakt.HelarsekvivalenterAr.__doc__, kontrakt.HelarsekvivalenterAr),
    SqlSteg("jamforelse_ar", "marts", kontrakt.JamforelseAr.__doc__, kontrakt.JamforelseAr, "true", (WILSON,)),
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
    SqlSteg("sus_insats", "sus", "Every SUS spell with the insats register's typ, kommun and financing on its start "
            "date (config/insatser.csv; typ 'okand' where the register has no row)."),
    SqlSteg("deltagare_person_ar", "sus", "The counting's person-year: one row per förbund, level (förbund, insats, "
            "typ, kommun, kön, ålder), year and individual, with whether they were open at the start and end and "
            "their last spell's kategori and stod."),
    SqlSteg("deltagare_raknat", "sus", "Participants counted from registrations per förbund, level (förbund, insats, "
            "typ, kommun, kön, ålder) and year: the person-year rows added up, for every participant mart."),
    SqlSteg("fynd_insats", "kontroller", "SUS insatser the insats register does not describe (okand_insats)."),
    # per kommun: a row for every kommun and year it is a member, so not necessarily every förbund and year
    SqlSteg("deltagare_kommun_ar", "marts", kontrakt.DeltagareKommunAr.__doc__, kontrakt.DeltagareKommunAr, None,
            (stock_flow("marts.deltagare_kommun_ar", "kommun", "{x}.pagaende_vid_arets_slut is not null"),
             Invariant("inom_forbundet", "A kommun's deltagare are some of the förbund's: at most its deltagare "
                       "(and so its registreringar).", """
                select k.forbund, k.kommun, k.ar from marts.deltagare_kommun_ar k
                join marts.deltagare_ar d on d.forbund = k.forbund and d.ar = k.ar and d.insats = '*'
                where k.deltagare > d.deltagare or (k.deltagare is not null and d.kalla is distinct from 'sus')"""))),
    SqlSteg("jamforelse_kommun_ar", "marts", kontrakt.JamforelseKommunAr.__doc__, kontrakt.JamforelseKommunAr),
    SqlSteg("deltagare_grupp_ar", "marts", kontrakt.DeltagareGruppAr.__doc__, kontrakt.DeltagareGruppAr, "true",
            (Invariant("summa", "The groups of each dimension add up to the förbund's row in deltagare_ar.", """
                select g.forbund, g.ar, g.dimension from marts.deltagare_grupp_ar g
                join marts.deltagare_ar d on d.forbund = g.forbund and d.ar = g.ar and d.insats = '*'
                where d.kalla = 'sus'
                group by g.forbund, g.ar, g.dimension, d.deltagare, d.nyinskrivna, d.avslutade,
                         d.avslut_arbete_studier, d.avslut_jobb_studieredo
                having sum(g.deltagare) <> d.deltagare or sum(g.nyinskrivna) <> d.nyinskrivna
                    or sum(g.avslutade) <> d.avslutade or sum(g.avslut_arbete_studier) <> d.avslut_arbete_studier
                    or sum(g.avslut_jobb_studieredo) <> d.avslut_jobb_studieredo"""),)),
    SqlSteg("tid_i_insats_ar", "marts", kontrakt.TidIInsatsAr.__doc__, kontrakt.TidIInsatsAr, None,
            (Invariant("kvartiler", "p25_dagar <= median_dagar <= p75_dagar, and all three exactly when something "
                       "ended.", """
                select forbund, insats, ar from marts.tid_i_insats_ar
                where (p25_dagar is null) <> (avslutade = 0) or (median_dagar is null) <> (avslutade = 0)
                   or (p75_dagar is null) <> (avslutade = 0) or p25_dagar > median_dagar
                   or median_dagar > p75_dagar"""),)),
    SqlSteg("kostnad_insats_ar", "marts", kontrakt.KostnadInsatsAr.__doc__, kontrakt.KostnadInsatsAr),
    SqlSteg("avslut_ar", "marts", kontrakt.AvslutAr.__doc__, kontrakt.AvslutAr, "insats = '*'", (AVSLUT_SUMMA,)),
    SqlSteg("tilldelning_ar", "marts", kontrakt.TilldelningAr.__doc__, kontrakt.TilldelningAr, "true"),
    SqlSteg("datakvalitet_poang", "marts", kontrakt.DatakvalitetPoang.__doc__, kontrakt.DatakvalitetPoang, "true"),
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
