"""Time in order: the run history (marts.korningar) holds moments (TIMESTAMPTZ) and numbers its runs, so its latest
run is the latest whatever the machine's time zone or a clock set back; a SUS spell that starts after the run's date
is a finding."""
import datetime as dt
import time

import duckdb
import pytest

from finsam.build import runner
from finsam.config import PROJECT_ROOT, load_avslutsorsak, load_registry
from finsam.sources import sus
from tests.conftest import TODAY

HEADER = "Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
SUS = HEADER + "Sydnärke;Steget;G1;Nej;K;2019-02-01;;\nSydnärke;Steget;G2;Nej;K;2026-07-15;;\n"


@pytest.fixture
def zone(monkeypatch):
    """Set the machine's time zone (TZ) for the rest of the test; put back after it."""
    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()
    yield set_zone
    monkeypatch.undo()
    time.tzset()


def runs(project) -> list[tuple]:
    return project.query("select run_id, startad, lopnummer from marts.korningar order by lopnummer")


def test_the_latest_run_is_the_latest_whatever_the_time_zone_or_a_clock_set_back(project, zone, monkeypatch):
    project.settings(2019, 2019)
    project.raw("sus/sydnarke.csv", SUS)
    order = []
    zone("Asia/Tokyo")                                    # UTC+9
    project.build()
    order.append(runs(project)[-1][0])
    first = runs(project)[0][1]
    monkeypatch.setattr(runner, "utc_now", lambda: first - dt.timedelta(hours=1))   # the clock set back an hour
    project.build()
    monkeypatch.undo()
    order.append(next(r for r, *_ in runs(project) if r not in order))
    zone("America/Sao_Paulo")                             # UTC-3: local time twelve hours "earlier" than Tokyo's
    project.build()
    order.append(next(r for r, *_ in runs(project) if r not in order))
    history = runs(project)
    assert [r for r, *_ in history] == order and [n for *_, n in history] == [1, 2, 3]
    assert history[1][1] == first - dt.timedelta(hours=1)  # started "before" the first, yet numbered after it
    assert all(s.utcoffset() is not None for _, s, _ in history)   # moments, not wall-clock readings
    assert abs(history[2][1] - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert project.query("select run_id from marts.korningar order by lopnummer desc limit 1") == [(order[-1],)]
    types = dict(project.query("select column_name, data_type from duckdb_columns() where table_name = 'korningar'"))
    assert (types["startad"], types["klar"], types["lopnummer"]) == (
        "TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE", "INTEGER")
    # the spell starting after the run's date reached the findings
    assert project.query("select fil, rad, kolumn, hittat, forvantat, varde from marts.datakvalitet "
                         "where regel = 'start_i_framtiden'") == [
        ("raw/sus/sydnarke.csv", 3, "Inskrivningsdatum", "2026-07-15", f"a start date on or before {TODAY}", 1.0)]


def test_a_history_published_before_runs_were_numbered_is_carried_over_in_its_order_as_local_time(project, zone):
    zone("Europe/Stockholm")
    project.settings(2019, 2019)
    project.raw("sus/sydnarke.csv", SUS)
    project.build()
    (run_id, _, _), = runs(project)
    con = duckdb.connect(str(project.warehouse))       # made as the history was: local time, no number
    try:
        con.execute("alter table marts.korningar drop column lopnummer")
        con.execute("alter table marts.korningar alter startad type timestamp")
        con.execute("alter table marts.korningar alter klar type timestamp")
        con.execute("insert into marts.korningar by name select * replace ('gammal' as run_id, "
                    "timestamp '2025-01-15 03:00:00' as startad, timestamp '2025-01-15 03:05:00' as klar) "
                    "from marts.korningar")
    finally:
        con.close()
    project.build()
    history = runs(project)
    assert [(r, n) for r, _, n in history][:2] == [("gammal", 1), (run_id, 2)] and history[2][2] == 3
    assert history[0][1] == dt.datetime(2025, 1, 15, 2, 0, tzinfo=dt.UTC)   # 03:00 in Stockholm in January


def parse(text: str, tmp_path, today: dt.date):
    path = tmp_path / "sus.csv"
    path.write_text(text, encoding="utf-8")
    return sus.parse_file(path, "raw/sus/sus.csv", load_registry(PROJECT_ROOT / "config"),
                          load_avslutsorsak(PROJECT_ROOT / "config"), None, today)


def test_a_spell_that_starts_after_the_runs_date_is_a_finding_and_one_on_it_is_not(tmp_path):
    text = SUS + "Sydnärke;Steget;G3;Nej;K;2026-12-01;;\nSydnärke;Steget;G4;Nej;K;2026-06-30;;\n"
    frame, findings = parse(text, tmp_path, dt.date(2026, 6, 30))
    assert frame.height == 4           # counted as they stand
    (f,) = [f for f in findings if f.regel == "start_i_framtiden"]
    assert (f.allvarlighet, f.forbund, f.ar, f.rad, f.hittat, f.varde) == ("varning", "sydnarke", 2026, 3,
                                                                            "2026-07-15", 2.0)
    assert f.message() == ("raw/sus/sus.csv, row 3, column 'Inskrivningsdatum': 2 spell(s) start after the run's "
                           "date 2026-06-30 (first at row 3); counted as registered: found '2026-07-15', expected a "
                           "start date on or before 2026-06-30")
    assert not [f for f in parse(text, tmp_path, dt.date(2026, 12, 1))[1] if f.regel == "start_i_framtiden"]
