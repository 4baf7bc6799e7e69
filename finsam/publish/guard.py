"""The guard before publishing: a new build must not silently lose what the live warehouse shows.

A source folder that is missing or empty while the live warehouse holds data from it (a network share that did
not mount, a typo in FINSAM_DATA_DIR), or a förbund-year whose counts or money go from a value to NULL (a broken
re-export quarantined, a file removed), stops publication unless the loss is confirmed as intended.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from finsam.build import steps
from finsam.sqltext import identifier

CONFIRM = "FINSAM_TILLAT_FORLUST=1 (or `python -m pipelines.run --tillat-forlust`)"
CONFIRM_KEY = "FINSAM_TILLAT_NYCKELBYTE=1 (or `python -m pipelines.run --tillat-nyckelbyte`)"


class DataLoss(Exception):
    """Publishing this build would lose what the live warehouse shows, and the loss was not confirmed."""

    def __init__(self, lost: list[str]):
        self.lost = lost
        super().__init__(f"not publishing: this build would lose data the live warehouse has ({len(lost)} "
                         f"item(s)); the previous warehouse is unchanged. If the loss is intended (a förbund left, "
                         f"a file was withdrawn), rerun with {CONFIRM}.\n  {listed(lost)}")


def listed(lines: list[str], most: int = 30) -> str:
    """The first `most` lines of a guard's list, one per line, and how many more there are."""
    return "\n  ".join(lines[:most]) + (f"\n  ... and {len(lines) - most} more" if len(lines) > most else "")


class KeyChanged(Exception):
    """The pseudonym key is not the one the live warehouse was built with, and the change was not confirmed."""

    def __init__(self, live: str, new: str):
        super().__init__(
            f"not building: FINSAM_PSEUDONYM_KEY is not the key the live warehouse was built with (fingerprint "
            f"{new[:12]}, expected {live[:12]} as register.nyckel holds it): with another key every person gets a "
            f"new pseudonym, and people can no longer be followed from one run to the next. The previous warehouse "
            f"is unchanged. Set the key used before; if the key was replaced on purpose, rerun once with "
            f"{CONFIRM_KEY}.")


def live_key(build: duckdb.DuckDBPyConnection, live: Path) -> tuple | None:
    """(fingeravtryck, sedan) of the live warehouse's register.nyckel: the fingerprint of the key it was built with
    and since when; None when there is no live warehouse or it has no such table (built before it existed)."""
    def read(con: duckdb.DuckDBPyConnection) -> tuple | None:
        if not con.execute("select count(*) from duckdb_tables() where database_name = 'live' and "
                           "schema_name = 'register' and table_name = 'nyckel'").fetchall()[0][0]:
            return None
        rows = con.execute("select fingeravtryck, sedan from live.register.nyckel").fetchall()
        return rows[0] if rows else None
    return _compare(build, live, read) if live.exists() else None


def published_input(live: Path) -> str | None:
    """The digest of raw/ the live warehouse's latest published run started from (marts.korningar.indata), or None:
    no live warehouse, one published before the column, or one that cannot be read right now. Opened read-only
    for a moment: a run publishing meanwhile replaces the file, never writes into it."""
    if not live.exists():
        return None
    try:
        with duckdb.connect(str(live), read_only=True) as con:
            if "indata" not in {c for c, in con.execute(
                    "select column_name from duckdb_columns() where schema_name = 'marts' "
                    "and table_name = 'korningar'").fetchall()}:
                return None
            rows = con.execute("select indata from marts.korningar order by lopnummer desc limit 1").fetchall()
    except duckdb.Error:
        return None
    return rows[0][0] if rows else None


def losses(build: duckdb.DuckDBPyConnection, live: Path) -> list[str]:
    """What publishing `build` would lose against the live warehouse, one line each; [] = nothing."""
    return _compare(build, live, lambda con: _sources(con) + _values(con))


def source_changes(build: duckdb.DuckDBPyConnection, live: Path) -> list[str]:
    """The förbund-years whose participant counts move from one source to another (SUS registrations to
    Uppföljning Finsam, say): a change to report, not a loss; one line each."""
    return _compare(build, live, lambda con: [
        f"deltagare_ar {forbund} {ar}: the counts now come from {ny} (were {gammal})"
        for forbund, ar, gammal, ny in con.execute(f"{MOVED} order by all").fetchall()])


