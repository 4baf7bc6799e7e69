"""The revision guard: a published figure of a closed year that a new build changes is a revision, recorded and,
beyond the tolerance, published only when confirmed.

A closed year is one before the year of the run's date (BuildContext.today): its numbers were published as final,
and an owner who read them in the report expects them to stay. A re-export that drops rows, a delårsrapport that
replaces an årsredovisning or a config change can change them silently; the loss guard (guard.py) sees only values
that become NULL. Here every figure the declarations let the guard compare (declarations.Declaration.revised: every
count, amount, ratio and description of persons of every mart that is not bookkeeping) is compared, row by row on
the mart's key, with the live warehouse:

- `compared` attaches the live warehouse while the step `revisioner` runs and gives its SQL
  (sql/marts/revisioner.sql, which says what a revision is) two temporary views: revision_par, the published and
  the new value of every figure of a closed year, and revision_filer, the input files that changed since the last
  publish with the förbund and years their rows concern;
- marts.revisioner keeps the revisions of every publish (carried over like marts.korningar);
- `beyond_tolerance` lists this build's revisions beyond revision_tolerans, which `runner.publish_build` refuses
  to publish unless confirmed (FINSAM_TILLAT_REVISION=1, --tillat-revision) by raising `Revision`.

A value that was NULL (published as "saknas") and now exists is a first publication, not a revision: the
årsredovisning of last year arriving in March must not stop the night's run.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from finsam.build import declarations, steps
from finsam.publish import guard
from finsam.sources.registry import FILER, FYND

MART = "revisioner"
TIDIGARE = "staging.revisioner_tidigare"
ALIAS = "publicerat"
CONFIRM = "FINSAM_TILLAT_REVISION=1 (or `python -m pipelines.run --tillat-revision`)"
PAR, FILER_VY = "revision_par", "revision_filer"


def _earlier() -> str:
    """staging.revisioner_tidigare, typed as the mart's declaration says (the live warehouse's rows go in by name)."""
    columns = ", ".join(f"{c.namn} {c.typ}" for c in steps.BY_NAME[MART].declaration.kolumner)
    return f"create or replace table {TIDIGARE} ({columns})"


EARLIER = _earlier()


class Revision(Exception):
    """Publishing this build would change published figures of closed years beyond revision_tolerans, and the
    change was not confirmed."""

    def __init__(self, revised: list[str], tolerans: float):
        self.revised = revised
        super().__init__(f"not publishing: this build changes {len(revised)} published figure(s) of closed years "
                         f"by more than revision_tolerans ({tolerans:.2%}, config/installningar.yaml), or from or to "
                         "0 or NULL; the previous warehouse is unchanged. If the revision is intended (a corrected "
                         f"re-export, a new mapping), rerun with {CONFIRM}; marts.revisioner will record it.\n  "
                         f"{guard.listed(revised)}")


@contextmanager
def compared(con: duckdb.DuckDBPyConnection, live: Path) -> Iterator[None]:
    """While the block runs: the live warehouse attached read-only as `publicerat`, and the temporary views
    revision_par and revision_filer (empty without a live warehouse). Temporary, so nothing of it is written into
    the build file."""
    with guard.attached(con, live, ALIAS) as found:
        con.execute(f"create or replace temp view {PAR} as {_pairs(con) if found else EMPTY_PAIRS}")
        con.execute(f"create or replace temp view {FILER_VY} as {_files(con) if found else EMPTY_FILES}")
        try:
            yield
        finally:
            con.execute(f"drop view if exists {PAR}")
            con.execute(f"drop view if exists {FILER_VY}")


EMPTY_PAIRS = ("select null::varchar as mart, null::varchar as forbund, null::integer as ar, null::varchar as nyckel, "
               "null::varchar as kolumn, null::varchar as skydd, null::double as gammalt, null::double as nytt, "
               "null::bigint as underlag_gammalt, null::bigint as underlag_nytt where false")
EMPTY_FILES = ("select null::varchar as fil, null::varchar as hur, null::varchar as forbund, null::integer as ar "
               "where false")


def _columns(con: duckdb.DuckDBPyConnection, database: str, schema: str) -> dict[str, set[str]]:
    """table -> its columns, for every table of one schema of an attached database."""
    out: dict[str, set[str]] = {}
    for table, column in con.execute("select table_name, column_name from duckdb_columns() where database_name = ? "
                                     "and schema_name = ?", [database, schema]).fetchall():
        out.setdefault(table, set()).add(column)
    return out


def _underlag(d: declarations.Declaration, column: str, alias: str, present: set[str]) -> str:
    """SQL: the smallest count of persons above 0 that a figure rests on (a count of persons: itself; a ratio or a
    description: the counts of its row it is built on, `av`); NULL for money and for counts of other things. The
    report and the workbook hide the figure wherever that count is suppressed."""
    c = d.column(column)
    if c.skydd == "personer":
        return f"{alias}.{column}"
    counts = [f"nullif({alias}.{a}, 0)" for a in (c.av or ()) if a in present]
    return f"least({', '.join(counts)})::bigint" if counts else "null::bigint"


def _pairs(con: duckdb.DuckDBPyConnection) -> str:
    """SQL: for every mart the guard covers that the live warehouse has, each figure of a live row of a closed year
    beside the build's value of the same row (NULL when the build lost the row), the published NULLs left out."""
    live = _columns(con, ALIAS, "marts")
    parts = [_pair_query(s.declaration, live[s.name]) for s in steps.MARTS
             if s.name in live and set(s.declaration.nyckel) <= live[s.name]
             and any(c in live[s.name] for c in s.declaration.revised)]
    if not parts:
        return EMPTY_PAIRS
    return f"select * from ({' union all '.join(parts)}) where gammalt is not null"


