"""Shared helpers: a throwaway data dir and config dir per test, and a real materialize() into it."""
import shutil
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, materialize

from finsam.config import PROJECT_ROOT
from pipelines.definitions import defs
from pipelines.resources import build_resources

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = "2026-06-30"


class Project:
    """A data dir and config dir under tmp_path, filled by the test, built with the real assets."""

    def __init__(self, root: Path):
        self.data = root / "data"
        self.config = root / "config"
        (self.data / "raw").mkdir(parents=True)
        shutil.copytree(PROJECT_ROOT / "config", self.config)

    def settings(self, ar_fran: int, ar_till: int | None) -> None:
        (self.config / "installningar.yaml").write_text(
            f"ar_fran: {ar_fran}\nar_till: {'' if ar_till is None else ar_till}\nmalgrupp_andel: 0.05\n"
            "undertryck_under: 5\n", encoding="utf-8")

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

    @property
    def warehouse(self) -> Path:
        return self.data / "marts" / "finsam.duckdb"

    def build(self, raise_on_error: bool = True):
        resources = build_resources(self.data, self.config, today=TODAY)
        assets = list(defs.assets) + list(defs.asset_checks)
        return materialize(assets, resources=resources, instance=DagsterInstance.ephemeral(),
                           raise_on_error=raise_on_error)

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
