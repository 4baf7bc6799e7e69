"""Marts built by plain SQL files (sql/<asset name>.sql), and the tables that explain them."""

from dagster import AssetExecutionContext, MaterializeResult, asset
from dagster_duckdb import DuckDBResource

from finsam.warehouse import row_count, run_sql

FINDING_SOURCES = ["sus_registreringar", "sus_aggregat_rader", "sus_avstamning", "folkmangd_rader",
                   "folkmangd_nov_rader", "helarsekvivalenter_rader", "scb_kontroller",
                   "ekonomi_rader", "tilldelning_rader", "ekonomi_kontroller"]
FILE_SOURCES = ["sus_registreringar", "sus_aggregat_rader", "folkmangd_rader", "folkmangd_nov_rader",
                "helarsekvivalenter_rader", "ekonomi_rader", "tilldelning_rader"]


def run_sql_asset(duckdb: DuckDBResource, name: str, table: str) -> MaterializeResult:
    """Run sql/<name>.sql in the build and report the rows of the table it writes."""
    with duckdb.get_connection() as con:
        run_sql(con, name)
        return MaterializeResult(metadata={"rows": row_count(con, table)})


def _gather(con, prefix: str, view: str, sources: list[str]) -> None:
    """staging.<view>: the union of staging.<prefix><source> over the steps that write one."""
    union = " union all by name ".join(f"select * from staging.{prefix}{s}" for s in sources)
    con.execute(f"create or replace view staging.{view} as {union}")


@asset(group_name="marts", deps=["forbund_register", "sus_registreringar", "sus_aggregat_rader"],
       kinds={"duckdb", "sql"})
def deltagare_ar(duckdb: DuckDBResource) -> MaterializeResult:
    """Participants per förbund, insats and year (sql/deltagare_ar.sql)."""
    return run_sql_asset(duckdb, "deltagare_ar", "marts.deltagare_ar")


@asset(group_name="marts", deps=["deltagare_ar", "sus_aggregat_rader"], kinds={"duckdb", "sql"})
def sus_avstamning(duckdb: DuckDBResource) -> MaterializeResult:
    """Reconciliation of participant counts: stock-flow on reports, reports against registrations, missing
    years (sql/sus_avstamning.sql)."""
    return run_sql_asset(duckdb, "sus_avstamning", "staging.fynd_sus_avstamning")


@asset(group_name="marts", deps=FINDING_SOURCES, kinds={"duckdb", "sql"})
def datakvalitet(context: AssetExecutionContext, duckdb: DuckDBResource) -> MaterializeResult:
    """Every finding of the build, one row each (sql/datakvalitet.sql)."""
    with duckdb.get_connection() as con:
        _gather(con, "fynd_", "fynd", FINDING_SOURCES)
        run_sql(con, "datakvalitet")
        counts = dict(con.execute("select allvarlighet, count(*) from marts.datakvalitet group by 1").fetchall())
    context.log.info(f"datakvalitet: {counts}")
    return MaterializeResult(metadata={"rows": sum(counts.values()), **{k: v for k, v in counts.items()}})


@asset(group_name="marts", deps=FILE_SOURCES, kinds={"duckdb", "sql"})
def inlasta_filer(duckdb: DuckDBResource) -> MaterializeResult:
    """Every input file seen by the build, loaded or rejected (sql/inlasta_filer.sql)."""
    with duckdb.get_connection() as con:
        _gather(con, "filer_", "filer", FILE_SOURCES)
        run_sql(con, "inlasta_filer")
        return MaterializeResult(metadata={"rows": row_count(con, "marts.inlasta_filer")})
