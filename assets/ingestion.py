"""Writing one source's ingestion into the build: rows, findings and the file manifest, with metadata."""

from dagster import AssetExecutionContext, MaterializeResult
from dagster_duckdb import DuckDBResource

from finsam.findings import findings_frame
from finsam.ingest import Ingested
from finsam.warehouse import write_frame


def store(context: AssetExecutionContext, duckdb: DuckDBResource, name: str, result: Ingested) -> MaterializeResult:
    """staging.<name> holds the rows, staging.fynd_<name> the findings, staging.filer_<name> the files seen."""
    with duckdb.get_connection() as con:
        write_frame(con, f"staging.{name}", result.frame)
        write_frame(con, f"staging.fynd_{name}", findings_frame(result.findings))
        write_frame(con, f"staging.filer_{name}", result.files)
    if result.rejected:
        context.log.warning(f"{name}: {result.rejected} file(s) rejected; see marts.datakvalitet")
    return MaterializeResult(metadata={"rows": result.frame.height, "files": result.files.height,
                                       "rejected_files": result.rejected, "findings": len(result.findings)})
