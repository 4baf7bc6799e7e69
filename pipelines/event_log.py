"""Dagster's sqlite event log, with its connections kept open (dagster.yaml, event_log_storage).

Dagster's SqliteEventLogStorage builds a new SQLAlchemy engine, opens the file, begins, commits and closes for
every event it stores or reads: a run of the pipeline stores about 300 events and reads the asset index once per
step, and on the sample that was about 4 s of a 20 s run. This class keeps one engine per database file (a run's
own file and the index; the most recently used few) with pooled connections, and commits with sqlite's
synchronous=NORMAL where the file is in the WAL mode Dagster sets, which is safe against a killed process and loses
at most the last events of a power cut (a file in another journal mode keeps sqlite's default). The files, their
tables and the UI that reads them are Dagster's own and unchanged.

Where the files are: base_dir, which pipelines/instance.py writes into $DAGSTER_HOME/dagster.yaml in full
(<home>/history/runs, where Dagster's default storage keeps the same files).
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from dagster import StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS, create_db_conn_string
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection

# engines kept open at once: the run being written, the index, and a few runs the UI reads
KEEP = 6


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """SqliteEventLogStorage with an engine per database file kept open. Configured in dagster.yaml."""

    def __init__(self, base_dir: str, inst_data=None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        super().__init__(base_dir, inst_data)

    @classmethod
    def config_type(cls):
        return {"base_dir": StringSource}

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        """The open engine of one database file, created (and the file initialised) on first use."""
        engine = self._engines.pop(shard, None)
        if engine is None:
            engine = create_engine(create_db_conn_string(self._base_dir, shard),
                                   connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
            event.listen(engine, "connect", _normal_sync_in_wal)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
                engine.dispose()   # a new file turns WAL in _initdb: its next connection sets synchronous for it
        self._engines[shard] = engine
        while len(self._engines) > KEEP:
            self._engines.popitem(last=False)[1].dispose()
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            with self._engine(shard).connect() as conn, conn.begin():
                yield conn

    def _close_all(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()

    def wipe(self) -> None:
        """Closes the kept connections before Dagster deletes the files (they would write to deleted files)."""
        self._close_all()
        super().wipe()

    def dispose(self) -> None:
        """Closes every kept connection (sqlite then folds the write-ahead log into the file) as well."""
        super().dispose()
        self._close_all()


def _normal_sync_in_wal(dbapi_connection, _record) -> None:
    (mode,) = dbapi_connection.execute("PRAGMA journal_mode").fetchone()
    if str(mode).lower() == "wal":
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")
