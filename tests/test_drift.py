"""Unattended every night: a run never publishes a worse warehouse by accident, one writer at a time, crashes leave
the live warehouse and report as they were, and the run history is carried over."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from finsam.config import PROJECT_ROOT
from finsam.publish.guard import DataLoss
from finsam.publish.warehouse import JOURNAL, LOCK, lock, staging_path, start_build, unlock
from tests.conftest import built_once

# Slow (make test-quick leaves it out): every test starts from a published warehouse, three kill the pipeline
# command with kill -9.
pytestmark = pytest.mark.slow
HEADER = "Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
SYDNARKE = HEADER + "Sydnärke;Steget;G1;Nej;K;2019-02-01;;\nSydnärke;Steget;G2;Nej;M;2019-03-01;2019-09-30;Arbete\n"
SOFINT = HEADER + "SOFINT;Kompassen;S1;Nej;K;2019-02-01;2019-05-01;Studier\n"


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def live_state(project) -> dict:
    """Every published file and its checksum: the warehouse and the report beside it (not what a run builds: the
    build file, its write-ahead log, the report being written)."""
    marts = project.data / "marts"
    return {str(p.relative_to(marts)): digest(p) for p in sorted(marts.rglob("*"))
            if p.is_file() and p.name != LOCK and ".building" not in p.relative_to(marts).parts[0]
            and not p.name.endswith(".foregaende")}


@pytest.fixture(scope="module")
def published_once(tmp_path_factory):
    """A live warehouse and report published from two SUS files (in plain Python: these tests are about what
    the next run does to them; the ones about the command's exit status and words run the command)."""
    return built_once(tmp_path_factory, "live", (2019, 2019), {"sus/sydnarke.csv": SYDNARKE, "sus/sofint.csv": SOFINT},
                      rapport=True)


@pytest.fixture
def live(project, published_once, monkeypatch):
    """A copy of published_once of the test's own."""
    monkeypatch.delenv("FINSAM_TILLAT_FORLUST", raising=False)
    return project.restore(published_once)


# What the live warehouse loses when a förbund's only SUS file goes: every mart the guard watches that counted it
# (not nyinskrivna and aterkommande: 2019 is SOFINT's first year of registrations, where they are NULL already).
SOFINT_LOST = [
    "avslut_ar sofint 2019: avslutade, avslutade_totalt, med_stod, utan_stod, avslut_stegforflyttning would go from "
    "a value to NULL (10 rows)",
    "deltagare_ar sofint 2019: deltagare, avslutade, avslut_arbete_studier, avslut_jobb_studieredo, "
    "pagaende_vid_arets_slut, registreringar, anonyma would go from a value to NULL",
    "deltagare_grupp_ar sofint 2019: deltagare, avslutade, avslut_arbete_studier, avslut_jobb_studieredo "
    "would go from a value to NULL (11 rows)",
    "deltagare_kommun_ar sofint 2019: deltagare, avslutade, avslut_arbete_studier, "
    "avslut_jobb_studieredo, pagaende_vid_arets_slut, registreringar, anonyma would go from a value "
    "to NULL",
    "insats_ar sofint 2019: the förbund-year would disappear",
    "jamforelse_ar sofint 2019: deltagare, avslutade, avslut_arbete_studier, avslut_jobb_studieredo, "
    "avslut_stegforflyttning would go from a value to NULL",
    "jamforelse_kommun_ar sofint 2019: deltagare, avslutade would go from a value to NULL",
    "tid_i_insats_ar sofint 2019: the förbund-year would disappear",
]


def test_a_data_dir_that_does_not_exist_is_an_error_not_an_empty_warehouse(project):
    project.data = project.root / "finns_inte"
    code, out, err = project.run_command()
    assert code == 1
    assert err.startswith(f"NOT PUBLISHED: FINSAM_DATA_DIR {project.data} does not exist")
    assert not project.data.exists()


def test_an_empty_source_folder_stops_publication_and_names_what_would_be_lost(live):
    before = live_state(live)
    (live.data / "raw" / "sus" / "sydnarke.csv").unlink()
    (live.data / "raw" / "sus" / "sofint.csv").unlink()
    code, _, err = live.run_command()
    assert code == 1
    first = err.splitlines()[0]
    # the source, and for each of the two förbund the marts that counted it
    assert first.startswith("NOT PUBLISHED: step finsam_lager failed: not publishing: this build would lose data "
                            f"the live warehouse has ({1 + 2 * len(SOFINT_LOST)} item(s))")
    assert "source sus: its folder is missing or empty in this run, but the live warehouse holds data from 2 " \
           "file(s) of it" in err
    assert SOFINT_LOST[4].replace("sofint", "sydnarke") in err
    assert live_state(live) == before


def test_a_confirmed_loss_is_published_and_said(live):
    (live.data / "raw" / "sus" / "sofint.csv").unlink()
    with pytest.raises(DataLoss):
        live.build()
    notes = live.build(tillat_forlust=True)  # confirms the closed year's values gone to NULL too (revisions)
    revised = live.query("select count(*) from marts.revisioner where korning = "
                         "(select run_id from marts.korningar order by lopnummer desc limit 1)")[0][0]
    assert revised > 100                     # every figure of SOFINT's 2019 that came from its SUS file
    assert notes == [f"confirmed loss: {line}" for line in SOFINT_LOST] + [
        f"revisions: {revised} published figure(s) of closed years changed, {revised} of them beyond "
        "revision_tolerans (confirmed); listed in marts.revisioner"]
    assert live.query("select deltagare from marts.jamforelse_ar where forbund = 'sofint'") == [(None,)]


def test_a_broken_reexport_without_an_archived_version_is_stopped_by_the_guard(live):
    before = live_state(live)
    shutil.rmtree(live.data / "arkiv")  # e.g. the archive was cleaned out: nothing can stand in for the file
    live.raw("sus/sofint.csv", HEADER + "SOFINT;Kompassen;S1;Nej;K;2019-02-31;2019-05-01;Studier\n")
    with pytest.raises(DataLoss) as lost:
        live.build()
    assert lost.value.lost == SOFINT_LOST
    assert live_state(live) == before


def test_a_second_run_while_one_builds_exits_1_at_once(live):
    before = live_state(live)
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from pathlib import Path; "
                               "from finsam.publish.warehouse import lock; lock(Path(sys.argv[1])); "
                               "print('locked', flush=True); time.sleep(60)", str(live.data)],
                              cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        start = time.monotonic()
        code, _, err = live.run_command()
        assert time.monotonic() - start < 2
    finally:
        holder.kill()
        holder.wait()
    assert code == 1
    assert err.startswith("NOT PUBLISHED: another run is building this warehouse (pid ")
    assert live_state(live) == before
    lock(live.data)  # the lock went with the process that held it
    unlock(live.data)


