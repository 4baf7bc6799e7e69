"""`make dev`: the Dagster webserver and daemon with default signal handlers, so TERM stops them and their
children (started from a non-interactive shell, `dagster dev` otherwise ignores INT and leaves children behind)."""
import os
import shutil
import signal
import sys

from finsam import config
from finsam.config import PROJECT_ROOT


def main() -> None:
    os.environ.setdefault("DAGSTER_HOME", str(config.dagster_home()))
    os.makedirs(os.environ["DAGSTER_HOME"], exist_ok=True)
    instance_yaml = os.path.join(os.environ["DAGSTER_HOME"], "dagster.yaml")
    if not os.path.exists(instance_yaml):
        shutil.copy(PROJECT_ROOT / "dagster.yaml", instance_yaml)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    args = ["dagster", "dev", "-w", str(PROJECT_ROOT / "workspace.yaml"), *sys.argv[1:]]
    os.chdir(PROJECT_ROOT)
    os.execvp(args[0], args)


if __name__ == "__main__":
    main()
