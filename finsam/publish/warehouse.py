"""The DuckDB warehouse file: where it lives, who may build it, how a finished build is published."""
from __future__ import annotations

import datetime as dt
import fcntl
import json
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


def start_build(data_dir: Path) -> str | None:
    """A build starts from nothing: whatever an earlier run left (a stamped, empty or garbage build file, its WAL,
    a half-written report folder or copy) is removed, after a publish it interrupted is finished (recover). Only the
    lock holder calls this, so none of it is in use. Returns what recover did, if anything."""
    marts = data_dir / "marts"
    marts.mkdir(parents=True, exist_ok=True)
    recovered = recover(data_dir)
    staging = staging_path(data_dir)
    live = live_path(data_dir)
    # finsam.duckdb.ny* and marts/spill: the compatible copy that publishing made before 2026-12-01
    copy = copy_path(data_dir)
    for leftover in (staging, staging.with_name(staging.name + ".wal"), copy, copy.with_name(copy.name + ".wal"),
                     live.with_name(WAREHOUSE + ".ny"),
                     live.with_name(WAREHOUSE + ".ny.tmp"), live.with_name(WAREHOUSE + ".ny.tmp.wal"),
                     previous_path(live).with_name(previous_path(live).name + ".tmp"), marts / (JOURNAL + ".tmp")):
        leftover.unlink(missing_ok=True)
    for spill in (staging.with_name(staging.name + ".tmp"), marts / "spill"):  # DuckDB's spill files
        shutil.rmtree(spill, ignore_errors=True)
    shutil.rmtree(report_staging_path(data_dir), ignore_errors=True)
    return recovered


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


JOURNAL = ".publicering.json"  # in marts/, while a publish swaps the report and the warehouse (publish)
ASIDE = ".gammal"               # a published file or folder, renamed aside until the publish is through


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def publish(staging: Path, live: Path, report: Path | None = None) -> list[str]:
    """Publish a finished, checkpointed build and its report together: both or neither. The build file (already
    in the format DuckDB 1.x clients open, finsam.publish.compat) is flushed to disk; a journal (JOURNAL) names
    what is about to change; each of the report's files and folders (genomlysning/, genomlysning.html, parquet/)
    moves in, its published version renamed aside (ASIDE); last the warehouse replaces the live one with
    os.replace, and the directory is flushed: readers see the old file or the new one, never half of one. If any
    step fails, everything moved is moved back (_roll_back) and the error raised: the published report always
    describes the published warehouse. If the process dies in between (kill -9, power), the next run's
    start_build finishes the job from the journal (recover): back, unless the warehouse had been replaced.

    A WAL beside the live file (left by a read-write client that crashed) would be replayed into the new file and
    break it: it is moved aside first (and back on a failure). Returns what it had to say (the WAL it moved)."""
    notes = []
    wal = staging.with_name(staging.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} exists: the build was not checkpointed and closed; not publishing")
    _fsync(staging)
    marts = live.parent
    entries = sorted(report.iterdir()) if report is not None and report.is_dir() else []
    live_wal = live.with_name(live.name + ".wal")
    wal_aside = live_wal.with_name(f"{live_wal.name}.{dt.datetime.now():%Y%m%dT%H%M%S}{ASIDE}") \
        if live_wal.exists() else None
    for entry in entries:  # a rename aside left by a publish that finished all but its clean-up
        _remove(marts / (entry.name + ASIDE))
    journal = {"bygge": staging.name, "lager": live.name, "wal": wal_aside.name if wal_aside else None,
               "rapport": [[entry.name, _exists(marts / entry.name)] for entry in entries]}
    previous = previous_path(live)
    link = previous.with_name(previous.name + ".tmp")
    _write_journal(marts, journal)
    try:
        for entry in entries:
            published = marts / entry.name
            if _exists(published):
                os.replace(published, marts / (entry.name + ASIDE))
            os.replace(entry, published)
        if wal_aside is not None:
            os.replace(live_wal, wal_aside)
            notes.append(f"{live_wal.name} (left by a client that wrote to the live warehouse) was moved aside to "
                         f"{wal_aside.name}: it belonged to the previous file")
        if live.exists():  # the previous warehouse stays one generation, as a hard link to the same file
            link.unlink(missing_ok=True)
            os.link(live, link)
        os.replace(staging, live)
    except BaseException:
        link.unlink(missing_ok=True)
        _roll_back(marts, journal)
        raise
    if link.exists():
        os.replace(link, previous)
    _fsync(marts)
    _finish(marts, journal)
    if report is not None and report.is_dir():
        report.rmdir()
    return notes


def _write_journal(marts: Path, journal: dict) -> None:
    """The journal, on disk before anything it names is moved (written aside, flushed, renamed in)."""
    tmp = marts / (JOURNAL + ".tmp")
    tmp.write_text(json.dumps(journal), encoding="utf-8")
    _fsync(tmp)
    os.replace(tmp, marts / JOURNAL)
    _fsync(marts)


def _roll_back(marts: Path, journal: dict) -> None:
    """Put back what a publish that did not finish moved: each report entry's published version (or none, where
    there was none), the WAL it moved aside; the new entries are removed. The live warehouse was not replaced."""
    for name, existed in reversed(journal["rapport"]):
        published, aside = marts / name, marts / (name + ASIDE)
        if _exists(aside):
            if _exists(published):
                _remove(published)
            os.replace(aside, published)
        elif not existed and _exists(published):
            _remove(published)
    if journal.get("wal"):
        aside, live_wal = marts / journal["wal"], marts / (journal["lager"] + ".wal")
        if aside.exists() and not live_wal.exists():
            os.replace(aside, live_wal)
    _fsync(marts)
    (marts / JOURNAL).unlink(missing_ok=True)


def _finish(marts: Path, journal: dict) -> None:
    """After the warehouse was replaced: the report entries renamed aside go, and the journal."""
    (marts / JOURNAL).unlink(missing_ok=True)
    for name, _ in journal["rapport"]:
        _remove(marts / (name + ASIDE))


def recover(data_dir: Path) -> str | None:
    """Finish a publish that a dead process left half done (its JOURNAL is still there): if the build file is
    still beside the live warehouse, the warehouse was not replaced, so the report is put back as it was
    (_roll_back); otherwise the warehouse was replaced, and only the clean-up was left (_finish). Only the lock
    holder calls this (start_build). Returns what it did, or None when there was nothing to do."""
    marts = data_dir / "marts"
    try:
        journal = json.loads((marts / JOURNAL).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    if (marts / journal["bygge"]).exists():
        _roll_back(marts, journal)
        return "an interrupted publish was rolled back: the report is again the one of the live warehouse"
    _finish(marts, journal)
    return "an interrupted publish had replaced the warehouse: its clean-up was finished"


def previous_path(live: Path) -> Path:
    """The warehouse the last publish replaced: restore it with `mv finsam.duckdb.foregaende finsam.duckdb`."""
    return live.with_name(live.name + ".foregaende")
