"""The pipeline command: run the whole nightly job in this process, print a summary, exit 0 / 2 / 1.

0 = published, every input accepted; 2 = published, some input files rejected; 1 = nothing published.
"""
import argparse
import logging
import os
import re
import sys
from pathlib import Path

import duckdb

from finsam import config
from finsam.privacy.pnr import scrub
from finsam.publish.warehouse import BuildInProgress, lock, row_count, unlock
from pipelines.instance import write_settings

os.environ.setdefault("DAGSTER_HOME", str(config.dagster_home()))

PUBLISHED, PUBLISHED_WITH_REJECTS, NOT_PUBLISHED = 0, 2, 1
# The command prints its own progress, summary and failure report; Dagster's console log would print tracebacks
# before the one-line reason. Everything stays in Dagster's event log.
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
PROGRESS = logging.getLogger("finsam.progress")  # the steps' one line each (assets.resources.progress)


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
    rejected = [f for f in files if f[1] != "inlast"]
    lines = [f"published {live}", f"files read: {len(files)}, rejected: {len(rejected)}"]
    if not files:
        lines.append(f"  WARNING: no input files under {live.parent.parent / 'raw'}: every mart is empty. Put the "
                     "exports in its folders (sus/, ekonomi/, ...; README, Inputs) or check FINSAM_DATA_DIR.")
    lines += [f"  REJECTED {fil}: {orsak}" + (" (the version accepted before is used instead)"
                                              if status == "tidigare_version" else "")
              for fil, status, _, orsak in rejected]
    lines += ["rows per mart:"] + [f"  marts.{t}: {n}" for t, n in counts.items()]
    lines.append("datakvalitet: " + ", ".join(f"{k} {v}" for k, v in sorted(severities.items())))
    lines += ["report and exports:"] + [f"  {line}" for line in published_files(live.parent)]
    return "\n".join(lines), len(rejected)


def published_files(marts: Path) -> list[str]:
    """The report's files with their sizes; PNG and SVG pictures and Parquet files as one line each."""
    def size(paths) -> str:
        return f"{sum(p.stat().st_size for p in paths) / 1e6:.2f} MB"

    report = marts / "genomlysning"
    files = [marts / "genomlysning.html", *sorted(p for p in report.glob("*") if p.is_file())]
    lines = [f"{p.relative_to(marts)}: {size([p])}" for p in files if p.exists()]
    pages = [p for p in files if p.parent == report and p.suffix == ".html" and p.name != "index.html"]
    if pages and not any(p.suffix == ".pdf" for p in files):
        lines.append(f"no PDF or PNG: {no_pictures()}")
    for folder, kind in ((report / "png", "PNG pictures"), (report / "svg", "SVG pictures"),
                         (marts / "parquet", "Parquet files")):
        found = sorted(folder.glob("*.*"))
        if found:
            lines.append(f"{folder.relative_to(marts)}/: {len(found)} {kind}, {size(found)}")
    return lines


def no_pictures() -> str:
    """Why a published report has no PDF or PNG files: no Chromium (finsam.report.images), or FINSAM_PNG=0."""
    from finsam.report.images import INGEN_CHROMIUM, finn_chromium
    if os.environ.get("FINSAM_PNG", "1") == "0":
        return "FINSAM_PNG=0 (the pipeline makes them where a Chromium is installed)"
    return INGEN_CHROMIUM if finn_chromium() is None else "the report step made none (see the Dagster event log)"


def failures(result) -> list[tuple[str, str]]:
    """(one-line reason, details with the traceback) for every failed step and failed blocking check."""
    from dagster import AssetCheckSeverity

    out = []
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            err = event.event_specific_data.error
            root = err.cause or err
            message = re.sub(r"^(?:[\w]+\.)*(?:Failure: )?", "", root.message.strip())
            out.append((f"step {event.step_key} failed: {message.splitlines()[0]}",
                        f"step {event.step_key}: {message}\n{''.join(root.stack).rstrip()}"))
    for evaluation in result.get_asset_check_evaluations():
        # a warning (a non-blocking check, e.g. inga_avvisade_filer) publishes: the summary and exit 2 say it
        if not evaluation.passed and evaluation.severity != AssetCheckSeverity.WARN:
            md = {k: v.value for k, v in evaluation.metadata.items()}
            out.append((f"check {evaluation.check_name} on {evaluation.asset_key.to_user_string()} failed: "
                        f"{md.get('violations')} violation(s)", f"check {evaluation.check_name}: {md}"))
    return out


