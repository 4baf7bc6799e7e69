"""The archive of accepted inputs (arkiv/) checks what it holds before it uses it: a copy changed or gone since it
was archived is a finding and never stands in for a rejected file, the newest intact version does, only for a file
of the same förbund, whatever the clock or the time zone did; it is pruned to the versions in use plus the last
`arkiv_behall` of each file, and readable by the service's user alone."""
import csv
import datetime as dt
import functools
import hashlib
import os
import stat
import time

import pytest

from finsam.config import PROJECT_ROOT, load_avslutsorsak, load_registry
from finsam.ingest import archive
from finsam.ingest.folder import ingest
from finsam.publish.guard import DataLoss
from finsam.sources import sus as sus_source

HEADER = "Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
BAD = HEADER + "Sydnärke;Steget;G1;Nej;K;2019-02-31;;\n"   # no such day: the file is rejected


def sus(forbund: str, *people: str) -> str:
    return HEADER + "".join(f"{forbund};Steget;{p};Nej;K;2019-02-01;;\n" for p in people)


V1 = sus("Sydnärke", "G1", "G2")
V2 = sus("Sydnärke", "G1", "G2", "G3", "G4")
V3 = sus("Sydnärke", "G1", "G2", "G3")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def live(project):
    """A project whose one year, 2019, is closed: every version these tests accept on purpose changes its published
    figures, so each build confirms the revision (the revision guard has tests of its own, test_revisioner.py)."""
    project.settings(2019, 2019)
    project.build = functools.partial(project.build, tillat_revision=True)
    return project


def accept(project, *versions: str, rel: str = "sus/sydnarke.csv") -> None:
    """Each version of raw/<rel> in turn, built and published (each accepted and archived)."""
    for text in versions:
        project.raw(rel, text)
        project.build()


def ingested(tmp_path, *versions: str, rel: str = "sus/sydnarke.csv") -> list[tuple[str, str]]:
    """Each version of raw/<rel> in turn through the real file loop and SUS parser, without a build (the archive's
    part of a run): (status, sha256) of the file at the last."""
    registry, avslut = load_registry(PROJECT_ROOT / "config"), load_avslutsorsak(PROJECT_ROOT / "config")
    for text in versions:
        path = tmp_path / "raw" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        result = ingest(tmp_path, "sus", "sus", lambda p, fil: sus_source.parse_file(
            p, fil, registry, avslut, None, dt.date(2026, 6, 30)), lambda frame: None)
    return result.files.filter(fil=f"raw/{rel}").select("status", "sha256").rows()


def deltagare(project, forbund: str = "sydnarke"):
    return project.query("select deltagare from marts.jamforelse_ar where forbund = ?", [forbund])[0][0]


def findings(project, regel: str) -> list[tuple]:
    return project.query("select fil, beskrivning, hittat, forvantat from marts.datakvalitet where regel = ? "
                         "order by hittat", [regel])


def used(project, fil: str = "raw/sus/sydnarke.csv") -> list[tuple]:
    return project.query("select status, sha256 from marts.inlasta_filer where fil = ?", [fil])


def index(project) -> list[dict]:
    with (getattr(project, "data", project) / "arkiv" / archive.INDEX).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_copy_changed_in_the_archive_is_never_used_and_is_a_finding_naming_both_checksums(live):
    accept(live, V1, V2)
    assert deltagare(live) == 4
    copy = live.data / "arkiv" / f"{sha(V2)}.csv"
    tampered = sus("Sydnärke", "G1")   # someone edits the archived copy: 4 -> 1
    copy.write_text(tampered, encoding="utf-8")
    live.raw("sus/sydnarke.csv", BAD)
    live.build()
    assert deltagare(live) == 2        # the newest intact version (V1) stands in, never the changed copy
    assert used(live) == [("tidigare_version", sha(V1))]
    (fil, beskrivning, hittat, forvantat), = findings(live, "arkiv_andrad")
    assert (fil, hittat, forvantat) == ("raw/sus/sydnarke.csv", f"sha256 {sha(tampered)}", f"sha256 {sha(V2)}")
    assert f"the copy {sha(V2)}.csv in arkiv/" in beskrivning and "does not match its checksum" in beskrivning
    assert live.query("select allvarlighet from marts.datakvalitet where regel = 'arkiv_andrad'") == [("fel",)]


def test_a_changed_copy_is_not_used_even_when_it_is_the_only_one(live):
    accept(live, V2)
    (live.data / "arkiv" / f"{sha(V2)}.csv").write_text(sus("Sydnärke", "G1"), encoding="utf-8")
    live.raw("sus/sydnarke.csv", BAD)
    with pytest.raises(DataLoss):      # nothing can stand in: the guard stops the loss instead
        live.build()


