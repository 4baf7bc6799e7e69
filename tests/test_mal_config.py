"""config/mal.csv, the goals: optional, validated on load, every broken row named by file, line, column, what was
found and what was expected; and the vocabulary (finsam.config.mal.MATT), bound once to declared mart columns."""

import pytest

from finsam.build import steps
from finsam.config import PROJECT_ROOT, load_registry
from finsam.config.insatser import load_insatser
from finsam.config.mal import ENHETER, FILE, HEADER, MATT, bindning, load_mal, mal_frame
from finsam.io.findings import ConfigError

HEAD = ",".join(HEADER) + "\n"


def load(cfg, body: str | None):
    path = cfg / FILE
    if body is None:
        path.unlink()
    else:
        path.write_text(HEAD + body, encoding="utf-8")
    registry = load_registry(cfg)
    return load_mal(cfg, registry, load_insatser(cfg, registry))


def test_the_shipped_goals_are_sydnarkes_seed_002_goals_for_2025(cfg):
    mal = load(cfg, (PROJECT_ROOT / "config" / FILE).read_text(encoding="utf-8").split("\n", 1)[1])
    assert [(m.rad, m.forbund, m.insats, m.ar, m.matt, m.malvarde, m.riktning, m.grupp, m.kalla) for m in mal] == [
        (2, "sydnarke", "Samordningsteam", 2025, "deltagare", 150.0, "minst", None, "seed 002, rad 286–302"),
        (3, "sydnarke", "*", 2025, "andel_stegforflyttning", 0.65, "minst", None, "seed 002, rad 429–445"),
        (4, "sydnarke", "*", 2025, "eget_kapital_andel_intakter", 0.07, "hogst", "eget_kapital",
         "seed 002, rad 429–445"),
        (5, "sydnarke", "*", 2025, "eget_kapital", 300000.0, "hogst", "eget_kapital", "seed 002, rad 429–445")]
    assert (PROJECT_ROOT / "config" / FILE).read_text(encoding="utf-8").startswith(
        "forbund,insats,ar,matt,malvarde,riktning,grupp,kalla\n")


def test_the_file_is_optional(cfg):
    assert load(cfg, None) == ()
    assert mal_frame(()).height == 0


def test_names_codes_insatser_and_numbers_are_read_loosely(cfg):
    mal = load(cfg, "Samordningsförbundet Sydnärke,  samordningsTEAM ,2025,deltagare,150,minst,,\n"
                    "SOFINT,,2024,eget_kapital,\"300 000\",hogst,kapital,\n"
                    "sofint,*,2024,eget_kapital_andel_intakter,\"0,07\",hogst,kapital,plan\n"
                    "sydnarke,Steget,2025,indikator:NNS-3,0.8,minst,,\n")
    assert [(m.forbund, m.insats, m.malvarde, m.grupp, m.kalla, m.nyckel, m.bindning.mart) for m in mal] == [
        ("sydnarke", "Samordningsteam", 150.0, None, None, None, "deltagare_ar"),
        ("sofint", "*", 300000.0, "kapital", None, None, "ekonomi_ar"),
        ("sofint", "*", 0.07, "kapital", "plan", None, "jamforelse_ar"),
        ("sydnarke", "Steget", 0.8, None, None, "NNS-3", "indikatorer_ar")]
    assert mal_frame(mal).select("insats_nyckel", "kolumn", "n_kolumn", "andel").rows() == [
        ("samordningsteam", "deltagare", "deltagare", False), ("*", "eget_kapital", None, False),
        ("*", "eget_kapital_andel_intakter", None, False), ("steget", "varde", "antal_svar", True)]


