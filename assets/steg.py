"""Assets and blocking checks generated from the declared steps (finsam.steg): one asset per ingestion folder and
per SQL file, its dependencies read from the declarations and the SQL, each mart's contract as its column schema
and as blocking checks. Adding a mart is a SQL file and an entry in finsam.steg.STEPS; nothing here changes."""

from dagster import (AssetCheckResult, AssetChecksDefinition, AssetCheckSeverity, AssetExecutionContext,
                     AssetsDefinition, MaterializeResult, TableColumn, TableSchema, asset, asset_check)
from dagster_duckdb import DuckDBResource

from finsam import bygg, steg
from pipelines.resources import FinsamResource, connection

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
        with connection(duckdb) as con:
            return MaterializeResult(metadata=bygg.run(finsam.bygge(con, context.log), step.name))
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
