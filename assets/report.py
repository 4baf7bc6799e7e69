"""The genomlysning report and the owners' and analysts' exports, built from the marts of this run's warehouse
into a folder beside it, and published together with it by finsam_lager."""
import shutil

from dagster import AssetExecutionContext, MaterializeResult, asset

from assets.resources import BuildDb, FinsamResource, masked_errors, progress
from assets.steps import require_this_runs_build
from finsam import report as rapport
from finsam.build import steps


@asset(group_name="rapport", deps=[s.name for s in steps.MARTS], kinds={"html", "plotly", "parquet"})
def genomlysning(context: AssetExecutionContext, finsam: FinsamResource, duckdb: BuildDb
                 ) -> MaterializeResult:
    """The genomlysning: one HTML report per län with configured förbund, an index of every förbund, an Excel
    workbook with a sheet per mart (small counts suppressed) and every mart as Parquet, built from the marts only.
    Written to marts/rapport.building/ and published with the warehouse, so a published report always matches
    the published warehouse."""
    require_this_runs_build(context, duckdb)
    out = finsam.report_staging_path
    shutil.rmtree(out, ignore_errors=True)
    with duckdb.get_connection() as con, masked_errors():
        built = rapport.build_report(con, out, png=finsam.png)
    if built.ingen_png:
        context.log.warning(built.ingen_png)
    files = {str(p.relative_to(out)): n for p, n in built.filer.items() if p.suffix != ".png"}
    # the pictures' and PDFs' own seconds too: bench/run.py reads them from this line
    progress("genomlysning", {"files": len(built.filer), "pdf": len(built.pdf), "png": len(built.png),
                              "pdf+png s": round(built.sekunder.get("pdf+png", 0.0), 1)}, built.sekunder["totalt"])
    return MaterializeResult(metadata={
        "files": "\n".join(f"{name}: {n / 1e6:.2f} MB" for name, n in sorted(files.items())),
        "charts": str(built.diagram), "png": len(built.png), "pdf": len(built.pdf),
        "seconds": round(built.sekunder["totalt"], 2), "pdf+png seconds": round(built.sekunder.get("pdf+png", 0.0), 2)})
