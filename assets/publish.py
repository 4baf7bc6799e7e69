"""Publishing: the finished build replaces the live warehouse in one atomic step."""

from dagster import AssetExecutionContext, Failure, MaterializeResult, asset
from dagster_duckdb import DuckDBResource

from finsam import steg
from finsam.warehouse import build_owner, publish
from pipelines.resources import FinsamResource, connection


@asset(group_name="publish", deps=[*(s.name for s in steg.MARTS), "genomlysning"], kinds={"duckdb"})
def finsam_lager(context: AssetExecutionContext, finsam: FinsamResource, duckdb: DuckDBResource
                 ) -> MaterializeResult:
    """The live warehouse, $FINSAM_DATA_DIR/marts/finsam.duckdb, and beside it the report and exports. Runs last:
    if any step or blocking check failed, this does not run and the previous warehouse and report stay as they
    were. It publishes only a file this run
    built from scratch with every mart rebuilt, so a partial run (say, this asset alone) cannot publish a stale
    or half-built file."""
    stale = [k.to_user_string() for k in context.assets_def.dependency_keys
             if (e := context.instance.get_latest_materialization_event(k)) is None or e.run_id != context.run.run_id]
    if stale or build_owner(finsam.staging_path) != context.run.run_id:
        raise Failure("not publishing: this run did not build the whole warehouse "
                      f"(not rebuilt in this run: {', '.join(stale) or steg.REGISTER}); run nightly_job whole")
    with connection(duckdb) as con:
        con.execute("checkpoint")
        tables = con.execute("select table_schema || '.' || table_name from information_schema.tables "
                             "where table_schema = 'marts' order by 1").fetchall()
    publish(finsam.staging_path, finsam.live_path, finsam.report_staging_path)
    context.log.info(f"published {finsam.live_path}")
    return MaterializeResult(metadata={"path": str(finsam.live_path), "tables": ", ".join(t[0] for t in tables)})
