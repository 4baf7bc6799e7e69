"""Running as a service: the raw-file sensor starts a run only when raw/ changes by content and has settled, and
keeps no file name; runs queue one at a time, and the shipped systemd units and compose file say what they should."""
import configparser
import json
import os
import re
import shutil

import pytest
import yaml
from dagster import DagsterInstance, RunRequest, SkipReason, build_sensor_context

from assets.resources import build_resources
from finsam.config import PROJECT_ROOT
from finsam.ingest.inventory import scan
from finsam.publish.guard import DataLoss
from pipelines import sensors
from pipelines.sensors import raw_filer_sensor


def evaluate(project, cursor):
    with DagsterInstance.ephemeral() as instance:
        context = build_sensor_context(instance=instance, cursor=cursor,
                                       resources={"finsam": build_resources(project.data, project.config)["finsam"]})
        result = raw_filer_sensor(context)
        return result, context.cursor


def settle(project, seconds: int) -> None:
    """vanta_sekunder in the project's installningar.yaml."""
    path = project.config / "installningar.yaml"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("vanta_sekunder")]
    path.write_text("\n".join([*lines, f"vanta_sekunder: {seconds}"]) + "\n", encoding="utf-8")


@pytest.fixture
def clock(monkeypatch):
    """The sensor's clock, stepped by the test: clock.now = ..."""
    class Clock:
        now = 1_000_000.0
    monkeypatch.setattr(sensors, "clock", lambda: Clock.now)
    return Clock


def test_sensor_starts_a_run_on_added_changed_and_removed_files_not_on_a_touch(project):
    settle(project, 0)
    path = project.raw("sus/a.csv", "Samordningsförbund;Insats\n")
    first, cursor = evaluate(project, None)
    assert isinstance(first, RunRequest)
    unchanged, cursor = evaluate(project, cursor)
    assert isinstance(unchanged, SkipReason)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # touched, same content
    touched, cursor = evaluate(project, cursor)
    assert isinstance(touched, SkipReason)
    path.write_text("Samordningsförbund;Insats\nSydnärke;Steget\n", encoding="utf-8")
    changed, cursor = evaluate(project, cursor)
    assert isinstance(changed, RunRequest) and changed.run_key != first.run_key
    added = project.raw("ekonomi/b.csv", "Förbund;År\n")
    more, cursor = evaluate(project, cursor)
    assert isinstance(more, RunRequest) and more.run_key not in (first.run_key, changed.run_key)
    added.unlink()
    removed, cursor = evaluate(project, cursor)
    # the same content as before the file was added: a run again, under a run key Dagster has not seen (a key it
    # has seen starts nothing, and the removed file's data would stay published)
    assert isinstance(removed, RunRequest) and removed.run_key not in (first.run_key, changed.run_key, more.run_key)
    assert removed.tags["finsam/raw_digest"] == changed.tags["finsam/raw_digest"]


def test_a_file_still_being_copied_starts_no_run_until_raw_has_settled(project, clock):
    settle(project, 60)
    path = project.raw("sus/stor.csv", "Samordningsförbund;Insats\n" + "Sydnärke;Steget\n" * 1000)
    result, cursor = evaluate(project, None)
    assert isinstance(result, SkipReason) and "waiting until it has been unchanged for 60 s" in result.skip_message
    with path.open("a", encoding="utf-8") as fh:     # a minute later the copy is still being written
        fh.write("Sydnärke;Steget\n" * 1000)
    clock.now += 61
    result, cursor = evaluate(project, cursor)
    assert isinstance(result, SkipReason) and "0 s so far" in result.skip_message
    clock.now += 30                                  # done, but not unchanged for 60 s yet
    result, cursor = evaluate(project, cursor)
    assert isinstance(result, SkipReason) and "30 s so far" in result.skip_message
    clock.now += 30
    started, cursor = evaluate(project, cursor)
    assert isinstance(started, RunRequest)
    clock.now += 60
    result, cursor = evaluate(project, cursor)
    assert isinstance(result, SkipReason) and "unchanged (by content) since the last run" in result.skip_message
    path.unlink()                                    # a removal settles the same way
    clock.now += 60
    assert isinstance(evaluate(project, cursor)[0], SkipReason)
    clock.now -= 3600                                # the clock steps back an hour: the wait starts again
    result, cursor = evaluate(project, evaluate(project, cursor)[1])
    assert isinstance(result, SkipReason) and "0 s so far" in result.skip_message
    clock.now += 60
    assert isinstance(evaluate(project, cursor)[0], RunRequest)


