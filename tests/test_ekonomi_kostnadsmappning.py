"""config/kostnadsmappning.csv: a broken row stops the run with a message naming the file and line; matching
follows the contract (whole trimmed text, any case, validity years, förbund rows before '*' rows)."""
import pytest

from finsam.config import PROJECT_ROOT, load_registry
from finsam.config.insatser import load_insatser
from finsam.config.kostnadsmappning import load_kostnadsmappning
from finsam.io.findings import ConfigError

KODER = {"sydnarke", "sofint", "lekeberg_orebro", "degerfors_karlskoga", "sodra_norrbotten"}
HEADER = "forbund,post_pattern,kategori,giltig_fran,giltig_till\n"


def load(tmp_path, rows: str):
    (tmp_path / "kostnadsmappning.csv").write_text(HEADER + rows, encoding="utf-8")
    return load_kostnadsmappning(tmp_path, KODER)


@pytest.mark.parametrize("row, message", [
    ("*,(kansli,administration,,", "line 2, post_pattern found '(kansli', not a valid regular expression: missing ), "
                                   "unterminated subpattern at position 0"),
    ("*,Kansli,admin,,", "line 2, kategori found 'admin', expected one of medlemsbidrag_stat, medlemsbidrag_region, "
                         "medlemsbidrag_kommun, externa_bidrag, ovriga_intakter, individinriktade_insatser, "
                         "strukturovergripande_insatser, administration, finansiella_poster, eget_kapital, exkludera"),
    ("*,Kansli,administration,2019-13-01,", "line 2, giltig_fran found '2019-13-01', expected a date YYYY-MM-DD, a "
                                            "year YYYY or blank"),
    ("*,Kansli,administration,2021,2019-12-31", "line 2, giltig_till 2019-12-31 is before giltig_fran 2021"),
    ("atlantis,Kansli,administration,,", "line 2, forbund found 'atlantis', expected '*' or a kod in forbund.yaml "
                                         "(degerfors_karlskoga, lekeberg_orebro, sodra_norrbotten, sofint, sydnarke)"),
    ("*,,administration,,", "line 2, post_pattern is blank, expected a regular expression"),
])
def test_broken_rows_name_file_and_line(tmp_path, row, message):
    with pytest.raises(ConfigError) as e:
        load(tmp_path, row + "\n")
    assert str(e.value) == f"{tmp_path / 'kostnadsmappning.csv'}: {message}"


def test_matching_is_on_the_whole_trimmed_text_in_any_case_within_the_years(tmp_path):
    m = load(tmp_path, "*,Kansli,administration,,\n*,Insats .*,individinriktade_insatser,2019-01-01,2020\n"
                       "sydnarke,Insats Växa,externa_bidrag,,\n")
    assert [r.rad for r in m.matches("sofint", 2019, "  KANSLI ")] == [2]
    assert m.matches("sofint", 2019, "Kansliet") == []          # the whole text, not a prefix
    assert [r.rad for r in m.matches("sofint", 2020, "insats A")] == [3]
    assert m.matches("sofint", 2021, "Insats A") == []          # giltig_till 2020
    assert [r.rad for r in m.matches("sydnarke", 2019, "Insats Växa")] == [4]  # the förbund's own row wins


def test_a_broken_mapping_stops_the_run_and_publishes_nothing(project):
    project.settings(2019, 2019)
    (project.config / "kostnadsmappning.csv").write_text(HEADER + "*,[,administration,,\n", encoding="utf-8")
    project.raw("ekonomi/a.csv", "Förbund;År;Post;Belopp;Enhet;Typ\nSOFINT;2019;Kansli;1;kr;kostnad\n")
    with pytest.raises(ConfigError, match=r"kostnadsmappning.csv: line 2.*not a valid regular expression"):
        project.build()
    assert not project.warehouse.exists()


def test_the_shipped_mapping_loads():
    cfg = PROJECT_ROOT / "config"   # its insats column names insatser of the shipped insats register
    m = load_kostnadsmappning(cfg, KODER, load_insatser(cfg, load_registry(cfg)))
    assert len(m.regler) > 20
    assert {r.forbund for r in m.regler} == {"*", "lekeberg_orebro", "sydnarke", "sofint", "degerfors_karlskoga"}