def _pair_query(d: declarations.Declaration, present: set[str]) -> str:
    """One mart's live rows of closed years joined with the build's on the mart's key and unnested into one row per
    figure; a column the live warehouse does not have yet (published before it was added) is left out."""
    columns = [c for c in d.revised if c in present]
    built = {c.namn for c in d.kolumner}
    nyckel = " || ', ' || ".join(f"'{k}=' || coalesce(l.{k}::varchar, '')" for k in d.nyckel)
    on = " and ".join(f"b.{k} is not distinct from l.{k}" for k in d.nyckel)

    def listed(make) -> str:
        return "[" + ", ".join(make(c) for c in columns) + "]"
    return f"""
        select '{d.steg}' as mart, l.forbund::varchar as forbund, l.ar::integer as ar, {nyckel} as nyckel,
               unnest({listed(lambda c: f"'{c}'")}) as kolumn,
               unnest({listed(lambda c: f"'{d.column(c).skydd}'")}) as skydd,
               unnest({listed(lambda c: f'l.{c}::double')}) as gammalt,
               unnest({listed(lambda c: f'b.{c}::double')}) as nytt,
               unnest({listed(lambda c: _underlag(d, c, 'l', present))}) as underlag_gammalt,
               unnest({listed(lambda c: _underlag(d, c, 'b', built))}) as underlag_nytt
        from {ALIAS}.marts.{d.steg} l
        left join marts.{d.steg} b on {on}
        where l.ar <= (select sista_stangda_ar from register.installningar)"""


def _lineage(con: duckdb.DuckDBPyConnection, database: str, prefix: str) -> list[str]:
    """SQL queries (fil, forbund, ar) over every staging table of `database` whose rows name their file and their
    förbund (or their kommun and year, tied to the förbund that had the kommun as member that year); ar is NULL
    where the rows give no year (a spell of SUS counts in every year it touches). Findings and file lists are not
    rows of data and are left out."""
    out = []
    for table, cols in sorted(_columns(con, database, "staging").items()):
        if "fil" not in cols or table.startswith((FYND, FILER)):
            continue
        source = f"{prefix}staging.{table}"
        if "forbund" in cols:
            ar = "t.ar::integer" if "ar" in cols else "null::integer"
            out.append(f"select distinct t.fil, t.forbund::varchar as forbund, {ar} as ar from {source} t "
                       "where t.fil in (select fil from andrade)")
        elif {"kommun", "ar"} <= cols:
            out.append(f"select distinct t.fil, k.forbund, t.ar::integer as ar from {source} t "
                       "join register.forbund_kommun_ar k on k.kommun = t.kommun and k.ar = t.ar "
                       "where t.fil in (select fil from andrade)")
    return out


def _files(con: duckdb.DuckDBPyConnection) -> str:
    """SQL: each input file that is new, changed (another checksum), rejected or removed since the live warehouse was
    published (their marts.inlasta_filer compared), with the förbund and years its rows concern, as far as the
    staging tables of the build (and, for a removed file, of the live warehouse) tell."""
    build = con.execute("select current_database()").fetchall()[0][0]
    lineage = _lineage(con, build, "") + _lineage(con, ALIAS, f"{ALIAS}.")
    if not lineage:
        return EMPTY_FILES
    return f"""
        with andrade as (
            select b.fil, case when p.fil is null then 'ny' when b.status <> 'inlast' then 'avvisad'
                               else 'ändrad' end as hur
            from marts.inlasta_filer b left join {ALIAS}.marts.inlasta_filer p on p.fil = b.fil
            where p.fil is null or p.sha256 is distinct from b.sha256 or p.status is distinct from b.status
            union all
            select p.fil, 'borttagen' from {ALIAS}.marts.inlasta_filer p
            anti join marts.inlasta_filer b on b.fil = p.fil
        ),
        spar as ({' union '.join(lineage)})
        select a.fil, a.hur, s.forbund, s.ar from andrade a join spar s on s.fil = a.fil"""


def beyond_tolerance(con: duckdb.DuckDBPyConnection, loss_confirmed: bool = False) -> list[str]:
    """This build's revisions beyond revision_tolerans (marts.revisioner, korning = this run), one line each. A
    value that became NULL is also a loss: when the loss is confirmed (--tillat-forlust), so is that revision, and
    it is left out."""
    rows = con.execute(f"""
        select r.mart, r.nyckel, r.kolumn, r.gammalt, r.nytt, r.andring, r.filer
        from marts.{MART} r join register.bygge b on r.korning = b.run_id
        where r.over_tolerans and not (? and r.nytt is null)
        order by r.mart, r.forbund, r.ar, r.nyckel, r.kolumn""", [loss_confirmed]).fetchall()
    return [f"{mart} {nyckel}: {kolumn} {_number(gammalt)} -> {_number(nytt)}"
            + (f" ({andring:+.1%})" if andring is not None else "") + (f"; files: {filer}" if filer else "")
            for mart, nyckel, kolumn, gammalt, nytt, andring, filer in rows]


def counted(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(revisions of this build, of which beyond tolerance)."""
    return con.execute(f"""select count(*), count(*) filter (where r.over_tolerans) from marts.{MART} r
                           join register.bygge b on r.korning = b.run_id""").fetchall()[0]


def tolerance(con: duckdb.DuckDBPyConnection) -> float:
    return con.execute("select revision_tolerans from register.installningar").fetchall()[0][0]


def _number(value: float | None) -> str:
    """A figure in a guard line: whole numbers and amounts grouped by thousands, ratios with four digits."""
    if value is None:
        return "NULL"
    return f"{value:,.0f}".replace(",", " ") if abs(value) >= 100 or float(value).is_integer() else f"{value:.4g}"
