"""finsam runs without a checkout: the wheel ships sql/, config/ and the instance settings as package data, and
finsam.paths finds them; the `finsam` command is the pipeline command."""
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hatchling.build import build_wheel

from finsam.config import PROJECT_ROOT
from finsam.paths import project_root
from pipelines import cli, run

SHIPPED = ("sql", "config")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel as `uv build` makes it, built in-process (hatchling from the dev group: no network)."""
    out = tmp_path_factory.mktemp("dist")
    cwd = os.getcwd()
    os.chdir(PROJECT_ROOT)
    try:
        return out / build_wheel(str(out))
    finally:
        os.chdir(cwd)


def test_the_wheel_ships_every_sql_and_config_file_and_the_command(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in SHIPPED:
        files = [p.relative_to(PROJECT_ROOT).as_posix() for p in (PROJECT_ROOT / folder).rglob("*") if p.is_file()]
        assert files, folder
        assert {f"finsam/_data/{f}" for f in files} <= names, folder
    assert {"finsam/_data/dagster.yaml", "finsam/paths.py", "pipelines/cli.py"} <= names
    entry_points = zipfile.ZipFile(wheel).read("finsam-0.1.0.dist-info/entry_points.txt").decode()
    assert "finsam = pipelines.cli:main" in entry_points


def test_installed_elsewhere_the_code_reads_the_shipped_copies(wheel, tmp_path):
    site = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(site)
    env = {k: v for k, v in os.environ.items() if k not in ("FINSAM_CONFIG_DIR", "FINSAM_DATA_DIR")}
    env["PYTHONPATH"] = str(site)  # ahead of the project environment's editable install of the checkout
    probe = ("import finsam.config as c, finsam.publish.warehouse as w; "
             "print(c.__file__, w.SQL_DIR, c.config_dir(), sep='\\n')")
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert Path(out[0]).is_relative_to(site)
    data = site / "finsam" / "_data"
    assert Path(out[1]) == data / "sql" and Path(out[2]) == data / "config"
    assert (data / "sql" / "marts" / "deltagare_ar.sql").is_file() and (data / "config" / "forbund.yaml").is_file()


def test_project_root_is_the_checkout_only_in_a_checkout(tmp_path):
    checkout = tmp_path / "checkout"
    (checkout / "finsam").mkdir(parents=True)
    (checkout / "sql").mkdir()
    (checkout / "pyproject.toml").touch()
    assert project_root(checkout / "finsam") == checkout
    installed = tmp_path / "venv" / "lib" / "python3.11" / "site-packages" / "finsam"
    installed.mkdir(parents=True)
    assert project_root(installed) == installed / "_data"
    assert project_root() == PROJECT_ROOT == Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("argv, expected", [([], []), (["run"], []), (["--tillat-forlust"], ["--tillat-forlust"]),
                                            (["run", "--tillat-forlust"], ["--tillat-forlust"])])
def test_the_finsam_command_is_the_pipeline_command(monkeypatch, argv, expected):
    seen = []
    monkeypatch.setattr(run, "main", lambda argv: seen.append(argv) or run.PUBLISHED_WITH_REJECTS)
    assert cli.main(argv) == run.PUBLISHED_WITH_REJECTS  # its exit code, unchanged
    assert seen == [expected]