def test_a_broken_settle_time_does_not_stop_the_sensor_it_waits_the_default(project, clock):
    """The run it then starts stops on the broken config and says why, where every failed run is said."""
    settle(project, -5)
    project.raw("sus/a.csv", "Samordningsförbund;Insats\n")
    result, cursor = evaluate(project, None)
    assert isinstance(result, SkipReason) and "unchanged for 60 s" in result.skip_message
    clock.now += 60
    assert isinstance(evaluate(project, cursor)[0], RunRequest)


def test_the_cursor_and_the_run_hold_checksums_never_file_names(project):
    settle(project, 0)
    names = ["sus/sydnarke_19121212-1212.csv", "sus/Anna Andersson.csv", "ekonomi/hemlig_plan.csv"]
    for rel in names:
        project.raw(rel, "Samordningsförbund;Insats\n")
    run, cursor = evaluate(project, None)
    assert isinstance(run, RunRequest)
    stored = json.loads(cursor)
    assert set(stored) == {"digest", "sedan", "byggt"}
    assert re.fullmatch("[0-9a-f]{64}", stored["digest"]) and stored["byggt"] == stored["digest"]
    assert run.tags == {"finsam/raw_digest": stored["digest"]}
    assert re.fullmatch(r"[0-9a-f]{64}-[0-9.]+", run.run_key)
    said = cursor + run.run_key + json.dumps(run.tags)
    for word in ("sus", "ekonomi", "sydnarke", "19121212", "1212", "Anna", "hemlig", ".csv"):
        assert word not in said, word


def test_a_cursor_of_the_sensor_before_the_settle_time_is_taken_over(project):
    """It held every file name and the digest of its last run: the content unchanged starts nothing, and the
    names are gone from the cursor after one tick."""
    settle(project, 0)
    project.raw("sus/a.csv", "Samordningsförbund;Insats\n")
    files, digest = scan(project.data / "raw", {})
    result, cursor = evaluate(project, json.dumps({"files": files, "digest": digest}))
    assert isinstance(result, SkipReason) and "sus/a.csv" not in cursor


def test_removing_a_file_starts_a_run_and_its_data_leave_the_warehouse_once_the_loss_is_confirmed(project):
    project.settings(2019, 2019)
    settle(project, 0)
    header = "Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
    project.raw("sus/sydnarke.csv", header + "Sydnärke;Steget;G1;Nej;K;2019-02-01;;\n")
    first, cursor = evaluate(project, None)
    added = project.raw("sus/sofint.csv", header + "SOFINT;Kompassen;S1;Nej;K;2019-02-01;;\n")
    second, cursor = evaluate(project, cursor)
    project.build()
    assert project.query("select forbund from marts.jamforelse_ar where deltagare > 0 order by 1") == [
        ("sofint",), ("sydnarke",)]
    added.unlink()
    third, cursor = evaluate(project, cursor)
    assert isinstance(third, RunRequest) and third.run_key not in (first.run_key, second.run_key)
    with pytest.raises(DataLoss):                    # the loss guard still asks
        project.build()
    project.build(tillat_forlust=True)
    assert project.query("select forbund from marts.jamforelse_ar where deltagare > 0 order by 1") == [
        ("sydnarke",)]


