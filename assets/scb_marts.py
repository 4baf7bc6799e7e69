"""Target group and helårsekvivalenter marts, built by plain SQL files (sql/<asset name>.sql)."""

from dagster import MaterializeResult, asset
from dagster_duckdb import DuckDBResource

from assets.marts import run_sql_asset


@asset(group_name="marts", deps=["forbund_register", "folkmangd_rader"], kinds={"duckdb", "sql"})
def malgrupp_kommun(duckdb: DuckDBResource) -> MaterializeResult:
    """Target group (malgrupp_andel x population 16-64 on 31 December) per member kommun and year
    (sql/malgrupp_kommun.sql)."""
    return run_sql_asset(duckdb, "malgrupp_kommun", "marts.malgrupp_kommun")


@asset(group_name="marts", deps=["malgrupp_kommun"], kinds={"duckdb", "sql"})
def malgrupp_ar(duckdb: DuckDBResource) -> MaterializeResult:
    """Target group per förbund and year, NULL unless every member kommun has its population
    (sql/malgrupp_ar.sql)."""
    return run_sql_asset(duckdb, "malgrupp_ar", "marts.malgrupp_ar")


@asset(group_name="marts", deps=["forbund_register", "folkmangd_rader", "helarsekvivalenter_rader"],
       kinds={"duckdb", "sql"})
def helarsekvivalenter_kommun(duckdb: DuckDBResource) -> MaterializeResult:
    """Helårsekvivalenter per member kommun, year, kön and ersättning, counts rebuilt from shares where only
    shares are given (sql/helarsekvivalenter_kommun.sql)."""
    return run_sql_asset(duckdb, "helarsekvivalenter_kommun", "marts.helarsekvivalenter_kommun")


@asset(group_name="marts", deps=["helarsekvivalenter_kommun", "helarsekvivalenter_rader"], kinds={"duckdb", "sql"})
def helarsekvivalenter_ar(duckdb: DuckDBResource) -> MaterializeResult:
    """Helårsekvivalenter per förbund, year, kön and ersättning as a population-weighted share of the population
    20-64, beside riket (sql/helarsekvivalenter_ar.sql)."""
    return run_sql_asset(duckdb, "helarsekvivalenter_ar", "marts.helarsekvivalenter_ar")


@asset(group_name="marts", deps=["malgrupp_ar", "helarsekvivalenter_ar"], kinds={"duckdb", "sql"})
def scb_kontroller(duckdb: DuckDBResource) -> MaterializeResult:
    """Missing population and helårsekvivalenter per förbund and year, and counts rebuilt from shares
    (sql/scb_kontroller.sql)."""
    return run_sql_asset(duckdb, "scb_kontroller", "staging.fynd_scb_kontroller")
