"""Assets and blocking checks generated from the declared steps (finsam.steg): one asset per ingestion folder and
per SQL file, its dependencies read from the declarations and the SQL, each mart's contract as its column schema
and as blocking checks. Adding a mart is a SQL file and an entry in finsam.steg.STEPS; nothing here changes."""

from dagster import (AssetCheckResult, AssetChecksDefinition, AssetCheckSeverity, AssetExecutionContext,
                     AssetsDefinition, Failure, MaterializeResult, TableColumn, TableSchema, asset, asset_check)
from dagster_duckdb import DuckDBResource

from finsam import bygg, steg
from finsam.warehouse import build_owner
from pipelines.resources import FinsamResource, connection, progress, timed


def require_this_runs_build(context: AssetExecutionContext, finsam: FinsamResource) -> None:
    """A step works on the file this run's forbund_register started, never on another run's build or a stale
    one: materialising one asset on its own fails here with what to do instead, not with a database error."""
    if build_owner(finsam.staging_path) != context.run.run_id:
        raise Failure(f"{context.asset_key.to_user_string()} is one step of a whole build and cannot run on its own: "
                      "materialise the whole job (nightly_job, \"Materialize all\" in the UI), which starts a new "
                      "build with forbund_register and publishes it with finsam_lager.")

DUCKDB_TYPES = {"String": "VARCHAR", "Int32": "INTEGER", "Int64": "BIGINT", "Float64": "DOUBLE",
                "Boolean": "BOOLEAN", "Date": "DATE"}


def column_schema(step: steg.SqlSteg) -> TableSchema:
    """The mart's columns as the Dagster UI shows them: name, DuckDB type, definition."""
    columns = step.model.to_schema().columns
    return TableSchema(columns=[TableColumn(name, DUCKDB_TYPES.get(str(c.dtype), "TIMESTAMP"),
                                            description=c.description) for name, c in columns.items()])


def step_asset(step: steg.Kalla | steg.SqlSteg) -> AssetsDefinition:
    is_sql = isinstance(step, steg.SqlSteg)
    metadata = {"writes": ", ".join(step.writes)}
    if is_sql:
        metadata["sql"] = f"sql/{step.name}.sql"
        if step.model is not None:
            metadata["dagster/column_schema"] = column_schema(step)

    @asset(name=step.name, group_name=step.group, deps=list(steg.deps(step.name)), description=step.description,
           kinds={"duckdb", "sql" if is_sql else "polars"}, metadata=metadata)
    def _asset(context: AssetExecutionContext, finsam: FinsamResource, duckdb: DuckDBResource) -> MaterializeResult:
        require_this_runs_build(context, finsam)
        with connection(duckdb) as con:
            metadata, seconds = timed(lambda: bygg.run(finsam.bygge(con, context.log), step.name))
        progress(step.name, metadata, seconds)
        return MaterializeResult(metadata={**metadata, "seconds": round(seconds, 2)})
    return _asset


def blocking_check(asset_name: str, name: str, description: str, fn) -> AssetChecksDefinition:
    @asset_check(asset=asset_name, name=name, blocking=True, description=description)
    def _check(duckdb: DuckDBResource) -> AssetCheckResult:
        with connection(duckdb) as con:
            problems = fn(con)
        return AssetCheckResult(passed=not problems, severity=AssetCheckSeverity.ERROR,
                                metadata={"violations": len(problems), "examples": "\n".join(problems[:10]),
                                          "rule": description})
    return _check


ASSETS = [step_asset(s) for s in steg.STEPS]
CHECKS = [blocking_check(s.name, *c) for s in steg.MARTS for c in bygg.checks(s)]
