"""The DuckDB warehouse file: where it lives, how SQL files run, how a finished build is published."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import polars as pl

from finsam.compat import write_compatible

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
WAREHOUSE = "finsam.duckdb"


def live_path(data_dir: Path) -> Path:
    return data_dir / "marts" / WAREHOUSE


def staging_path(data_dir: Path) -> Path:
    """The new file a run builds, beside the live one (os.replace needs the same file system)."""
    return data_dir / "marts" / (WAREHOUSE + ".building")


def start_build(path: Path) -> None:
    """A build starts from an empty file: leftovers of an earlier failed build are removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


def build_owner(path: Path) -> str | None:
    """The run that is building `path` (register.bygge), or None when there is no readable build file."""
    if not path.exists():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as e:  # locked: another process has it open for writing right now
        raise BuildInProgress(f"{path} is open in another process ({e}); not starting a second build") from None
    try:
        row = con.execute("select run_id from register.bygge").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return row[0] if row else None


class BuildInProgress(Exception):
    """Another run is building the warehouse: two writers would corrupt each other's build."""


def write_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    schema = table.split(".")[0]
    con.execute(f"create schema if not exists {schema}")
    con.register("_frame", frame.to_arrow())
    try:
        con.execute(f"create or replace table {table} as select * from _frame")
    finally:
        con.unregister("_frame")


def row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(f"select count(*) from {table}").fetchall()[0][0]


def report_staging_path(data_dir: Path) -> Path:
    """Where a run writes its report and exports before they are published with the warehouse."""
    return data_dir / "marts" / "rapport.building"


def _swap(new: Path, live: Path) -> None:
    """Replace one published file or folder by its new version. A file goes in with one os.replace; a folder
    is renamed aside, the new one renamed in, and the old one removed."""
    if new.is_dir():
        old = live.with_name(live.name + ".gammal")
        shutil.rmtree(old, ignore_errors=True)
        if live.exists():
            os.replace(live, old)
        os.replace(new, live)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, live)


def publish(staging: Path, live: Path, report: Path | None = None) -> None:
    """Publish a finished, checkpointed build: the warehouse is copied into a file DuckDB 1.x clients open too
    (finsam.compat), then the report's files and folders (genomlysning/, genomlysning.html, parquet/) replace
    theirs, and last the warehouse replaces the live one with os.replace: readers see the old file or the new
    one, never half of one."""
    wal = staging.with_name(staging.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} exists: the build was not checkpointed and closed; not publishing")
    ready = write_compatible(staging, live.with_name(live.name + ".ny"))
    if report is not None:
        for entry in sorted(report.iterdir()):
            _swap(entry, live.parent / entry.name)
        report.rmdir()
    os.replace(ready, live)
    staging.unlink()
