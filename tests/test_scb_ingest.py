"""SCB population exports: layouts, encodings, missing values, kön and age rules, and the messages that reject a
file.

Each file is read, validated and quarantined on its own, so the files that are rejected (REJECTED, each under a name
of its own) lie in one data directory that is built once; each of their tests reads the rows of its own file. The
other tests build on their own: a file that loads is combined with any other file of the same regions and years
(the newest file's row wins) and staging.befolkning, which they read, does not say which file a row came from; and
one test is about a build without any file.
"""
import pytest

from tests.conftest import Delad

HEADER = '"region","ålder","kön","2019"\n'


BANDS = "single years (ettårsklasser) or bands that start and end at 16, 20 and 64"
REJECTED = Delad()  # every file of the shared build


def bad(name: str, body: str, header: str = HEADER) -> str:
    return REJECTED.fil(f"scb/folkmangd/{name}.csv", header + body)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return REJECTED.bygg(tmp_path_factory, "scb_ingest", (2019, 2019))


def rejected(corpus, fil: str) -> list[tuple]:
    assert corpus.query("select status from marts.inlasta_filer where fil = ?", [fil]) == [("avvisad",)]
    # the same count as with this file alone: every file of the build is rejected, this one included
    assert corpus.query("select count(*) from staging.befolkning") == [(0,)]
    return corpus.query("select rad, kolumn, hittat, forvantat, beskrivning, allvarlighet, regel "
                        "from marts.datakvalitet where fil = ? order by rad, kolumn", [fil])


def test_wide_cp1252_export_with_title_line_single_years_and_missing_values(project):
    # 1880 Örebro in ettårsklasser: 0-15 år 90 each, 16-19 år 25 each, 20-64 år 100 each, 65-99 år 60 each,
    # 100+ år 3 in 2018; in 2019 `-` for 99 år and `..` for 100+ år
    project.settings(2018, 2019)
    path = project.copy_fixture("scb/folkmangd_ettarsklasser_cp1252.csv", "scb/folkmangd/orebro.csv")
    assert path.read_bytes().startswith(b'"Folkm\xe4ngden efter region')
    project.build()
    assert project.query("select kommun, ar, befolkning_16_64, befolkning_20_64, befolkning_totalt "
                         "from staging.befolkning order by ar") == [
        ("1880", 2018, 4 * 25 + 45 * 100, 45 * 100, 16 * 90 + 4 * 25 + 45 * 100 + 35 * 60 + 3),
        ("1880", 2019, 4 * 25 + 45 * 100, 45 * 100, None)]
    assert project.query("select regel, allvarlighet, rad, kolumn, varde, beskrivning from marts.datakvalitet "
                         "where fil = 'raw/scb/folkmangd/orebro.csv'") == [
        ("saknat_varde", "info", 103, "2019", 2.0, "2 cell(s) marked '..' or '-' (not available in SCB) are read "
                                                   "as NULL; a figure that needs them is NULL")]


def test_totalt_is_used_when_present_else_men_plus_women_never_both(project):
    project.settings(2019, 2019)
    # Lekeberg gives totalt (deliberately not män + kvinnor); Örebro only män and kvinnor
    project.raw("scb/folkmangd/a.csv", HEADER + '"1814 Lekeberg","16-19 år","män",10\n'
                '"1814 Lekeberg","16-19 år","kvinnor",20\n"1814 Lekeberg","16-19 år","totalt",100\n'
                '"1814 Lekeberg","20-64 år","män",1000\n"1814 Lekeberg","20-64 år","kvinnor",2000\n'
                '"1814 Lekeberg","20-64 år","totalt",4000\n'
                '"1880 Örebro","16-19 år","män",30\n"1880 Örebro","16-19 år","kvinnor",40\n'
                '"1880 Örebro","20-64 år","män",300\n"1880 Örebro","20-64 år","kvinnor",400\n')
    project.build()
    assert project.query("select kommun, befolkning_16_64, befolkning_20_64 from staging.befolkning "
                         "order by kommun") == [("1814", 4100, 4000), ("1880", 770, 700)]
    assert project.query("select kon, befolkning_20_64 from staging.folkmangd_rader where kommun = '1814' "
                         "order by kon") == [("kvinna", 2000), ("man", 1000), ("totalt", 4000)]


