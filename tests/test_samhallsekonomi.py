"""The socio-economic scenario: config/samhallsekonomi.csv and marts.samhallsekonomi_ar against values worked out
by hand, and the words that keep it a scenario (never an effect).

The fixture (years 2019-2020): Sydnärke's registrations give avslut_ar, förbund row,
  2019: arbete 3 (P1 P3 P5), studier 1 (P2), sjukdom 1 (P7);  2020: arbetssokande 1 (P4), okand 1 (P6)
an ekonomi file gives kostnad_individ 2019 = 1 000 000 kr, and SOFINT has only a report for 2019 (no split by
kategori, so no rows). The scenario's values (config/samhallsekonomi.csv of the fixture):
  arbete  kommun  1000 kr;  studier  kommun  500 kr;  arbete  staten  2000 kr (an example);  sjukdom  region  100 kr
So, per actor, 2019:
  kommun   personer 3 + 1 = 4, one year 3 × 1000 + 1 × 500 = 3500, five years 17 500, low 8750, high 26 250
  region   personer 1, 100, 500, 250, 750
  staten   personer 3, 6000, 30 000, 15 000, 45 000, exempelvarden (its one value is an example)
and 2020 every actor's personer and values 0 (nobody avslutad to arbete, studier or sjukdom), kostnad_individ NULL.
"""
import pytest

from finsam.config.samhallsekonomi import AKTORER, load_samhallsekonomi
from finsam.io.findings import ConfigError
from tests.conftest import PROJECT_ROOT, built_once

SUS = """Samordningsförbund;Insats;Deltagar-ID;Anonym;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak
Sydnärke;Steget;P1;Nej;2019-02-01;2019-11-30;Arbete
Sydnärke;Steget;P2;Nej;2019-03-01;2019-10-31;Studier
Sydnärke;Trappan;P3;Nej;2019-01-10;2019-12-15;Arbete utan stöd
Sydnärke;Trappan;P4;Nej;2019-05-01;2020-03-31;Jobbredo
Sydnärke;Steget;P5;Nej;2019-06-01;2019-08-31;Arbete med stöd
Sydnärke;Trappan;P6;Nej;2020-01-15;2020-06-30;Annan myndighet
Sydnärke;Steget;P7;Nej;2019-02-01;2019-12-31;Sjukdom
"""
AGG = ("Förbund;År;Deltagare;Nyinskrivna;Avslutade;Avslut arbete/studier;Avslut jobb-/studieredo\n"
       "SOFINT;2019;10;10;4;2;1\n")
EKONOMI = """Samordningsförbund;Räkenskapsår;Benämning;Belopp;Enhet;Typ
Sydnärke;2019;Driftbidrag Försäkringskassan;1 200 000;kr;Intäkt
Sydnärke;2019;Utbetalda projektmedel Samordningsteam;-1 000 000;kr;Kostnad
Sydnärke;2019;Köp av administrativa tjänster;-150 000;kr;Kostnad
"""
VARDEN = """utfall,aktor,kr_per_person_och_ar,kalla,exempel
arbete,kommun,1000,Kommunens kalkyl 2024,nej
studier,kommun,500,Kommunens kalkyl 2024,
arbete,staten,2000,Påhittat exempel,ja
sjukdom,region,100,Regionens kalkyl,Nej
"""
MILJON = 1_000_000.0


