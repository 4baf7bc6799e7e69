"""Shared helpers: a throwaway data dir and config dir per test; a whole build in plain Python (fast), a Dagster
materialize() of chosen assets, and the committed sample built once per test run by the pipeline command."""
import contextlib
import csv
import datetime as dt
import fcntl
import io
import os
import pickle
import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, materialize

from assets.resources import build_resources
from finsam.build.runner import build_all, publish_build
from finsam.config import PROJECT_ROOT
from finsam.privacy.pnr import check_digit
from finsam.publish import warehouse
from finsam.publish.warehouse import DUCKDB_CONFIG, report_staging_path, staging_path, start_build
from finsam.report import Rapport, build_report, images
from pipelines.definitions import ALL_ASSETS

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = PROJECT_ROOT / "data" / "raw"
TODAY = "2026-06-30"


def _rewrite_csv(path: Path, change: Callable[[list[dict]], object]) -> None:
    """Rewrite a config CSV: its header kept, its rows as `change` returns them."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(change(rows))


class Project:
    """A data dir and config dir under tmp_path, filled by the test, built with the real steps."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        self.config = root / "config"
        (self.data / "raw").mkdir(parents=True)
        shutil.copytree(PROJECT_ROOT / "config", self.config)

    def settings(self, ar_fran: int, ar_till: int | None) -> None:
        (self.config / "installningar.yaml").write_text(
            f"ar_fran: {ar_fran}\nar_till: {'' if ar_till is None else ar_till}\nmalgrupp_andel: 0.05\n"
            "undertryck_under: 5\n", encoding="utf-8")

    def insatser(self, register: str | None) -> None:
        """Replace config/insatser.csv with `register` (header included), or remove it (None). The shipped
        kostnadsmappning.csv ties cost lines to the shipped register's insatser, so its insats column is emptied
        (each row keeps its line number and kategori), and the shipped mal.csv keeps only its goals for whole
        förbund."""
        path = self.config / "insatser.csv"
        if register is None:
            path.unlink()
        else:
            path.write_text(register, encoding="utf-8")
        _rewrite_csv(self.config / "kostnadsmappning.csv", lambda rows: ({**r, "insats": ""} for r in rows))
        if (self.config / "mal.csv").exists():
            _rewrite_csv(self.config / "mal.csv", lambda rows: (r for r in rows if r["insats"] in ("", "*")))

    def raw(self, rel: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = self.data / "raw" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    def copy_fixture(self, name: str, rel: str) -> Path:
        path = self.data / "raw" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / name, path)
        return path

    def copy_sample(self) -> None:
        shutil.rmtree(self.data / "raw")
        shutil.copytree(SAMPLE, self.data / "raw")

    def restore(self, template: "Project") -> "Project":
        """Replace this project's data and config with a copy of `template`'s (say, a live warehouse built once
        per module), modification times kept; returns self."""
        for name in ("data", "config"):
            shutil.rmtree(self.root / name)
            shutil.copytree(template.root / name, self.root / name, symlinks=True)
        return self

    @property
    def warehouse(self) -> Path:
        return self.data / "marts" / "finsam.duckdb"

    @property
    def bygget(self) -> Path:
        """The person-level tables of the last build that published, kept for build_query."""
        return self.root / "bygget.duckdb"

    @contextlib.contextmanager
    def keeping_person_tables(self):
        """While a build of this project runs, publishing first copies the tables it leaves out (the person-level
        ones, finsam.build.steps.PERSON_TABLES) into `bygget`, beside the data folder, then publishes as ever."""
        publishable = warehouse.without_person_tables

        def keep(con: duckdb.DuckDBPyConnection, data_dir: Path, tables: tuple[str, ...]) -> None:
            con.execute("attach ? as bygget", [str(self.bygget)])
            try:
                for table in tables:
                    con.execute(f"create schema if not exists bygget.{table.split('.')[0]}")
                    con.execute(f"create table bygget.{table} as select * from {table}")
            finally:
                con.execute("detach bygget")
            publishable(con, data_dir, tables)
        self.bygget.unlink(missing_ok=True)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(warehouse, "without_person_tables", keep)
            yield

    def build_query(self, sql: str, params=None) -> list[tuple]:
        """`sql` on what only the build holds: the person-level tables (staging.sus_registreringar, ...) of this
        project's last published build, as they were before publishing dropped them."""
        con = duckdb.connect(str(self.bygget), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def build(self, tillat_forlust: bool = False, rapport: bool = False, tillat_revision: bool = False) -> list[str]:
        """Every step and every blocking check in plain Python (finsam.build.runner), the report if asked for (no
        pictures), then the guards and publishing: what the job does, without Dagster's overhead. Raises what the
        build raises (ConfigError, CheckFailed, DataLoss, Revision, ...); returns what publishing said."""
        start_build(self.data)
        con = duckdb.connect(str(staging_path(self.data)), config=DUCKDB_CONFIG)
        try:
            build_all(con, self.data, self.config, dt.date.fromisoformat(TODAY))
            if rapport:
                build_report(con, report_staging_path(self.data), png=False)
            with self.keeping_person_tables():
                return publish_build(con, self.data, tillat_forlust, tillat_revision)
        finally:
            con.close()

    def materialize(self, selection=None, raise_on_error: bool = True):
        """The real Dagster assets and checks (all, or `selection`), on an ephemeral instance; the report without
        its PNG pictures (test_rapport_prov covers those), as run_command() does."""
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("FINSAM_PNG", "0")
            resources = build_resources(self.data, self.config, today=TODAY)
        with self.keeping_person_tables():
            return materialize(ALL_ASSETS, selection=selection, resources=resources,
                               instance=DagsterInstance.ephemeral(), raise_on_error=raise_on_error)

    def run_command(self, png: bool = False, argv: list[str] | None = None) -> tuple[int, str, str]:
        """The pipeline command, in process, with `argv` (say, ["--tillat-revision"]): (exit code, stdout, stderr).
        PNG pictures only when asked for."""
        from pipelines import run

        out, err = io.StringIO(), io.StringIO()
        with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
                self.keeping_person_tables():
            mp.setenv("DAGSTER_HOME", str(self.root / "dagster_home"))
            mp.setenv("FINSAM_PNG", "1" if png else "0")
            code = run.main(self.data, self.config, TODAY, argv=argv)
        return code, out.getvalue(), err.getvalue()

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.warehouse), read_only=True)

    def query(self, sql: str, params=None) -> list[tuple]:
        con = self.connect()
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    """A copy of the shipped config/ for a test that changes its files and loads them."""
    shutil.copytree(PROJECT_ROOT / "config", tmp_path / "config")
    return tmp_path / "config"


