"""Försörjning before and after: the optional SUS columns, config/forsorjning.csv and
marts.forsorjning_fore_efter_ar against counts worked out by hand.

The fixture (years 2019-2020; the kategori of each text is the one the shipped config/forsorjning.csv gives it):
  sus/sydnarke.csv, with Försörjning före and Försörjning efter:
  P1  Steget 2019-02-01..2019-06-30 Avbrott (Försörjningsstöd -> Försörjningsstöd), re-enters Steget
      2019-09-01..2019-11-30 Arbete (Aktivitetsstöd -> Lön): the last spell counts   2019 aktivitetsstod -> arbete
  P2  Steget 2019-03-01..2019-10-31 Studier ("  ekonomiskt  BISTÅND " -> Studiemedel), matched as config matches
      (case and spaces folded)                                                        2019 forsorjningsstod -> studier
  P3  Trappan 2019-01-10..2019-12-15 Arbete utan stöd (Sjukpenning -> Lön) and Steget 2019-04-01..2019-12-15 Studier
      (Aktivitetsstöd -> Studiemedel): the same end day, arbete ranks first           2019 sjukpenning_ae -> arbete
  P4  Trappan 2019-05-01..2020-03-31 Jobbredo (Ingen ersättning -> Månlön, not in the mapping)  2020 ingen -> okand
  P5  Steget 2019-06-01..2019-08-31 Arbete (Försörjningsstöd -> blank)               2019 forsorjningsstod -> okand
  P6  Steget 2019-06-01.. open (Aktivitetsstöd -> blank): not avslutad, and no finding for its blank
  P8  Trappan 2020-01-15..2020-06-30 Sjukdom (Sjukpenning -> Sjukpenning)            2020 sjukpenning_ae both
  P9  Steget 2019-02-01..2019-12-31 Arbete (Försörjningsstöd -> Lön)                 2019 forsorjningsstod -> arbete
  P10 Steget 2019-05-01..2019-09-30 Arbete (Ekonomiskt bistånd -> Lönebidrag)        2019 forsorjningsstod -> arbete
  P11 Steget 2019-01-07..2019-03-29 Arbete (Aktivitetsstöd -> Lön), and later Trappan
      2019-05-06..2019-10-31 Studier in sus/sydnarke_utan.csv, a file without the columns: the last spell has
      no försörjning, so P11 is avslutad in 2019 but in no row of the mart
  one anonymous spell: never avslutad
  sus/sofint.csv, without the columns: one avslutad in 2019, and no rows in the mart.
Avslutade 2019 (deltagare_ar): P1 P2 P3 P5 P9 P10 P11 = 7; the mart's rows add up to 6. 2020: P4 P8 = 2.
"""
import shutil

import duckdb
import pytest

from finsam.build import runner, steps
from finsam.config import FORSORJNING_KATEGORIER, load_forsorjning
from finsam.io.findings import ConfigError
from tests.conftest import built_once

HEAD = ("Samordningsförbund;Insats;Deltagar-ID;Anonym;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak;"
        "Försörjning före;Försörjning efter\n")
SUS = HEAD + """Sydnärke;Steget;P1;Nej;2019-02-01;2019-06-30;Avbrott;Försörjningsstöd;Försörjningsstöd
Sydnärke;Steget;P1;Nej;2019-09-01;2019-11-30;Arbete;Aktivitetsstöd;Lön
Sydnärke;Steget;P2;Nej;2019-03-01;2019-10-31;Studier;  ekonomiskt  BISTÅND ;Studiemedel
Sydnärke;Trappan;P3;Nej;2019-01-10;2019-12-15;Arbete utan stöd;Sjukpenning;Lön
Sydnärke;Steget;P3;Nej;2019-04-01;2019-12-15;Studier;Aktivitetsstöd;Studiemedel
Sydnärke;Trappan;P4;Nej;2019-05-01;2020-03-31;Jobbredo;Ingen ersättning;Månlön
Sydnärke;Steget;P5;Nej;2019-06-01;2019-08-31;Arbete;Försörjningsstöd;
Sydnärke;Steget;P6;Nej;2019-06-01;;;Aktivitetsstöd;
Sydnärke;Trappan;P8;Nej;2020-01-15;2020-06-30;Sjukdom;Sjukpenning;Sjukpenning
Sydnärke;Steget;P9;Nej;2019-02-01;2019-12-31;Arbete;Försörjningsstöd;Lön
Sydnärke;Steget;P10;Nej;2019-05-01;2019-09-30;Arbete;Ekonomiskt bistånd;Lönebidrag
Sydnärke;Steget;P11;Nej;2019-01-07;2019-03-29;Arbete;Aktivitetsstöd;Lön
Sydnärke;Steget;;Ja;2019-04-01;;;Försörjningsstöd;
"""
UTAN = ("Samordningsförbund;Insats;Deltagar-ID;Anonym;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
        "Sydnärke;Trappan;P11;Nej;2019-05-06;2019-10-31;Studier\n")
SOFINT = ("Samordningsförbund;Insats;Deltagar-ID;Anonym;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
          "SOFINT;Kompassen;S1;Nej;2019-02-01;2019-09-30;Arbete\n"
          "SOFINT;Kompassen;S2;Nej;2019-03-01;;\n")

