"""The guard before publishing: a new build must not silently lose what the live warehouse shows.

A source folder that is missing or empty while the live warehouse holds data from it (a network share that did
not mount, a typo in FINSAM_DATA_DIR), or a förbund-year whose counts or money go from a value to NULL (a broken
re-export quarantined, a file removed), stops publication unless the loss is confirmed as intended.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

# The figures owners read, per förbund and year: losing any of them is a loss.
WATCHED = {
    "jamforelse_ar": ("deltagare", "avslutade", "avslut_arbete_studier", "avslut_jobb_studieredo"),
    "ekonomi_ar": ("medlemsbidrag", "externa_bidrag", "intakter_totalt", "kostnad_individ", "kostnad_struktur",
                   "kostnad_admin", "kostnader_totalt", "eget_kapital"),
}
CONFIRM = "FINSAM_TILLAT_FORLUST=1 (or `python -m pipelines.run --tillat-forlust`)"


class DataLoss(Exception):
    """Publishing this build would lose what the live warehouse shows, and the loss was not confirmed."""

    def __init__(self, lost: list[str]):
        self.lost = lost
        shown = "\n  ".join(lost[:30]) + (f"\n  ... and {len(lost) - 30} more" if len(lost) > 30 else "")
        super().__init__(f"not publishing: this build would lose data the live warehouse has ({len(lost)} "
                         f"item(s)); the previous warehouse is unchanged. If the loss is intended (a förbund left, "
                         f"a file was withdrawn), rerun with {CONFIRM}.\n  {shown}")


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def losses(build: duckdb.DuckDBPyConnection, live: Path) -> list[str]:
    """What publishing `build` would lose against the live warehouse, one line each; [] = nothing."""
    if not live.exists():
        return []
    build.execute(f"attach '{_sql_path(live)}' as live (read_only)")
    try:
        return _sources(build) + _values(build)
    finally:
        build.execute("detach live")


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
    out = []
    for table, columns in WATCHED.items():
        lost = " or ".join(f"(l.{c} is not null and b.{c} is null)" for c in columns)
        which = ", ".join(f"case when l.{c} is not null and b.{c} is null then '{c}' end" for c in columns)
        rows = con.execute(f"""
            select l.forbund, l.ar, concat_ws(', ', {which}) as kolumner
            from live.marts.{table} l
            left join marts.{table} b on b.forbund = l.forbund and b.ar = l.ar
            where b.forbund is null or {lost}
            order by l.forbund, l.ar""").fetchall()
        out += [f"{table} {forbund} {ar}: " + (f"{kolumner} would go from a value to NULL" if kolumner
                                              else "the förbund-year would disappear")
                for forbund, ar, kolumner in rows]
    return out
