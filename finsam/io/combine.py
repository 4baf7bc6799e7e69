"""Rows from several files that describe the same thing: count once, the newest file wins, disagreements are
findings.

Each accepted file's rows are appended to a table in the build as the file is read (`Rader`), so no source is
ever held whole in Python; the rule then runs there in SQL. A source whose files are combined by another rule
(ekonomi: a whole statement per file) declares a polars function of its frames instead
(finsam.sources.source.Source)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import polars as pl

from finsam.io.findings import VARNING, Finding

ORDER = "andrad desc nulls last, fil desc nulls last, rad desc nulls last"  # newest file first; then the later row
BATCH_ROWS = 200_000  # rows gathered before one insert into the temporary table: a DuckDB row group


@dataclass(frozen=True)
class LatestWins:
    """Keep one row per `key`: the one from the file modified last (within one file, the later row). A copy whose
    `values` differ from the kept one's is a `dubblett_konflikt` finding built by `describe(row, kalla)`, where
    the row also holds the kept copy's values as `_w_<value>` and its file as `_w_fil`. `prepare` runs on each
    file's rows before they are stored (e.g. keys that depend on the file); `order` sorts the result. `internal`
    columns serve the rule only (a normalised key beside the text as written) and are left out of the table."""
    columns: dict[str, pl.DataType]
    key: list[str]
    values: list[str]
    describe: Callable[[dict, str], Finding]
    prepare: Callable[[pl.DataFrame], pl.DataFrame] = lambda frame: frame
    order: list[str] | None = None
    internal: tuple[str, ...] = ()


def _names(columns) -> str:
    return ", ".join(f'"{c}"' for c in columns)


class Rader:
    """The rows of one source's accepted files, appended a batch at a time to a temporary table of the build's
    connection (`_filer_<schema>_<table>`): kept in memory, and beyond DuckDB's memory limit in its temporary
    files, never in the build file. As a table of the file, the national SUS rows' inserts took 1.6 s instead of
    0.9 s, and the rows with their person keys went into the file only to be dropped."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: str, rule: LatestWins):
        self.con, self.table, self.rule = con, table, rule
        self.raw = "_filer_" + table.replace(".", "_")
        self.pending: list[pl.DataFrame] = []
        self.waiting = 0
        con.register("_empty", pl.DataFrame(schema=rule.columns).to_arrow())
        try:
            con.execute(f"create or replace temp table {self.raw} as select * from _empty")
        finally:
            con.unregister("_empty")

    def add(self, frame: pl.DataFrame) -> None:
        frame = self.rule.prepare(frame).select(pl.col(c).cast(t) for c, t in self.rule.columns.items())
        self.pending.append(frame)
        self.waiting += frame.height
        if self.waiting >= BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if not self.pending:
            return
        self.con.register("_rows", pl.concat(self.pending, rechunk=False).to_arrow())
        try:
            self.con.execute(f"insert into {self.raw} select * from _rows")
        finally:
            self.con.unregister("_rows")
        self.pending, self.waiting = [], 0

    def combine(self, kalla: str) -> list[Finding]:
        """Write `table` (one row per key) from the appended rows, drop them, and return the conflicts. Only a key
        held more than once needs the window that picks the newest copy (and only such keys can disagree): the
        rest, nearly every row, is kept as it is. At national scale (a million SUS rows, a few hundred keys held
        twice) the window over every row was most of the step's combining time."""
        self._flush()
        rule, cols = self.rule, _names(c for c in self.rule.columns if c not in self.rule.internal)
        window = f"partition by {_names(rule.key)} order by {ORDER}"
        sort = ", ".join(f'"{c}" nulls first' for c in rule.order or rule.key)
        same = " and ".join(f'r."{k}" is not distinct from h."{k}"' for k in rule.key)
        self.con.execute(f"create or replace temp table _flera as select {_names(rule.key)} from {self.raw} "
                         "group by all having count(*) > 1")
        copies = f"select r.* from {self.raw} r semi join _flera h on {same}"
        self.con.execute(f"""create or replace table {self.table} as select {cols} from (
                                 select r.* from {self.raw} r anti join _flera h on {same}
                                 union all
                                 select * from ({copies}) qualify row_number() over ({window}) = 1)
                             order by {sort}""")
        kept = ", ".join(f'first_value("{c}") over w as "_w_{c}"' for c in [*rule.values, "fil"])
        differs = " or ".join(f'"{v}" is distinct from "_w_{v}"' for v in rule.values)
        conflicts = self.con.execute(f"""
            select *, {kept} from ({copies}) window w as ({window})
            qualify row_number() over w > 1 and ({differs})
            order by {ORDER}""")
        names = [d[0] for d in conflicts.description]
        findings = [rule.describe(dict(zip(names, row)), kalla) for row in conflicts.fetchall()]
        self.con.execute(f"drop table {self.raw}")
        self.con.execute("drop table _flera")
        return findings


def conflict_finding(row: dict, kalla: str, values: list[str], what: str, **kw) -> Finding:
    found = ", ".join(f"{v}={row[v]}" for v in values)
    kept = ", ".join(f"{v}={row['_w_' + v]}" for v in values)
    return Finding("dubblett_konflikt", VARNING,
                   f"{what} appears more than once with different values; the copy in the newest file "
                   f"({row['_w_fil']}) wins (within one file, the later row)", kalla=kalla, fil=row["fil"],
                   rad=row["rad"],
                   hittat=found, forvantat=kept, **kw)
