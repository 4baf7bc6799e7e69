"""Blocking checks on the marts: a broken invariant stops the run before anything is published."""

from dagster import AssetCheckResult, AssetCheckSeverity, asset_check
from dagster_duckdb import DuckDBResource

from assets.marts import deltagare_ar

COUNT_COLUMNS = ("deltagare", "nyinskrivna", "avslutade", "avslut_arbete_studier", "avslut_jobb_studieredo",
                 "pagaende_vid_arets_slut", "registreringar", "anonyma")


def _result(rows: list[tuple], what: str) -> AssetCheckResult:
    return AssetCheckResult(passed=not rows, severity=AssetCheckSeverity.ERROR,
                            metadata={"violations": len(rows), "examples": str(rows[:10]), "rule": what})


def unique_keys(con, table: str, key: tuple[str, ...]) -> list[tuple]:
    cols = ", ".join(key)
    return con.execute(f"select {cols}, count(*) from {table} group by all having count(*) > 1").fetchall()


@asset_check(asset=deltagare_ar, blocking=True, description="One row per förbund, year and insats.")
def deltagare_ar_unika_nycklar(duckdb: DuckDBResource) -> AssetCheckResult:
    with duckdb.get_connection() as con:
        return _result(unique_keys(con, "marts.deltagare_ar", ("forbund", "ar", "insats")), "unique keys")


@asset_check(asset=deltagare_ar, blocking=True, description="No count is negative.")
def deltagare_ar_ej_negativa(duckdb: DuckDBResource) -> AssetCheckResult:
    cond = " or ".join(f"{c} < 0" for c in COUNT_COLUMNS)
    with duckdb.get_connection() as con:
        rows = con.execute(f"select forbund, ar, insats from marts.deltagare_ar where {cond}").fetchall()
    return _result(rows, "non-negative counts")


@asset_check(asset=deltagare_ar, blocking=True,
             description="Registrations: pågående(y-1) + nyinskrivna(y) - anonyma(y) - avslutade(y) = pågående(y).")
def deltagare_ar_stock_flow(duckdb: DuckDBResource) -> AssetCheckResult:
    # A level with no registrations in y-1 had nobody open at its end; the first year has no y-1 to compare.
    query = """
        select cur.forbund, cur.insats, cur.ar
        from marts.deltagare_ar cur
        left join marts.deltagare_ar prev
          on prev.forbund = cur.forbund and prev.insats = cur.insats and prev.ar = cur.ar - 1
        where cur.kalla = 'sus' and cur.ar > (select min(ar) from register.ar)
          and coalesce(case when prev.kalla = 'sus' then prev.pagaende_vid_arets_slut end, 0)
              + cur.nyinskrivna - cur.anonyma - cur.avslutade <> cur.pagaende_vid_arets_slut
    """
    with duckdb.get_connection() as con:
        return _result(con.execute(query).fetchall(), "stock-flow identity on registrations")


@asset_check(asset=deltagare_ar, blocking=True, description="Every configured förbund has a row for every year.")
def deltagare_ar_alla_forbund_ar(duckdb: DuckDBResource) -> AssetCheckResult:
    query = """
        select f.kod, y.ar from register.forbund f cross join register.ar y
        anti join marts.deltagare_ar d on d.forbund = f.kod and d.ar = y.ar and d.insats = '*'
    """
    with duckdb.get_connection() as con:
        return _result(con.execute(query).fetchall(), "a row per förbund and year")
