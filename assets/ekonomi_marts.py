"""Money marts built by plain SQL files (sql/<asset name>.sql): ekonomi_ar, jamforelse_ar and their findings."""

from dagster import MaterializeResult, asset
from dagster_duckdb import DuckDBResource

from assets.marts import run_sql_asset


@asset(group_name="marts", deps=["forbund_register", "ekonomi_rader"], kinds={"duckdb", "sql"})
def ekonomi_ar(duckdb: DuckDBResource) -> MaterializeResult:
    """Incomes, costs by kind and eget kapital per förbund and year (sql/ekonomi_ar.sql)."""
    return run_sql_asset(duckdb, "ekonomi_ar", "marts.ekonomi_ar")


@asset(group_name="marts", deps=["ekonomi_ar", "deltagare_ar", "malgrupp_ar", "helarsekvivalenter_ar"],
       kinds={"duckdb", "sql"})
def jamforelse_ar(duckdb: DuckDBResource) -> MaterializeResult:
    """The genomlysning's comparison per förbund and year: costs per participant and outcome, admin shares,
    cost split, eget kapital, target group coverage and helårsekvivalenter (sql/jamforelse_ar.sql)."""
    return run_sql_asset(duckdb, "jamforelse_ar", "marts.jamforelse_ar")


@asset(group_name="marts", deps=["forbund_register", "ekonomi_rader", "tilldelning_rader", "folkmangd_nov_rader"],
       kinds={"duckdb", "sql"})
def kommunfordelning(duckdb: DuckDBResource) -> MaterializeResult:
    """The kommun quarter of medelstilldelning split by population on 1 November the year before, against what
    each kommun's medlemsbidrag line says (sql/kommunfordelning.sql)."""
    return run_sql_asset(duckdb, "kommunfordelning", "marts.kommunfordelning")


@asset(group_name="marts", deps=["ekonomi_ar", "jamforelse_ar", "ekonomi_rader", "tilldelning_rader",
                                 "kommunfordelning"], kinds={"duckdb", "sql"})
def ekonomi_kontroller(duckdb: DuckDBResource) -> MaterializeResult:
    """Findings on the money side: missing inputs, the finansieringsmodell, the kommun split, eget kapital,
    requested state money (sql/ekonomi_kontroller.sql)."""
    return run_sql_asset(duckdb, "ekonomi_kontroller", "staging.fynd_ekonomi_kontroller")
