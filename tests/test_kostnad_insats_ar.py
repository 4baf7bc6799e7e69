"""kostnad_insats_ar and the insats column of config/kostnadsmappning.csv: the review's "Kostnad för respektive MT
och CT 2019 (kr)" (G-29) from the 2019 årsredovisning fixtures of test_ekonomi_genomlysning.py, through the shipped
config: config/kostnadsmappning.csv rows 28-38 tie each team line to an insats of config/insatser.csv.

Published (kr)              MT          CT      Totalt   here
  Lekeberg             534 847     380 212     915 059   the same, two insatser serving 1814
  Örebro             1 645 068   3 208 366   4 853 434   the same (Samverkansteamet, IRMA), serving 1880
  Sydnärke, MT och CT 1 051 782  1 827 867   2 879 649   one line, Samordningsteam: only the total
  Växa                 150 000     783 408     933 408   one line: only the total
  Degerfors/Karlskoga        0   5 238 570   5 238 570   5 239 000: the file is in tkr
  SOFINT               135 146   1 584 100   1 719 246   CT 1 533 854: the fixture's line (the lines do not allow)
  Totalt             3 516 843  13 022 523  16 539 366   16 489 550 = 16 539 366 + 430 - 50 246
SUS, 2019: 42 people in Coachingteam Lekeberg (21 finish) and 121 in IRMA (27 finish), the review's implied
deltagare; the teams without registrations have NULL deltagare.
"""
import pytest

from finsam.io.findings import ConfigError
from tests.conftest import Project, built_once
from tests.test_ekonomi_genomlysning import arsredovisningar_2019
from tests.test_kommun import HEAD, befolkning, spells

