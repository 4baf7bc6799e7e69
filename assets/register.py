"""The first asset of every build: it takes the data directory's build lock, clears whatever an earlier run left,
and starts a new warehouse file with the registry and settings as tables."""

from dagster import AssetExecutionContext, Failure, MaterializeResult, asset

from assets.resources import BuildDb, FinsamResource, masked_errors
from finsam.build import runner, steps
from finsam.publish import guard
from finsam.publish.warehouse import lock, start_build


def trigger(context: AssetExecutionContext) -> str:
    """What started the run, for marts.korningar: kommando, schema, sensor or ui."""
    tags = context.run.tags
    if "finsam/utlost_av" in tags:
        return tags["finsam/utlost_av"]
    if "dagster/schedule_name" in tags:
        return "schema"
    if "dagster/sensor_name" in tags:
        return "sensor"
    return "ui"


@asset(name=steps.REGISTER, group_name="register", kinds={"duckdb"}, description=runner.register.__doc__)
def forbund_register(context: AssetExecutionContext, finsam: FinsamResource, duckdb: BuildDb
                     ) -> MaterializeResult:
    if not finsam.data_path.is_dir():
        raise Failure(f"FINSAM_DATA_DIR {finsam.data_path} does not exist: nothing to build from, and the live "
                      "warehouse is left as it is. Check the path (and that the share is mounted).")
    lock(finsam.data_path)  # held until this process ends: one writer at a time on this data directory
    if (recovered := start_build(finsam.data_path)) is not None:
        context.log.warning(recovered)
    with duckdb.get_connection() as con, masked_errors():
        try:
            return MaterializeResult(metadata=runner.register(finsam.build_context(con, context.log),
                                                            context.run.run_id, trigger(context)))
        except guard.KeyChanged as e:
            raise Failure(str(e)) from None
