"""deltagare_ar's typ rows (insats = 'typ:<typ>') and the okand_insats finding, from the insats register.

The SUS fixture of test_deltagare_ar.py (Sydnärke, insatser Steget and Trappan, 2019-2021); P2 is in both
insatser in 2020. The shipped config/insatser.csv makes both coachingteam.

Each test replaces config/insatser.csv with a register of its own. A register row, the typ it gives a spell and the
okand_insats finding belong to one förbund, and a person's spells are counted within their förbund (the fixture's
Deltagar-IDs are local ids, never matched across förbund), so the tests with a register share one build
(REGISTER): each has the fixture's spells in a file of its own under a förbund of its own (Sydnärke, SOFINT,
Lekeberg och Örebro; their register rows serve no kommun, so the förbund's member kommuner do not matter), its
register rows in the build's config/insatser.csv, and reads only its own förbund's rows and findings (and the
findings of no förbund, saknar_insatsregister). test_without_a_register_every_insats_is_okand builds alone: it is
about a build without any register.
"""
import pytest

from finsam.config import load_registry
from finsam.config.insatser import load_insatser
from tests.conftest import Delad
from tests.test_deltagare_ar import COLS, EXPECTED, SUS

HEAD = "forbund,insats,typ,kommun,finansiering,giltig_fran,giltig_till\n"


def build(project, register: str | None):
    project.settings(2019, 2021)
    project.raw("sus/sydnarke.csv", SUS)
    project.insatser(None if register is None else HEAD + register)
    project.build()


def rows(project, insats, forbund: str = "sydnarke"):
    return {ar: tuple(rest) for ar, *rest in project.query(
        f"select ar, {COLS} from marts.deltagare_ar where forbund = ? and insats = ? order by ar", [forbund, insats])}


def findings(project, forbund: str | None = None):
    """The register's findings; given a förbund, only its own and those of no förbund (in a shared build)."""
    where = " and (forbund = ? or forbund is null)" if forbund else ""
    return project.query("select regel, allvarlighet, insats, ar, rad, hittat, varde from marts.datakvalitet "
                         f"where regel in ('okand_insats', 'saknar_insatsregister'){where} order by insats",
                         [forbund] if forbund else [])


REGISTER = Delad()  # the SUS files of the tests with a register, one förbund each
RADER: list[str] = []  # their register rows: the shared build's config/insatser.csv


def egen(forbund: str, namn: str, register: str) -> str:
    """A test's SUS file, the fixture's spells with förbund `namn` (a sus_namn of `forbund`), and its register rows,
    which name `forbund` alone; returns its fil."""
    assert all(rad.startswith(f"{forbund},") for rad in register.splitlines())
    RADER.append(register)
    return REGISTER.fil(f"sus/{forbund}.csv", SUS.replace("\nSydnärke;", f"\n{namn};"))


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    return REGISTER.bygg(tmp_path_factory, "register", (2019, 2021),
                         prepare=lambda project: project.insatser(HEAD + "".join(RADER)))


# Sydnärke (the fixture as it is)
egen("sydnarke", "Sydnärke",
     "sydnarke,Steget,coachingteam,,,2016-01-01,\nsydnarke,trappan ,coachingteam,,,2016-01-01,\n")


def test_a_typ_row_counts_unique_individuals_of_its_insatser(register):
    # both insatser are coachingteam: the typ row is the förbund total, P2 (in both in 2020) once
    assert rows(register, "typ:coachingteam") == {ar: tuple(EXPECTED[("*", ar)]) for ar in (2019, 2020, 2021)}
    assert register.query("select deltagare from marts.deltagare_ar where forbund = 'sydnarke' "
                          "and insats = 'typ:coachingteam' and ar = 2020"
                          ) == [(4,)]   # Steget 3 + Trappan 2 = 5 registrations of insatser, 4 individuals
    assert findings(register, "sydnarke") == []


# SOFINT
egen("sofint", "SOFINT", "sofint,Steget,coachingteam,,,2016-01-01,\n")


def test_an_insats_missing_from_the_register_is_okand_with_one_finding(register):
    assert rows(register, "typ:coachingteam", "sofint") == {
        ar: tuple(EXPECTED[("Steget", ar)]) for ar in (2019, 2020, 2021)}
    assert rows(register, "typ:okand", "sofint") == {ar: tuple(EXPECTED[("Trappan", ar)]) for ar in (2019, 2020, 2021)}
    # Trappan's 3 spells, first on row 5; the first start (2018) is before ar_fran
    assert findings(register, "sofint") == [("okand_insats", "varning", "Trappan", 2019, 5, "Trappan", 3.0)]