def test_sensor_sees_exactly_the_files_a_build_reads(project):
    """The sensor and ingest share one definition of an input file (finsam.ingest.folder.raw_files over the
    registered source folders): a file a build does not read starts nothing, one it reads (or rejects) does."""
    settle(project, 0)
    project.copy_fixture("bad/good/sus/sydnarke_2019.csv", "sus/a.csv")
    first, cursor = evaluate(project, None)
    assert isinstance(first, RunRequest)
    for rel in ("README.md", "expected_deltagare_ar.csv", "notes/x.csv", "scb/x.csv", "sus/.hidden.csv",
                "sus/~$a.xlsx", "sus/.git/x.csv"):
        project.raw(rel, "Samordningsförbund;Insats\n")
        unchanged, cursor = evaluate(project, cursor)
        assert isinstance(unchanged, SkipReason), rel
    (project.data / "raw" / "sus" / "gone.csv").symlink_to("nowhere.csv")  # rejected by the build, naming it
    for rel in ("sus/gone.csv", "sus/b.csv", "sus/notes.txt", "scb/folkmangd_nov/c.csv"):
        if rel != "sus/gone.csv":
            project.raw(rel, "Samordningsförbund;Insats\n")
        changed, cursor = evaluate(project, cursor)
        assert isinstance(changed, RunRequest), rel
    project.build()
    seen = {f for f, in project.query("select fil from marts.inlasta_filer")}
    assert seen == {f"raw/{rel}" for rel in scan(project.data / "raw", {})[0]}
    assert seen == {"raw/sus/a.csv", "raw/sus/gone.csv", "raw/sus/b.csv", "raw/sus/notes.txt",
                    "raw/scb/folkmangd_nov/c.csv"}


def test_runs_queue_one_at_a_time():
    config = yaml.safe_load((PROJECT_ROOT / "dagster.yaml").read_text(encoding="utf-8"))
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert config["run_coordinator"]["config"]["max_concurrent_runs"] == 1


def test_the_systemd_units_start_the_daemon_and_the_ui_from_the_project_environment():
    for name, program in (("finsam-daemon.service", "dagster-daemon run"),
                          ("finsam-webserver.service", "dagster-webserver")):
        unit = configparser.ConfigParser(strict=False, interpolation=None)
        unit.optionxform = str
        unit.read(PROJECT_ROOT / "deploy" / name, encoding="utf-8")
        service = unit["Service"]
        assert f"/opt/finsam/.venv/bin/{program}" in service["ExecStart"]
        assert "-w /opt/finsam/workspace.yaml" in service["ExecStart"]
        env = dict(pair.split("=", 1) for pair in service["Environment"].split())
        assert env == {"DAGSTER_HOME": "/var/lib/finsam/dagster_home", "FINSAM_DATA_DIR": "/var/lib/finsam/data",
                       "FINSAM_CONFIG_DIR": "/opt/finsam/config"}
        assert service["EnvironmentFile"] == "/etc/finsam/secrets.env"
        assert unit["Install"]["WantedBy"] == "multi-user.target"
    for program in ("dagster-daemon", "dagster-webserver"):
        assert shutil.which(program, path=str(PROJECT_ROOT / ".venv" / "bin")), program


def test_the_compose_file_runs_daemon_and_ui_on_one_dagster_home_and_data_dir():
    compose = yaml.safe_load((PROJECT_ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"daemon", "webserver"}
    for service in services.values():
        assert service["environment"]["DAGSTER_HOME"] == "/dagster_home"
        assert service["environment"]["FINSAM_DATA_DIR"] == "/data"
        assert "finsam-data:/data" in service["volumes"]
        assert service["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
        assert not {"make", "uv", "apt-get", "pip"} & set(" ".join(service["command"]).split())  # nothing set up
    assert " ".join(services["daemon"]["command"]) == "dagster-daemon run -w workspace.yaml"
    assert services["webserver"]["command"][0] == "dagster-webserver"
    assert services["webserver"]["ports"] == ["127.0.0.1:3000:3000"]


def test_the_image_is_built_from_the_lock_without_dev_tools():
    text = (PROJECT_ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    lines = [" ".join(line.split()) for line in text.replace("\\\n", " ").splitlines() if not line.startswith("#")]
    runs = " ".join(line for line in lines if line.startswith("RUN "))
    assert "uv sync --frozen --no-dev --no-install-project" in runs and "uv sync --frozen --no-dev &&" in runs
    assert "COPY pyproject.toml uv.lock ./" in lines
    assert not any(word in runs for word in ("uv lock", "pip install", "make "))
