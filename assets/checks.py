"""Blocking checks on the marts: a broken invariant in the combined data stops the run before anything is
published. Each check is a query that returns the violating rows; none returned = passed."""

from dagster import AssetCheckResult, AssetChecksDefinition, AssetCheckSeverity, asset_check
from dagster_duckdb import DuckDBResource

COUNT_COLUMNS = ("deltagare", "nyinskrivna", "avslutade", "avslut_arbete_studier", "avslut_jobb_studieredo",
                 "pagaende_vid_arets_slut", "registreringar", "anonyma")
# Cost shares lie in 0..1 by construction: each cost kategori is non-negative per förbund-year (ingestion rejects a
# file otherwise) and part of kostnader_totalt. admin_andel_medelstilldelning, admin_andel_intakter and
# eget_kapital_andel can honestly exceed 1; andel_avslutade rests on reported counts, which are not checked here.
COST_SHARES = ("admin_andel_kostnader", "andel_individ", "andel_struktur")


def violations_check(asset: str, suffix: str, description: str, query: str) -> AssetChecksDefinition:
    @asset_check(asset=asset, name=f"{asset}_{suffix}", blocking=True, description=description)
    def _check(duckdb: DuckDBResource) -> AssetCheckResult:
        with duckdb.get_connection() as con:
            rows = con.execute(query).fetchall()
        return AssetCheckResult(passed=not rows, severity=AssetCheckSeverity.ERROR,
                                metadata={"violations": len(rows), "examples": str(rows[:10]), "rule": description})
    return _check


def unique_keys(asset: str, key: tuple[str, ...]) -> AssetChecksDefinition:
    cols = ", ".join(key)
    return violations_check(asset, "unika_nycklar", f"One row per {cols}.",
                            f"select {cols}, count(*) from marts.{asset} group by all having count(*) > 1")


def every_forbund_year(asset: str, where: str = "true") -> AssetChecksDefinition:
    return violations_check(asset, "alla_forbund_ar", "Every configured förbund has a row for every year.", f"""
        select f.kod, y.ar from register.forbund f cross join register.ar y
        anti join (select * from marts.{asset} where {where}) m on m.forbund = f.kod and m.ar = y.ar""")


def outside(asset: str, suffix: str, description: str, key: str, condition: str) -> AssetChecksDefinition:
    return violations_check(asset, suffix, description, f"select {key} from marts.{asset} where {condition}")


# Registrations: pågående(y-1) + nyinskrivna(y) - anonyma(y) - avslutade(y) = pågående(y). A level with no
# registrations in y-1 had nobody open at its end; the first year has no y-1 to compare.
STOCK_FLOW = """
    select cur.forbund, cur.insats, cur.ar
    from marts.deltagare_ar cur
    left join marts.deltagare_ar prev
      on prev.forbund = cur.forbund and prev.insats = cur.insats and prev.ar = cur.ar - 1
    where cur.kalla = 'sus' and cur.ar > (select min(ar) from register.ar)
      and coalesce(case when prev.kalla = 'sus' then prev.pagaende_vid_arets_slut end, 0)
          + cur.nyinskrivna - cur.anonyma - cur.avslutade <> cur.pagaende_vid_arets_slut
"""

CHECKS = [
    unique_keys("deltagare_ar", ("forbund", "ar", "insats")),
    outside("deltagare_ar", "ej_negativa", "No count is negative.", "forbund, ar, insats",
            " or ".join(f"{c} < 0" for c in COUNT_COLUMNS)),
    violations_check("deltagare_ar", "stock_flow", "Registrations: pågående(y-1) + nyinskrivna(y) - anonyma(y) "
                     "- avslutade(y) = pågående(y).", STOCK_FLOW),
    every_forbund_year("deltagare_ar", "insats = '*'"),
    unique_keys("ekonomi_ar", ("forbund", "ar")),
    every_forbund_year("ekonomi_ar"),
    unique_keys("jamforelse_ar", ("forbund", "ar")),
    every_forbund_year("jamforelse_ar"),
    outside("jamforelse_ar", "andelar", "Cost shares lie between 0 and 1: " + ", ".join(COST_SHARES) + ".",
            "forbund, ar", " or ".join(f"{c} not between 0 and 1" for c in COST_SHARES)),
    unique_keys("malgrupp_kommun", ("forbund", "kommun", "ar")),
    outside("malgrupp_kommun", "ej_negativ", "No population or target group is negative.", "forbund, kommun, ar",
            "befolkning_16_64 < 0 or malgrupp < 0"),
    unique_keys("malgrupp_ar", ("forbund", "ar")),
    outside("malgrupp_ar", "ej_negativ", "No population or target group is negative.", "forbund, ar",
            "befolkning_16_64 < 0 or malgrupp < 0"),
    every_forbund_year("malgrupp_ar"),
    unique_keys("helarsekvivalenter_kommun", ("forbund", "kommun", "ar", "kon", "ersattning")),
    outside("helarsekvivalenter_kommun", "giltig", "Shares between 0 and 1, helårsekvivalenter not negative.",
            "forbund, kommun, ar, kon, ersattning", "andel not between 0 and 1 or helarsekvivalenter < 0"),
    unique_keys("helarsekvivalenter_ar", ("forbund", "ar", "kon", "ersattning")),
    outside("helarsekvivalenter_ar", "andel_0_1", "andel and andel_riket lie between 0 and 1.",
            "forbund, ar, kon, ersattning", "andel not between 0 and 1 or andel_riket not between 0 and 1 "
            "or helarsekvivalenter < 0"),
    unique_keys("kommunfordelning", ("forbund", "ar", "kommun")),
]
BY_NAME = {spec.name: check for check in CHECKS for spec in check.check_specs}