def test_an_age_group_straddling_16_64_makes_only_16_64_null_and_asks_for_single_years(project):
    project.settings(2019, 2019)
    project.raw("scb/folkmangd/bands.csv", HEADER + '"1814 Lekeberg","0-14 år","totalt",1000\n'
                '"1814 Lekeberg","15-19 år","totalt",480\n"1814 Lekeberg","20-64 år","totalt",4000\n'
                '"1814 Lekeberg","65+ år","totalt",1500\n'
                '"1880 Örebro","15-19 år","totalt",9000\n"1880 Örebro","20-64 år","totalt",70000\n')
    project.build()
    assert project.query("select status from marts.inlasta_filer") == [("inlast",)]
    # 20-64 and the total are still built; 16-64 is NULL wherever 15-19 år occurs
    assert project.query("select kommun, befolkning_16_64, befolkning_20_64, befolkning_totalt "
                         "from staging.befolkning order by kommun") == [("1814", None, 4000, 6980),
                                                                       ("1880", None, 70000, None)]
    assert project.query("select regel, allvarlighet, rad, kolumn, hittat, forvantat, beskrivning, varde "
                         "from marts.datakvalitet where fil = 'raw/scb/folkmangd/bands.csv'") == [
        ("aldersband_straddlar", "varning", 3, "ålder", "15-19 år", BANDS,
         "the age group straddles 16-64 år, so the population 16-64 år cannot be built exactly and is NULL for the "
         "2 region/year/kön combination(s) with this group: export single years of age (ettårsklasser) from SCB",
         2.0)]


def test_a_16_64_file_loads_with_16_64_and_a_warning_that_20_64_cannot_be_built(project):
    project.settings(2019, 2019)
    project.raw("scb/folkmangd/16_64.csv", HEADER + '"1814 Lekeberg","16-64 år","totalt",4600\n'
                '"1880 Örebro","16-64 år","män",48000\n"1880 Örebro","16-64 år","kvinnor",47000\n')
    project.build()
    assert project.query("select status from marts.inlasta_filer") == [("inlast",)]
    assert project.query("select kommun, befolkning_16_64, befolkning_20_64, befolkning_totalt "
                         "from staging.befolkning order by kommun") == [("1814", 4600, None, None),
                                                                       ("1880", 95000, None, None)]
    assert project.query("select kommun, malgrupp from marts.malgrupp_kommun where ar = 2019 "
                         "and forbund = 'lekeberg_orebro' order by kommun") == [("1814", 230.0), ("1880", 4750.0)]
    assert project.query("select regel, allvarlighet, rad, kolumn, hittat, forvantat, beskrivning, varde "
                         "from marts.datakvalitet where fil = 'raw/scb/folkmangd/16_64.csv'") == [
        ("aldersband_straddlar", "varning", 2, "ålder", "16-64 år", BANDS,
         "the age group straddles 20-64 år, so the population 20-64 år cannot be built exactly and is NULL for the "
         "3 region/year/kön combination(s) with this group: export single years of age (ettårsklasser) from SCB",
         3.0)]


NEITHER = bad("neither", '"1814 Lekeberg","10-14 år","totalt",500\n"1814 Lekeberg","15-19 år","totalt",480\n'
                         '"1814 Lekeberg","20-24 år","totalt",400\n"1880 Örebro","15-19 år","totalt",9000\n')


def test_a_file_that_builds_neither_16_64_nor_20_64_nor_the_total_is_rejected(corpus):
    rows = rejected(corpus, NEITHER)
    assert rows == [
        (3, "ålder", "15-19 år", BANDS, "the age group straddles 16-64 år, so the population 16-64 år cannot be "
                                        "built exactly: export single years of age (ettårsklasser) from SCB",
         "fel", "fil_avvisad"),
        (None, "ålder", "10-14 år; 15-19 år; 20-24 år", BANDS + ", or a 'totalt ålder' row",
         "neither 16-64 år, 20-64 år nor the total can be built from the age groups of the file", "fel",
         "fil_avvisad")]
    assert corpus.query("select orsak from marts.inlasta_filer where fil = ?", [NEITHER]) == [
        (f"{NEITHER}, column 'ålder': neither 16-64 år, 20-64 år nor the total can be built from "
         "the age groups of the file: found '10-14 år; 15-19 år; 20-24 år', expected single years "
         "(ettårsklasser) or bands that start and end at 16, 20 and 64, or a 'totalt ålder' row",)]


