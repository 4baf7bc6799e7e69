"""The förbund registry and settings as tables: the frame every mart is built on. Starts a new build file."""

import datetime as dt

import polars as pl
from dagster import AssetExecutionContext, MaterializeResult, asset
from dagster_duckdb import DuckDBResource

from finsam.warehouse import BuildInProgress, build_owner, start_build, write_frame
from pipelines.resources import FinsamResource


@asset(group_name="register", kinds={"duckdb"})
def forbund_register(context: AssetExecutionContext, finsam: FinsamResource, duckdb: DuckDBResource
                     ) -> MaterializeResult:
    """register.forbund, register.medlemmar (membership spells), register.forbund_kommun_ar (who counts in
    which year: members on 31 December), register.ar (the years every mart covers), register.installningar,
    register.bygge (the run building the file).

    This is the first step of every build: it empties the new warehouse file the rest of the run fills."""
    registry, settings = finsam.registry(), finsam.settings()
    owner = build_owner(finsam.staging_path)
    if owner and owner != context.run.run_id:
        run = context.instance.get_run_by_id(owner)
        if run is not None and not run.is_finished:
            raise BuildInProgress(f"run {owner} is still building {finsam.staging_path}; wait for it to finish")
    start_build(finsam.staging_path)
    forbund = pl.DataFrame([(f.kod, f.namn, f.region) for f in registry.forbund],
                           schema={"kod": pl.String, "namn": pl.String, "region": pl.String}, orient="row")
    medlemmar = pl.DataFrame([(f.kod, m.kommun, m.namn, m.fran, m.till) for f in registry.forbund
                              for m in f.medlemmar],
                             schema={"forbund": pl.String, "kommun": pl.String, "kommun_namn": pl.String,
                                     "fran": pl.Date, "till": pl.Date}, orient="row")
    kommun_ar = pl.DataFrame([(f.kod, m.kommun, m.namn, y) for y in settings.years for f in registry.forbund
                              for m in f.kommuner(y)],
                             schema={"forbund": pl.String, "kommun": pl.String, "kommun_namn": pl.String,
                                     "ar": pl.Int32}, orient="row")
    installningar = pl.DataFrame({"ar_fran": [settings.ar_fran], "ar_till": [settings.ar_till],
                                  "malgrupp_andel": [settings.malgrupp_andel],
                                  "undertryck_under": [settings.undertryck_under],
                                  "byggd": [dt.datetime.now().replace(microsecond=0)]})
    with duckdb.get_connection() as con:
        write_frame(con, "register.forbund", forbund)
        write_frame(con, "register.medlemmar", medlemmar)
        write_frame(con, "register.forbund_kommun_ar", kommun_ar)
        write_frame(con, "register.ar", pl.DataFrame({"ar": settings.years}, schema={"ar": pl.Int32}))
        write_frame(con, "register.installningar", installningar)
        write_frame(con, "register.bygge", pl.DataFrame({"run_id": [context.run.run_id]}))
    context.log.info(f"{len(registry.forbund)} förbund, years {settings.ar_fran}-{settings.ar_till}")
    return MaterializeResult(metadata={"forbund": len(registry.forbund), "ar_fran": settings.ar_fran,
                                       "ar_till": settings.ar_till})
