"""Publishing: the finished build replaces the live warehouse in one atomic step."""

from dagster import AssetExecutionContext, MaterializeResult, asset
from dagster_duckdb import DuckDBResource

from finsam.warehouse import publish
from pipelines.resources import FinsamResource


@asset(group_name="publish", deps=["deltagare_ar", "datakvalitet", "inlasta_filer"], kinds={"duckdb"})
def finsam_lager(context: AssetExecutionContext, finsam: FinsamResource, duckdb: DuckDBResource
                 ) -> MaterializeResult:
    """The live warehouse, $FINSAM_DATA_DIR/marts/finsam.duckdb. Runs last: if any step or blocking check
    failed, this does not run and the previous warehouse stays as it was."""
    with duckdb.get_connection() as con:
        con.execute("checkpoint")
        tables = con.execute("select table_schema || '.' || table_name from information_schema.tables "
                             "where table_schema = 'marts' order by 1").fetchall()
    publish(finsam.staging_path, finsam.live_path)
    context.log.info(f"published {finsam.live_path}")
    return MaterializeResult(metadata={"path": str(finsam.live_path), "tables": ", ".join(t[0] for t in tables)})
