"""The Dagster code location: assets, checks, the nightly job and its schedule, resources."""

from dagster import (AssetSelection, DefaultScheduleStatus, Definitions, ScheduleDefinition, define_asset_job,
                     in_process_executor, load_assets_from_modules)

from assets import ekonomi, ekonomi_marts, marts, publish, register, scb, scb_marts, sus
from assets.checks import CHECKS
from pipelines.resources import build_resources

ASSET_MODULES = [register, sus, scb, ekonomi, marts, scb_marts, ekonomi_marts, publish]

# In process: DuckDB allows one writer, and every step writes the same build file.
nightly_job = define_asset_job("nightly_job", selection=AssetSelection.all(), executor_def=in_process_executor,
                               description="Ingest every source, build the marts, check them, publish.")

nightly_schedule = ScheduleDefinition(name="nightly_schedule", job=nightly_job, cron_schedule="0 2 * * *",
                                      execution_timezone="Europe/Stockholm",
                                      default_status=DefaultScheduleStatus.RUNNING)

defs = Definitions(
    assets=load_assets_from_modules(ASSET_MODULES),
    asset_checks=CHECKS,
    jobs=[nightly_job],
    schedules=[nightly_schedule],
    resources=build_resources(),
    executor=in_process_executor,
)
