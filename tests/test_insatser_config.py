"""config/insatser.csv, the insats register: optional, validated on load, every broken row named by file, line,
column, what was found and what was expected."""

import pytest

from finsam.config import load_registry
from finsam.config.insatser import HEADER, load_insatser
from finsam.io.findings import ConfigError

HEAD = ",".join(HEADER) + "\n"


def load(cfg, body: str | None):
    path = cfg / "insatser.csv"
    if body is None:
        path.unlink()
    else:
        path.write_text(HEAD + body, encoding="utf-8")
    return load_insatser(cfg, load_registry(cfg))


def test_the_shipped_register_names_every_sample_insats_and_matches_names_loosely(cfg):
    register = load_insatser(cfg, load_registry(cfg))
    assert len(register.insatser) == 31
    assert register.namn("lekeberg_orebro", "  vägledning   LEKEBERG ") == "Vägledning Lekeberg"
    assert register.namn("sydnarke", "Vägledning Lekeberg") is None
    lekeberg = [i for i in register.insatser if i.insats == "Vägledning Lekeberg"][0]
    assert (lekeberg.typ, lekeberg.kommun, lekeberg.finansiering) == ("coachingteam", "1814", "medlemsbidrag")


def test_the_register_is_optional(cfg):
    register = load(cfg, None)
    assert register.insatser == () and register.frame().height == 0


def test_blank_kommun_finansiering_and_giltig_till_are_allowed(cfg):
    i, = load(cfg, "sofint,  Ett   team ,projekt,,,2019-01-01,\n").insatser
    assert (i.insats, i.kommun, i.finansiering, i.giltig_till, i.rad) == ("Ett team", None, None, None, 2)


@pytest.mark.parametrize("row, message", [
    ("atlantis,X,projekt,,,2019-01-01,", r"insatser.csv: line 2, forbund found 'atlantis', expected a kod in "
                                         r"forbund.yaml \(degerfors_karlskoga, lekeberg_orebro, "),
    ("sofint,,projekt,,,2019-01-01,", r"line 2, insats is blank, expected the insats name as written in SUS"),
    ("sofint,X,struktur,,,2019-01-01,", r"line 2, typ found 'struktur', expected mottagningsteam or coachingteam or "
                                        r"projekt or ovrig$"),
    ("sofint,X,projekt,,esf,2019-01-01,", r"line 2, finansiering found 'esf', expected medlemsbidrag or externa or "
                                          r"blank"),
    ("sofint,X,projekt,188,,2019-01-01,", r"line 2, kommun found '188', expected a four-digit kommun code or blank"),
    ("sofint,X,projekt,1880,,2019-01-01,", r"line 2, kommun found '1880', expected a member kommun of sofint from "
                                           r"2019-01-01 to open \(members: 1885 Lindesberg 2009-01-01..open, "),
    ("sofint,X,projekt,,,2019-13-01,", r"line 2, giltig_fran: found '2019-13-01', expected a date YYYY-MM-DD"),
    ("sofint,X,projekt,,,,", r"line 2, giltig_fran is blank, expected a date YYYY-MM-DD"),
    ("sofint,X,projekt,,,2019-01-01,2018-12-31", r"line 2, giltig_till 2018-12-31 is before giltig_fran 2019-01-01"),
])
def test_a_broken_row_is_named(cfg, row, message):
    with pytest.raises(ConfigError, match=message):
        load(cfg, row + "\n")


def test_a_kommun_must_be_a_member_for_the_whole_period(cfg):
    # Boden is a member of Södra Norrbotten from 2021-06-01
    assert load(cfg, "sodra_norrbotten,Boden CT,coachingteam,2582,,2021-06-01,\n").insatser[0].kommun == "2582"
    with pytest.raises(ConfigError, match=r"line 2, kommun found '2582', expected a member kommun of "
                                          r"sodra_norrbotten from 2021-01-01 to open"):
        load(cfg, "sodra_norrbotten,Boden CT,coachingteam,2582,,2021-01-01,\n")


def test_one_insats_twice_for_overlapping_periods_is_an_error_but_a_change_over_time_is_not(cfg):
    changed = load(cfg, "sofint,Teamet,projekt,,,2017-01-01,2019-12-31\n"
                        "sofint,Teamet,coachingteam,1885,,2020-01-01,\n").insatser
    assert [(i.typ, i.kommun) for i in changed] == [("projekt", None), ("coachingteam", "1885")]
    with pytest.raises(ConfigError, match=r"line 3, insats 'TEAMET' of sofint is also on line 2 for an overlapping "
                                          r"period \(2017-01-01..2019-12-31\); expected one row per insats and date"):
        load(cfg, "sofint,Teamet,projekt,,,2017-01-01,2019-12-31\nsofint,TEAMET,coachingteam,,,2019-12-31,\n")
    assert len(load(cfg, "sofint,Teamet,projekt,,,2017-01-01,\nsydnarke,Teamet,projekt,,,2017-01-01,\n")
               .insatser) == 2   # the same name in two förbund is two insatser
