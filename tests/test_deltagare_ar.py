"""marts.deltagare_ar against counts worked out by hand, one trap of domain.md at a time.

The fixture (years 2019-2021, förbund Sydnärke, insatser Steget and Trappan):
  P1 Steget 2019-02-01..2019-06-30 Avbrott, re-enters Steget 2019-09-01..2020-03-31 Arbete    (re-entry)
  P2 Steget 2019-03-01..open, and Trappan 2020-01-15..2020-12-20 Studier                      (two insatser)
  P3 Trappan 2018-05-01..2019-01-31 Jobbredo                                                 (open at start)
  P4 Trappan 2020-06-01..2021-02-15 'Annan myndighet'                                        (unknown reason)
  P5 Steget 2019-05-01..2019-12-31 Arbete                                  (ends on 31 Dec: not pågående)
  two anonymous spells in Steget, starting 2019-04-01 and 2020-05-05, never closed               (anonymous)

Every test reads this one fixture with the shipped config and writes nothing, so the module builds it once
(built); the tests that read the whole mart (a row for every förbund) or every finding of a rule read the same
build they read alone before.
"""
import pytest

from tests.conftest import built_once

SUS = """Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak
Sydnärke;Steget;P1;Nej;K;2019-02-01;2019-06-30;Avbrott
Sydnärke;Steget;P1;Nej;K;2019-09-01;2020-03-31;Arbete
Sydnärke;Steget;P2;Nej;M;2019-03-01;;
Sydnärke;Trappan;P2;Nej;M;2020-01-15;2020-12-20;Studier
Sydnärke;Trappan;P3;Nej;K;2018-05-01;2019-01-31;Jobbredo
Sydnärke;Trappan;P4;Nej;M;2020-06-01;2021-02-15;Annan myndighet
Sydnärke;Steget;P5;Nej;K;2019-05-01;2019-12-31;Arbete
Sydnärke;Steget;;Ja;;2019-04-01;;
Sydnärke;Steget;;Ja;;2020-05-05;;
"""
COLS = ("deltagare, nyinskrivna, avslutade, avslut_arbete_studier, avslut_jobb_studieredo, "
        "pagaende_vid_arets_slut, registreringar, anonyma, kalla")

# (insats, ar): deltagare, nyinskrivna, avslutade, avslut_arbete_studier, avslut_jobb_studieredo, pågående,
# registreringar, anonyma, kalla: worked out by hand from the fixture above (see the module docstring).
EXPECTED = {
    ("*", 2019): (5, 4, 2, 1, 1, 2, 6, 1, "sus"),       # P1 P2 P3 P5 + anon; P3 was open at start
    ("*", 2020): (4, 2, 1, 1, 0, 2, 5, 1, "sus"),       # P1 P2 P4 + anon; P1's last spell ended Arbete
    ("*", 2021): (2, 0, 1, 0, 0, 1, 2, 0, "sus"),       # P2 P4; P4's reason is unknown: in neither avslut column
    ("Steget", 2019): (4, 4, 1, 1, 0, 2, 5, 1, "sus"),  # P1 twice = 1 person, 2 registrations
    ("Steget", 2020): (3, 1, 1, 1, 0, 1, 3, 1, "sus"),
    ("Steget", 2021): (1, 0, 0, 0, 0, 1, 1, 0, "sus"),
    ("Trappan", 2019): (1, 0, 1, 0, 1, 0, 1, 0, "sus"),
    ("Trappan", 2020): (2, 2, 1, 1, 0, 1, 2, 0, "sus"),
    ("Trappan", 2021): (1, 0, 1, 0, 0, 0, 1, 0, "sus"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_once(tmp_path_factory, "deltagare_ar", (2019, 2021), {"sus/sydnarke.csv": SUS})


def test_counts_match_hand_computed_values(built):
    rows = built.query(f"select insats, ar, {COLS} from marts.deltagare_ar where forbund = 'sydnarke' "
                       "and insats not like 'typ:%'")   # the typ rows: test_deltagare_typ.py
    assert {(r[0], r[1]): r[2:] for r in rows} == EXPECTED


def test_forbund_total_is_unique_individuals_not_sum_over_insatser(built):
    # P2 is in Steget and Trappan in 2020: the förbund counts 4 deltagare, the insatser 3 + 2 = 5.
    (total, summed), = built.query("""
        select max(deltagare) filter (where insats = '*'),
               sum(deltagare) filter (where insats <> '*' and insats not like 'typ:%')
        from marts.deltagare_ar where forbund = 'sydnarke' and ar = 2020""")
    assert (total, summed) == (4, 5)


def test_years_without_data_are_null_with_a_finding_never_zero(built):
    rows = built.query("select ar, deltagare, avslutade, kalla from marts.deltagare_ar "
                       "where forbund = 'sofint' and insats = '*' order by ar")
    assert rows == [(2019, None, None, None), (2020, None, None, None), (2021, None, None, None)]
    findings = built.query("select ar, allvarlighet from marts.datakvalitet "
                           "where regel = 'saknar_sus' and forbund = 'sofint' order by ar")
    assert findings == [(2019, "varning"), (2020, "varning"), (2021, "varning")]


def test_every_configured_forbund_has_a_row_for_every_year(built):
    rows = built.query("select forbund, count(*) from marts.deltagare_ar where insats = '*' group by 1 order by 1")
    assert rows == [(f, 3) for f in ("degerfors_karlskoga", "lekeberg_orebro", "sodra_norrbotten", "sofint",
                                     "sydnarke")]


def test_unknown_avslutsorsak_is_okand_with_a_finding(built):
    assert built.build_query("select kategori from staging.sus_registreringar where avslutsorsak = 'Annan myndighet'") \
        == [("okand",)]
    rows = built.query("select forbund, hittat, rad, varde, allvarlighet from marts.datakvalitet "
                       "where regel = 'okand_avslutsorsak'")
    assert rows == [("sydnarke", "Annan myndighet", 7, 1.0, "varning")]
    assert built.query("select ar from marts.datakvalitet where regel = 'okand_avslutsorsak'") == [(2020,)]


def test_stock_flow_identity_holds_by_construction_on_registrations(built):
    rows = built.query("""
        select cur.insats, cur.ar, coalesce(prev.pagaende_vid_arets_slut, 0) + cur.nyinskrivna - cur.anonyma
               - cur.avslutade, cur.pagaende_vid_arets_slut
        from marts.deltagare_ar cur
        left join marts.deltagare_ar prev on prev.forbund = cur.forbund and prev.insats = cur.insats
             and prev.ar = cur.ar - 1
        where cur.forbund = 'sydnarke' and cur.ar > 2019""")
    assert len(rows) == 8   # '*', Steget, Trappan and typ:coachingteam (both insatser) in 2020 and 2021
    assert all(start_plus_flow == end for _, _, start_plus_flow, end in rows)
