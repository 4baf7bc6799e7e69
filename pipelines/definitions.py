"""The Dagster code location: assets, checks, the nightly job and its schedule, resources."""

from dagster import (AssetSelection, DefaultScheduleStatus, Definitions, ScheduleDefinition, define_asset_job,
                     in_process_executor, load_assets_from_modules)

from assets import publish, rapport, register
from assets.steg import ASSETS, CHECKS
from pipelines.resources import build_resources

nightly_job = define_asset_job("nightly_job", selection=AssetSelection.all(),
                               description="Ingest every source, build the marts, check them, publish.")

nightly_schedule = ScheduleDefinition(name="nightly_schedule", job=nightly_job, cron_schedule="0 2 * * *",
                                      execution_timezone="Europe/Stockholm",
                                      default_status=DefaultScheduleStatus.RUNNING)

ALL_ASSETS = [*load_assets_from_modules([register]), *ASSETS, *load_assets_from_modules([rapport, publish])]


def definitions(data_dir=None, config_dir=None, today: str | None = None) -> Definitions:
    """The code location for one data and config directory (default: FINSAM_DATA_DIR / FINSAM_CONFIG_DIR)."""
    return Definitions(
        assets=ALL_ASSETS,
        asset_checks=CHECKS,
        jobs=[nightly_job],
        schedules=[nightly_schedule],
        resources=build_resources(data_dir, config_dir, today),
        # In process: DuckDB allows one writer, and every step writes the same build file. Set once, for every job.
        executor=in_process_executor,
    )


defs = definitions()
