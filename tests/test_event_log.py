"""The project's Dagster instance settings: the event log keeps its sqlite connections open
(pipelines/event_log.py), and what it stores is read back by another instance, as the UI reads it."""
import shutil

from dagster import DagsterInstance, asset, materialize

from finsam.config import PROJECT_ROOT
from pipelines import event_log
from pipelines.event_log import PooledSqliteEventLogStorage


@asset
def ett() -> int:
    return 1


def instance_at(home, monkeypatch) -> DagsterInstance:
    home.mkdir(exist_ok=True)
    shutil.copy(PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return DagsterInstance.get()


def test_the_project_instance_stores_events_another_instance_reads(tmp_path, monkeypatch):
    home = tmp_path / "dagster_home"
    with instance_at(home, monkeypatch) as writer:
        assert isinstance(writer.event_log_storage, PooledSqliteEventLogStorage)
        runs = [materialize([ett], instance=writer).run_id for _ in range(2)]
        # the UI's own instance, while the writer still holds its connections
        with DagsterInstance.from_config(str(home)) as reader:
            for run_id in runs:
                kinds = [e.dagster_event.event_type_value for e in reader.all_logs(run_id) if e.is_dagster_event]
                assert "PIPELINE_START" in kinds and kinds[-1] == "PIPELINE_SUCCESS"
                assert "ASSET_MATERIALIZATION" in kinds
            assert reader.get_latest_materialization_event(ett.key).run_id == runs[-1]
    # closed on dispose: sqlite folds its write-ahead logs back into the files
    assert sorted(p.name for p in (home / "history" / "runs").iterdir()) == sorted(
        [f"{r}.db" for r in runs] + ["index.db"])


def test_only_the_most_recently_used_files_stay_open(tmp_path, monkeypatch):
    monkeypatch.setattr(event_log, "KEEP", 2)
    with instance_at(tmp_path / "dagster_home", monkeypatch) as instance:
        runs = [materialize([ett], instance=instance).run_id for _ in range(3)]
        kept = list(instance.event_log_storage._engines)
        assert len(kept) == 2 and runs[0] not in kept
        # a file closed before is opened again on demand
        assert any(e.is_dagster_event for e in instance.all_logs(runs[0]))
