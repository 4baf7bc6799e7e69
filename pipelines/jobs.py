"""The nightly job and when it runs."""
from dagster import AssetSelection, DefaultScheduleStatus, ScheduleDefinition, define_asset_job

nightly_job = define_asset_job("nightly_job", selection=AssetSelection.all(),
                               description="Ingest every source, build the marts, check them, publish.")

nightly_schedule = ScheduleDefinition(name="nightly_schedule", job=nightly_job, cron_schedule="0 2 * * *",
                                      execution_timezone="Europe/Stockholm",
                                      default_status=DefaultScheduleStatus.RUNNING)
