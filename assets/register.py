"""The first asset of every build: a new, empty warehouse file with the registry and settings as tables."""

from dagster import AssetExecutionContext, MaterializeResult, asset
from dagster_duckdb import DuckDBResource

from finsam import bygg, steg
from finsam.warehouse import BuildInProgress, build_owner, start_build
from pipelines.resources import FinsamResource, connection


@asset(name=steg.REGISTER, group_name="register", kinds={"duckdb"}, description=bygg.register.__doc__)
def forbund_register(context: AssetExecutionContext, finsam: FinsamResource, duckdb: DuckDBResource
                     ) -> MaterializeResult:
    owner = build_owner(finsam.staging_path)
    if owner and owner != context.run.run_id:
        run = context.instance.get_run_by_id(owner)
        if run is not None and not run.is_finished:
            raise BuildInProgress(f"run {owner} is still building {finsam.staging_path}; wait for it to finish")
    start_build(finsam.staging_path)
    with connection(duckdb) as con:
        return MaterializeResult(metadata=bygg.register(finsam.bygge(con, context.log), context.run.run_id))
