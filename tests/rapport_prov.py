"""The sample warehouse, built once per test session for the report tests (test_rapport_prov.py and the browser
test share it): data/raw and config/ copied to a tmp dir and run through the real pipeline command."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from finsam.config import PROJECT_ROOT
from finsam.rapport import Rapport, bygg


@dataclass
class Prov:
    data: Path
    rapport: Rapport

    @property
    def lager(self) -> Path:
        return self.data / "marts" / "finsam.duckdb"

    @property
    def marts(self) -> Path:
        return self.data / "marts"

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.lager), read_only=True)


_BYGGT: dict[str, Prov] = {}


def prov(tmp_path_factory) -> Prov:
    if "prov" not in _BYGGT:
        rot = tmp_path_factory.mktemp("rapport_prov")
        shutil.copytree(PROJECT_ROOT / "data" / "raw", rot / "data" / "raw")
        shutil.copytree(PROJECT_ROOT / "config", rot / "config")
        (rot / "dh").mkdir()
        (rot / "dh" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
        env = {**os.environ, "FINSAM_DATA_DIR": str(rot / "data"), "FINSAM_CONFIG_DIR": str(rot / "config"),
               "DAGSTER_HOME": str(rot / "dh")}
        run = subprocess.run([sys.executable, "-m", "pipelines.run"], env=env, cwd=PROJECT_ROOT,
                             capture_output=True, text=True, timeout=600)
        assert run.returncode in (0, 2), run.stdout + run.stderr
        con = duckdb.connect(str(rot / "data" / "marts" / "finsam.duckdb"), read_only=True)
        try:
            _BYGGT["prov"] = Prov(rot / "data", bygg(con, rot / "data" / "marts", png=False))
        finally:
            con.close()
    return _BYGGT["prov"]