def with_values(project) -> None:
    (project.config / "samhallsekonomi.csv").write_text(VARDEN, encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_once(tmp_path_factory, "samhallsekonomi", (2019, 2020),
                      {"sus/sydnarke.csv": SUS, "sus_aggregat/sofint.csv": AGG, "ekonomi/sydnarke.csv": EKONOMI},
                      with_values)


def test_the_scenario_per_actor_as_by_hand(built):
    assert built.query("select * exclude (helt_ar) from marts.samhallsekonomi_ar order by forbund, ar, aktor") == [
        ("sydnarke", 2019, "kommun", 4, 3500.0, 17500.0, 8750.0, 26250.0, MILJON, False),
        ("sydnarke", 2019, "region", 1, 100.0, 500.0, 250.0, 750.0, MILJON, False),
        ("sydnarke", 2019, "staten", 3, 6000.0, 30000.0, 15000.0, 45000.0, MILJON, True),
        ("sydnarke", 2020, "kommun", 0, 0.0, 0.0, 0.0, 0.0, None, False),
        ("sydnarke", 2020, "region", 0, 0.0, 0.0, 0.0, 0.0, None, False),
        ("sydnarke", 2020, "staten", 0, 0.0, 0.0, 0.0, 0.0, None, True)]


def test_the_avslut_split_it_rests_on(built):
    """The counts the scenario multiplies: avslut_ar's förbund rows (and none for SOFINT's report)."""
    assert built.query("select ar, kategori, avslutade from marts.avslut_ar where forbund = 'sydnarke' "
                       "and insats = '*' and avslutade > 0 order by ar, kategori") == [
        (2019, "arbete", 3), (2019, "sjukdom", 1), (2019, "studier", 1), (2020, "arbetssokande", 1),
        (2020, "okand", 1)]
    assert built.query("select count(*) from marts.samhallsekonomi_ar where forbund = 'sofint'") == [(0,)]


def test_without_the_config_the_mart_is_empty(built, project):
    project.restore(built)
    (project.config / "samhallsekonomi.csv").unlink()
    project.build()
    assert project.query("select count(*) from marts.samhallsekonomi_ar") == [(0,)]


def test_every_text_of_the_mart_says_scenario_not_effect(built):
    con = built.connect()
    try:
        table, = con.execute("select comment from duckdb_tables() where schema_name = 'marts' "
                             "and table_name = 'samhallsekonomi_ar'").fetchall()[0]
        columns = dict(con.execute("select column_name, comment from duckdb_columns() where schema_name = 'marts' "
                                   "and table_name = 'samhallsekonomi_ar'").fetchall())
    finally:
        con.close()
    assert "scenario, inte effekt" in table.casefold()
    assert [c for c, text in columns.items()
            if c not in ("forbund", "ar", "helt_ar") and "scenario, inte effekt" not in text] == []  # helt_ar: a flag


def test_the_shipped_values_are_examples_only():
    """Shipped without values for real use: every row of config/samhallsekonomi.csv is an invented example."""
    varden = load_samhallsekonomi(PROJECT_ROOT / "config")
    assert varden and all(v.exempel for v in varden)
    assert all("exempel" in v.kalla.casefold() for v in varden)


def test_the_sample_marks_every_scenario_row_as_an_example(sample):
    assert sample.query("select distinct exempelvarden from marts.samhallsekonomi_ar") == [(True,)]
    assert sample.query("select count(distinct forbund) from marts.samhallsekonomi_ar") == [(4,)]


@pytest.mark.parametrize("rad, fel", [
    ("flytt,kommun,10,k,nej,", None),
    ("arbetslos,kommun,10,k,nej", r"line 3, utfall found 'arbetslos', expected an avslut kategori, one of arbete, "),
    ("studier,Kommunen,10,k,nej", r"line 3, aktor found 'Kommunen', expected one of kommun, region, "),
    ("studier,region,tio,k,nej", r"line 3, kr_per_person_och_ar found 'tio', expected kr per person and year, a "
                                 r"number from 0 to 10000000"),
    ("studier,region,-5,k,nej", r"line 3, kr_per_person_och_ar found '-5', expected kr per person and year"),
    ("studier,region,20000000,k,nej", r"line 3, kr_per_person_och_ar found '20000000', expected"),
    ("studier,region,10,,nej", r"line 3, kalla is blank, expected where the value comes from"),
    ("studier,region,10,k,kanske", r"line 3, exempel found 'kanske', expected ja \(an invented value\), nej or "
                                   r"blank"),
    ("arbete,kommun,20,k,nej", r"line 3, utfall 'arbete' and aktor 'kommun' are also on line 2, expected one value "
                               r"per utfall and aktor"),
])
def test_a_bad_row_is_a_config_error_naming_line_and_column(tmp_path, rad, fel):
    (tmp_path / "samhallsekonomi.csv").write_text(
        f"utfall,aktor,kr_per_person_och_ar,kalla,exempel\narbete,kommun,1 500,k,nej\n{rad}\n", encoding="utf-8")
    if fel is None:  # a good row: loaded with its line, the number read with its spaces
        assert [(v.rad, v.utfall, v.aktor, v.kr_per_person_och_ar, v.exempel) for v in
                load_samhallsekonomi(tmp_path)] == [(2, "arbete", "kommun", 1500.0, False),
                                                    (3, "flytt", "kommun", 10.0, False)]
        return
    with pytest.raises(ConfigError, match=rf"samhallsekonomi.csv: {fel}"):
        load_samhallsekonomi(tmp_path)


def test_a_missing_column_is_a_config_error(tmp_path):
    (tmp_path / "samhallsekonomi.csv").write_text("utfall,aktor,kr,kalla,exempel\narbete,kommun,1,k,ja\n",
                                                  encoding="utf-8")
    with pytest.raises(ConfigError, match=r"missing column\(s\) \['kr_per_person_och_ar'\]"):
        load_samhallsekonomi(tmp_path)


def test_a_bad_config_stops_the_build_naming_the_file(built, project):
    project.restore(built)
    (project.config / "samhallsekonomi.csv").write_text(VARDEN + "arbete,kyrkan,5,k,nej\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"samhallsekonomi.csv: line 6, aktor found 'kyrkan'"):
        project.build()


def test_the_actors_are_the_contracts():
    assert AKTORER == ("kommun", "region", "arbetsformedlingen", "forsakringskassan", "staten", "individen")
