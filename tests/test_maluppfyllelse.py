"""marts.maluppfyllelse_ar and marts.maluppfyllelse_forbund_ar against values worked out by hand: each status, `saker`
on both sides of the goal for minst and hogst, the Wilson interval of a share, groups met and not met, goals without
an outcome, insats goals found under another spelling.

Inputs, years 2019-2020:
  SOFINT (a report, 2019 and 2020 alike): 100 deltagare, 62 avslutade, 20 to arbete/studier, 10 jobb-/studieredo;
    insats Kompassen 2019: 12 deltagare (spelled as in the register: found by its spelling)
    ekonomi: intäkter 5 000 000 both years; eget kapital 350 000 (2019: 0.07 of intäkter), 400 000 (2020: 0.08)
  Degerfors/Karlskoga 2019 (a report): 10 deltagare, all 10 avslutade, all to arbete/studier; no ekonomi
  Lekeberg/Örebro: nothing
  Sydnärke 2019, registrations in "SAMORDNINGSTEAM" (the register says Samordningsteam): P1 ends with Arbete, P2 with
    Sjukdom, P3 open: 3 deltagare, 2 avslutade, 1 stegförflyttning
  SOFINT 2019 follow-up after avslut: the förbund 6 months after (3 + 1 of 10 svarande) and 12 months after (8 + 2
    of 20: the longest follow-up counts, 0.5 of 20); "kompassen" 12 months after: 1 + 1 of 4 svarande
  SOFINT 2019 indicators: D1 in two surveys, 0.85 of 40 answers (deltagare avslut) and 0.5 of 10 (pågående): the
    one with the most answers counts; B1 for Kompassen, a mean 1.4 of 9 answers (no interval on the scale medel)
Wilson 95 % (z = 1.959964, p = k / n): (p + z²/2n ± z·sqrt(p(1 − p)/n + z²/4n²)) / (1 + z²/n)
  62 of 100 -> [0.522098, 0.709024]; 20 of 62 -> [0.219545, 0.446319]; 10 of 10 -> [0.722467, 1 exactly];
  1 of 2 -> [0.094531, 0.905469]; 10 of 20 -> [0.299298, 0.700702]; 2 of 4 -> [0.150039, 0.849961];
  34 of 40 -> [0.709277, 0.929388]
saker, for a share: uppnatt minst lag >= mål, uppnatt hogst hog <= mål, ej_uppnatt minst hog <= mål, ej_uppnatt
hogst lag >= mål (the limit included); other measures: true with an outcome.
"""
import shutil

import duckdb
import pytest

from finsam.build import runner, steps
from finsam.config.mal import HEADER
from finsam.report import disclosure
from tests.conftest import built_once

AGG = ("Förbund;År;Insats;Deltagare;Nyinskrivna;Avslutade;Avslut arbete/studier;Avslut jobb-/studieredo\n"
       "SOFINT;2019;;100;100;62;20;10\nSOFINT;2020;;100;100;62;20;10\nSOFINT;2019;Kompassen;12;12;;;\n"
       "Finsam Degerfors Karlskoga;2019;;10;10;10;10;0\n")
EKONOMI = ("Förbund;År;Post;Belopp;Enhet;Typ\n"
           "SOFINT;2019;Medlemsbidrag Försäkringskassan;4 000 000;kr;intäkt\n"
           "SOFINT;2019;Projektmedel Tillväxtverket;1 000 000;kr;intäkt\n"
           "SOFINT;2019;Eget kapital 31 december;350 000;kr;eget_kapital\n"
           "SOFINT;2020;Medlemsbidrag Försäkringskassan;5 000 000;kr;intäkt\n"
           "SOFINT;2020;Eget kapital 31 december;400 000;kr;eget_kapital\n")
EFTER = ("Förbund;Insats;Avslutsår;Månader efter avslut;Avslutade;Tillfrågade;Svarande;Arbete;Studier;Arbetssökande;"
         "Fortsatt rehabilitering;Sjukskrivning eller aktivitetsersättning;Försörjningsstöd;Annat\n"
         "SOFINT;;2019;6;;12;10;3;1;1;1;1;1;2\n"
         "SOFINT;;2019;12;;25;20;8;2;2;2;2;2;2\n"
         "SOFINT;kompassen;2019;12;;5;4;1;1;;;;;2\n")
INDIKATORER = ("Förbund;Insats;År;Enkät;Indikator;Fråga;Antal svar;Värde;Skala;Riket\n"
               "SOFINT;;2019;Deltagare avslut;D1;Bra bemötande;40;0,85;andel;0,8\n"
               "SOFINT;;2019;Deltagare pågående;D1;Bra bemötande;10;0,5;andel;0,8\n"
               "SOFINT;Kompassen;2019;BIP;B1;;9;1,4;medel;\n")
