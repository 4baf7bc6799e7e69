"""Assets generated from the declared steps (finsam.build.steps): one asset per ingestion folder and per SQL file, its
dependencies read from the declarations and the SQL, each mart's contract as its column schema, and its blocking
checks run by the asset itself right after it is built (a failed one fails the step, so nothing downstream runs
and nothing is published). Adding a mart is its SQL file and its declaration beside it (sql/marts/<name>.sql and
.yaml); nothing here changes."""

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetsDefinition,
    Failure,
    MaterializeResult,
    TableColumn,
    TableSchema,
    asset,
)

from assets.resources import BuildDb, FinsamResource, masked_errors, progress, timed
from finsam.build import runner, steps


def require_this_runs_build(context: AssetExecutionContext, duckdb: BuildDb) -> None:
    """A step works on the file this run's forbund_register started, never on another run's build or a stale
    one: materialising one asset on its own fails here with what to do instead, not with a database error."""
    if duckdb.owner() != context.run.run_id:
        raise Failure(f"{context.asset_key.to_user_string()} is one step of a whole build and cannot run on its own: "
                      "materialise the whole job (nightly_job, \"Materialize all\" in the UI), which starts a new "
                      "build with forbund_register and publishes it with finsam_lager.")

def column_schema(step: steps.SqlStep) -> TableSchema:
    """The mart's columns as the Dagster UI shows them: name, DuckDB type, Swedish label and definition."""
    return TableSchema(columns=[TableColumn(c.namn, c.typ, description=f"{c.etikett}: {c.definition}")
                                for c in step.declaration.kolumner])


def check_result(name: str, description: str, problems: list[str],
                 severity: AssetCheckSeverity = AssetCheckSeverity.ERROR) -> AssetCheckResult:
    return AssetCheckResult(check_name=name, passed=not problems, severity=severity,
                            metadata={"violations": len(problems), "examples": "\n".join(problems[:10]),
                                      "rule": description})


def step_asset(step: steps.Source | steps.SqlStep) -> AssetsDefinition:
    is_sql = isinstance(step, steps.SqlStep)
    metadata = {"writes": ", ".join(step.writes)}
    checks = runner.checks(step) if is_sql else []
    warnings = runner.warnings(step) if is_sql else []
    if is_sql:
        metadata["sql"] = step.path
        if step.is_mart:
            metadata["dagster/column_schema"] = column_schema(step)

    @asset(name=step.name, group_name=step.group, deps=list(steps.deps(step.name)), description=step.description,
           kinds={"duckdb", "sql" if is_sql else "polars"}, metadata=metadata,
           check_specs=[AssetCheckSpec(name, asset=step.name, blocking=True, description=description)
                        for name, description, _ in checks]
           + [AssetCheckSpec(name, asset=step.name, blocking=False, description=description)
              for name, description, _ in warnings])
    def _asset(context: AssetExecutionContext, finsam: FinsamResource, duckdb: BuildDb) -> MaterializeResult:
        require_this_runs_build(context, duckdb)
        with duckdb.get_connection() as con, masked_errors():
            metadata, seconds = timed(lambda: runner.run(finsam.build_context(con, context.log), step.name))
            results, check_seconds = timed(lambda: [check_result(name, description, fn(con))
                                                    for name, description, fn in checks]
                                           + [check_result(name, description, fn(con), AssetCheckSeverity.WARN)
                                              for name, description, fn in warnings])
        progress(step.name, metadata, seconds + check_seconds)
        return MaterializeResult(metadata={**metadata, "seconds": round(seconds, 2),
                                           "check_seconds": round(check_seconds, 2)}, check_results=results)
    return _asset


ASSETS = [step_asset(s) for s in steps.STEPS]
