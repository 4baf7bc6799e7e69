"""deltagare_ar's typ rows (insats = 'typ:<typ>') and the okand_insats finding, from the insats register.

The SUS fixture of test_deltagare_ar.py (Sydnärke, insatser Steget and Trappan, 2019-2021); P2 is in both
insatser in 2020. The shipped config/insatser.csv makes both coachingteam.
"""
from tests.test_deltagare_ar import COLS, EXPECTED, SUS

HEAD = "forbund,insats,typ,kommun,finansiering,giltig_fran,giltig_till\n"


def build(project, register: str | None):
    project.settings(2019, 2021)
    project.raw("sus/sydnarke.csv", SUS)
    project.insatser(None if register is None else HEAD + register)
    project.build()


def rows(project, insats):
    return {ar: tuple(rest) for ar, *rest in project.query(
        f"select ar, {COLS} from marts.deltagare_ar where forbund = 'sydnarke' and insats = ? order by ar", [insats])}


def findings(project):
    return project.query("select regel, allvarlighet, insats, ar, rad, hittat, varde from marts.datakvalitet "
                         "where regel in ('okand_insats', 'saknar_insatsregister') order by insats")


def test_a_typ_row_counts_unique_individuals_of_its_insatser(project):
    build(project, "sydnarke,Steget,coachingteam,,,2016-01-01,\nsydnarke,trappan ,coachingteam,,,2016-01-01,\n")
    # both insatser are coachingteam: the typ row is the förbund total, P2 (in both in 2020) once
    assert rows(project, "typ:coachingteam") == {ar: tuple(EXPECTED[("*", ar)]) for ar in (2019, 2020, 2021)}
    assert project.query("select deltagare from marts.deltagare_ar where insats = 'typ:coachingteam' and ar = 2020"
                         ) == [(4,)]   # Steget 3 + Trappan 2 = 5 registrations of insatser, 4 individuals
    assert findings(project) == []


def test_an_insats_missing_from_the_register_is_okand_with_one_finding(project):
    build(project, "sydnarke,Steget,coachingteam,,,2016-01-01,\n")
    assert rows(project, "typ:coachingteam") == {ar: tuple(EXPECTED[("Steget", ar)]) for ar in (2019, 2020, 2021)}
    assert rows(project, "typ:okand") == {ar: tuple(EXPECTED[("Trappan", ar)]) for ar in (2019, 2020, 2021)}
    # Trappan's 3 spells, first on row 5; the first start (2018) is before ar_fran
    assert findings(project) == [("okand_insats", "varning", "Trappan", 2019, 5, "Trappan", 3.0)]


def test_a_spell_belongs_to_the_register_row_valid_on_its_start_date(project):
    # Steget is a projekt until 2019-08-31, then a coachingteam; Trappan only from 2020
    build(project, "sydnarke,Steget,projekt,,,2016-01-01,2019-08-31\nsydnarke,Steget,coachingteam,,,2019-09-01,\n"
                   "sydnarke,Trappan,coachingteam,,,2020-01-01,\n")
    kinds = dict(project.query("select insats || ' ' || strftime(start, '%Y-%m-%d') || ' ' || coalesce(person, ''), "
                               "typ from staging.sus_insats where not anonym"))
    assert kinds["Steget 2019-02-01 P1"] == "projekt" and kinds["Steget 2019-09-01 P1"] == "coachingteam"
    assert kinds["Trappan 2018-05-01 P3"] == "okand" and kinds["Trappan 2020-06-01 P4"] == "coachingteam"
    # P1's second spell moves P1 to the coachingteam in 2019: one new individual there, none lost, so each typ
    # row keeps the stock-flow identity (the blocking check passed)
    assert rows(project, "typ:coachingteam")[2019][:3] == (1, 1, 0)
    (regel, _, insats, ar, rad, hittat, varde), = findings(project)
    assert (regel, insats, ar, rad, varde) == ("okand_insats", "Trappan", 2019, 6, 1.0)   # P3, from 2018
    assert project.query("select beskrivning from marts.datakvalitet where regel = 'okand_insats'") == [
        ("1 spell(s) start outside the giltig_fran..giltig_till of the insats's rows in config/insatser.csv: "
         "counted as typ 'okand', in no kommun",)]


def test_without_a_register_every_insats_is_okand(project):
    build(project, None)
    assert [r[0] for r in project.query("select distinct insats from marts.deltagare_ar where insats like 'typ:%'")
            ] == ["typ:okand"]
    assert rows(project, "typ:okand") == {ar: tuple(EXPECTED[("*", ar)]) for ar in (2019, 2020, 2021)}
    assert findings(project) == [("saknar_insatsregister", "info", None, None, None, None, None)]
    assert project.query("select count(*) from register.insatser") == [(0,)]