def test_a_link_in_place_of_a_copy_is_not_read_even_to_the_same_content(tmp_path):
    raw = tmp_path / "raw" / "a.csv"
    raw.parent.mkdir()
    raw.write_text(V1, encoding="utf-8")
    arkiv = archive.Arkiv(tmp_path)
    arkiv.keep(raw, "raw/a.csv", sha(V1))
    copy = tmp_path / "arkiv" / f"{sha(V1)}.csv"
    copy.unlink()
    copy.symlink_to(raw)
    found, passed_over = arkiv.earlier("raw/a.csv", "sus", None, None, lambda v: (None, []))
    assert found is None
    assert [(f.regel, f.hittat, f.forvantat) for f in passed_over] == [("arkiv_andrad", "a link", f"sha256 {sha(V1)}")]


def test_a_missing_copy_is_a_finding_and_the_next_older_version_stands_in(live):
    accept(live, V1, V2)
    (live.data / "arkiv" / f"{sha(V2)}.csv").unlink()
    live.raw("sus/sydnarke.csv", BAD)
    live.build()
    assert deltagare(live) == 2 and used(live) == [("tidigare_version", sha(V1))]
    assert [(f, h, e) for f, _, h, e in findings(live, "arkiv_saknas")] == [
        ("raw/sus/sydnarke.csv", "saknas", f"sha256 {sha(V2)}")]


def test_the_newest_accepted_version_stands_in_also_when_an_older_content_came_back(tmp_path):
    """V1, V2, then V1 again: the newest accepted version is V1, though V2 was first accepted after it."""
    assert ingested(tmp_path, V1, V2, V1, BAD) == [("tidigare_version", sha(V1))]
    assert [r["sha256"] for r in index(tmp_path)] == [sha(V1), sha(V2), sha(V1)]


