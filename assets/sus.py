"""SUS participant data: registrations and reported counts."""

from dagster import AssetExecutionContext, MaterializeResult, asset
from dagster_duckdb import DuckDBResource

from assets.ingestion import store
from finsam import sus, sus_aggregat
from finsam.ingest import ingest
from finsam.person import key_from_env
from pipelines.resources import FinsamResource


@asset(group_name="sus", deps=["forbund_register"], kinds={"duckdb", "polars"})
def sus_registreringar(context: AssetExecutionContext, finsam: FinsamResource, duckdb: DuckDBResource
                       ) -> MaterializeResult:
    """One row per person and insats spell from raw/sus/, person keys pseudonymised, duplicates across files
    counted once."""
    registry, avslut, today, secret = finsam.registry(), finsam.avslutsorsak(), finsam.date(), key_from_env()
    result = ingest(finsam.data_path, "sus", sus.KALLA,
                    lambda path, fil: sus.parse_file(path, fil, registry, avslut, secret, today),
                    sus.combine, context.log.warning)
    return store(context, duckdb, "sus_registreringar", result)


@asset(group_name="sus", deps=["forbund_register"], kinds={"duckdb", "polars"})
def sus_aggregat_rader(context: AssetExecutionContext, finsam: FinsamResource, duckdb: DuckDBResource
                       ) -> MaterializeResult:
    """Reported counts from raw/sus_aggregat/ (SUS reports, manual tallies), one row per förbund, year, insats
    and uttag."""
    registry, today = finsam.registry(), finsam.date()
    result = ingest(finsam.data_path, "sus_aggregat", sus_aggregat.KALLA,
                    lambda path, fil: sus_aggregat.parse_file(path, fil, registry, today),
                    sus_aggregat.combine, context.log.warning)
    return store(context, duckdb, "sus_aggregat_rader", result)