def test_the_lock_is_reentrant_in_one_process_and_released(tmp_path):
    lock(tmp_path)
    lock(tmp_path)
    unlock(tmp_path)
    probe = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                            "from finsam.publish.warehouse import lock; lock(Path(sys.argv[1]))", str(tmp_path)],
                           cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert probe.returncode == 0, probe.stderr


@pytest.mark.parametrize("leftover", [b"", b"garbage, not a database", None])
def test_whatever_a_killed_run_left_the_next_run_cleans_up(live, leftover):
    building = staging_path(live.data)
    if leftover is None:  # a build file stamped by a run that never finished
        con = duckdb.connect(str(building))
        con.execute("create schema register; create table register.bygge as select 'a-dead-run' as run_id")
        con.close()
    else:
        building.write_bytes(leftover)
    (live.data / "marts" / "rapport.building").mkdir()
    (live.data / "marts" / "rapport.building" / "halv.html").write_text("<html>")
    live.build()
    assert not (live.data / "marts" / "genomlysning" / "halv.html").exists()
    assert not building.exists() and not (live.data / "marts" / "rapport.building").exists()


def test_a_stale_wal_beside_the_live_warehouse_is_moved_aside_and_the_new_file_opens(live):
    wal = live.warehouse.with_name("finsam.duckdb.wal")
    wal.write_bytes(b"\x00" * 4096)
    notes = live.build()
    assert notes[0].startswith("finsam.duckdb.wal (left by a client that wrote to the live warehouse) was moved aside")
    assert not wal.exists()
    assert len(list(wal.parent.glob("finsam.duckdb.wal.*.gammal"))) == 1
    assert live.query("select count(*) from marts.deltagare_ar where insats = '*'") == [(5,)]