def test_the_newest_version_wins_after_the_clock_steps_back(tmp_path, monkeypatch):
    moment = dt.datetime(2026, 10, 25, 2, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(archive, "utc_now", lambda: moment)
    ingested(tmp_path, V2)
    moment -= dt.timedelta(hours=1)    # the clock is set back an hour: V3 is accepted "before" V2
    assert ingested(tmp_path, V3, BAD) == [("tidigare_version", sha(V3))]
    assert [r["accepted"] for r in index(tmp_path)] == ["2026-10-25T02:30:00+00:00", "2026-10-25T01:30:00+00:00"]


def test_the_newest_version_wins_whatever_the_machines_time_zone_and_times_are_stored_in_utc(tmp_path, monkeypatch):
    try:
        monkeypatch.setenv("TZ", "Asia/Tokyo")          # UTC+9
        time.tzset()
        ingested(tmp_path, V2)
        monkeypatch.setenv("TZ", "America/Sao_Paulo")   # UTC-3: local time twelve hours "earlier"
        time.tzset()
        assert ingested(tmp_path, V3, BAD) == [("tidigare_version", sha(V3))]
    finally:
        monkeypatch.undo()
        time.tzset()
    accepted = [dt.datetime.fromisoformat(r["accepted"]) for r in index(tmp_path)]
    assert all(a.utcoffset() == dt.timedelta(0) for a in accepted)
    assert abs(accepted[1] - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def test_an_index_line_written_in_local_time_without_an_offset_is_read_as_local_time(tmp_path, monkeypatch):
    folder = tmp_path / "arkiv"
    folder.mkdir()
    (folder / archive.INDEX).write_text(f"fil,sha256,accepted\nraw/sus/a.csv,{'a' * 64},2026-01-15T02:30:00\n",
                                        encoding="utf-8")
    try:
        monkeypatch.setenv("TZ", "Europe/Stockholm")
        time.tzset()
        version, = archive.Arkiv(tmp_path).versions("raw/sus/a.csv")
    finally:
        monkeypatch.undo()
        time.tzset()
    assert version.accepted == dt.datetime(2026, 1, 15, 1, 30, tzinfo=dt.UTC)


def test_a_file_name_reused_by_another_forbund_never_brings_the_old_forbunds_data_back(live):
    """export.csv was Sydnärke's; Sydnärke's data now come from sydnarke.csv (G9 left SUS), and export.csv is
    SOFINT's, rejected: Sydnärke's old export must not stand in for it (G9 would count again)."""
    accept(live, sus("Sydnärke", "G1", "G9"), rel="sus/export.csv")
    assert deltagare(live) == 2
    live.raw("sus/sydnarke.csv", sus("Sydnärke", "G1", "G2", "G3"))
    live.raw("sus/export.csv", HEADER + "SOFINT;Kompassen;S1;Nej;K;2019-02-31;;\n")
    live.build()
    assert deltagare(live) == 3        # G1, G2, G3: not G9
    assert used(live, "raw/sus/export.csv") == [("avvisad", sha(HEADER + "SOFINT;Kompassen;S1;Nej;K;2019-02-31;;\n"))]
    (fil, _, hittat, forvantat), = findings(live, "arkiv_annat_forbund")
    old = sha(sus("Sydnärke", "G1", "G9"))
    assert (fil, hittat, forvantat) == ("raw/sus/export.csv", f"förbund sydnarke (archived, sha256 {old[:12]})",
                                        "förbund sofint (the rejected file)")


def test_the_same_forbunds_file_under_the_same_name_still_gets_its_earlier_version(live):
    accept(live, V1, rel="sus/export.csv")
    live.raw("sus/export.csv", BAD)    # Sydnärke's file, rejected: its förbund is the archived version's
    live.build()
    assert used(live, "raw/sus/export.csv") == [("tidigare_version", sha(V1))] and not findings(
        live, "arkiv_annat_forbund")


def test_pruning_keeps_the_versions_in_use_and_the_last_n_of_each_file(tmp_path):
    v4 = sus("Sydnärke", "G1", "G2", "G3", "G4", "G5")
    ingested(tmp_path, sus("SOFINT", "S1"), rel="sus/sofint.csv")
    ingested(tmp_path, V1, V2, V3, V1, v4)
    (tmp_path / "arkiv" / "halvskriven.csv.tmp").write_text("x", encoding="utf-8")   # left by a crash
    (tmp_path / "arkiv" / "LASMIG.txt").write_text("x", encoding="utf-8")            # not the archive's: kept
    removed = archive.Arkiv(tmp_path).prune({("raw/sus/sydnarke.csv", sha(V2))}, 2)
    assert removed == 1                # V3's copy; V1's is the last but one, V2's is in use
    assert [(r["fil"], r["sha256"]) for r in index(tmp_path)] == [
        ("raw/sus/sofint.csv", sha(sus("SOFINT", "S1"))), ("raw/sus/sydnarke.csv", sha(V2)),
        ("raw/sus/sydnarke.csv", sha(V1)), ("raw/sus/sydnarke.csv", sha(v4))]
    assert sorted(p.name for p in (tmp_path / "arkiv").iterdir()) == sorted(
        [archive.INDEX, "LASMIG.txt", f"{sha(sus('SOFINT', 'S1'))}.csv", f"{sha(V1)}.csv", f"{sha(V2)}.csv",
         f"{sha(v4)}.csv"])
    assert ingested(tmp_path, BAD) == [("tidigare_version", sha(v4))]


def test_a_version_in_use_is_kept_however_old(live):
    accept(live, V1, V2)
    (live.data / "arkiv" / f"{sha(V2)}.csv").write_text(V3, encoding="utf-8")     # V2's copy is changed
    with (live.config / "installningar.yaml").open("a", encoding="utf-8") as fh:
        fh.write("arkiv_behall: 1\n")
    live.raw("sus/sydnarke.csv", BAD)
    live.build()                       # V1 stands in: in use, though V2 is the last accepted
    assert used(live) == [("tidigare_version", sha(V1))]
    assert [r["sha256"] for r in index(live)] == [sha(V1), sha(V2)]
    assert (live.data / "arkiv" / f"{sha(V1)}.csv").read_text(encoding="utf-8") == V1


def test_the_archive_is_readable_by_the_services_user_alone(live):
    accept(live, V1)
    folder = live.data / "arkiv"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {
        archive.INDEX: 0o600, f"{sha(V1)}.csv": 0o600}
    os.chmod(folder, 0o755)            # an archive made before (or by hand) is tightened by the next run
    for p in folder.iterdir():
        os.chmod(p, 0o644)
    accept(live, V2)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o600}
    assert len(list(folder.iterdir())) == 3


def test_godkanda_csv_keeps_its_columns_and_one_line_per_new_acceptance(tmp_path):
    ingested(tmp_path, V1, V1, V2)
    rows = index(tmp_path)
    assert list(rows[0]) == ["fil", "sha256", "accepted"]
    assert [(r["fil"], r["sha256"]) for r in rows] == [("raw/sus/sydnarke.csv", sha(V1)),
                                                       ("raw/sus/sydnarke.csv", sha(V2))]