EXPECTED = [
    ("sydnarke", 2019, "aktivitetsstod", "arbete", 1),        # P1 (its last spell)
    ("sydnarke", 2019, "forsorjningsstod", "arbete", 2),      # P9, P10
    ("sydnarke", 2019, "forsorjningsstod", "okand", 1),       # P5 (blank efter)
    ("sydnarke", 2019, "forsorjningsstod", "studier", 1),     # P2
    ("sydnarke", 2019, "sjukpenning_ae", "arbete", 1),        # P3 (arbete ranks first on the same day)
    ("sydnarke", 2020, "ingen", "okand", 1),                  # P4 (Månlön is not in the mapping)
    ("sydnarke", 2020, "sjukpenning_ae", "sjukpenning_ae", 1),  # P8
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_once(tmp_path_factory, "forsorjning", (2019, 2020),
                      {"sus/sydnarke.csv": SUS, "sus/sydnarke_utan.csv": UTAN, "sus/sofint.csv": SOFINT})


def test_avslutade_by_forsorjning_before_and_after_as_by_hand(built):
    assert built.query("select * exclude (helt_ar) from marts.forsorjning_fore_efter_ar order by all") == EXPECTED


def test_the_rows_add_up_to_avslutade_less_those_whose_last_spell_lacks_the_columns(built):
    assert built.query("""
        select d.ar, d.avslutade, sum(f.avslutade)
        from marts.deltagare_ar d join marts.forsorjning_fore_efter_ar f using (forbund, ar)
        where d.forbund = 'sydnarke' and d.insats = '*' group by all order by all""") == [(2019, 7, 6), (2020, 2, 2)]


def test_a_sus_file_without_the_columns_gives_no_rows(built):
    assert built.query("select avslutade from marts.deltagare_ar where forbund = 'sofint' and insats = '*' "
                       "and ar = 2019") == [(1,)]
    assert built.query("select count(*) from marts.forsorjning_fore_efter_ar where forbund = 'sofint'") == [(0,)]
    # the spells keep the texts as written and their kategori; NULL where the file has no such column
    assert built.build_query("select fil, person, forsorjning_fore, forsorjning_efter, fore_kategori, efter_kategori "
                             "from staging.sus_registreringar where person in ('S1', 'P5', 'P6', 'P11') "
                             "order by person, start") == [
        ("raw/sus/sydnarke.csv", "P11", "Aktivitetsstöd", "Lön", "aktivitetsstod", "arbete"),
        ("raw/sus/sydnarke_utan.csv", "P11", None, None, None, None),
        ("raw/sus/sydnarke.csv", "P5", "Försörjningsstöd", None, "forsorjningsstod", "okand"),
        ("raw/sus/sydnarke.csv", "P6", "Aktivitetsstöd", None, None, None),   # open: no kategori yet
        ("raw/sus/sofint.csv", "S1", None, None, None, None)]


def test_an_unknown_text_or_a_blank_on_a_closed_spell_is_a_finding(built):
    assert built.query("select regel, allvarlighet, forbund, fil, rad, kolumn, hittat, varde, ar "
                       "from marts.datakvalitet where regel = 'okand_forsorjning' order by hittat") == [
        ("okand_forsorjning", "varning", "sydnarke", "raw/sus/sydnarke.csv", 8, "Försörjning efter", "", 1.0,
         2019),   # a blank cell on a closed spell, as okand_avslutsorsak reports one
        ("okand_forsorjning", "varning", "sydnarke", "raw/sus/sydnarke.csv", 7, "Försörjning efter", "Månlön", 1.0,
         2019)]


def test_the_sum_check_fails_when_the_rows_exceed_avslutade(built, tmp_path):
    kopia = tmp_path / "kopia.duckdb"
    shutil.copy(built.warehouse, kopia)
    con = duckdb.connect(str(kopia))
    checks = {name: fn for step in steps.MARTS for name, _, fn in runner.checks(step)}
    try:
        assert checks["forsorjning_fore_efter_ar_summa"](con) == []
        con.execute("update marts.forsorjning_fore_efter_ar set avslutade = avslutade + 1 "
                    "where ar = 2020 and fore = 'ingen'")
        assert checks["forsorjning_fore_efter_ar_summa"](con) == ["('sydnarke', 2020, 3, 2)"]
    finally:
        con.close()


def test_the_shipped_mapping_covers_every_kategori(built):
    mapping = load_forsorjning(built.config)
    assert set(mapping.values()) == set(FORSORJNING_KATEGORIER)
    assert mapping["ekonomiskt bistånd"] == "forsorjningsstod" and mapping["lön"] == "arbete"


def test_the_mapping_is_optional(tmp_path):
    assert load_forsorjning(tmp_path) == {}


@pytest.mark.parametrize("rad, fel", [
    ("Bidrag,bidrag", r"forsorjning.csv: line 3, kategori found 'bidrag', expected one of \('arbete', "),
    (",arbete", r"forsorjning.csv: line 3, text is blank, expected the text as the export writes it"),
    ("  LÖN ,studier", r"forsorjning.csv: line 3, 'LÖN' is mapped to both 'arbete' and 'studier' \(column text; "
                       r"first on line 2\)"),
])
def test_a_bad_mapping_row_is_a_config_error_naming_line_and_column(tmp_path, rad, fel):
    (tmp_path / "forsorjning.csv").write_text(f"text,kategori\nLön,arbete\n{rad}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=fel):
        load_forsorjning(tmp_path)


def test_a_mapping_without_its_columns_is_a_config_error(tmp_path):
    (tmp_path / "forsorjning.csv").write_text("forsorjning,kategori\nLön,arbete\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"forsorjning.csv: missing column\(s\) \['text'\]"):
        load_forsorjning(tmp_path)


def test_sample_sydnarke_shows_forsorjning_for_every_avslutad_of_its_sus_years(sample):
    """The sample's Sydnärke exports carry the columns (every closed spell filled in), the other förbund's not."""
    assert sample.query("""
        select d.ar, d.avslutade, sum(f.avslutade)
        from marts.deltagare_ar d left join marts.forsorjning_fore_efter_ar f using (forbund, ar)
        where d.forbund = 'sydnarke' and d.insats = '*' and d.kalla = 'sus' and d.avslutade > 0
        group by all order by all""") == [(2017, 61, 61), (2018, 79, 79), (2019, 79, 79), (2020, 74, 74),
                                           (2021, 77, 77), (2022, 83, 83)]
    assert sample.query("select distinct forbund from marts.forsorjning_fore_efter_ar") == [("sydnarke",)]
    assert sample.query("select count(*) from marts.datakvalitet where regel = 'okand_forsorjning'") == [(0,)]


# Ties among a person's last spells (the same end day and avslut kategori): the pair (före, efter) of the spell that
# carries them wins, then the larger före kategori (in text order), then the larger efter; never a före of one spell
# with the efter of another. staging.deltagare_person_ar picks it as one number per spell (kategori numbers in text
# order), so these pin the order that number must keep.
TIES = HEAD + """Sydnärke;Trappan;Q1;Nej;2019-02-01;2019-10-31;Arbete;Aktivitetsstöd;Studiemedel
Sydnärke;Steget;Q2;Nej;2019-02-01;2019-10-31;Arbete;Studier;Lön
Sydnärke;Trappan;Q2;Nej;2019-03-01;2019-10-31;Arbete;Sjukpenning;Studiemedel
Sydnärke;Steget;Q3;Nej;2019-02-01;2019-10-31;Arbete;Lön;A-kassa
Sydnärke;Trappan;Q3;Nej;2019-03-01;2019-10-31;Arbete;Lön;Försörjningsstöd
Sydnärke;Steget;Q4;Nej;2019-02-01;2019-05-31;Arbete;Studier;Studiemedel
Sydnärke;Trappan;Q4;Nej;2019-03-01;2019-09-30;Arbete;Lön;Lön
Sydnärke;Steget;Q5;Nej;2019-02-01;2019-10-31;Arbete;;Lön
Sydnärke;Trappan;Q5;Nej;2019-03-01;2019-10-31;Arbete;Lön;Lön
"""
TIES_UTAN = ("Samordningsförbund;Insats;Deltagar-ID;Anonym;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
             "Sydnärke;Steget;Q1;Nej;2019-01-07;2019-10-31;Arbete\n")


@pytest.fixture(scope="module")
def ties(tmp_path_factory):
    return built_once(tmp_path_factory, "forsorjning_ties", (2019, 2020),
                      {"sus/sydnarke.csv": TIES, "sus/sydnarke_utan.csv": TIES_UTAN})


def test_on_an_equal_last_rank_the_carried_then_larger_fore_then_larger_efter_pair_wins(ties):
    # person is the individual's number in the order of the person keys (Q1 = 1, ...): the table holds no key
    assert ties.build_query("select person, last_fore, last_efter from staging.deltagare_person_ar "
                            "where niva = 'forbund' and ar = 2019 order by person") == [
        (1, "aktivitetsstod", "studier"),   # Q1: the spell that carries the columns, not the one in the file without
        (2, "studier", "arbete"),           # Q2: the larger före, with its own efter (not studier's max efter)
        (3, "arbete", "forsorjningsstod"),  # Q3: the same före: the larger efter
        (4, "arbete", "arbete"),            # Q4: the later end wins, whatever its kategorier
        (5, "okand", "arbete")]             # Q5: a blank före on a closed spell is okand, which sorts after arbete
    # the other levels carry no pair
    assert ties.build_query("select count(*) from staging.deltagare_person_ar where niva <> 'forbund' "
                            "and niva not in ('kon', 'alder') and (last_fore is not null or last_efter is not null)"
                            ) == [(0,)]
    assert ties.query("select fore, efter, avslutade from marts.forsorjning_fore_efter_ar where ar = 2019 "
                      "order by all") == [("aktivitetsstod", "studier", 1), ("arbete", "arbete", 1),
                                          ("arbete", "forsorjningsstod", 1), ("okand", "arbete", 1),
                                          ("studier", "arbete", 1)]