def not_published(reasons: list[tuple[str, str]]) -> int:
    """The one-line reason first, then every problem, then the details and tracebacks; a personnummer quoted in
    any of them masked (finsam.privacy.pnr)."""
    print(scrub(f"NOT PUBLISHED: {reasons[0][0]}"), file=sys.stderr)
    print("The previous warehouse and report are unchanged.", file=sys.stderr)
    for line, _ in reasons[1:]:
        print(scrub(f"  also: {line}"), file=sys.stderr)
    for _, details in reasons:
        print(scrub("\n" + details), file=sys.stderr)
    return NOT_PUBLISHED


def main(data_dir: Path | None = None, config_dir: Path | None = None, today: str | None = None,
         argv: list[str] | None = None) -> int:
    """Run nightly_job on data_dir and config_dir (default: FINSAM_DATA_DIR / FINSAM_CONFIG_DIR)."""
    args = PARSER.parse_args(argv if argv is not None else [])
    if args.tillat_forlust:
        os.environ["FINSAM_TILLAT_FORLUST"] = "1"
    if args.tillat_revision:
        os.environ["FINSAM_TILLAT_REVISION"] = "1"
    if args.tillat_nyckelbyte:
        os.environ["FINSAM_TILLAT_NYCKELBYTE"] = "1"
    data = Path(data_dir or config.data_dir()).absolute()
    if not data.is_dir():
        return not_published([(f"FINSAM_DATA_DIR {data} does not exist (a typo, or a share that is not mounted)",
                                "Set FINSAM_DATA_DIR to the folder that holds raw/ and marts/.")])
    try:
        lock(data)  # before anything else: a second run stops at once
    except BuildInProgress as e:
        return not_published([(str(e), "Only one run may build a data directory at a time.")])
    try:
        return _run(data, config_dir, today)
    finally:
        unlock(data)


def _run(data: Path, config_dir: Path | None, today: str | None) -> int:
    from dagster import DagsterInstance

    from pipelines.definitions import definitions, nightly_job

    defs = definitions(data, config_dir, today)
    write_settings(Path(os.environ["DAGSTER_HOME"]))
    finsam = defs.resources["finsam"]
    print(f"finsam: data {finsam.data_dir}, config {finsam.config_dir}")
    handler = logging.StreamHandler(sys.stdout)
    PROGRESS.addHandler(handler)
    PROGRESS.setLevel(logging.INFO)
    PROGRESS.propagate = False
    try:
        with DagsterInstance.get() as instance:
            result = defs.resolve_job_def(nightly_job.name).execute_in_process(
                instance=instance, raise_on_error=False, run_config=QUIET, tags={"finsam/utlost_av": "kommando"})
    finally:
        PROGRESS.removeHandler(handler)
    problems = failures(result)
    if not result.success or problems:
        return not_published(problems or [("the run failed (see the Dagster event log)", "")])
    text, rejected = summary(finsam.live_path)
    print(text)
    return PUBLISHED_WITH_REJECTS if rejected else PUBLISHED


PARSER = argparse.ArgumentParser(prog="python -m pipelines.run", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
PARSER.add_argument("--tillat-forlust", action="store_true",
                    help="publish even when the build loses data the live warehouse has (a förbund left, a file "
                         "was withdrawn); the same as FINSAM_TILLAT_FORLUST=1")
PARSER.add_argument("--tillat-revision", action="store_true",
                    help="publish even when the build changes published figures of closed years beyond "
                         "revision_tolerans (a corrected re-export); the same as FINSAM_TILLAT_REVISION=1")
PARSER.add_argument("--tillat-nyckelbyte", action="store_true",
                    help="build with a FINSAM_PSEUDONYM_KEY other than the one the live warehouse was built with "
                         "(every person gets a new pseudonym); the same as FINSAM_TILLAT_NYCKELBYTE=1")


if __name__ == "__main__":
    sys.exit(main(argv=sys.argv[1:]))
