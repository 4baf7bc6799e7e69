"""marts.avslut_ar against counts worked out by hand: every kategori, arbete and studier apart, med/utan stöd.

The fixture (years 2019-2020, förbund Sydnärke, insatser Steget and Trappan; the stod of each text is the one
config/avslutsorsak.csv gives it):
  P1 Steget 2019-02-01..2019-06-30 Avbrott, re-enters Steget 2019-09-01..2019-11-30 Arbete med lönestöd (med_stod)
  P2 Steget 2019-03-01..2019-10-31 Studier utan stöd                                                 (utan_stod)
  P3 Trappan 2019-01-10..2019-12-15 Arbete utan stöd and Steget 2019-04-01..2019-12-15 Arbete med stöd: the same
     end day and kategori, so the förbund total takes utan_stod; each insats its own spell
  P4 Trappan 2019-05-01..2020-03-31 Jobbredo                                   (open at the end of 2019)
  P5 Steget 2019-06-01..2019-08-31 "  arbete MED  stöd " (matched as config matches: case and spaces folded)
  P6 Trappan 2020-01-15..2020-06-30 Annan myndighet                            (not in the mapping: okand)
  P7 Steget 2019-02-01..2019-12-31 Sjukdom and Trappan 2019-03-01..2019-07-31 Studier (no stod either way)
  one anonymous spell in Steget from 2019-04-01: never avslutad
and a report for SOFINT 2019 (kalla aggregat), which gives no split by kategori.

Every test reads this one fixture with the shipped config, so the module builds it once (built); no test writes to
it. The tests that change config/avslutsorsak.csv do so in a project of their own that starts as a copy of that
build (project.restore: data and config as the build left them), so the shared config stays the shipped one;
test_the_stod_column_is_optional then builds again in its copy, the only other build of the module.
"""
import shutil

import duckdb
import pytest

from finsam.build import runner, steps
from finsam.config import AVSLUT_KATEGORIER, load_avslutsorsak, load_avslutsorsak_stod
from finsam.io.findings import ConfigError
from tests.conftest import built_once

SUS = """Samordningsförbund;Insats;Deltagar-ID;Anonym;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak
Sydnärke;Steget;P1;Nej;2019-02-01;2019-06-30;Avbrott
Sydnärke;Steget;P1;Nej;2019-09-01;2019-11-30;Arbete med lönestöd
Sydnärke;Steget;P2;Nej;2019-03-01;2019-10-31;Studier utan stöd
Sydnärke;Trappan;P3;Nej;2019-01-10;2019-12-15;Arbete utan stöd
Sydnärke;Steget;P3;Nej;2019-04-01;2019-12-15;Arbete med stöd
Sydnärke;Trappan;P4;Nej;2019-05-01;2020-03-31;Jobbredo
Sydnärke;Steget;P5;Nej;2019-06-01;2019-08-31;  arbete MED  stöd 
Sydnärke;Trappan;P6;Nej;2020-01-15;2020-06-30;Annan myndighet
Sydnärke;Steget;P7;Nej;2019-02-01;2019-12-31;Sjukdom
Sydnärke;Trappan;P7;Nej;2019-03-01;2019-07-31;Studier
Sydnärke;Steget;;Ja;2019-04-01;;
"""  # noqa: W291 (P5's avslutsorsak keeps its spaces, the trailing one too)
AGG = ("Förbund;År;Deltagare;Nyinskrivna;Avslutade;Avslut arbete/studier;Avslut jobb-/studieredo\n"
       "SOFINT;2019;10;10;4;2;1\n")

# (insats, ar): {kategori: (avslutade, med_stod, utan_stod)} for the non-zero kategorier; avslutade_totalt
EXPECTED = {
    ("*", 2019): ({"arbete": (3, 2, 1), "studier": (1, 0, 1), "sjukdom": (1, 0, 0)}, 5),     # P1 P2 P3 P5 P7
    ("*", 2020): ({"arbetssokande": (1, 0, 0), "okand": (1, 0, 0)}, 2),                     # P4 P6
    ("Steget", 2019): ({"arbete": (3, 3, 0), "studier": (1, 0, 1), "sjukdom": (1, 0, 0)}, 5),  # P1 P2 P3 P5 P7
    ("Trappan", 2019): ({"arbete": (1, 0, 1), "studier": (1, 0, 0)}, 2),                    # P3 P7; P4 open
    ("Trappan", 2020): ({"arbetssokande": (1, 0, 0), "okand": (1, 0, 0)}, 2),               # P4 P6
}
KATEGORIER = (*AVSLUT_KATEGORIER, "okand")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_once(tmp_path_factory, "avslut_ar", (2019, 2020),
                      {"sus/sydnarke.csv": SUS, "sus_aggregat/sofint.csv": AGG})


