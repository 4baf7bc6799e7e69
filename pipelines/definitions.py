"""The Dagster code location: assets (each with its blocking checks), the nightly job, its schedule and sensor,
resources."""

from dagster import Definitions, in_process_executor, load_assets_from_modules

from assets import publish, register, report
from assets.resources import build_resources
from assets.steps import ASSETS
from pipelines.jobs import nightly_job, nightly_schedule
from pipelines.sensors import raw_filer_sensor

ALL_ASSETS = [*load_assets_from_modules([register]), *ASSETS, *load_assets_from_modules([report, publish])]


def definitions(data_dir=None, config_dir=None, today: str | None = None) -> Definitions:
    """The code location for one data and config directory (default: FINSAM_DATA_DIR / FINSAM_CONFIG_DIR)."""
    return Definitions(
        assets=ALL_ASSETS,
        jobs=[nightly_job],
        schedules=[nightly_schedule],
        sensors=[raw_filer_sensor],
        resources=build_resources(data_dir, config_dir, today),
        # In process: DuckDB allows one writer, and every step writes the same build file. Set once, for every job.
        executor=in_process_executor,
    )


defs = definitions()
