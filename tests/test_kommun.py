"""deltagare_kommun_ar and jamforelse_kommun_ar: the genomlysning's Bilaga 1 split of Lekeberg och Örebro.

Fixture, 2019: two insatser of Lekeberg och Örebro in the register, "Coachingteam Lekeberg" serving 1814 and
"IRMA Coachingteam Örebro" serving 1880, with 42 and 121 participants (the review's implied 2019 deltagare),
of whom 21 and 27 finish in 2019 (its "andel avslutade" 50 % and 22 %); 3 more people in "Unga Vuxna", an insats
for the whole förbund, who count in neither kommun. Population: tests/fixtures/scb (Lekeberg 4 600 and Örebro
96 960 aged 16-64 on 31 Dec 2019, so målgrupp 230 and 4 848 as in Bilaga 1). Sydnärke has registrations in
"Steget", which the register does not know, and a registered Kumla insats with nobody in it.
"""
import pytest

from tests.conftest import Project, built_once

HEAD = ("Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Födelseår;Inskrivningsdatum;Utskrivningsdatum;"
        "Avslutsorsak\n")
REGISTER = """forbund,insats,typ,kommun,finansiering,giltig_fran,giltig_till
lekeberg_orebro,Coachingteam Lekeberg,coachingteam,1814,medlemsbidrag,2017-01-01,
lekeberg_orebro,IRMA Coachingteam Örebro,coachingteam,1880,medlemsbidrag,2017-01-01,
lekeberg_orebro,Unga Vuxna,projekt,,,2017-01-01,
sydnarke,Kumlateamet,coachingteam,1881,,2017-01-01,
"""


def spells(insats: str, prefix: str, n: int, ended: int) -> str:
    """n people starting in 2019, the first `ended` of them finishing in December 2019 towards work."""
    return "".join(f"Lekeberg och Örebro;{insats};{prefix}-{i};Nej;K;1990;2019-02-01;"
                   + ("2019-12-01;Arbete\n" if i < ended else ";\n") for i in range(n))


def befolkning(project: Project) -> None:
    project.copy_fixture("scb/folkmangd_orebro_lan_2018_2019.csv", "scb/folkmangd/orebro_lan.csv")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Project:
    return built_once(tmp_path_factory, "kommun", (2019, 2019), {
        "sus/lo.csv": HEAD + spells("Coachingteam Lekeberg", "L", 42, 21)
        + spells("IRMA Coachingteam Örebro", "O", 121, 27) + spells("Unga Vuxna", "U", 3, 0),
        "sus/syd.csv": HEAD + "Sydnärke;Steget;S-1;Nej;M;1980;2019-03-01;;\n"},
        lambda p: (befolkning(p), p.insatser(REGISTER)))


def test_bilaga_1_lekeberg_and_orebro_2019(built):
    rows = built.query("select kommun_namn, deltagare, avslutade, malgrupp, tackningsgrad, andel_avslutade "
                       "from marts.jamforelse_kommun_ar where forbund = 'lekeberg_orebro' order by kommun")
    assert rows == [("Lekeberg", 42, 21, 230.0, 42 / 230, 0.5), ("Örebro", 121, 27, 4848.0, 121 / 4848, 27 / 121)]
    assert [round(r[4] * 100, 1) for r in rows] == [18.3, 2.5]        # Bilaga 1: 18,3 % and 2,5 %
    assert [round(r[5] * 100) for r in rows] == [50, 22]              # andel avslutade 2019
    # the förbund counts the whole-förbund insats too: 42 + 121 + 3
    assert built.query("select deltagare from marts.deltagare_ar where forbund = 'lekeberg_orebro' and insats = '*'"
                       ) == [(166,)]


def test_kommun_counts_follow_deltagare_ar_rules(built):
    assert built.query("select kommun, deltagare, nyinskrivna, avslutade, avslut_arbete_studier, "
                       "pagaende_vid_arets_slut, registreringar from marts.deltagare_kommun_ar "
                       "where forbund = 'lekeberg_orebro' order by kommun") == [
        # 2019 is the förbund's first year of registrations: nyinskrivna NULL (tests/test_forsta_registreringsar.py)
        ("1814", 42, None, 21, 21, 21, 42), ("1880", 121, None, 27, 27, 94, 121)]


def test_unknown_is_null_and_a_registered_kommun_without_participants_is_zero(built):
    rows = dict(built.query("select kommun_namn, deltagare from marts.jamforelse_kommun_ar "
                            "where forbund = 'sydnarke'"))
    assert rows == {"Kumla": 0, "Hallsberg": None, "Askersund": None, "Laxå": None}
    assert built.query("select tackningsgrad from marts.jamforelse_kommun_ar where kommun_namn = 'Kumla'") == [(0.0,)]
    # no registrations at all: NULL, with every member kommun present
    assert built.query("select count(*), count(deltagare) from marts.jamforelse_kommun_ar where forbund = 'sofint'"
                       ) == [(4, 0)]
