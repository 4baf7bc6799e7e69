"""deltagare_ar.aterkommande: nyinskrivna with an earlier spell that ended more than 90 days before they entered.

Fixture (2019-2021, a pseudonym key set; Sydnärke and SOFINT, insatser of the shipped register):
  A 19121212-1212  Sydnärke Steget 2019-01-10..2019-03-31, then SOFINT Kompassen 2019-08-01..2019-12-15
                   (123 days later, in another förbund: the same pseudonym)                    -> SOFINT 2019
  B 198507099805   Sydnärke Steget 2019-02-01..2019-05-31, Trappan 2019-07-15..open (45 days)   -> never
  C SN-1 (local)   Sydnärke Steget 2019-03-01..2019-04-30, Steget again 2020-03-01..open (306)  -> Sydnärke 2020
                   and SOFINT Kompassen 2020-06-01..open: a local id matches only in its förbund -> not SOFINT
  F SN-3           Steget 2019-06-01..2019-10-02, again 2020-01-01 (91 days)                    -> Sydnärke 2020
  G SN-4           Steget 2019-06-01..2019-10-03, again 2020-01-01 (90 days: not more than 90)  -> never
  an anonymous spell in SOFINT Kompassen 2020-02-01                                            -> never
  SN-9, SO-9 (2018, before the first analysed year: 2019 is no first year of registrations, whose nyinskrivna and
  aterkommande would be NULL)                                                                  -> never
"""
import pytest

from tests.conftest import built_once

SUS = """Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak
Sydnärke;Steget;19121212-1212;Nej;K;2019-01-10;2019-03-31;Avbrott
SOFINT;Kompassen;19121212-1212;Nej;K;2019-08-01;2019-12-15;Arbete
Sydnärke;Steget;198507099805;Nej;M;2019-02-01;2019-05-31;Avbrott
Sydnärke;Trappan;198507099805;Nej;M;2019-07-15;;
Sydnärke;Steget;SN-1;Nej;K;2019-03-01;2019-04-30;Arbete
Sydnärke;Steget;SN-1;Nej;K;2020-03-01;;
SOFINT;Kompassen;SN-1;Nej;K;2020-06-01;;
Sydnärke;Steget;SN-3;Nej;M;2019-06-01;2019-10-02;Avbrott
Sydnärke;Steget;SN-3;Nej;M;2020-01-01;;
Sydnärke;Steget;SN-4;Nej;M;2019-06-01;2019-10-03;Avbrott
Sydnärke;Steget;SN-4;Nej;M;2020-01-01;;
SOFINT;Kompassen;;Ja;;2020-02-01;;
Sydnärke;Trappan;SN-9;Nej;K;2018-01-01;2018-02-01;Avbrott
SOFINT;Kompassen;SO-9;Nej;K;2018-03-01;2018-04-01;Avbrott
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FINSAM_PSEUDONYM_KEY", "test-secret-of-32-characters-long")
        return built_once(tmp_path_factory, "aterkommande", (2019, 2021), {"sus/a.csv": SUS})


def counts(project, forbund, insats):
    return {ar: (ny, ater) for ar, ny, ater in project.query(
        "select ar, nyinskrivna, aterkommande from marts.deltagare_ar where forbund = ? and insats = ? order by ar",
        [forbund, insats])}


def test_returning_participants_per_forbund_and_insats(built):
    assert counts(built, "sydnarke", "*") == {2019: (5, 0), 2020: (3, 2), 2021: (0, 0)}   # C and F, not G
    assert counts(built, "sydnarke", "Steget") == {2019: (5, 0), 2020: (3, 2), 2021: (0, 0)}
    assert counts(built, "sydnarke", "Trappan") == {2019: (1, 0), 2020: (0, 0), 2021: (0, 0)}   # B after 45 days
    assert counts(built, "sofint", "*") == {2019: (1, 1), 2020: (2, 0), 2021: (0, 0)}   # A; not SN-1, not anon
    assert counts(built, "sofint", "typ:mottagningsteam") == {2019: (1, 1), 2020: (2, 0), 2021: (0, 0)}


def test_reported_counts_have_no_returning_participants(project):
    project.settings(2019, 2019)
    project.copy_fixture("ekonomi/deltagare_2019.csv", "sus_aggregat/deltagare_2019.csv")
    project.build()
    assert project.query("select distinct kalla, aterkommande from marts.deltagare_ar where deltagare is not null"
                         ) == [("aggregat", None)]