NOT_A_YEAR = bad("not_a_year", '"1814 Lekeberg","totalt ålder","totalt",7600,7700\n',
                 header='"region","ålder","kön","2018","2019 (prel)"\n')


def test_a_header_with_a_year_that_is_not_a_year_column_rejects_the_file(corpus):
    rows = rejected(corpus, NOT_A_YEAR)
    assert rows == [(1, "2019 (prel)", "2019 (prel)", "a year such as 2019 (or 'folkmängd 2019')",
                     "the header holds a year that is not read as a year column, so its figures would be lost",
                     "fel", "fil_avvisad")]


def test_a_file_without_member_kommuner_or_riket_loads_with_an_info_finding(project):
    project.settings(2019, 2019)
    project.raw("scb/folkmangd/lan.csv", HEADER + '"25 Norrbottens län","totalt ålder","totalt",250000\n')
    project.raw("scb/folkmangd_nov/riket.csv", HEADER + '"00 Riket","totalt ålder","totalt",10300000\n')
    project.build()
    assert project.query("select status from marts.inlasta_filer order by fil") == [("inlast",), ("inlast",)]
    assert project.query("select kommun, befolkning_totalt from staging.befolkning") == [("25", 250000)]
    assert project.query("select fil, regel, allvarlighet, rad, kolumn, hittat, forvantat, beskrivning, varde "
                         "from marts.datakvalitet where regel = 'inga_medlemskommuner' order by fil") == [
        ("raw/scb/folkmangd/lan.csv", "inga_medlemskommuner", "info", None, "region", "25",
         "a member kommun of a förbund in forbund.yaml or 00 Riket",
         "the file holds no member kommun of a configured förbund and no 00 Riket: its rows are not used by any "
         "mart", 1.0),
        # the 1 November population is only read for member kommuner (the kommun split of medlemsbidrag)
        ("raw/scb/folkmangd_nov/riket.csv", "inga_medlemskommuner", "info", None, "region", "00",
         "a member kommun of a förbund in forbund.yaml",
         "the file holds no member kommun of a configured förbund: its rows are not used by any mart", 1.0)]


OVERLAPPING = bad("overlapping", '"1814 Lekeberg","16 år","män",50\n"1814 Lekeberg","16-17 år","män",110\n'
                                 '"1814 Lekeberg","16 år","kvinnor",45\n"1814 Lekeberg","17 år","kvinnor",47\n')


def test_overlapping_age_rows_reject_the_file(corpus):
    rows = rejected(corpus, OVERLAPPING)
    assert rows == [(3, "ålder", "16-17 år", "age groups that do not overlap within a region, kön and year "
                                             "(row 2 has '16 år')", "overlapping age groups", "fel",
                     "fil_avvisad")]


EVERY_PROBLEM = bad("every_problem", '"Atlantis","16 år","män",50\n"1814 Lekeberg","sexton","män",50\n'
                                     '"1814 Lekeberg","17 år","hen",50\n"1814 Lekeberg","18 år","män",-5\n'
                                     '"1814 Lekeberg","19 år","män",12x\n')


def test_every_problem_in_a_file_is_listed_with_row_column_and_value(corpus):
    rows = rejected(corpus, EVERY_PROBLEM)
    assert [r[:5] for r in rows] == [
        (2, "region", "Atlantis", "a region code and name, such as '1880 Örebro' or '00 Riket'", "unknown region"),
        (3, "ålder", "sexton", "an age such as '16 år', '15-19 år', '100+ år' or 'totalt ålder'",
         "unreadable age"),
        (4, "kön", "hen", "män, kvinnor or totalt", "not a valid kön"),
        (5, "2019", "-5", "a number of 0 or more", "negative number"),
        (6, "2019", "12x", "a whole number", "unreadable integer")]


def test_age_rows_that_cover_only_part_of_a_range_leave_it_null_with_a_warning(project):
    project.settings(2019, 2019)
    project.raw("scb/folkmangd/a.csv", HEADER + '"1814 Lekeberg","20-64 år","totalt",4000\n')
    project.build()
    assert project.query("select befolkning_16_64, befolkning_20_64 from staging.befolkning") == [(None, 4000)]
    assert project.query("select regel, allvarlighet, hittat, forvantat from marts.datakvalitet "
                         "where fil = 'raw/scb/folkmangd/a.csv'") == [
        ("befolkning_ofullstandig", "varning", "region 1814, 2019, totalt", "every age from 16 to 64 år")]