def test_every_kategori_counted_as_by_hand(built):
    # typ rows: the sum check
    rows = built.query("select insats, ar, kategori, avslutade, med_stod, utan_stod, avslutade_totalt, andel "
                       "from marts.avslut_ar where forbund = 'sydnarke' and insats not like 'typ:%'")
    got = {}
    for insats, ar, kategori, avslutade, med, utan, totalt, andel in rows:
        got.setdefault((insats, ar), {})[kategori] = (avslutade, med, utan, totalt, andel)
    assert set(got) == set(EXPECTED)
    for key, (kategorier, totalt) in EXPECTED.items():
        assert list(got[key]) == list(KATEGORIER), key                       # every kategori, in config order
        for kategori in KATEGORIER:
            n, med, utan = kategorier.get(kategori, (0, 0, 0))
            assert got[key][kategori] == (n, med, utan, totalt, pytest.approx(n / totalt)), (key, kategori)


def test_arbete_and_studier_add_up_to_deltagare_ar(built):
    assert built.query("""
        select d.avslutade, d.avslut_arbete_studier, d.avslut_jobb_studieredo,
               sum(a.avslutade), sum(a.avslutade) filter (where a.kategori in ('arbete', 'studier'))
        from marts.deltagare_ar d join marts.avslut_ar a using (forbund, insats, ar)
        where d.forbund = 'sydnarke' and d.insats = '*' and d.ar = 2019 group by all""") == [(5, 4, 0, 5, 4)]


def test_reports_and_missing_years_have_rows_but_no_split(built):
    assert built.query("select distinct avslutade, avslutade_totalt, andel, med_stod from marts.avslut_ar "
                       "where forbund = 'sofint' and ar = 2019") == [(None, 4, None, None)]
    assert built.query("select count(*), count(avslutade), count(avslutade_totalt) from marts.avslut_ar "
                       "where forbund = 'sofint' and ar = 2020") == [(len(KATEGORIER), 0, 0)]


def test_the_sum_check_fails_when_a_kategori_row_disagrees(built, tmp_path):
    kopia = tmp_path / "kopia.duckdb"
    shutil.copy(built.warehouse, kopia)
    con = duckdb.connect(str(kopia))
    checks = {name: fn for step in steps.MARTS for name, _, fn in runner.checks(step)}
    try:
        assert checks["avslut_ar_summa"](con) == []
        con.execute("update marts.avslut_ar set avslutade = avslutade + 1 where forbund = 'sydnarke' and "
                    "insats = 'Trappan' and ar = 2019 and kategori = 'studier'")
        assert checks["avslut_ar_summa"](con) == ["('sydnarke', 'Trappan', 2019)"]
    finally:
        con.close()


def test_the_stod_column_is_optional(built, project):
    """Its own build, in a copy of the module's: another config/avslutsorsak.csv."""
    project.restore(built)
    path = project.config / "avslutsorsak.csv"
    path.write_text("\n".join(",".join(line.split(",")[:2]) for line in path.read_text(encoding="utf-8")
                              .splitlines()) + "\n", encoding="utf-8")
    assert load_avslutsorsak(project.config)["arbete med lönestöd"] == "arbete"
    project.build(tillat_revision=True)     # a new mapping changes 2019's stöd split: a revision, on purpose
    assert project.query("select sum(avslutade), sum(med_stod), sum(utan_stod) from marts.avslut_ar "
                         "where forbund = 'sydnarke' and insats = '*' and ar = 2019") == [(5, 0, 0)]


def test_shipped_mapping_says_the_support_where_the_text_does(built):
    stod = {k: s for k, (_, s) in load_avslutsorsak_stod(built.config).items()}
    assert {k for k, s in stod.items() if s == "med_stod"} == {
        "arbete med stöd", "arbete med lönestöd", "arbete med subventionerad anställning",
        "subventionerad anställning", "studier med stöd"}
    assert {k for k, s in stod.items() if s == "utan_stod"} == {"arbete utan stöd", "studier utan stöd"}


@pytest.mark.parametrize("rad, fel", [
    ("Arbete med stöd,arbete,kanske", r"line 32, stod found 'kanske', expected med_stod or utan_stod or blank"),
    ("arbete  MED stöd,arbete,utan_stod", r"line 32, 'arbete  MED stöd' is mapped to both 'arbete/med_stod' and "
                                          r"'arbete/utan_stod'"),
])
def test_a_bad_stod_is_a_config_error(built, project, rad, fel):
    # a copy of the module's build, whose config this test changes
    project.restore(built)
    path = project.config / "avslutsorsak.csv"
    path.write_text(path.read_text(encoding="utf-8") + rad + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=fel):
        load_avslutsorsak(project.config)
