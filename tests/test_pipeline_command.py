"""The pipeline command as an operator runs it: exit codes, summary, and a warehouse that is never half-built."""
import hashlib
import os
import subprocess
import sys

import duckdb
import pytest

from finsam.config import PROJECT_ROOT

HEADER = "Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
GOOD = HEADER + "Sydnärke;Steget;G1;Nej;K;2019-02-01;;\nSydnärke;Steget;G2;Nej;M;2019-03-01;2019-09-30;Arbete\n"


def run(project, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "FINSAM_PSEUDONYM_KEY"}
    environ.update(FINSAM_DATA_DIR=str(project.data), FINSAM_CONFIG_DIR=str(project.config),
                   DAGSTER_HOME=str(project.data.parent / "dagster_home"), **env)
    return subprocess.run([sys.executable, "-m", "pipelines.run"], cwd=PROJECT_ROOT, env=environ,
                          capture_output=True, text=True, timeout=300)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def published(project):
    project.settings(2019, 2020)
    project.raw("sus/sydnarke.csv", GOOD)
    done = run(project)
    assert done.returncode == 0, done.stderr
    return project, done


def test_clean_run_exits_0_and_prints_the_summary(published):
    project, done = published
    assert f"published {project.warehouse}" in done.stdout
    assert "files read: 1, rejected: 0" in done.stdout
    assert "  marts.deltagare_ar: 12" in done.stdout  # 5 förbund x 2 years + Steget 2019 and 2020
    assert project.query("select deltagare from marts.deltagare_ar where forbund = 'sydnarke' and ar = 2019 "
                         "and insats = '*'") == [(2,)]


def test_rejected_file_exits_2_names_it_and_still_publishes_the_rest(published):
    project, _ = published
    project.raw("sus/trasig.csv", HEADER + "Sydnärke;Steget;B1;Nej;K;2019-13-01;;\n")
    done = run(project)
    assert done.returncode == 2, done.stderr
    assert "files read: 2, rejected: 1" in done.stdout
    assert ("  REJECTED raw/sus/trasig.csv: raw/sus/trasig.csv, row 2, column 'Inskrivningsdatum': unreadable "
            "date: found '2019-13-01', expected a date (YYYY-MM-DD or an Excel date)") in done.stdout
    assert project.query("select deltagare from marts.deltagare_ar where forbund = 'sydnarke' and ar = 2019 "
                         "and insats = '*'") == [(2,)]


def test_broken_config_exits_1_and_leaves_the_previous_warehouse_byte_identical(published):
    project, _ = published
    before = digest(project.warehouse)
    (project.config / "forbund.yaml").write_text("forbund: []\n", encoding="utf-8")
    project.raw("sus/mer.csv", GOOD.replace("G1", "G3"))
    done = run(project)
    assert done.returncode == 1
    assert "NOT PUBLISHED: the previous warehouse is unchanged." in done.stderr
    assert "expected a non-empty list under 'forbund'" in done.stderr
    assert digest(project.warehouse) == before
    con = duckdb.connect(str(project.warehouse), read_only=True)
    assert con.execute("select count(*) from marts.deltagare_ar").fetchone() == (12,)
    con.close()


def test_personnummer_without_key_exits_1_with_the_how_to(published):
    project, _ = published
    before = digest(project.warehouse)
    project.raw("sus/pnr.csv", HEADER + "Sydnärke;Steget;19121212-1212;Nej;K;2019-02-01;;\n")
    done = run(project)
    assert done.returncode == 1
    assert "personnummer found (19121212-****) but no pseudonym key is set" in done.stderr
    assert "1212-1212" not in (done.stdout + done.stderr).replace("19121212-****", "")
    assert digest(project.warehouse) == before
    assert run(project, FINSAM_PSEUDONYM_KEY="k").returncode == 0


def test_raw_files_are_never_modified(published):
    project, _ = published
    path = project.data / "raw" / "sus" / "sydnarke.csv"
    stat = path.stat()
    assert run(project).returncode == 0
    assert path.read_text(encoding="utf-8") == GOOD and path.stat().st_mtime == stat.st_mtime
