"""SCB and Statisticon statistics: population on 31 December and 1 November, and helårsekvivalenter."""

import polars as pl
from dagster import AssetExecutionContext, MaterializeResult, asset
from dagster_duckdb import DuckDBResource

from assets.ingestion import store
from finsam import scb_folkmangd, scb_helarsekvivalenter
from finsam.ingest import ingest
from finsam.warehouse import write_frame
from pipelines.resources import FinsamResource


def _population(context: AssetExecutionContext, finsam: FinsamResource, duckdb: DuckDBResource, subdir: str,
                kalla: str, ranges: dict[str, tuple[int, int]], name: str, table: str, columns: list[str]
                ) -> MaterializeResult:
    registry = finsam.registry()
    result = ingest(finsam.data_path, subdir, kalla,
                    lambda path, fil: scb_folkmangd.parse_file(path, fil, kalla, registry, ranges),
                    lambda frames: scb_folkmangd.combine(frames, kalla), context.log.warning)
    materialized = store(context, duckdb, name, result)
    # the all-kön view the marts and other steps read; it exists (empty) when there are no files
    with duckdb.get_connection() as con:
        write_frame(con, table, result.frame.filter(pl.col("kon") == "totalt").select(columns))
    return materialized


@asset(group_name="scb", deps=["forbund_register"], kinds={"duckdb", "polars"})
def folkmangd_rader(context: AssetExecutionContext, finsam: FinsamResource, duckdb: DuckDBResource
                    ) -> MaterializeResult:
    """Population on 31 December from raw/scb/folkmangd/ per region, year and kön: ages 16-64 (target group),
    20-64 (helårsekvivalenter) and all. Also staging.befolkning: one row per region and year, both kön."""
    return _population(context, finsam, duckdb, "scb/folkmangd", scb_folkmangd.KALLA, scb_folkmangd.RANGES,
                       "folkmangd_rader", "staging.befolkning", ["kommun", "ar", *scb_folkmangd.MEASURES])


@asset(group_name="scb", deps=["forbund_register"], kinds={"duckdb", "polars"})
def folkmangd_nov_rader(context: AssetExecutionContext, finsam: FinsamResource, duckdb: DuckDBResource
                        ) -> MaterializeResult:
    """Population on 1 November from raw/scb/folkmangd_nov/ (the kommun split of medlemsbidrag for year y uses
    1 November y-1). Also staging.befolkning_nov (kommun, ar, befolkning_totalt)."""
    return _population(context, finsam, duckdb, "scb/folkmangd_nov", scb_folkmangd.KALLA_NOV, {},
                       "folkmangd_nov_rader",
                       "staging.befolkning_nov", ["kommun", "ar", "befolkning_totalt"])


@asset(group_name="scb", deps=["forbund_register"], kinds={"duckdb", "polars"})
def helarsekvivalenter_rader(context: AssetExecutionContext, finsam: FinsamResource, duckdb: DuckDBResource
                             ) -> MaterializeResult:
    """Helårsekvivalenter per region, year, kön and ersättning from raw/scb/helarsekvivalenter/: counts and/or
    shares of the population 20-64 (fractions)."""
    registry = finsam.registry()
    result = ingest(finsam.data_path, "scb/helarsekvivalenter", scb_helarsekvivalenter.KALLA,
                    lambda path, fil: scb_helarsekvivalenter.parse_file(path, fil, registry),
                    scb_helarsekvivalenter.combine, context.log.warning)
    return store(context, duckdb, "helarsekvivalenter_rader", result)
