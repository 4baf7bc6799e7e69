"""Resources: where the data, config and warehouse are. Nothing here opens the warehouse."""

import datetime as dt
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb as duckdb_module
from dagster import ConfigurableResource, InitResourceContext
from dagster_duckdb import DuckDBResource
from pydantic import PrivateAttr

from finsam import config
from finsam.build.runner import BuildContext
from finsam.privacy.pnr import holds_pnr, scrub
from finsam.publish.warehouse import DUCKDB_CONFIG, live_path, report_staging_path, staging_path


class FinsamResource(ConfigurableResource):
    """Paths and configuration of one warehouse build."""

    data_dir: str
    config_dir: str
    today: str | None = None  # ISO date standing in for today (tests); blank = the real date
    png: bool = True  # PNG pictures of the report's charts when a Chromium is there (FINSAM_PNG=0: none)
    tillat_forlust: bool = False  # publish even if the build loses data the live warehouse has (confirmed loss)
    tillat_revision: bool = False  # publish even if the build revises closed years beyond revision_tolerans
    tillat_nyckelbyte: bool = False  # build with a pseudonym key other than the live warehouse's (confirmed change)

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)

    @property
    def config_path(self) -> Path:
        return Path(self.config_dir)

    @property
    def live_path(self) -> Path:
        return live_path(self.data_path)

    @property
    def staging_path(self) -> Path:
        return staging_path(self.data_path)

    @property
    def report_staging_path(self) -> Path:
        return report_staging_path(self.data_path)

    def date(self) -> dt.date:
        return dt.date.fromisoformat(self.today) if self.today else dt.date.today()

    def build_context(self, con, log) -> BuildContext:
        """The context a step runs in: this build's connection, paths and date, logging to Dagster's log (every line
        with its personnummer masked: a message can quote a cell or a file name)."""
        return BuildContext(con, self.data_path, self.config_path, self.date(), lambda m: log.info(scrub(m)),
                            lambda m: log.warning(scrub(m)), self.tillat_nyckelbyte)


class BuildDb(DuckDBResource):
    """The build file, with one connection for the whole run: opened when a step first asks for it (after
    forbund_register has started the file) and closed when the run ends, failed or not, so no connection outlives
    its run in this process. DuckDBResource itself opens a connection per step, and each open reads the file and
    replays its write-ahead log while each close checkpoints it: about 2 s of a run on the sample."""

    _con: duckdb_module.DuckDBPyConnection | None = PrivateAttr(default=None)

    @contextmanager
    def get_connection(self) -> Iterator[duckdb_module.DuckDBPyConnection]:
        if self._con is None:
            self._con = duckdb_module.connect(self.database, config=self.connection_config)
        yield self._con

    def owner(self) -> str | None:
        """The run that started the build file (register.bygge), or None when there is no file or no readable
        stamp. Never creates the file."""
        if self._con is None and not Path(self.database).is_file():
            return None
        try:
            with self.get_connection() as con:
                rows = con.execute("select run_id from register.bygge").fetchall()
        except duckdb_module.Error:
            return None
        return rows[0][0] if rows else None

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None


class MaskedError(Exception):
    """An error whose message, or the message of an error behind it, held a personnummer: the same error, its
    type named in the message, with every personnummer masked and the errors behind it left out (their
    traceback is kept; it shows code, not data)."""


@contextmanager
def masked_errors() -> Iterator[None]:
    """What a step raises reaches Dagster's event log and the command's standard error: an error that quotes a
    personnummer (a library quoting a cell, a path) is raised again as a MaskedError. Every other error passes
    as it is, so its type still says what went wrong."""
    try:
        yield
    except Exception as e:
        chain, seen = [], e
        while seen is not None and len(chain) < 20:
            chain.append(seen)
            seen = seen.__cause__ or (None if seen.__suppress_context__ else seen.__context__)
        if not any(holds_pnr(str(x)) for x in chain):
            raise
        raise MaskedError(scrub(f"{type(e).__name__}: {e}")).with_traceback(e.__traceback__) from None


PROGRESS = logging.getLogger("finsam.progress")  # the pipeline command prints it (pipelines/run.py)


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def progress(step: str, metadata: dict, seconds: float) -> None:
    """One line per finished step (the pipeline command prints these while a run works)."""
    rows = metadata.get("rows")
    detail = f"{rows} rows" if rows is not None else ", ".join(f"{k} {v}" for k, v in metadata.items())
    PROGRESS.info(f"  {step}: {detail}, {seconds:.1f} s")


def build_resources(data_dir: Path | str | None = None, config_dir: Path | str | None = None,
                    today: str | None = None) -> dict:
    """The resources of a run; the DuckDB resource points at the new file being built, never the live one."""
    finsam = FinsamResource(data_dir=str(Path(data_dir or config.data_dir()).absolute()),
                            config_dir=str(Path(config_dir or config.config_dir()).absolute()), today=today,
                            png=os.environ.get("FINSAM_PNG", "1") != "0",
                            tillat_forlust=os.environ.get("FINSAM_TILLAT_FORLUST", "0") == "1",
                            tillat_revision=os.environ.get("FINSAM_TILLAT_REVISION", "0") == "1",
                            tillat_nyckelbyte=os.environ.get("FINSAM_TILLAT_NYCKELBYTE", "0") == "1")
    return {"finsam": finsam, "duckdb": BuildDb(database=str(finsam.staging_path), connection_config=DUCKDB_CONFIG)}
