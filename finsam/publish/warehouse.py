"""The DuckDB warehouse file: where it lives, who may build it, how a finished build is published."""
from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
from pathlib import Path

import duckdb
import polars as pl

from finsam.paths import project_root
from finsam.publish.compat import STORAGE_VERSION
from finsam.sqltext import identifier, literal

SQL_DIR = project_root() / "sql"  # the checkout's sql/, or the copy an installed wheel ships (finsam.paths)
WAREHOUSE = "finsam.duckdb"
# Every connection that builds the warehouse (the job's DuckDBResource, the tests' builds): DuckDB spills to disk
# beyond the limit instead of growing, so a run fits in 2 GB whatever the data (about 0.4 GB of Python and one
# file's rows besides); the file is created in the storage format DuckDB 1.x clients open (finsam.publish.compat).
DUCKDB_CONFIG = {"memory_limit": "1GB", "threads": 2, "storage_compatibility_version": STORAGE_VERSION}


def live_path(data_dir: Path) -> Path:
    return data_dir / "marts" / WAREHOUSE


def staging_path(data_dir: Path) -> Path:
    """The new file a run builds, beside the live one (os.replace needs the same file system)."""
    return data_dir / "marts" / (WAREHOUSE + ".building")


class BuildInProgress(Exception):
    """Another run is building the warehouse: two writers would corrupt each other's build."""


LOCK = ".finsam.lock"
_held: dict[Path, int] = {}  # lock file -> open descriptor, for the locks this process holds


def lock(data_dir: Path) -> None:
    """Take the data directory's build lock (an OS file lock on marts/.finsam.lock), or raise BuildInProgress at
    once. One writer at a time whatever started the run (the command, the schedule, the sensor, the UI, another
    DAGSTER_HOME). The operating system releases it when the process ends, however it ends (kill -9 included), so
    a crashed run never blocks the next one. Taking it again in the same process is a no-op."""
    path = (data_dir / "marts" / LOCK).resolve()
    if path in _held:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
        os.close(fd)
        raise BuildInProgress(f"another run is building this warehouse ({holder}, lock {path}); this run "
                              "stops without touching it. Wait for that run to finish.") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"pid {os.getpid()} since {dt.datetime.now():%Y-%m-%d %H:%M:%S}".encode(), 0)
    _held[path] = fd


def unlock(data_dir: Path) -> None:
    fd = _held.pop((data_dir / "marts" / LOCK).resolve(), None)
    if fd is not None:
        os.close(fd)


def copy_path(data_dir: Path) -> Path:
    """The copy of a finished build without its person-level tables (without_person_tables), until it replaces
    the build file."""
    return data_dir / "marts" / (WAREHOUSE + ".building.ut")


def start_build(data_dir: Path) -> None:
    """A build starts from nothing: whatever an earlier run left (a stamped, empty or garbage build file, its WAL,
    a half-written report folder or copy) is removed. Only the lock holder calls this, so none of it is in use."""
    marts = data_dir / "marts"
    marts.mkdir(parents=True, exist_ok=True)
    staging = staging_path(data_dir)
    live = live_path(data_dir)
    # finsam.duckdb.ny* and marts/spill: the compatible copy that publishing made before 2026-12-01
    copy = copy_path(data_dir)
    for leftover in (staging, staging.with_name(staging.name + ".wal"), copy, copy.with_name(copy.name + ".wal"),
                     live.with_name(WAREHOUSE + ".ny"),
                     live.with_name(WAREHOUSE + ".ny.tmp"), live.with_name(WAREHOUSE + ".ny.tmp.wal")):
        leftover.unlink(missing_ok=True)
    for spill in (staging.with_name(staging.name + ".tmp"), marts / "spill"):  # DuckDB's spill files
        shutil.rmtree(spill, ignore_errors=True)
    shutil.rmtree(report_staging_path(data_dir), ignore_errors=True)


def write_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    schema = table.split(".")[0]
    con.execute(f"create schema if not exists {schema}")
    con.register("_frame", frame.to_arrow())
    try:
        con.execute(f"create or replace table {table} as select * from _frame")
    finally:
        con.unregister("_frame")


def without_person_tables(con: duckdb.DuckDBPyConnection, data_dir: Path, tables: tuple[str, ...]) -> None:
    """Make a finished build publishable: drop its person-level tables (finsam.build.steps.PERSON_TABLES), copy
    everything else (tables, views, column comments) into a new file, and close the build (`con`), which that copy
    then replaces. A table dropped in place would leave its rows in the file's free blocks, readable by anyone who
    reads the published file's bytes; the copy holds only what is left. The storage version stays the build's."""
    for table in tables:
        con.execute(f"drop table if exists {table}")
    staging, copy = staging_path(data_dir), copy_path(data_dir)
    copy.unlink(missing_ok=True)
    build = con.execute("select current_database()").fetchall()[0][0]
    con.execute(f"attach ? as ut (storage_version {literal(STORAGE_VERSION)})", [str(copy)])
    try:
        con.execute(f"copy from database {identifier(build)} to ut")
        con.execute("checkpoint ut")
    finally:
        con.execute("detach ut")
    con.execute("pragma disable_checkpoint_on_shutdown")  # the build file goes: writing it once more is wasted
    con.close()
    staging.with_name(staging.name + ".wal").unlink(missing_ok=True)
    os.replace(copy, staging)


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


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(staging: Path, live: Path, report: Path | None = None) -> list[str]:
    """Publish a finished, checkpointed build: the build file (already in the format DuckDB 1.x clients open,
    finsam.publish.compat) is flushed to disk, then the report's files and folders (genomlysning/, genomlysning.html,
    parquet/) replace theirs, and last the warehouse replaces the live one with os.replace, and the directory is
    flushed: readers see the old file or the new one, never half of one. A WAL beside the live file (left by a
    read-write client that crashed) would be replayed into the new file and break it: it is moved aside first.
    Returns what it had to say (the WAL it moved)."""
    notes = []
    wal = staging.with_name(staging.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} exists: the build was not checkpointed and closed; not publishing")
    _fsync(staging)
    if report is not None and report.is_dir():
        for entry in sorted(report.iterdir()):
            _swap(entry, live.parent / entry.name)
        report.rmdir()
    live_wal = live.with_name(live.name + ".wal")
    if live_wal.exists():
        aside = live_wal.with_name(f"{live_wal.name}.{dt.datetime.now():%Y%m%dT%H%M%S}.gammal")
        os.replace(live_wal, aside)
        notes.append(f"{live_wal.name} (left by a client that wrote to the live warehouse) was moved aside to "
                     f"{aside.name}: it belonged to the previous file")
    if live.exists():  # the previous warehouse stays one generation, as a hard link to the same file
        previous = previous_path(live)
        link = previous.with_name(previous.name + ".tmp")
        link.unlink(missing_ok=True)
        os.link(live, link)
        os.replace(link, previous)
    os.replace(staging, live)
    _fsync(live.parent)
    return notes


def previous_path(live: Path) -> Path:
    """The warehouse the last publish replaced: restore it with `mv finsam.duckdb.foregaende finsam.duckdb`."""
    return live.with_name(live.name + ".foregaende")
