"""Publishing: the finished build replaces the live warehouse in one atomic step, unless it would lose data or
revise published figures of closed years without confirmation."""

from dagster import AssetExecutionContext, Failure, MaterializeResult, asset

from assets.resources import BuildDb, FinsamResource, masked_errors, progress, timed
from finsam.build import runner, steps
from finsam.privacy.pnr import scrub
from finsam.publish import guard, revision


@asset(group_name="publish", deps=[*(s.name for s in steps.MARTS), "genomlysning"], kinds={"duckdb"})
def finsam_lager(context: AssetExecutionContext, finsam: FinsamResource, duckdb: BuildDb
                 ) -> MaterializeResult:
    """The live warehouse, $FINSAM_DATA_DIR/marts/finsam.duckdb, and beside it the report and exports. Runs last:
    if any step or blocking check failed, this does not run and the previous warehouse and report stay as they
    were. It publishes only a file this run built from scratch with every mart rebuilt, so a partial run (say,
    this asset alone) cannot publish a stale or half-built file; and it refuses a build that would lose what the
    live warehouse shows (a source folder gone empty, a förbund-year's counts or money gone NULL) unless the loss
    is confirmed (FINSAM_TILLAT_FORLUST=1), and one that changes published figures of closed years beyond
    revision_tolerans unless the revision is confirmed (FINSAM_TILLAT_REVISION=1)."""
    stale = [k.to_user_string() for k in context.assets_def.dependency_keys
             if (e := context.instance.get_latest_materialization_event(k)) is None or e.run_id != context.run.run_id]
    if stale or duckdb.owner() != context.run.run_id:
        raise Failure("not publishing: this run did not build the whole warehouse "
                      f"(not rebuilt in this run: {', '.join(stale) or steps.REGISTER}); run nightly_job whole")
    with duckdb.get_connection() as con, masked_errors():
        tables = con.execute("select table_schema || '.' || table_name from information_schema.tables "
                             "where table_schema = 'marts' order by 1").fetchall()
        try:
            notes, seconds = timed(lambda: runner.publish_build(con, finsam.data_path, finsam.tillat_forlust,
                                                                finsam.tillat_revision))
        except (guard.DataLoss, revision.Revision) as e:
            raise Failure(str(e)) from None
    for note in notes:
        context.log.warning(scrub(note))
    progress("finsam_lager", {"published": str(finsam.live_path)}, seconds)
    return MaterializeResult(metadata={"path": str(finsam.live_path), "tables": ", ".join(t[0] for t in tables),
                                       "notes": "\n".join(notes)})
