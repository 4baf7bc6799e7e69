"""Blocking checks on the money marts: a broken invariant stops the run before anything is published."""

from dagster import AssetCheckResult, asset_check
from dagster_duckdb import DuckDBResource

from assets.checks import _result, unique_keys
from assets.ekonomi_marts import ekonomi_ar, jamforelse_ar

# Shares that lie in 0..1 by construction: each cost kategori is non-negative per förbund-year (ingestion rejects
# a file otherwise) and each is part of kostnader_totalt. admin_andel_medelstilldelning, admin_andel_intakter and
# eget_kapital_andel can honestly exceed 1; andel_avslutade rests on reported counts, which are not checked here.
SHARES = ("admin_andel_kostnader", "andel_individ", "andel_struktur")


@asset_check(asset=ekonomi_ar, blocking=True, description="One row per förbund and year.")
def ekonomi_ar_unika_nycklar(duckdb: DuckDBResource) -> AssetCheckResult:
    with duckdb.get_connection() as con:
        return _result(unique_keys(con, "marts.ekonomi_ar", ("forbund", "ar")), "unique keys")


@asset_check(asset=jamforelse_ar, blocking=True, description="One row per förbund and year.")
def jamforelse_ar_unika_nycklar(duckdb: DuckDBResource) -> AssetCheckResult:
    with duckdb.get_connection() as con:
        return _result(unique_keys(con, "marts.jamforelse_ar", ("forbund", "ar")), "unique keys")


@asset_check(asset=jamforelse_ar, blocking=True, description="Cost shares lie between 0 and 1.")
def jamforelse_ar_andelar(duckdb: DuckDBResource) -> AssetCheckResult:
    cond = " or ".join(f"{c} not between 0 and 1" for c in SHARES)
    with duckdb.get_connection() as con:
        rows = con.execute(f"select forbund, ar from marts.jamforelse_ar where {cond}").fetchall()
    return _result(rows, "shares between 0 and 1: " + ", ".join(SHARES))
