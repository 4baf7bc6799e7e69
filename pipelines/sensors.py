"""The raw-file sensor: a build starts when a file the build reads (in a source folder under raw/, see
finsam.ingest.inventory) is added, changed (by content) or removed, once raw/ has stayed that way for the settle
time (`vanta_sekunder` in installningar.yaml), so a file still being copied starts nothing.

What the sensor keeps in Dagster's storage (its cursor) and puts on a run (its tags and run key) are checksums and
times, never a file name: a file name can hold a personnummer. The checksums of the files are kept between ticks
in this process only (a restarted daemon reads every file once more)."""
import json
import time
from pathlib import Path

from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SkipReason, sensor

from assets.resources import FinsamResource
from finsam.config import VANTA_SEKUNDER, load_settings
from finsam.ingest.inventory import scan
from finsam.io.findings import ConfigError
from finsam.publish.guard import published_input
from pipelines.jobs import nightly_job

_KNOWN: dict[Path, dict[str, list]] = {}   # raw/ -> its last scan: {relative path: [mtime_ns, size, sha256]}


def clock() -> float:
    """Seconds since the epoch (UTC); a function of its own so tests can step it."""
    return time.time()


def settle_seconds(finsam: FinsamResource, context: SensorEvaluationContext) -> int:
    """`vanta_sekunder` of installningar.yaml. A broken config does not stop the sensor: the run it starts stops
    on it and says why, where every run's failure is said."""
    try:
        return load_settings(finsam.config_path).vanta_sekunder
    except ConfigError as e:
        context.log.warning(f"{e}; waiting the default {VANTA_SEKUNDER} s")
        return VANTA_SEKUNDER


def decide(previous: dict, digest: str, now: float, settle: int, published: str | None = None
           ) -> tuple[dict, str | None, str]:
    """(the new cursor, the run key of a run to start or None, why). `previous` holds `digest` (raw/ as last
    seen), `sedan` (since when it has looked like that) and `byggt` (the digest of the last run started; a cursor
    of the sensor before the settle time had only `digest`, the content of its last run). `published` is the
    digest the live warehouse's latest run started from (marts.korningar.indata): raw/ as it was published, by this
    sensor or by the pipeline command (make run before make dev), needs no run. A content first seen now, or a
    clock that went back, starts the wait again."""
    started = previous.get("byggt", previous.get("digest"))
    since = previous.get("sedan")
    if digest != previous.get("digest") or since is None or since > now:
        since = now
    if digest == published:
        return {"digest": digest, "sedan": since, "byggt": digest}, None, \
            "raw/ is what the live warehouse was built from (its latest published run)"
    cursor = {"digest": digest, "sedan": since, "byggt": started}
    if digest == started:
        return cursor, None, "raw/ is unchanged (by content) since the last run it started"
    waited = now - since
    if waited < settle:
        return cursor, None, (f"raw/ changed; waiting until it has been unchanged for {settle} s (vanta_sekunder), "
                              f"{waited:.0f} s so far")
    # run key: the content and when it was first seen, so content that comes back (a file added, then removed)
    # starts a run again, while the same observation never starts two
    return {**cursor, "byggt": digest}, f"{digest}-{since:.3f}", "raw/ changed and has settled"


@sensor(job=nightly_job, minimum_interval_seconds=60, default_status=DefaultSensorStatus.RUNNING,
        description="Starts nightly_job when the content of raw/'s source folders changes (a file the build reads "
                    "added, changed or removed) and has then stayed unchanged for vanta_sekunder "
                    "(installningar.yaml, default 60 s): a file still being copied starts nothing. Content the live "
                    "warehouse was built from (by the pipeline command, say) starts nothing. A file touched "
                    "but unchanged starts nothing, nor does a file the build does not read (outside every source "
                    "folder, hidden, an Office lock file). Runs queue behind each other (one at a time).")
def raw_filer_sensor(context: SensorEvaluationContext, finsam: FinsamResource):
    now = clock()
    raw = finsam.data_path / "raw"
    previous = json.loads(context.cursor) if context.cursor else {}
    files, digest = scan(raw, _KNOWN.get(raw, {}))
    _KNOWN[raw] = files
    cursor, run_key, why = decide(previous, digest, now, settle_seconds(finsam, context),
                                  published_input(finsam.live_path))
    context.update_cursor(json.dumps(cursor))
    if run_key is None:
        return SkipReason(why)
    return RunRequest(run_key=run_key, tags={"finsam/raw_digest": digest})
