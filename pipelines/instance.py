"""$DAGSTER_HOME/dagster.yaml: the project's instance settings (dagster.yaml: one run at a time, no telemetry) and
the event log in that home with its connections kept open (pipelines/event_log.py), its folder written out in full
as Dagster writes its default's. Written by `make` (every target), the pipeline command, `make dev` and the
container's entrypoint, so every process that opens the instance (the command, the webserver, the daemon and the
runs it launches, a script's DagsterInstance.from_config) finds the event log in the home it opened, whatever its
own environment says.

    python -m pipelines.instance [HOME]     # HOME defaults to $DAGSTER_HOME
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from finsam.paths import project_root  # not finsam.config (polars): `make` runs this before every target

EVENT_LOG = """
# Added by pipelines/instance.py for this home: the event log in its history/runs, as Dagster's default, with the
# sqlite connections kept open instead of opened for every event (pipelines/event_log.py).
event_log_storage:
  module: pipelines.event_log
  class: PooledSqliteEventLogStorage
  config:
    base_dir: {base_dir}
"""


def settings(home: Path) -> str:
    """The text of home's dagster.yaml."""
    base_dir = (home / "history" / "runs").absolute()
    return (project_root() / "dagster.yaml").read_text(encoding="utf-8") + EVENT_LOG.format(
        base_dir=json.dumps(str(base_dir)))   # a JSON string is a YAML double-quoted scalar: any path as it is


def write_settings(home: Path) -> Path:
    """Writes home/dagster.yaml when it differs (in one step: a webserver and a daemon may start together)."""
    home.mkdir(parents=True, exist_ok=True)
    target, text = home / "dagster.yaml", settings(home)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        tmp = home / f".dagster.yaml.{os.getpid()}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    return target


if __name__ == "__main__":
    write_settings(Path(sys.argv[1] if len(sys.argv) > 1 else os.environ["DAGSTER_HOME"]))
