"""A warehouse that DuckDB 1.x clients can open.

DuckDB 2.x writes storage version 2 by default, which 1.x refuses ("database file with version number 999").
Every build file is created with storage_compatibility_version 'v1.0.0' (finsam.publish.warehouse.DUCKDB_CONFIG), which
DuckDB 1.1.3 opens with the same tables, views, rows and column comments (verified by hand with duckdb==1.1.3
on a copy in that format). Publishing moves into place the build's copy without its person-level tables, written
in the same format (finsam.publish.warehouse.without_person_tables).
"""
from __future__ import annotations

from pathlib import Path

import duckdb

STORAGE_VERSION = "v1.0.0"


def storage_version(path: Path) -> str:
    """The storage version a database file declares, e.g. 'v1.0.0+' (read by attaching it read-only)."""
    con = duckdb.connect()
    try:
        con.execute("attach ? as f (read_only)", [str(path)])
        return con.execute("select tags['storage_version'] from duckdb_databases() "
                           "where database_name = 'f'").fetchall()[0][0]
    finally:
        con.close()