def test_long_layout_for_1_november_population(project):
    project.settings(2024, 2025)
    project.raw("scb/folkmangd_nov/nov.csv", "region;ålder;kön;år;antal\n1881 Kumla;totalt ålder;totalt;2024;"
                                              "22 535\n1860 Laxå;totalt ålder;män;2024;2 800\n"
                                              "1860 Laxå;totalt ålder;kvinnor;2024;2 698\n")
    project.build()
    assert project.query("select kommun, ar, befolkning_totalt from staging.befolkning_nov order by kommun") == [
        ("1860", 2024, 5_498), ("1881", 2024, 22_535)]


def test_population_tables_exist_and_are_empty_without_files(project):
    project.settings(2019, 2019)
    project.build()
    assert project.query("select count(*) from staging.befolkning_nov") == [(0,)]
    assert project.query("select count(*) from staging.befolkning") == [(0,)]


def test_cells_marked_missing_are_counted_over_every_column_and_the_first_is_by_row_then_column(tmp_path):
    """read_scb: every '..' or '-' is NULL, counted once over all year columns; the finding points at the first by
    row, then by column name."""
    from finsam.sources.scb import read_scb
    from finsam.sources.scb_folkmangd import COLUMNS
    path = tmp_path / "f.csv"
    path.write_text('"region","ålder","kön","2019","2020","2021"\n'
                    '"1880 Örebro","16 år","män",1,2,3\n'
                    '"1880 Örebro","17 år","män",..,4,-\n'      # row 3: 2019 and 2021
                    '"1880 Örebro","18 år","män",5," .. ",6\n'  # row 4: 2020, blanks around the mark
                    '"1880 Örebro","19 år","män",7,8,9\n', encoding="utf-8")
    table, [finding] = read_scb(path, "raw/scb/folkmangd/f.csv", "scb", COLUMNS)
    assert (finding.regel, finding.rad, finding.kolumn, finding.varde) == ("saknat_varde", 3, "2019", 3.0)
    assert table.frame.select("2019", "2020", "2021").rows() == [("1", "2", "3"), ("", "4", ""), ("5", "", "6"),
                                                                 ("7", "8", "9")]
    path.write_text(path.read_text(encoding="utf-8").replace("..,4,-", "1,4,-"), encoding="utf-8")
    _, [finding] = read_scb(path, "raw/scb/folkmangd/f.csv", "scb", COLUMNS)
    assert (finding.rad, finding.kolumn, finding.varde) == (3, "2021", 2.0)
    path.write_text(path.read_text(encoding="utf-8").replace("1,4,-", "1,4,2").replace('" .. "', "1"),
                    encoding="utf-8")
    assert read_scb(path, "raw/scb/folkmangd/f.csv", "scb", COLUMNS)[1] == []


def test_unreadable_cells_are_named_by_column_then_row_and_a_blank_is_not_one(tmp_path):
    """convert: each non-blank cell that does not parse is a finding, ordered by the columns' order, then by row."""
    from finsam.io.convert import convert
    from finsam.sources.scb import read_scb
    from finsam.sources.scb_folkmangd import COLUMNS
    path = tmp_path / "f.csv"
    path.write_text('"region","ålder","kön","2019","2020","2021"\n'
                    '"1880 Örebro","16 år","män",1,2,ca 3\n'
                    '"1880 Örebro","17 år","män",x,,4\n'
                    '"1880 Örebro","18 år","män",5,6.5,y\n', encoding="utf-8")
    table, _ = read_scb(path, "raw/scb/folkmangd/f.csv", "scb", COLUMNS)
    typed, findings = convert(table, {"region": "text", "2019": "integer", "2020": "integer", "2021": "integer"})
    assert [(f.rad, f.kolumn, f.hittat, f.beskrivning) for f in findings] == [
        (3, "2019", "x", "unreadable integer"), (4, "2020", "6.5", "unreadable integer"),
        (2, "2021", "ca 3", "unreadable integer"), (4, "2021", "y", "unreadable integer")]
    assert typed["2020"].to_list() == [2, None, None]