PUBLISHED = {   # (förbund, insats): kostnad, typ, kommun
    ("lekeberg_orebro", "Mottagningsteam Lekeberg"): (534_847.0, "mottagningsteam", "1814"),
    ("lekeberg_orebro", "Coachingteam Lekeberg"): (380_212.0, "coachingteam", "1814"),
    ("lekeberg_orebro", "Samverkansteamet"): (1_645_068.0, "mottagningsteam", "1880"),
    ("lekeberg_orebro", "IRMA"): (3_208_366.0, "coachingteam", "1880"),
    ("sydnarke", "Samordningsteam"): (2_879_649.0, "coachingteam", None),
    ("sydnarke", "Växa"): (933_408.0, "projekt", None),
    ("degerfors_karlskoga", "Coachingteamet"): (5_239_000.0, "coachingteam", None),
    ("sofint", "Mottagningsteamet"): (135_146.0, "mottagningsteam", None),
    ("sofint", "Samverkansteamet"): (1_533_854.0, "coachingteam", None),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Project:
    return built_once(tmp_path_factory, "kostnad", (2019, 2019), {
        "sus/lo.csv": HEAD + spells("Coachingteam Lekeberg", "L", 42, 21) + spells("IRMA", "O", 121, 27)},
        lambda p: (arsredovisningar_2019(p), befolkning(p)))


def test_cost_per_team_2019_as_published_where_the_lines_allow(built):
    rows = {(f, i): (k, t, m) for f, i, k, t, m in built.query(
        "select forbund, insats, kostnad, typ, kommun from marts.kostnad_insats_ar where ar = 2019")}
    assert rows.pop(("sydnarke", "Arbetsträning Kumla")) == (466_943.0, "projekt", "1881")   # not a team in G-29
    assert rows == PUBLISHED
    assert sum(k for k, _, _ in rows.values()) == 16_539_366 + 430 - 50_246
    by_kommun = dict(built.query("select kommun_namn, kostnad_insatser from marts.jamforelse_kommun_ar "
                                 "where forbund = 'lekeberg_orebro'"))
    assert by_kommun == {"Lekeberg": 915_059.0, "Örebro": 4_853_434.0}   # the published Totalt per kommun


def test_cost_per_deltagare_and_avslut(built):
    assert built.query("select insats, deltagare, kostnad_per_deltagare, avslutade, kostnad_per_avslut "
                       "from marts.kostnad_insats_ar where deltagare is not null order by insats") == [
        ("Coachingteam Lekeberg", 42, 380_212 / 42, 21, 380_212 / 21),
        ("IRMA", 121, 3_208_366 / 121, 27, 3_208_366 / 27)]
    # per kommun, MT + CT over the CT's deltagare: the review's implied ≈21 800 and ≈40 100 kr (G-39)
    assert [(k, round(v, -2)) for k, v in built.query(
        "select kommun_namn, kostnad_per_deltagare from marts.jamforelse_kommun_ar "
        "where forbund = 'lekeberg_orebro' order by kommun")] == [("Lekeberg", 21_800), ("Örebro", 40_100)]


def test_after_sus_the_insats_takes_its_uppfoljning_count_and_reported_avslut(sample):
    # the sample's Sydnärke 2025: the Samordningsteam line of 2 355 100 kr; Uppföljning Finsam gives the team 145
    # participants (59 + 84 + 2 without kön), and it reported 69 avslut
    assert sample.query("select kostnad, deltagare, kostnad_per_deltagare, avslutade, kostnad_per_avslut, kalla "
                        "from marts.kostnad_insats_ar where forbund = 'sydnarke' and ar = 2025 "
                        "and insats = 'Samordningsteam'") == [
        (2_355_100.0, 145, 2_355_100 / 145, 69, 2_355_100 / 69, "uppfoljning")]


def test_lines_keep_their_kategori_and_totals(built):
    assert built.query("select insats, kategori, mappning_rad from staging.ekonomi_rader where post = 'IRMA'") == [
        ("IRMA", "individinriktade_insatser", 31)]
    assert built.query("select kostnad_individ from marts.ekonomi_ar where forbund = 'sydnarke'") == [(4_280_000.0,)]


MAPPING_HEAD = "forbund,post_pattern,kategori,giltig_fran,giltig_till,insats\n"


@pytest.mark.parametrize("row, message", [
    ("sydnarke,Steget,individinriktade_insatser,,,Okänt team",
     r"line 2, insats found 'Okänt team', expected an insats of sydnarke in config/insatser.csv or blank"),
    ("*,Steget,individinriktade_insatser,,,Steget",
     r"line 2, insats found 'Steget' on a '\*' row, expected a förbund code in forbund \(an insats belongs to one "
     r"förbund\)"),
    ("sydnarke,Bidrag Steget,externa_bidrag,,,Steget",
     r"line 2, insats found .Steget. on a row of kategori externa_bidrag, expected an insats only on a cost row"),
])
def test_a_bad_insats_stops_the_run(project, row, message):
    (project.config / "kostnadsmappning.csv").write_text(MAPPING_HEAD + row + "\n", encoding="utf-8")
    project.settings(2019, 2019)
    project.raw("ekonomi/a.csv", "Förbund;År;Post;Belopp;Enhet;Typ\nSydnärke;2019;Steget;1;kr;kostnad\n")
    with pytest.raises(ConfigError, match=message):
        project.build()


def test_the_insats_is_matched_loosely_and_stored_as_the_register_spells_it(project):
    (project.config / "kostnadsmappning.csv").write_text(
        MAPPING_HEAD + "sydnarke,steget.*,individinriktade_insatser,,,  STEGET \n", encoding="utf-8")
    project.settings(2019, 2019)
    project.raw("ekonomi/a.csv", "Förbund;År;Post;Belopp;Enhet;Typ\nSydnärke;2019;Steget del 1;100;kr;kostnad\n"
                                 "Sydnärke;2019;Steget del 2;50;kr;kostnad\n")
    project.build()
    assert project.query("select insats, typ, kostnad, deltagare from marts.kostnad_insats_ar") == [
        ("Steget", "coachingteam", 150.0, None)]
