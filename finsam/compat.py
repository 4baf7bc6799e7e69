"""Writing a warehouse that DuckDB 1.x clients can open.

DuckDB 2.x writes storage version 2 by default, which 1.x refuses ("database file with version number 999").
Copying a finished build into a file attached with STORAGE_VERSION 'v1.0.0' gives a file that DuckDB 1.1.3
opens with the same tables, views, rows and column comments (verified by hand with duckdb==1.1.3).
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

STORAGE_VERSION = "v1.0.0"


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def write_compatible(src: Path, dst: Path, storage_version: str = STORAGE_VERSION, config: dict | None = None) -> Path:
    """Copy the database src (read only, e.g. a finished build) into dst in the storage format of
    `storage_version`; dst is replaced atomically, so readers see the old file or the new one. `config` is the
    copying connection's (e.g. its memory limit)."""
    tmp = dst.with_name(dst.name + ".tmp")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    con = duckdb.connect(config=config or {})
    try:
        con.execute(f"attach '{_sql_path(src)}' as kalla (read_only)")
        con.execute(f"attach '{_sql_path(tmp)}' as mal (storage_version '{storage_version}')")
        con.execute("copy from database kalla to mal")
        con.execute("detach mal")
    finally:
        con.close()
    os.replace(tmp, dst)
    return dst


def storage_version(path: Path) -> str:
    """The storage version a database file declares, e.g. 'v1.0.0+' (read by attaching it read-only)."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{_sql_path(path)}' as f (read_only)")
        return con.execute("select tags['storage_version'] from duckdb_databases() "
                           "where database_name = 'f'").fetchall()[0][0]
    finally:
        con.close()
