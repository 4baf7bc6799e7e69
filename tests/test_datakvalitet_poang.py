"""marts.datakvalitet_poang: 100 minus the weight of each fel/varning finding, worked out by hand on hand-made
findings (sql/marts/datakvalitet_poang.sql run on its own), and the weights' config file."""
import datetime as dt
import shutil

import duckdb
import pytest

from finsam.build import runner, steps
from finsam.config import PROJECT_ROOT, VIKT_STANDARD, load_datakvalitet_vikter
from finsam.io.findings import ConfigError

VIKTER = [("*", 5), ("fil_avvisad", 10), ("stock_flow", 5), ("okand_avslutsorsak", 2), ("saknar_riket", 2),
          ("saknar_sus", 50), ("saknar_ekonomi", 50), ("eget_kapital_over_20", 0)]
# forbund, ar, regel, allvarlighet, fil
FYND = [
    ("sydnarke", 2019, "stock_flow", "varning", None),           # two insatser: two findings
    ("sydnarke", 2019, "stock_flow", "varning", None),
    ("sydnarke", 2019, "okand_avslutsorsak", "varning", "raw/sus/s.csv"),
    ("sydnarke", 2019, "saknar_underlag", "info", None),         # info: for the record only
    ("sydnarke", 2020, "dubblett_konflikt", "varning", None),    # not listed: weighs '*'
    (None, None, "fil_avvisad", "fel", "raw/sus/trasig.csv"),    # one rejected file naming no förbund, three
    (None, None, "fil_avvisad", "fel", "raw/sus/trasig.csv"),    # problems in it: counts once, under okand in
    (None, None, "fil_avvisad", "fel", "raw/sus/trasig.csv"),    # the build's current year (2020 of 2019-2020)
    (None, 2019, "fil_avvisad", "fel", "raw/ekonomi/skrap.csv"),  # names a year, no förbund: okand 2019
    ("sydnarke", None, "fil_avvisad", "fel", "raw/sus/syd.csv"),  # names the förbund, no year: its every year
    (None, 2020, "saknar_riket", "varning", None),               # a warning without förbund: every förbund of 2020
    ("sofint", 2019, "saknar_sus", "varning", None),
    ("sofint", 2019, "saknar_ekonomi", "varning", None),
    ("sofint", 2019, "eget_kapital_over_20", "varning", None),   # weight 0: shown, costs nothing
]
EXPECTED = [
    ("okand", 2019, 90, 1, 0, "fil_avvisad×1 (−10)"),
    ("okand", 2020, 90, 1, 0, "fil_avvisad×1 (−10)"),
    ("sofint", 2019, 0, 0, 3, "saknar_ekonomi×1 (−50), saknar_sus×1 (−50), eget_kapital_over_20×1 (−0)"),  # ≥ 0
    ("sofint", 2020, 98, 0, 1, "saknar_riket×1 (−2)"),
    ("sydnarke", 2019, 78, 1, 3, "fil_avvisad×1 (−10), stock_flow×2 (−10), okand_avslutsorsak×1 (−2)"),
    ("sydnarke", 2020, 83, 1, 2, "fil_avvisad×1 (−10), dubblett_konflikt×1 (−5), saknar_riket×1 (−2)"),
]


def poang(tmp_path, fynd) -> list[tuple]:
    con = duckdb.connect(str(tmp_path / "poang.duckdb"))
    con.execute("create schema register; create schema marts")
    con.execute("create table register.forbund as select * from (values ('sofint'), ('sydnarke')) t(kod)")
    con.execute("create table register.ar as select * from (values (2019), (2020)) t(ar)")
    con.execute("create table register.installningar as select 2025 as sista_stangda_ar")
    con.execute("create table register.datakvalitet_vikter (regel varchar, vikt bigint)")
    con.executemany("insert into register.datakvalitet_vikter values (?, ?)", VIKTER)
    con.execute("create table marts.datakvalitet (forbund varchar, ar integer, regel varchar, allvarlighet varchar, "
                "fil varchar)")
    if fynd:
        con.executemany("insert into marts.datakvalitet values (?, ?, ?, ?, ?)", fynd)
    runner.sql(runner.BuildContext(con, tmp_path, tmp_path, dt.date(2026, 6, 30)), steps.BY_NAME["datakvalitet_poang"])
    return con.execute("select * from marts.datakvalitet_poang order by forbund, ar").fetchall()


def test_score_worked_out_by_hand(tmp_path):
    assert poang(tmp_path, FYND) == EXPECTED


def test_no_findings_is_100_with_a_text(tmp_path):
    assert poang(tmp_path, [])[0] == ("sofint", 2019, 100, 0, 0, "inga fel eller varningar")


def test_a_file_naming_no_forbund_is_scored_in_the_current_year_of_the_grid(tmp_path):
    """The build's current year (sista_stangda_ar + 1 = 2026 here) is past the grid (2019-2020): its last year."""
    rejected = [(None, None, "fil_avvisad", "fel", "raw/skrap.txt")]
    assert [r[:3] for r in poang(tmp_path, rejected)] == [
        ("okand", 2020, 90), ("sofint", 2019, 100), ("sofint", 2020, 100), ("sydnarke", 2019, 100),
        ("sydnarke", 2020, 100)]


def test_sample_scores(sample):
    assert sample.query("select forbund, ar, poang, underlag from marts.datakvalitet_poang where (forbund, ar) in "
                        "(('degerfors_karlskoga', 2019), ('lekeberg_orebro', 2017), ('sydnarke', 2017))") == [
        ("degerfors_karlskoga", 2019, 95, "stock_flow×1 (−5)"),                      # the genomlysning's +15
        ("lekeberg_orebro", 2017, 80, "saknar_sus×1 (−20), eget_kapital_over_20×1 (−0)"),
        ("sydnarke", 2017, 100, "inga fel eller varningar")]


def test_weights_file_is_optional_and_checked(tmp_path):
    assert load_datakvalitet_vikter(tmp_path) == {"*": VIKT_STANDARD}
    shipped = load_datakvalitet_vikter(PROJECT_ROOT / "config")
    assert (shipped["*"], shipped["saknar_sus"], shipped["eget_kapital_over_20"]) == (5, 20, 0)
    shutil.copy(PROJECT_ROOT / "config" / "datakvalitet_vikter.csv", tmp_path)
    line = len((tmp_path / "datakvalitet_vikter.csv").read_text(encoding="utf-8").splitlines()) + 1
    with (tmp_path / "datakvalitet_vikter.csv").open("a", encoding="utf-8") as fh:
        fh.write("stock_flow,fem\n")
    with pytest.raises(ConfigError, match=rf"line {line}, vikt found 'fem', expected a whole number 0-100"):
        load_datakvalitet_vikter(tmp_path)
