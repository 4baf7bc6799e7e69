"""Money: årsredovisning lines and decided medelstilldelning."""

from dagster import AssetExecutionContext, MaterializeResult, asset
from dagster_duckdb import DuckDBResource

from assets.ingestion import store
from finsam import ekonomi, tilldelning
from finsam.ingest import ingest
from finsam.kostnadsmappning import load_kostnadsmappning
from pipelines.resources import FinsamResource


@asset(group_name="ekonomi", deps=["forbund_register"], kinds={"duckdb", "polars"})
def ekonomi_rader(context: AssetExecutionContext, finsam: FinsamResource, duckdb: DuckDBResource
                  ) -> MaterializeResult:
    """One row per förbund, year and årsredovisning line from raw/ekonomi/, in kr, costs and incomes positive,
    with the kategori config/kostnadsmappning.csv gives it (and the config line that did)."""
    registry, today = finsam.registry(), finsam.date()
    mappning = load_kostnadsmappning(finsam.config_path, {f.kod for f in registry.forbund})
    result = ingest(finsam.data_path, "ekonomi", ekonomi.KALLA,
                    lambda path, fil: ekonomi.parse_file(path, fil, registry, mappning, today),
                    ekonomi.combine, context.log.warning)
    return store(context, duckdb, "ekonomi_rader", result)


@asset(group_name="ekonomi", deps=["forbund_register"], kinds={"duckdb", "polars"})
def tilldelning_rader(context: AssetExecutionContext, finsam: FinsamResource, duckdb: DuckDBResource
                      ) -> MaterializeResult:
    """Decided medelstilldelning from raw/tilldelning/, one row per förbund and year, in kr."""
    registry, today = finsam.registry(), finsam.date()
    result = ingest(finsam.data_path, "tilldelning", tilldelning.KALLA,
                    lambda path, fil: tilldelning.parse_file(path, fil, registry, today),
                    tilldelning.combine, context.log.warning)
    return store(context, duckdb, "tilldelning_rader", result)