def built_once(tmp_path_factory, name: str, years: tuple[int, int], raw: dict[str, str | bytes],
               prepare: Callable[[Project], None] = lambda _: None, rapport: bool = False) -> Project:
    """A project for a module-scoped fixture: settings, raw files (path under raw/ -> text), anything else
    `prepare` adds, then one build (with the report if asked for)."""
    project = Project(tmp_path_factory.mktemp(name))
    project.settings(*years)
    for rel, text in raw.items():
        project.raw(rel, text)
    prepare(project)
    project.build(rapport=rapport)
    return project


def shared(tmp_path_factory, worker_id: str, name: str, make: Callable[[Path], object]):
    """What make(folder) returns, made once per test run however many pytest-xdist workers ask for it: the first
    makes it under a lock in the run's common temporary folder and pickles it, the others wait and read it."""
    base = tmp_path_factory.getbasetemp()
    base = base if worker_id == "master" else base.parent
    folder, done = base / name, base / f"{name}.pickle"
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            made = make(folder)
            done.write_bytes(pickle.dumps(made))
    return pickle.loads(done.read_bytes())


def _sample(folder: Path) -> Project:
    project = Project(folder)
    project.copy_sample()
    project.settings(2017, 2025)
    project.command = project.run_command()
    assert project.command[0] == 0, project.command[2]
    return project


class Delad:
    """The files of one build that a module's tests share. Each file is read, validated and quarantined on its own,
    so each test adds its own file (fil) under a name no other test uses and reads that file's rows; the module's
    fixture builds them all once (bygg)."""

    def __init__(self, files: dict[str, str | bytes] | None = None):
        self.files = dict(files or {})  # path under raw/ -> content
        self.mtimes: dict[str, int] = {}  # the modification time of the files whose age matters

    def fil(self, rel: str, content: str | bytes, mtime: int | None = None) -> str:
        """Add a test's file; returns its fil (raw/<rel>)."""
        assert rel not in self.files, f"two tests use raw/{rel}"
        self.files[rel] = content
        if mtime is not None:
            self.mtimes[rel] = mtime
        return f"raw/{rel}"

    def bygg(self, tmp_path_factory, name: str, years: tuple[int, int],
             prepare: Callable[[Project], None] = lambda _: None) -> Project:
        def with_times(project: Project) -> None:
            for rel, mtime in self.mtimes.items():
                os.utime(project.data / "raw" / rel, (mtime, mtime))
            prepare(project)
        return built_once(tmp_path_factory, name, years, self.files, with_times)


@pytest.fixture(scope="session")
def sample(tmp_path_factory, worker_id) -> Project:
    """The committed sample (data/raw, config/), 2017-2025, built once per test run by the pipeline command in
    process; `command` holds its exit code, output and errors. Read it; never write to it."""
    return shared(tmp_path_factory, worker_id, "sample", _sample)


@dataclass
class Prov:
    """The sample's warehouse, and the report built from it by finsam.report.bygg into a folder of its own."""
    data: Path
    lager: Path
    marts: Path
    rapport: Rapport

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.lager), read_only=True)


@pytest.fixture(scope="session")
def prov(sample, tmp_path_factory, worker_id) -> Prov:
    def make(folder: Path) -> Prov:
        """Built with pictures asked for where no Chromium is found, as on a machine without one: the same files,
        and the report says why there are no pictures."""
        con = sample.connect()
        try:
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(images, "finn_chromium", lambda: None)
                return Prov(sample.data, sample.warehouse, folder / "marts", build_report(con, folder / "marts",
                                                                                          png=True))
        finally:
            con.close()
    return shared(tmp_path_factory, worker_id, "rapport", make)


# Checksums, pseudonyms and run ids: a scan for personnummer skips them (a run of digits in one is no number).
HEX_OR_UUID = re.compile(r"[0-9a-f]{32,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def personnummer(stub: str) -> str:
    """A personnummer as written, from all of it but its check digit (`personnummer("19121212-121")` is
    Skatteverket's test number 19121212-1212): the Luhn check digit of the last nine digits is appended. Tests build
    their numbers so, and no valid number is written out in the repository."""
    digits = [str(unicodedata.decimal(c)) for c in stub if unicodedata.decimal(c, None) is not None]
    return stub + check_digit("".join(digits[-9:]))


# pytest-xdist hands out whole test files in collection order: the slowest go first, so that no long file starts
# last while the other worker has nothing left to do.
SLOWEST_FIRST = ["test_drift", "test_pipeline_command", "test_rapport_prov", "test_pseudonym", "test_bad_input",
                 "test_ekonomi_kontroller", "test_rapport_webblasare"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.stem, len(rank)))