@pytest.mark.parametrize("row, message", [
    ("atlantis,,2025,deltagare,1,minst,,", r"mal.csv: line 2, forbund found 'atlantis', expected a kod or name in "
                                           r"forbund.yaml \(lekeberg_orebro, sydnarke, "),
    (",,2025,deltagare,1,minst,,", r"line 2, forbund found '', expected a kod or name"),
    ("sydnarke,Kompassen,2025,deltagare,1,minst,,", r"line 2, insats found 'Kompassen', expected an insats of "
                                                    r"sydnarke in insatser.csv \(Arbetsträning Kumla, Ciceron, .*\) "
                                                    r"or blank or \* for the förbund"),
    ("sydnarke,,25,deltagare,1,minst,,", r"line 2, ar found '25', expected a year 2000-2100"),
    ("sydnarke,,,deltagare,1,minst,,", r"line 2, ar found '', expected a year 2000-2100"),
    ("sydnarke,,2025,nojdhet,1,minst,,", r"line 2, matt found 'nojdhet', expected one of deltagare, nyinskrivna, "
                                         r"avslutade, .*, indikator:<kod>$"),
    ("sydnarke,,2025,indikator:,1,minst,,", r"line 2, matt found 'indikator:', expected one of "),
    ("sydnarke,Samordningsteam,2025,eget_kapital,1,hogst,,", r"line 2, insats found 'Samordningsteam': matt "
                                                             r"eget_kapital is measured for the förbund \(insats "
                                                             r"blank or \*\) only"),
    ("sydnarke,*,2025,andel_av_plan,1,minst,,", r"line 2, insats found '\*': matt andel_av_plan is measured for an "
                                                r"insats only"),
    ("sydnarke,,2025,andel_stegforflyttning,65,minst,,", r"line 2, malvarde found '65', expected a fraction 0-1 for "
                                                         r"andel_stegforflyttning, a share \(65 % is 0.65\)"),
    ("sydnarke,,2025,andel_stegforflyttning,65 %,minst,,", r"line 2, malvarde found '65 %', expected a number "
                                                           r"\(shares as fractions 0-1: 65 % is 0.65\)"),
    ("sydnarke,,2025,deltagare,,minst,,", r"line 2, malvarde found '', expected a number$"),
    ("sydnarke,,2025,deltagare,nan,minst,,", r"line 2, malvarde found 'nan', expected a number$"),
    ("sydnarke,,2025,deltagare,-5,minst,,", r"line 2, malvarde found '-5', expected a number >= 0 for deltagare"),
    ("sydnarke,,2025,deltagare,150,max,,", r"line 2, riktning found 'max', expected minst or hogst"),
])
def test_a_bad_row_is_a_config_error_naming_line_and_column(cfg, row, message):
    with pytest.raises(ConfigError, match=message):
        load(cfg, row + "\n")


def test_a_goal_twice_names_both_lines(cfg):
    with pytest.raises(ConfigError, match=r"mal.csv: line 3, matt deltagare \(minst\) of sydnarke Samordningsteam "
                                          r"2025 is also on line 2; expected one goal per förbund, insats, year, "
                                          r"measure and riktning"):
        load(cfg, "sydnarke,Samordningsteam,2025,deltagare,150,minst,,\n"
                  "Sydnärke,samordningsteam,2025,deltagare,140,minst,,\n")
    # a range (at least and at most) is two goals
    assert len(load(cfg, "sydnarke,,2025,deltagare,100,minst,,\nsydnarke,,2025,deltagare,200,hogst,,\n")) == 2


def test_a_missing_column_is_a_config_error(cfg):
    (cfg / FILE).write_text("forbund,insats,ar,matt,malvarde,grupp,kalla\n", encoding="utf-8")
    registry = load_registry(cfg)
    with pytest.raises(ConfigError, match=r"mal.csv: missing column\(s\) \['riktning'\]"):
        load_mal(cfg, registry, load_insatser(cfg, registry))


def test_every_measure_is_bound_once_to_declared_mart_columns():
    reads = steps.BY_NAME["maluppfyllelse_ar"].reads
    for m in MATT:
        assert f"marts.{m.mart}" in reads, f"{m.mart} is bound in MATT: add its select to maluppfyllelse_ar.sql"
        columns = {c.namn: c for c in steps.BY_NAME[m.mart].declaration.kolumner}
        assert m.kolumn in columns and columns[m.kolumn].typ in ("DOUBLE", "BIGINT"), m
        assert m.n is None or columns[m.n].skydd == "personer", m        # n is a count of persons
        assert m.enhet in ENHETER and (not m.andel or m.n is not None), m  # a share's interval needs its n
    # one line per measure and level
    pairs = [(m.matt, niva) for m in MATT for niva in m.nivaer]
    assert len(pairs) == len(set(pairs))
    assert bindning("indikator:ABC", "insats")[1] == "ABC" and bindning("deltagare", "insats")[0].mart == "deltagare_ar"
