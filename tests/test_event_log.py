"""The project's Dagster instance (pipelines/instance.py writes $DAGSTER_HOME/dagster.yaml): the event log keeps its
sqlite connections open (pipelines/event_log.py), in the home the instance was opened from, and what it stores is
read back by another instance, as the UI reads it."""
import sqlite3

import yaml
from dagster import DagsterInstance, asset, materialize

from finsam.config import PROJECT_ROOT
from pipelines import event_log
from pipelines.event_log import PooledSqliteEventLogStorage
from pipelines.instance import write_settings


@asset
def ett() -> int:
    return 1


def instance_at(home, monkeypatch) -> DagsterInstance:
    write_settings(home)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return DagsterInstance.get()


def test_the_home_gets_the_projects_settings_and_its_own_event_log(tmp_path):
    home = tmp_path / "Anna's \"hem\" ö"
    write_settings(home)
    written = yaml.safe_load((home / "dagster.yaml").read_text(encoding="utf-8"))
    project = yaml.safe_load((PROJECT_ROOT / "dagster.yaml").read_text(encoding="utf-8"))
    assert {k: v for k, v in written.items() if k != "event_log_storage"} == project
    assert written["event_log_storage"] == {"module": "pipelines.event_log", "class": "PooledSqliteEventLogStorage",
                                            "config": {"base_dir": str(home / "history" / "runs")}}
    before = (home / "dagster.yaml").stat().st_mtime_ns
    write_settings(home)   # unchanged: not rewritten (a webserver and a daemon start together)
    assert (home / "dagster.yaml").stat().st_mtime_ns == before and len(list(home.iterdir())) == 1


def test_the_project_instance_stores_events_another_instance_reads(tmp_path, monkeypatch):
    home = tmp_path / "dagster_home"
    with instance_at(home, monkeypatch) as writer:
        assert isinstance(writer.event_log_storage, PooledSqliteEventLogStorage)
        runs = [materialize([ett], instance=writer).run_id for _ in range(2)]
        # the UI's own instance, while the writer still holds its connections, from a process whose DAGSTER_HOME
        # is another home: the event log is the one of the home it opened
        monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "another_home"))
        with DagsterInstance.from_config(str(home)) as reader:
            for run_id in runs:
                kinds = [e.dagster_event.event_type_value for e in reader.all_logs(run_id) if e.is_dagster_event]
                assert "PIPELINE_START" in kinds and kinds[-1] == "PIPELINE_SUCCESS"
                assert "ASSET_MATERIALIZATION" in kinds
            assert reader.get_latest_materialization_event(ett.key).run_id == runs[-1]
    # closed on dispose: sqlite folds its write-ahead logs back into the files
    assert sorted(p.name for p in (home / "history" / "runs").iterdir()) == sorted(
        [f"{r}.db" for r in runs] + ["index.db"])
    assert not (tmp_path / "another_home").exists()


def test_only_the_most_recently_used_files_stay_open(tmp_path, monkeypatch):
    monkeypatch.setattr(event_log, "KEEP", 2)
    with instance_at(tmp_path / "dagster_home", monkeypatch) as instance:
        runs = [materialize([ett], instance=instance).run_id for _ in range(3)]
        kept = list(instance.event_log_storage._engines)
        assert len(kept) == 2 and runs[0] not in kept
        # a file closed before is opened again on demand
        assert any(e.is_dagster_event for e in instance.all_logs(runs[0]))


def test_commits_are_normal_sync_only_in_wal_mode(tmp_path, monkeypatch):
    with instance_at(tmp_path / "dagster_home", monkeypatch) as instance:
        storage = instance.event_log_storage
        run_id = materialize([ett], instance=instance).run_id
        with storage.run_connection(run_id) as conn:
            assert conn.exec_driver_sql("pragma journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("pragma synchronous").scalar() == 1      # NORMAL
    # a file in another journal mode keeps sqlite's default, FULL
    for mode, expected in (("delete", 2), ("wal", 1)):
        con = sqlite3.connect(tmp_path / f"{mode}.db")
        con.execute(f"pragma journal_mode={mode}").fetchall()
        event_log._normal_sync_in_wal(con, None)
        assert con.execute("pragma synchronous").fetchone() == (expected,)
        con.close()


def test_wiping_closes_the_kept_connections_first(tmp_path, monkeypatch):
    with instance_at(tmp_path / "dagster_home", monkeypatch) as instance:
        first = materialize([ett], instance=instance).run_id
        assert first in instance.event_log_storage._engines
        instance.wipe()     # Dagster deletes the runs' files and empties the index
        assert first not in instance.event_log_storage._engines
        run_id = materialize([ett], instance=instance).run_id
        assert instance.get_latest_materialization_event(ett.key).run_id == run_id
        assert [r.run_id for r in instance.get_runs()] == [run_id]
