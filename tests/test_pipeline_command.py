"""The pipeline command as an operator runs it: exit codes, summary, and a warehouse that is never half-built.
In process (Project.run_command), except one smoke test of the real command line."""
import hashlib
import os
import subprocess
import sys

import duckdb
import pytest

from finsam.config import PROJECT_ROOT
from pipelines.run import summary
from tests.conftest import Project, built_once

# Slow (make test-quick leaves it out): whole runs of the pipeline command, one in a subprocess.
pytestmark = pytest.mark.slow
HEADER = "Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
GOOD = HEADER + "Sydnärke;Steget;G1;Nej;K;2019-02-01;;\nSydnärke;Steget;G2;Nej;M;2019-03-01;2019-09-30;Arbete\n"


def run(project, monkeypatch, key: str | None = None, argv: list[str] | None = None) -> tuple[int, str, str]:
    if key is None:
        monkeypatch.delenv("FINSAM_PSEUDONYM_KEY", raising=False)
    else:
        monkeypatch.setenv("FINSAM_PSEUDONYM_KEY", key)
    monkeypatch.delenv("FINSAM_TILLAT_REVISION", raising=False)  # restored after the test: --tillat-revision sets it
    return project.run_command(argv=argv)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def earlier_night(tmp_path_factory):
    """A live warehouse from an earlier night (built in plain Python: these tests are about the next run)."""
    return built_once(tmp_path_factory, "earlier_night", (2019, 2020), {"sus/sydnarke.csv": GOOD})


@pytest.fixture
def published(project, earlier_night):
    """A copy of earlier_night of the test's own."""
    return project.restore(earlier_night)


def command(project: Project) -> subprocess.CompletedProcess:
    """The real command in a subprocess, configured by the environment as a scheduler runs it."""
    environ = {k: v for k, v in os.environ.items() if k != "FINSAM_PSEUDONYM_KEY"}
    environ.update(FINSAM_DATA_DIR=str(project.data), FINSAM_CONFIG_DIR=str(project.config),
                   DAGSTER_HOME=str(project.root / "dagster_home"), FINSAM_PNG="0")
    return subprocess.run([sys.executable, "-m", "pipelines.run"], cwd=PROJECT_ROOT, env=environ,
                          capture_output=True, text=True, timeout=300)


def test_command_line_smoke_test(project):
    project.settings(2019, 2020)
    project.raw("sus/sydnarke.csv", GOOD)
    done = command(project)
    assert done.returncode == 0, done.stderr
    assert f"published {project.warehouse}" in done.stdout
    assert project.query("select count(*) from marts.deltagare_ar") == [(14,)]


def test_a_data_directory_whose_path_holds_an_apostrophe_a_space_and_swedish_letters(tmp_path):
    """No path is pasted into SQL text (finsam.sqltext): the first night attaches and copies into files under
    the path, the second also attaches the live warehouse it replaces (the guard, the run history)."""
    project = Project(tmp_path / "Anna's data" / "Östra Göinge")
    project.settings(2019, 2020)
    project.raw("sus/sydnärke \"export\".csv", GOOD)
    for _night in (1, 2):
        done = command(project)
        assert done.returncode == 0, done.stderr
        assert f"published {project.warehouse}" in done.stdout
    assert project.query("select deltagare from marts.deltagare_ar where forbund = 'sydnarke' and ar = 2019 "
                         "and insats = '*'") == [(2,)]
    assert project.query("select count(*), count(distinct run_id) from marts.korningar") == [(2, 2)]
    assert (project.data / "marts" / "parquet" / "deltagare_ar.parquet").stat().st_size > 0
    assert (project.data / "marts" / "genomlysning" / "genomlysning.xlsx").stat().st_size > 0


@pytest.fixture(scope="module")
def clean_run(earlier_night, tmp_path_factory):
    """The next night on unchanged inputs, run once by the command: (project, raw file's stat before, result)."""
    project = Project(tmp_path_factory.mktemp("clean_run")).restore(earlier_night)
    stat = (project.data / "raw" / "sus" / "sydnarke.csv").stat()
    with pytest.MonkeyPatch.context() as mp:
        return project, stat, run(project, mp)