def test_a_reader_holding_the_warehouse_through_a_run_keeps_working(live):
    reader = live.connect()
    try:
        before = reader.execute("select deltagare from marts.jamforelse_ar where forbund = 'sydnarke'").fetchall()
        live.raw("sus/mer.csv", HEADER + "Sydnärke;Steget;G9;Nej;K;2019-04-01;;\n")
        live.build(tillat_revision=True)  # 2019 is closed on TODAY: a change of it is a revision
        assert reader.execute("select deltagare from marts.jamforelse_ar where forbund = 'sydnarke'").fetchall() \
            == before == [(2,)]
    finally:
        reader.close()
    assert live.query("select deltagare from marts.jamforelse_ar where forbund = 'sydnarke'") == [(3,)]


def marts_content(project) -> dict:
    con = project.connect()
    try:
        tables = [t for (t,) in con.execute("select table_name from duckdb_tables() where schema_name = 'marts' "
                                             "and table_name <> 'korningar' order by 1").fetchall()]
        return {t: hashlib.sha256(str(con.execute(f"select * from marts.{t} order by all").fetchall()).encode())
                .hexdigest() for t in tables}
    finally:
        con.close()


def test_two_runs_on_the_same_inputs_give_identical_marts_and_the_history_grows(live):
    first = marts_content(live)
    published = digest(live.warehouse)
    live.build()
    assert marts_content(live) == first
    # the previous generation is kept for a restore
    assert digest(live.warehouse.with_name("finsam.duckdb.foregaende")) == published
    rows = live.query("select utlost_av, status, exitkod, filer_lasta, filer_avvisade from marts.korningar "
                      "order by startad, klar")
    assert rows == [("test", "publicerad", 0, 2, 0)] * 2
    assert live.query("select count(distinct run_id) from marts.korningar") == [(2,)]


def test_the_report_footer_shows_the_latest_run(live):
    run_id = live.query("select run_id from marts.korningar order by klar desc limit 1")[0][0]
    page = (live.data / "marts" / "genomlysning" / "18_orebro_lan.html").read_text(encoding="utf-8")
    assert run_id in page


