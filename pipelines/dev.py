"""`make dev`: the Dagster webserver and daemon with default signal handlers, so TERM stops them and their
children (started from a non-interactive shell, `dagster dev` otherwise ignores INT and leaves children behind)."""
import os
import signal
import sys
from pathlib import Path

from finsam import config
from finsam.config import PROJECT_ROOT
from pipelines.instance import write_settings


def main() -> None:
    os.environ.setdefault("DAGSTER_HOME", str(config.dagster_home()))
    write_settings(Path(os.environ["DAGSTER_HOME"]))
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    args = ["dagster", "dev", "-w", str(PROJECT_ROOT / "workspace.yaml"), *sys.argv[1:]]
    os.chdir(PROJECT_ROOT)
    os.execvp(args[0], args)


if __name__ == "__main__":
    main()