def test_clean_run_exits_0_and_prints_the_summary(clean_run):
    project, _, (code, out, err) = clean_run
    assert code == 0, err
    assert f"published {project.warehouse}" in out
    assert "files read: 1, rejected: 0" in out
    # 5 förbund x 2 years + Steget 2019 and 2020 + typ:coachingteam 2019 and 2020 (Steget's typ in insatser.csv)
    assert "  marts.deltagare_ar: 14" in out
    assert project.query("select deltagare from marts.deltagare_ar where forbund = 'sydnarke' and ar = 2019 "
                         "and insats = '*'") == [(2,)]


def test_rejected_file_exits_2_names_it_and_still_publishes_the_rest(published, monkeypatch):
    project = published
    project.raw("sus/trasig.csv", HEADER + "Sydnärke;Steget;B1;Nej;K;2019-13-01;;\n")
    code, out, err = run(project, monkeypatch)
    assert code == 2, err
    assert "files read: 2, rejected: 1" in out
    assert ("  REJECTED raw/sus/trasig.csv: raw/sus/trasig.csv, row 2, column 'Inskrivningsdatum': unreadable "
            "date: found '2019-13-01', expected a date (YYYY-MM-DD or an Excel date)") in out
    assert project.query("select deltagare from marts.deltagare_ar where forbund = 'sydnarke' and ar = 2019 "
                         "and insats = '*'") == [(2,)]


def test_broken_config_exits_1_and_leaves_the_previous_warehouse_byte_identical(published, monkeypatch):
    project = published
    before = digest(project.warehouse)
    (project.config / "forbund.yaml").write_text("forbund: []\n", encoding="utf-8")
    project.raw("sus/mer.csv", GOOD.replace("G1", "G3"))
    code, _, err = run(project, monkeypatch)
    assert code == 1
    assert err.startswith("NOT PUBLISHED: step forbund_register failed: ConfigError: ")
    assert "The previous warehouse and report are unchanged." in err
    assert "expected a non-empty list under 'forbund'" in err
    assert digest(project.warehouse) == before
    con = duckdb.connect(str(project.warehouse), read_only=True)
    assert con.execute("select count(*) from marts.deltagare_ar").fetchone() == (14,)
    con.close()


def test_personnummer_without_key_exits_1_with_the_how_to(published, monkeypatch):
    project = published
    before = digest(project.warehouse)
    project.raw("sus/pnr.csv", HEADER + "Sydnärke;Steget;19121212-1212;Nej;K;2019-02-01;;\n")
    code, out, err = run(project, monkeypatch)
    assert code == 1
    assert "personnummer found (19121212-****) but no pseudonym key is set" in err
    assert "1212-1212" not in (out + err).replace("19121212-****", "")
    assert digest(project.warehouse) == before
    # the new person counts in 2019, a closed year on TODAY: a revision, confirmed
    code, _, err = run(project, monkeypatch, key="k" * 32, argv=["--tillat-revision"])
    assert code == 0, err[-1500:]


def test_raw_files_are_never_modified(clean_run):
    project, stat, (code, _, _) = clean_run
    path = project.data / "raw" / "sus" / "sydnarke.csv"
    assert code == 0
    assert path.read_text(encoding="utf-8") == GOOD and path.stat().st_mtime == stat.st_mtime


def test_a_data_directory_without_inputs_publishes_empty_marts_with_a_warning(project):
    project.settings(2019, 2019)
    project.build()
    text, rejected = summary(project.warehouse)
    assert rejected == 0
    assert text.splitlines()[1:3] == [
        "files read: 0, rejected: 0",
        f"  WARNING: no input files under {project.data / 'raw'}: every mart is empty. Put the exports in its "
        "folders (sus/, ekonomi/, ...; README, Inputs) or check FINSAM_DATA_DIR."]