@contextmanager
def attached(con: duckdb.DuckDBPyConnection, live: Path, alias: str = "live") -> Iterator[bool]:
    """The live warehouse attached read-only to `con` as `alias` for the block, and detached after it; yields
    False (and attaches nothing) when there is no live warehouse yet (a first run)."""
    if not live.exists():
        yield False
        return
    con.execute(f"attach ? as {identifier(alias)} (read_only)", [str(live)])
    try:
        yield True
    finally:
        con.execute(f"detach {identifier(alias)}")


def _compare(build: duckdb.DuckDBPyConnection, live: Path, compare) -> list[str]:
    with attached(build, live) as found:
        return compare(build) if found else []


# The förbund-years whose source (deltagare_ar.kalla of the förbund row) is another in this build than in the live
# warehouse, both known. A year that loses its only source (kalla NULL now) is not among them: that is a loss.
MOVED = """
    select l.forbund, l.ar, l.kalla, b.kalla
    from live.marts.deltagare_ar l
    join marts.deltagare_ar b on b.forbund = l.forbund and b.ar = l.ar and b.insats = l.insats
    where l.insats = '*' and l.kalla is not null and b.kalla is not null and l.kalla <> b.kalla"""


def _sources(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute("""
        select l.kalla, count(*) as filer
        from live.marts.inlasta_filer l
        where l.status = 'inlast'
          and not exists (select 1 from marts.inlasta_filer b where b.kalla = l.kalla)
        group by l.kalla order by l.kalla""").fetchall()
    return [f"source {kalla}: its folder is missing or empty in this run, but the live warehouse holds data from "
            f"{n} file(s) of it" for kalla, n in rows]


def _values(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every watched value column of every mart (its declaration's `watched`: all value columns unless it says
    why not), row by row on the mart's key: a value that becomes NULL is a loss, and so is a förbund-year that
    disappears. A row that disappears inside a förbund-year that stays (a cost line renamed in the config) is not:
    its förbund-year's other rows still carry the figures, and neither is a förbund-year whose counts moved to
    another source (source_changes). A watched mart is keyed by förbund and year (the declarations refuse one that
    is not)."""
    out = []
    live_columns = _live_columns(con)
    for step in steps.MARTS:
        d = step.declaration
        columns = [c for c in d.watched if c in live_columns.get(d.steg, ())]
        if not columns:
            continue
        key = d.nyckel
        on = " and ".join(f"b.{k} is not distinct from l.{k}" for k in key)
        lost = " or ".join(f"(l.{c} is not null and b.{c} is null)" for c in columns)
        # one line per förbund-year: the columns that lose a value in any of its rows, and in how many rows
        rows = con.execute(f"""
            with l as (select * from live.marts.{d.steg}),
            years as (select distinct forbund, ar from marts.{d.steg}),
            lost as (
                select l.forbund, l.ar, y.forbund is null as borta, {which_list(columns)} as kolumner
                from l left join marts.{d.steg} b on {on}
                left join years y on y.forbund = l.forbund and y.ar = l.ar
                where (y.forbund is null or (b.{key[0]} is not null and ({lost})))
              and (l.forbund, l.ar) not in (select forbund, ar from ({MOVED})))
            select forbund, ar, bool_or(borta), list_distinct(flatten(list(kolumner))), count(*)
            from lost group by forbund, ar order by forbund, ar""").fetchall()
        for forbund, ar, borta, kolumner, n in rows:
            if borta:
                out.append(f"{d.steg} {forbund} {ar}: the förbund-year would disappear")
            else:
                shown = ", ".join(c for c in columns if c in kolumner)
                out.append(f"{d.steg} {forbund} {ar}: {shown} would go from a value to NULL"
                           + (f" ({n} rows)" if n > 1 else ""))
    return out


def which_list(columns: list[str]) -> str:
    """SQL: the list of the columns that had a value in the live row (l) and have none in the build's (b)."""
    cases = ", ".join(f"case when l.{c} is not null and b.{c} is null then '{c}' end" for c in columns)
    return f"list_filter([{cases}], lambda x: x is not null)"


def _live_columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """The live warehouse's marts and their columns: one published before a column was added is compared on the
    rest. One query, not one per mart."""
    out: dict[str, set[str]] = {}
    for mart, column in con.execute("""
            select c.table_name, c.column_name from duckdb_columns() c join duckdb_tables() t
            using (database_name, schema_name, table_name)
            where c.database_name = 'live' and c.schema_name = 'marts'""").fetchall():
        out.setdefault(mart, set()).add(column)
    return out
