"""Blocking checks on the target group and helårsekvivalenter marts."""

from dagster import AssetCheckResult, asset_check
from dagster_duckdb import DuckDBResource

from assets.checks import _result, unique_keys
from assets.scb_marts import helarsekvivalenter_ar, helarsekvivalenter_kommun, malgrupp_ar, malgrupp_kommun


def _violations(duckdb: DuckDBResource, query: str, what: str) -> AssetCheckResult:
    with duckdb.get_connection() as con:
        return _result(con.execute(query).fetchall(), what)


@asset_check(asset=malgrupp_kommun, blocking=True, description="One row per förbund, kommun and year.")
def malgrupp_kommun_unika_nycklar(duckdb: DuckDBResource) -> AssetCheckResult:
    with duckdb.get_connection() as con:
        return _result(unique_keys(con, "marts.malgrupp_kommun", ("forbund", "kommun", "ar")), "unique keys")


@asset_check(asset=malgrupp_kommun, blocking=True, description="No population or target group is negative.")
def malgrupp_kommun_ej_negativ(duckdb: DuckDBResource) -> AssetCheckResult:
    return _violations(duckdb, "select forbund, kommun, ar from marts.malgrupp_kommun "
                               "where befolkning_16_64 < 0 or malgrupp < 0", "malgrupp >= 0")


@asset_check(asset=malgrupp_ar, blocking=True, description="One row per förbund and year.")
def malgrupp_ar_unika_nycklar(duckdb: DuckDBResource) -> AssetCheckResult:
    with duckdb.get_connection() as con:
        return _result(unique_keys(con, "marts.malgrupp_ar", ("forbund", "ar")), "unique keys")


@asset_check(asset=malgrupp_ar, blocking=True, description="No population or target group is negative.")
def malgrupp_ar_ej_negativ(duckdb: DuckDBResource) -> AssetCheckResult:
    return _violations(duckdb, "select forbund, ar from marts.malgrupp_ar where befolkning_16_64 < 0 or malgrupp < 0",
                       "malgrupp >= 0")


@asset_check(asset=malgrupp_ar, blocking=True, description="Every configured förbund has a row for every year.")
def malgrupp_ar_alla_forbund_ar(duckdb: DuckDBResource) -> AssetCheckResult:
    return _violations(duckdb, "select f.kod, y.ar from register.forbund f cross join register.ar y "
                               "anti join marts.malgrupp_ar m on m.forbund = f.kod and m.ar = y.ar",
                       "a row per förbund and year")


@asset_check(asset=helarsekvivalenter_kommun, blocking=True,
             description="One row per förbund, kommun, year, kön and ersättning; shares between 0 and 1.")
def helarsekvivalenter_kommun_giltig(duckdb: DuckDBResource) -> AssetCheckResult:
    return _violations(duckdb, """
        select forbund, kommun, ar, kon, ersattning, count(*) from marts.helarsekvivalenter_kommun
        group by all
        having count(*) > 1 or bool_or(andel not between 0 and 1) or bool_or(helarsekvivalenter < 0)
    """, "unique keys, 0 <= andel <= 1, helarsekvivalenter >= 0")


@asset_check(asset=helarsekvivalenter_ar, blocking=True,
             description="One row per förbund, year, kön and ersättning.")
def helarsekvivalenter_ar_unika_nycklar(duckdb: DuckDBResource) -> AssetCheckResult:
    with duckdb.get_connection() as con:
        return _result(unique_keys(con, "marts.helarsekvivalenter_ar", ("forbund", "ar", "kon", "ersattning")),
                       "unique keys")


@asset_check(asset=helarsekvivalenter_ar, blocking=True, description="andel and andel_riket lie between 0 and 1.")
def helarsekvivalenter_ar_andel_0_1(duckdb: DuckDBResource) -> AssetCheckResult:
    return _violations(duckdb, "select forbund, ar, kon, ersattning, andel, andel_riket from "
                               "marts.helarsekvivalenter_ar where andel not between 0 and 1 "
                               "or andel_riket not between 0 and 1 or helarsekvivalenter < 0",
                       "0 <= andel <= 1, 0 <= andel_riket <= 1")
