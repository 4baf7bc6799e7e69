"""The raw-file sensor: a build starts when a file the build reads (in a source folder under raw/, see
finsam.ingest.inventory) is added, changed (by content) or removed."""
import json

from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SkipReason, sensor

from assets.resources import FinsamResource
from finsam.ingest.inventory import scan
from pipelines.jobs import nightly_job


@sensor(job=nightly_job, minimum_interval_seconds=60, default_status=DefaultSensorStatus.RUNNING,
        description="Starts nightly_job when the content of raw/'s source folders changes: a file the build reads "
                    "added, changed or removed. A file touched but unchanged starts nothing, nor does a file the "
                    "build does not read (outside every source folder, hidden, an Office lock file). Runs queue "
                    "behind each other (one at a time).")
def raw_filer_sensor(context: SensorEvaluationContext, finsam: FinsamResource):
    previous = json.loads(context.cursor) if context.cursor else {"files": {}, "digest": None}
    files, digest = scan(finsam.data_path / "raw", previous["files"])
    context.update_cursor(json.dumps({"files": files, "digest": digest}))
    if digest == previous["digest"]:
        return SkipReason("raw/ is unchanged (by content)")
    # run_key = the content digest: the same content never starts a second run, whatever touched the files
    return RunRequest(run_key=digest, tags={"finsam/raw_digest": digest})