SUS = ("Samordningsförbund;Insats;Deltagar-ID;Anonym;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
       "Sydnärke;SAMORDNINGSTEAM;P1;Nej;2019-01-10;2019-05-31;Arbete\n"
       "Sydnärke;SAMORDNINGSTEAM;P2;Nej;2019-02-01;2019-06-30;Sjukdom\n"
       "Sydnärke;SAMORDNINGSTEAM;P3;Nej;2019-03-01;;\n")
MAL = [
    # the eight cases of status (uppnatt, ej_uppnatt) x riktning x saker, on shares with an interval
    "sofint,,2019,andel_avslutade,0.5,minst,,a",                    # .62 >= .5, lag .522 >= .5: sure
    "sofint,,2019,andel_avslut_arbete_studier,0.3,minst,,b",        # .323 >= .3, lag .220 < .3: not sure
    "sofint,,2019,andel_avslutade,0.75,hogst,,c",                   # .62 <= .75, hog .709 <= .75: sure
    "sofint,,2019,andel_avslut_arbete_studier,0.4,hogst,,d",        # .323 <= .4, hog .446 > .4: not sure
    "sofint,,2020,andel_avslutade,0.75,minst,,e",                   # .62 < .75, hog .709 <= .75: sure
    "sofint,,2020,andel_avslut_arbete_studier,0.4,minst,,f",        # .323 < .4, hog .446 > .4: not sure
    "sofint,,2020,andel_avslutade,0.5,hogst,,g",                    # .62 > .5, lag .522 >= .5: sure
    "sofint,,2020,andel_avslut_arbete_studier,0.3,hogst,,h",        # .323 > .3, lag .220 < .3: not sure
    # money in a group: 2019 one of two met (0.07 <= 0.07, the limit included), 2020 neither
    "sofint,*,2019,eget_kapital_andel_intakter,0.07,hogst,kapital,k1",
    # follow-up after avslut and indicators (a code as the file writes it)
    "sofint,,2019,uppfoljning_andel_arbete_studier,0.4,minst,,u1",    # .5 of 20 >= .4, lag .299: not sure
    "sofint,Kompassen,2019,uppfoljning_andel_arbete_studier,0.6,hogst,,u2",  # .5 of 4 <= .6, hog .850: not sure
    "sofint,,2019,indikator:D1,0.8,minst,,x1",                      # .85 of 40 >= .8, lag .709: not sure
    "sofint,Kompassen,2019,indikator:B1,1.5,minst,,x2",             # a mean 1.4 < 1.5: no interval
    "sofint,*,2019,eget_kapital,300000,hogst,kapital,k2",
    "sofint,*,2020,eget_kapital_andel_intakter,0.07,hogst,kapital,l1",
    "sofint,*,2020,eget_kapital,300000,hogst,kapital,l2",
    "SOFINT,Kompassen,2019,deltagare,10,minst,,kompassen",         # 12 >= 10
    # 10 of 10: the interval ends exactly at 1
    "Finsam Degerfors/Karlskoga,,2019,andel_avslutade,1,minst,,i1",   # 1 >= 1, lag .722 < 1: not sure
    "degerfors_karlskoga,,2019,andel_avslutade,1,hogst,,i2",          # 1 <= 1, hog exactly 1 <= 1: sure
    # a group met although one of its goals has no outcome
    "degerfors_karlskoga,,2019,eget_kapital,1000000,hogst,blandat,m1",
    "degerfors_karlskoga,,2019,andel_avslut_arbete_studier,0.9,minst,blandat,m2",
    # no data at all: a goal and a group without outcome
    "lekeberg_orebro,,2019,andel_avslutade,0.5,minst,,j",
    "lekeberg_orebro,,2019,eget_kapital,1,hogst,tom,t1",
    "lekeberg_orebro,,2019,andel_avslutade,0.9,hogst,tom,t2",
    # registrations: an insats under another spelling, the förbund's count, stegförflyttning; no follow-up and no
    # indicator for Sydnärke: no outcome
    "sydnarke,Samordningsteam,2019,deltagare,5,minst,,n1",          # 3 < 5
    "sydnarke,,2019,deltagare,3,minst,,n2",                         # 3 >= 3
    "sydnarke,,2019,andel_stegforflyttning,0.5,minst,,n3",          # 1 of 2 >= .5, lag .095: not sure
    "sydnarke,,2019,uppfoljning_andel_arbete_studier,0.5,minst,,p1",
    "sydnarke,,2019,indikator:NNS1,0.8,minst,,p2",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    def goals(project):
        (project.config / "mal.csv").write_text(",".join(HEADER) + "\n" + "\n".join(MAL) + "\n", encoding="utf-8")
    return built_once(tmp_path_factory, "maluppfyllelse", (2019, 2020),
                      {"sus_aggregat/r.csv": AGG, "ekonomi/e.csv": EKONOMI, "sus/s.csv": SUS,
                       "uppfoljning_efter_avslut/u.csv": EFTER, "indikatorer/i.csv": INDIKATORER}, goals)


def _goals(built) -> dict[str, tuple]:
    rows = built.query("select kalla, forbund, insats, ar, matt, malvarde, riktning, grupp, utfall, n, utfall_lag, "
                       "utfall_hog, status, saker from marts.maluppfyllelse_ar")
    return {r[0]: r[1:] for r in rows}


def test_every_goal_is_a_row_with_its_source(built):
    goals = _goals(built)
    assert set(goals) == {line.rsplit(",", 1)[1] for line in MAL}
    assert goals["n1"][:7] == ("sydnarke", "Samordningsteam", 2019, "deltagare", 5.0, "minst", None)
    assert goals["k1"][:7] == ("sofint", "*", 2019, "eget_kapital_andel_intakter", 0.07, "hogst", "kapital")


@pytest.mark.parametrize("kalla, utfall, n, lag, hog, status, saker", [
    ("a", 0.62, 100, 0.522098, 0.709024, "uppnatt", True),
    ("b", 20 / 62, 62, 0.219545, 0.446319, "uppnatt", False),
    ("c", 0.62, 100, 0.522098, 0.709024, "uppnatt", True),
    ("d", 20 / 62, 62, 0.219545, 0.446319, "uppnatt", False),
    ("e", 0.62, 100, 0.522098, 0.709024, "ej_uppnatt", True),
    ("f", 20 / 62, 62, 0.219545, 0.446319, "ej_uppnatt", False),
    ("g", 0.62, 100, 0.522098, 0.709024, "ej_uppnatt", True),
    ("h", 20 / 62, 62, 0.219545, 0.446319, "ej_uppnatt", False),
    ("i1", 1.0, 10, 0.722467, 1.0, "uppnatt", False),
    ("i2", 1.0, 10, 0.722467, 1.0, "uppnatt", True),
    ("m2", 1.0, 10, 0.722467, 1.0, "uppnatt", False),
    ("n3", 0.5, 2, 0.094531, 0.905469, "uppnatt", False),
    ("u1", 0.5, 20, 0.299298, 0.700702, "uppnatt", False),
    ("u2", 0.5, 4, 0.150039, 0.849961, "uppnatt", False),
    ("x1", 0.85, 40, 0.709277, 0.929388, "uppnatt", False),
])
def test_shares_have_their_wilson_interval_status_and_saker(built, kalla, utfall, n, lag, hog, status, saker):
    g = _goals(built)[kalla]
    assert (g[8], g[11], g[12]) == (n, status, saker)
    assert g[7:8] + g[9:11] == pytest.approx((utfall, lag, hog), abs=1e-6)


def test_the_interval_is_jamforelse_ars_where_that_mart_has_one(built):
    # one Wilson definition: the goal's interval is the mart's own to rounding
    rows = built.query("""select m.utfall_lag - j.andel_avslutade_lag, m.utfall_hog - j.andel_avslutade_hog
                          from marts.maluppfyllelse_ar m join marts.jamforelse_ar j using (forbund, ar)
                          where m.matt = 'andel_avslutade' and m.utfall_lag is not null""")
    assert len(rows) == 6 and all(abs(a) < 1e-12 and abs(b) < 1e-12 for a, b in rows)


@pytest.mark.parametrize("kalla, utfall, n, status, saker", [
    ("k1", 0.07, None, "uppnatt", True),            # the limit itself is met
    ("k2", 350000.0, None, "ej_uppnatt", True),
    ("l1", 0.08, None, "ej_uppnatt", True),
    ("l2", 400000.0, None, "ej_uppnatt", True),
    ("kompassen", 12.0, 12, "uppnatt", True),
    ("n1", 3.0, 3, "ej_uppnatt", True),
    ("n2", 3.0, 3, "uppnatt", True),
    ("x2", 1.4, 9, "ej_uppnatt", True),
    ("m1", None, None, "saknar_utfall", None),
    ("j", None, None, "saknar_utfall", None),
    ("t1", None, None, "saknar_utfall", None),
    ("t2", None, None, "saknar_utfall", None),
    ("p1", None, None, "saknar_utfall", None),
    ("p2", None, None, "saknar_utfall", None),
])
def test_other_measures_and_missing_outcomes(built, kalla, utfall, n, status, saker):
    g = _goals(built)[kalla]
    assert (g[8], g[9], g[10], g[11], g[12]) == (n, None, None, status, saker)
    assert g[7] == (None if utfall is None else pytest.approx(utfall))


def test_per_forbund_a_group_counts_once_and_is_met_when_any_goal_is(built):
    assert built.query("select forbund, ar, mal, uppnadda, andel_uppnadda from marts.maluppfyllelse_forbund_ar "
                       "order by forbund, ar") == [
        # 2019: two goals met in two of two (blandat: one goal without outcome, one met)
        ("degerfors_karlskoga", 2019, 3, 3, 1.0),
        # j and the group tom: both without outcome, in mal but not in uppnadda
        ("lekeberg_orebro", 2019, 2, 0, 0.0),
        # a, b, c, d, Kompassen, the group kapital (eget kapital 0.07 of intäkter met, 350 000 kr not), u1, u2 and
        # x1 met; x2 not
        ("sofint", 2019, 10, 9, 0.9),
        # e, f, g, h and the group kapital (neither met)
        ("sofint", 2020, 5, 0, 0.0),
        # n1 not met, n2 and n3 met, no follow-up or indicator: no outcome
        ("sydnarke", 2019, 5, 2, 0.4)]


def test_n_is_a_count_of_persons_and_the_outcome_is_hidden_with_it():
    assert "n" in disclosure.personer("maluppfyllelse_ar")
    assert disclosure.bygger_pa("maluppfyllelse_ar") == {"utfall": ("n",), "utfall_lag": ("n",),
                                                         "utfall_hog": ("n",)}


def test_the_checks_catch_a_wrong_status_an_interval_off_its_share_and_a_wrong_count(built, tmp_path):
    kopia = tmp_path / "kopia.duckdb"
    shutil.copy(built.warehouse, kopia)
    con = duckdb.connect(str(kopia))
    checks = {name: fn for step in steps.MARTS for name, _, fn in runner.checks(step)}
    names = ("maluppfyllelse_ar_status", "maluppfyllelse_ar_intervall", "maluppfyllelse_forbund_ar_summa",
             "maluppfyllelse_ar_kontrakt", "maluppfyllelse_forbund_ar_kontrakt")
    try:
        assert {n: checks[n](con) for n in names} == dict.fromkeys(names, [])
        con.execute("update marts.maluppfyllelse_ar set status = 'uppnatt' where kalla = 'e'")
        assert checks["maluppfyllelse_ar_status"](con) == [
            "('sofint', '*', 2020, 'andel_avslutade', 'minst', 'uppnatt')"]
        assert checks["maluppfyllelse_forbund_ar_summa"](con) == ["('sofint', 2020)"]
        con.execute("update marts.maluppfyllelse_ar set status = 'ej_uppnatt' where kalla = 'e'")
        con.execute("update marts.maluppfyllelse_ar set utfall_hog = 0.6 where kalla = 'a'")
        assert [p[:48] for p in checks["maluppfyllelse_ar_intervall"](con)] == [
            "('sofint', '*', 2019, 'andel_avslutade', 'minst'"]
    finally:
        con.close()


def test_sydnarkes_seed_002_goals_on_the_sample(sample):
    # Sydnärke 2025 (Uppföljning Finsam with reported avslut): Samordningsteam 145 deltagare of at least 150;
    # stegförflyttning 46 of 74 avslutade (16 arbete + 6 studier + 8 arbetssökande + 5 studieredo + 11 annan insats)
    # = 0.622 < 0.65, its interval [0.508, 0.724] straddling the goal; eget kapital 1 781 333 kr = 0.288 of intäkter
    # 6 191 100 kr: neither at most 7 % nor at most 300 000 kr, so the group is not met either
    rows = sample.query("select insats, matt, malvarde, riktning, grupp, utfall, n, utfall_lag, utfall_hog, status, "
                        "saker, kalla from marts.maluppfyllelse_ar where forbund = 'sydnarke' and ar = 2025 "
                        "order by insats, matt")
    assert [r[:5] + r[6:7] + r[9:] for r in rows] == [
        ("*", "andel_stegforflyttning", 0.65, "minst", None, 74, "ej_uppnatt", False, "seed 002, rad 429–445"),
        ("*", "eget_kapital", 300000.0, "hogst", "eget_kapital", None, "ej_uppnatt", True, "seed 002, rad 429–445"),
        ("*", "eget_kapital_andel_intakter", 0.07, "hogst", "eget_kapital", None, "ej_uppnatt", True,
         "seed 002, rad 429–445"),
        ("Samordningsteam", "deltagare", 150.0, "minst", None, 145, "ej_uppnatt", True, "seed 002, rad 286–302")]
    assert [r[5] for r in rows] == pytest.approx([46 / 74, 1781333.0, 1781333.0 / 6191100.0, 145.0])
    assert rows[0][7:9] == pytest.approx((0.507715, 0.723525), abs=1e-6)
    # three goals: the eget-kapital group is one
    assert sample.query("select mal, uppnadda, andel_uppnadda from marts.maluppfyllelse_forbund_ar "
                        "where forbund = 'sydnarke' and ar = 2025") == [(3, 0, 0.0)]
