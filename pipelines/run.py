"""The pipeline command: run the whole nightly job in this process, print a summary, exit 0 / 2 / 1.

0 = published, every input accepted; 2 = published, some input files rejected; 1 = nothing published.
"""
import os
import sys
from pathlib import Path

import duckdb

from finsam.config import PROJECT_ROOT
from finsam.warehouse import row_count

os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT / ".dagster_home"))

PUBLISHED, PUBLISHED_WITH_REJECTS, NOT_PUBLISHED = 0, 2, 1
# The command prints its own summary; Dagster's step-by-step log stays in the event log (and the UI).
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def summary(live: Path) -> tuple[str, int]:
    """What the published warehouse holds: files read and rejected (with the reason), rows per mart."""
    con = duckdb.connect(str(live), read_only=True)
    try:
        files = con.execute("select fil, status, rader, orsak from marts.inlasta_filer order by fil").fetchall()
        marts = [t for (t,) in con.execute("select table_name from information_schema.tables "
                                           "where table_schema = 'marts' order by 1").fetchall()]
        counts = {t: row_count(con, f"marts.{t}") for t in marts}
        severities = dict(con.execute("select allvarlighet, count(*) from marts.datakvalitet group by 1").fetchall())
    finally:
        con.close()
    rejected = [f for f in files if f[1] == "avvisad"]
    lines = [f"published {live}", f"files read: {len(files)}, rejected: {len(rejected)}"]
    lines += [f"  REJECTED {fil}: {orsak}" for fil, _, _, orsak in rejected]
    lines += ["rows per mart:"] + [f"  marts.{t}: {n}" for t, n in counts.items()]
    lines.append("datakvalitet: " + ", ".join(f"{k} {v}" for k, v in sorted(severities.items())))
    lines += ["report and exports:"] + [f"  {line}" for line in published_files(live.parent)]
    return "\n".join(lines), len(rejected)


def published_files(marts: Path) -> list[str]:
    """The report's files with their sizes; PNG pictures and Parquet files as one line each."""
    def size(paths) -> str:
        return f"{sum(p.stat().st_size for p in paths) / 1e6:.2f} MB"

    report = marts / "genomlysning"
    files = [marts / "genomlysning.html", *sorted(p for p in report.glob("*") if p.is_file())]
    lines = [f"{p.relative_to(marts)}: {size([p])}" for p in files if p.exists()]
    for folder, kind in ((report / "png", "PNG pictures"), (marts / "parquet", "Parquet files")):
        found = sorted(folder.glob("*.*"))
        if found:
            lines.append(f"{folder.relative_to(marts)}/: {len(found)} {kind}, {size(found)}")
    return lines


def failures(result) -> list[str]:
    out = []
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            err = event.event_specific_data.error
            cause = err.cause.message if err.cause else err.message
            out.append(f"step {event.step_key} failed: {cause.strip()}")
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed:
            md = {k: v.value for k, v in evaluation.metadata.items()}
            out.append(f"check {evaluation.check_name} on {evaluation.asset_key.to_user_string()} failed: {md}")
    return out


def main(data_dir: Path | None = None, config_dir: Path | None = None, today: str | None = None) -> int:
    """Run nightly_job on data_dir and config_dir (default: FINSAM_DATA_DIR / FINSAM_CONFIG_DIR)."""
    from dagster import DagsterInstance

    from pipelines.definitions import definitions, nightly_job

    defs = definitions(data_dir, config_dir, today)
    home = Path(os.environ["DAGSTER_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    finsam = defs.resources["finsam"]
    print(f"finsam: data {finsam.data_dir}, config {finsam.config_dir}")
    with DagsterInstance.get() as instance:
        result = defs.resolve_job_def(nightly_job.name).execute_in_process(
            instance=instance, raise_on_error=False, run_config=QUIET)
    problems = failures(result)
    if not result.success or problems:
        print("NOT PUBLISHED: the previous warehouse is unchanged.", file=sys.stderr)
        for p in problems or ["the run failed (see the Dagster event log)"]:
            print("  " + p, file=sys.stderr)
        return NOT_PUBLISHED
    text, rejected = summary(finsam.live_path)
    print(text)
    return PUBLISHED_WITH_REJECTS if rejected else PUBLISHED


if __name__ == "__main__":
    sys.exit(main())