# Lekeberg och Örebro: Steget is a projekt until 2019-08-31, then a coachingteam; Trappan only from 2020
egen("lekeberg_orebro", "Lekeberg och Örebro",
     "lekeberg_orebro,Steget,projekt,,,2016-01-01,2019-08-31\nlekeberg_orebro,Steget,coachingteam,,,2019-09-01,\n"
     "lekeberg_orebro,Trappan,coachingteam,,,2020-01-01,\n")


def test_a_spell_belongs_to_the_register_row_valid_on_its_start_date(register):
    kinds = dict(register.build_query(
        "select insats || ' ' || strftime(start, '%Y-%m-%d') || ' ' || coalesce(person, ''), typ "
        "from staging.sus_insats where not anonym and forbund = 'lekeberg_orebro'"))
    assert kinds["Steget 2019-02-01 P1"] == "projekt" and kinds["Steget 2019-09-01 P1"] == "coachingteam"
    assert kinds["Trappan 2018-05-01 P3"] == "okand" and kinds["Trappan 2020-06-01 P4"] == "coachingteam"
    # P1's second spell moves P1 to the coachingteam in 2019: one new individual there, none lost, so each typ
    # row keeps the stock-flow identity (the blocking check passed)
    assert rows(register, "typ:coachingteam", "lekeberg_orebro")[2019][:3] == (1, 1, 0)
    (regel, _, insats, ar, rad, hittat, varde), = findings(register, "lekeberg_orebro")
    assert (regel, insats, ar, rad, varde) == ("okand_insats", "Trappan", 2019, 6, 1.0)   # P3, from 2018
    assert register.query("select beskrivning from marts.datakvalitet where regel = 'okand_insats' "
                          "and forbund = 'lekeberg_orebro'") == [
        ("1 spell(s) start outside the giltig_fran..giltig_till of the insats's rows in config/insatser.csv: "
         "counted as typ 'okand', in no kommun",)]


# Degerfors/Karlskoga: SUS writes the names with a non-breaking space (U+00A0, twice), a thin space (U+2009) and in
# capitals, STRASSE for the register's Straße: both match as norm_name matches them (split on any Unicode space,
# casefold), since SQL joins on the key Python wrote at ingest rather than normalising again
STEGET, TRAPPAN = "STEGET\u00a0\u00a0Ut", "TRAPPAN\u2009STRASSE"
RADER.append("degerfors_karlskoga,Steget ut,coachingteam,,,2016-01-01,\n"
             "degerfors_karlskoga,Trappan Straße,mottagningsteam,,,2016-01-01,\n")
REGISTER.fil("sus/degerfors_karlskoga.csv", SUS.replace("\nSydnärke;Steget;", f"\nDegerfors/Karlskoga;{STEGET};")
             .replace("\nSydnärke;Trappan;", f"\nDegerfors/Karlskoga;{TRAPPAN};"))


def test_sql_matches_an_insats_name_exactly_as_python_does(register):
    insatser = load_insatser(register.config, load_registry(register.config))
    found = register.build_query("select distinct insats, register_insats, typ from staging.sus_insats "
                                 "where forbund = 'degerfors_karlskoga' order by insats")
    assert found == [(STEGET, "Steget ut", "coachingteam"), (TRAPPAN, "Trappan Straße", "mottagningsteam")]
    assert all(insatser.namn("degerfors_karlskoga", sus) == name for sus, name, _ in found)
    assert rows(register, "typ:coachingteam", "degerfors_karlskoga") == {
        ar: tuple(EXPECTED[("Steget", ar)]) for ar in (2019, 2020, 2021)}
    assert findings(register, "degerfors_karlskoga") == []


def test_without_a_register_every_insats_is_okand(project):
    """Its own build: no config/insatser.csv."""
    build(project, None)
    assert [r[0] for r in project.query("select distinct insats from marts.deltagare_ar where insats like 'typ:%'")
            ] == ["typ:okand"]
    assert rows(project, "typ:okand") == {ar: tuple(EXPECTED[("*", ar)]) for ar in (2019, 2020, 2021)}
    assert findings(project) == [("saknar_insatsregister", "info", None, None, None, None, None)]
    assert project.query("select count(*) from register.insatser") == [(0,)]