def test_materialising_one_asset_alone_says_to_run_the_whole_job(live):
    result = live.materialize("deltagare_ar", raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert failure.event_specific_data.error.message.startswith(
        "dagster._core.definitions.events.Failure: deltagare_ar is one step of a whole build and cannot run on its "
        "own: materialise the whole job (nightly_job")


@pytest.mark.parametrize("kill_after", ["sus_registreringar", "deltagare_ar", "genomlysning"])
def test_kill_9_at_any_moment_leaves_the_live_warehouse_and_report_as_they_were(live, kill_after):
    """During ingest, during the marts, right before the swap: the command is killed when it reports that step."""
    before = live_state(live)
    live.raw("sus/mer.csv", HEADER + "Sydnärke;Steget;G9;Nej;K;2019-04-01;;\n")
    environ = {**os.environ, "FINSAM_DATA_DIR": str(live.data), "FINSAM_CONFIG_DIR": str(live.config),
               "DAGSTER_HOME": str(live.root / "dagster_home_kill"), "FINSAM_PNG": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.run"], cwd=PROJECT_ROOT, env=environ,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in proc.stdout:
            if line.strip().startswith(f"{kill_after}:"):
                proc.kill()
                break
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -9
    assert live_state(live) == before
    assert live.query("select deltagare from marts.jamforelse_ar where forbund = 'sydnarke'") == [(2,)]
    live.build(tillat_revision=True)  # whatever the killed run left, the next one cleans up and publishes
    assert live.query("select deltagare from marts.jamforelse_ar where forbund = 'sydnarke'") == [(3,)]


def failing(monkeypatch, fails) -> None:
    """os.replace raises OSError for the move `fails(src, dst)` picks, and does every other."""
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if fails(Path(src), Path(dst)):
            raise OSError(28, "No space left on device")
        return real(src, dst, *args, **kwargs)
    monkeypatch.setattr(os, "replace", replace)


def report_of(project) -> str:
    """The run id the published report's footer names."""
    page = (project.data / "marts" / "genomlysning" / "18_orebro_lan.html").read_text(encoding="utf-8")
    return next(r for (r,) in project.query("select run_id from marts.korningar") if r in page)


@pytest.mark.parametrize("step", ["the warehouse", "the report's last folder"])
def test_a_publish_that_fails_half_way_leaves_report_and_warehouse_as_they_were(live, monkeypatch, step):
    """The report's files and folders move in first, the warehouse last: whichever move fails, what moved goes
    back, so the published report describes the published warehouse."""
    before = live_state(live)
    live.raw("sus/mer.csv", HEADER + "Sydnärke;Steget;G9;Nej;K;2019-04-01;;\n")
    if step == "the warehouse":
        failing(monkeypatch, lambda src, dst: src == staging_path(live.data) and dst == live.warehouse)
    else:
        failing(monkeypatch, lambda src, dst: src.parent.name == "rapport.building" and src.name == "parquet")
    with pytest.raises(OSError, match="No space left on device"):
        live.build(rapport=True, tillat_revision=True)
    assert live_state(live) == before
    assert not [p.name for p in (live.data / "marts").iterdir() if p.name.endswith(".gammal")
                or p.name.startswith(".publicering")]
    assert live.query("select deltagare from marts.jamforelse_ar where forbund = 'sydnarke'") == [(2,)]
    monkeypatch.undo()
    live.build(rapport=True, tillat_revision=True)     # the new person changes the closed year 2019: on purpose
    assert live.query("select deltagare from marts.jamforelse_ar where forbund = 'sydnarke'") == [(3,)]
    assert report_of(live) == live.query("select run_id from marts.korningar order by klar desc limit 1")[0][0]


KILLED_BEFORE_THE_WAREHOUSE = """
import os, runpy, signal
real = os.replace
def replace(src, dst, *args, **kwargs):
    if str(src).endswith("finsam.duckdb.building") and str(dst).endswith("finsam.duckdb"):
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst, *args, **kwargs)
os.replace = replace
runpy.run_module("pipelines.run", run_name="__main__")
"""


def test_kill_9_between_the_report_and_the_warehouse_is_rolled_back_by_the_next_run(live):
    """The report was swapped, the warehouse not yet: the journal lets the next run put the report back before it
    builds (and a crash after the warehouse swap is finished instead)."""
    before = live_state(live)
    live.raw("sus/mer.csv", HEADER + "Sydnärke;Steget;G9;Nej;K;2019-04-01;;\n")
    environ = {**os.environ, "FINSAM_DATA_DIR": str(live.data), "FINSAM_CONFIG_DIR": str(live.config),
               "DAGSTER_HOME": str(live.root / "dagster_home_kill"), "FINSAM_PNG": "0",
               "FINSAM_TILLAT_REVISION": "1"}    # the new person changes the closed year 2019: on purpose
    done = subprocess.run([sys.executable, "-c", KILLED_BEFORE_THE_WAREHOUSE], cwd=PROJECT_ROOT, env=environ,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == -9, done.stderr
    marts = live.data / "marts"
    assert (marts / JOURNAL).exists() and (marts / "genomlysning.gammal").is_dir()  # killed half way
    assert start_build(live.data) == ("an interrupted publish was rolled back: the report is again the one of the "
                                      "live warehouse")
    assert live_state(live) == before
    assert not (marts / JOURNAL).exists() and not (marts / "genomlysning.gammal").exists()
    live.build(rapport=True, tillat_revision=True)
    assert live.query("select deltagare from marts.jamforelse_ar where forbund = 'sydnarke'") == [(3,)]


def test_a_publish_killed_after_the_warehouse_swap_only_needs_its_clean_up(live):
    """Simulated: the journal and the renamed-aside report of a publish that had replaced the warehouse."""
    marts = live.data / "marts"
    (marts / "genomlysning").rename(marts / "genomlysning.gammal")
    shutil.copytree(marts / "genomlysning.gammal", marts / "genomlysning")
    (marts / JOURNAL).write_text(json.dumps({"bygge": "finsam.duckdb.building", "lager": "finsam.duckdb",
                                             "wal": None, "rapport": [["genomlysning", True]]}), encoding="utf-8")
    assert start_build(live.data) == "an interrupted publish had replaced the warehouse: its clean-up was finished"
    assert (marts / "genomlysning").is_dir() and not (marts / "genomlysning.gammal").exists()
    assert not (marts / JOURNAL).exists()


def test_a_bug_in_a_parser_stops_the_run_instead_of_rejecting_every_file(live, monkeypatch):
    from finsam.sources import sus

    before = live_state(live)

    def broken(*args, **kwargs):
        raise KeyError("kolumn_som_inte_finns")

    monkeypatch.setattr(sus, "parse_file", broken)
    code, out, err = live.run_command()
    assert code == 1
    assert err.splitlines()[0] == "NOT PUBLISHED: step sus_registreringar failed: KeyError: 'kolumn_som_inte_finns'"
    assert "Traceback" in err or 'File "' in err
    assert live_state(live) == before


def test_a_rejected_reexport_is_replaced_by_the_last_accepted_version(live):
    """One broken re-export cannot remove a förbund from the numbers: the archived version stands in."""
    assert live.query("select deltagare from marts.jamforelse_ar where forbund = 'sofint'") == [(1,)]
    live.raw("sus/sofint.csv", HEADER + "SOFINT;Kompassen;S1;Nej;K;2019-02-31;2019-05-01;Studier\n")
    live.build()
    assert live.query("select deltagare from marts.jamforelse_ar where forbund = 'sofint'") == [(1,)]
    old = hashlib.sha256(SOFINT.encode()).hexdigest()
    assert live.query("select status, sha256 from marts.inlasta_filer where fil = 'raw/sus/sofint.csv'") == [
        ("tidigare_version", old)]
    (regel, hittat, forvantat), = live.query(
        "select regel, hittat, forvantat from marts.datakvalitet where regel = 'anvander_tidigare_version'")
    assert hittat.endswith("(rejected)") and forvantat.startswith(f"sha256 {old[:12]} (used, archived as {old}.csv")
    assert live.query("select count(*) from marts.datakvalitet where fil = 'raw/sus/sofint.csv' "
                      "and regel = 'fil_avvisad'") == [(1,)]
    # removing the file on purpose removes its data (after the guard's confirmation)
    (live.data / "raw" / "sus" / "sofint.csv").unlink()
    with pytest.raises(DataLoss):
        live.build()
    live.build(tillat_forlust=True)
    assert live.query("select deltagare from marts.jamforelse_ar where forbund = 'sofint'") == [(None,)]
