"""jamforelse_ar's outcome shares with Wilson 95 % intervals, deltagare per 1000 helårsekvivalenter and eget kapital
on intäkter, against values worked out by hand.

Wilson score interval of k of n, z = 1.959964, p = k / n:
    (p + z²/2n ± z·sqrt(p(1 − p)/n + z²/4n²)) / (1 + z²/n)
  62 of 100: centre (0.62 + 0.0192073) / 1.0384146 = 0.615561, half-width 0.093463 -> [0.522098, 0.709024]
  20 of 62 -> [0.219545, 0.446319]; 10 of 62 -> [0.090041, 0.272063]; 10 of 10 -> [0.722467, 1] (exactly 1);
  0 of 7 -> [0 (exactly), 0.354330]; 0 of 10 -> [0, 0.277533].
Reported counts (raw/sus_aggregat, 2019):
  SOFINT 100 deltagare, 62 avslutade, 20 to arbete/studier, 10 jobb-/studieredo
  Sydnärke 5 deltagare but 7 avslutade: andel_avslutade 1.4 has no interval
  Degerfors/Karlskoga 10 deltagare, all 10 avslutade, all 10 to arbete/studier, none jobb-/studieredo
  Lekeberg/Örebro no counts: everything NULL
Helårsekvivalenter 2019 (counts), Sydnärke's four kommuner: 700 + 1 150 + 1 570 + 500 = 3 920, so
  deltagare_per_1000_helarsekvivalenter = 1000 × 5 / 3 920 = 1.275510.
Ekonomi 2019, SOFINT: medlemsbidrag 4 000 000 + Tillväxtverket 1 000 000 = intäkter 5 000 000, eget kapital 350 000:
  eget_kapital_andel 0.0875, eget_kapital_andel_intakter 0.07 (Sydnärke's own target is at most 7 %).
"""
import pytest

AGG = ("Förbund;År;Deltagare;Nyinskrivna;Avslutade;Avslut arbete/studier;Avslut jobb-/studieredo\n"
       "SOFINT;2019;100;100;62;20;10\nSydnärke;2019;5;5;7;0;0\nFinsam Degerfors Karlskoga;2019;10;10;10;10;0\n")
HEK = ("region;kön;ersättning;år;helårsekvivalenter\n1882 Askersund;totalt;totalt;2019;700\n"
       "1861 Hallsberg;totalt;totalt;2019;1150\n1881 Kumla;totalt;totalt;2019;1570\n1860 Laxå;totalt;totalt;2019;500\n")
EKONOMI = ("Förbund;År;Post;Belopp;Enhet;Typ\nSOFINT;2019;Medlemsbidrag Försäkringskassan;4 000 000;kr;intäkt\n"
           "SOFINT;2019;Projektmedel Tillväxtverket;1 000 000;kr;intäkt\nSOFINT;2019;Kansli;900 000;kr;kostnad\n"
           "SOFINT;2019;Eget kapital 31 december;350 000;kr;eget_kapital\n")
ANDELAR = ("andel_avslutade, andel_avslutade_lag, andel_avslutade_hog, andel_arbete_studier, andel_arbete_studier_lag, "
           "andel_arbete_studier_hog, andel_jobb_studieredo, andel_jobb_studieredo_lag, andel_jobb_studieredo_hog")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from tests.conftest import Project
    project = Project(tmp_path_factory.mktemp("osakerhet"))
    project.settings(2019, 2019)
    project.raw("sus_aggregat/r.csv", AGG)
    project.raw("scb/helarsekvivalenter/h.csv", HEK)
    project.raw("ekonomi/e.csv", EKONOMI)
    project.build()
    return project


def _rad(built, forbund):
    return built.query(f"select {ANDELAR} from marts.jamforelse_ar where forbund = ? and ar = 2019", [forbund])[0]


def test_wilson_intervals_as_worked_out_by_hand(built):
    assert _rad(built, "sofint") == pytest.approx(
        (0.62, 0.522098, 0.709024, 20 / 62, 0.219545, 0.446319, 10 / 62, 0.090041, 0.272063), abs=1e-6)


def test_interval_ends_are_exact_at_0_and_n(built):
    assert _rad(built, "degerfors_karlskoga") == pytest.approx(
        (1.0, 0.722467, 1.0, 1.0, 0.722467, 1.0, 0.0, 0.0, 0.277533), abs=1e-6)
    row = _rad(built, "degerfors_karlskoga")
    assert (row[2], row[5], row[7]) == (1.0, 1.0, 0.0)      # exactly, so lag <= andel <= hog holds


def test_a_share_above_1_from_reported_counts_has_no_interval(built):
    assert _rad(built, "sydnarke") == pytest.approx((1.4, None, None, 0.0, 0.0, 0.354330, 0.0, 0.0, 0.354330),
                                                    abs=1e-6)
    assert _rad(built, "lekeberg_orebro") == (None,) * 9


def test_deltagare_per_1000_helarsekvivalenter(built):
    assert built.query("select forbund, deltagare_per_1000_helarsekvivalenter from marts.jamforelse_ar "
                       "where forbund in ('sydnarke', 'sofint') order by forbund") == [
        ("sofint", None), ("sydnarke", pytest.approx(1000 * 5 / 3920))]


def test_eget_kapital_on_both_bases(built):
    assert built.query("select eget_kapital_andel, eget_kapital_andel_intakter from marts.jamforelse_ar "
                       "where forbund = 'sofint'") == [(pytest.approx(0.0875), pytest.approx(0.07))]
